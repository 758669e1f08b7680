#!/bin/sh
# Start one Rasa replica: check the production settings, write the channel credentials
# (secrets only as ${VARIABLES}), then run Rasa with log redaction. Extra arguments are
# passed on to `rasa run`.
set -eu
set -f  # TSF_CORS_ORIGINS is split on spaces below, never globbed

python -m tsf_runtime.production --service rasa

: "${TSF_MODEL:=models/tsf.tar.gz}"
: "${TSF_ENDPOINTS_PATH:=rasa_project/endpoints.production.yml}"
: "${TSF_CREDENTIALS_PATH:=/tmp/credentials.yml}"
: "${TSF_RASA_PORT:=5005}"
: "${TSF_REST_CHANNEL:=public}"
export TSF_CREDENTIALS_PATH TSF_REST_CHANNEL

python -c 'import os; from tsf_runtime.channel_credentials import write_credentials; write_credentials(os.environ, os.environ["TSF_CREDENTIALS_PATH"])'

# shellcheck disable=SC2086  # one --cors value per origin
exec python -m tsf_runtime.rasa_main run \
    --model "$TSF_MODEL" \
    --endpoints "$TSF_ENDPOINTS_PATH" \
    --credentials "$TSF_CREDENTIALS_PATH" \
    --interface 0.0.0.0 \
    --port "$TSF_RASA_PORT" \
    --enable-api \
    --auth-token "${TSF_RASA_TOKEN:?set TSF_RASA_TOKEN (see .env.example)}" \
    --cors ${TSF_CORS_ORIGINS} \
    "$@"
