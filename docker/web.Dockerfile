# syntax=docker/dockerfile:1
# nginx: the chat page, and the only way in to Rasa (its channel webhooks and socket.io).
# TLS switches on when /etc/nginx/certs holds fullchain.pem and privkey.pem (a volume).
# Build from the repository root: docker-compose build web
FROM nginx:1.26.2-alpine

RUN rm -f /etc/nginx/conf.d/default.conf
COPY docker/nginx/nginx.conf /etc/nginx/nginx.conf
COPY docker/nginx/tsf/ /etc/nginx/tsf/
COPY docker/nginx/40-tsf-tls.sh /docker-entrypoint.d/40-tsf-tls.sh
COPY web/ /usr/share/nginx/html/
RUN chmod 0755 /docker-entrypoint.d/40-tsf-tls.sh \
    && cp /etc/nginx/tsf/mode-http.conf /etc/nginx/tsf/servers.conf \
    && chmod -R a+rX /usr/share/nginx/html /etc/nginx/tsf

EXPOSE 80 443
HEALTHCHECK --interval=15s --timeout=5s --start-period=10s --retries=3 \
    CMD ["wget", "-q", "-O", "/dev/null", "http://127.0.0.1/healthz"]
