#!/bin/sh
# Run by the nginx image's entry point before nginx starts: HTTPS when certificates are
# mounted at /etc/nginx/certs (fullchain.pem and privkey.pem), plain HTTP otherwise.
set -eu
certs=/etc/nginx/certs
if [ -s "$certs/fullchain.pem" ] && [ -s "$certs/privkey.pem" ]; then
    cp /etc/nginx/tsf/mode-https.conf /etc/nginx/tsf/servers.conf
    echo "40-tsf-tls.sh: certificates found in $certs: HTTPS on 443, HTTP redirects to it"
else
    cp /etc/nginx/tsf/mode-http.conf /etc/nginx/tsf/servers.conf
    echo "40-tsf-tls.sh: no certificates in $certs: plain HTTP on 80"
fi
