#!/bin/sh
# Run once by the postgres image, when the data volume is first initialised: the lead
# store gets its own database next to the conversations' ($POSTGRES_DB), both owned by
# $POSTGRES_USER.
set -eu
: "${POSTGRES_LEADS_DB:=tsf_leads}"
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
    --set leads_db="$POSTGRES_LEADS_DB" --set owner="$POSTGRES_USER" <<'SQL'
SELECT format('CREATE DATABASE %I OWNER %I', :'leads_db', :'owner')
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'leads_db')\gexec
SQL
