#!/bin/sh
# The actions image runs one of:
#   actions  the rasa-sdk action server on :5055, with log redaction (the default)
#   worker   the lead delivery worker, after bringing the lead store's schema up to date
#   privacy  tsf-privacy (e.g. `privacy purge --older-than 90d`)
#   leads    tsf-leads (e.g. `leads list`)
#   digest   the weekly digest to the team, sent at TSF_DIGEST_SCHEDULE (the digest service)
#   insight  tsf-insight (e.g. `insight funnel --since 30d`, `insight digest --send`)
# Anything else is run as given.
set -eu

command="${1:-actions}"
[ "$#" -gt 0 ] && shift

case "$command" in
    actions)
        python -m tsf_runtime.production --service actions
        SANIC_HOST="${SANIC_HOST:-0.0.0.0}"
        export SANIC_HOST
        exec python -m tsf_runtime.actions_main --actions actions --port "${TSF_ACTIONS_PORT:-5055}" "$@"
        ;;
    worker)
        python -m tsf_runtime.production --service worker
        python -m tsf_leads.cli migrate
        exec python -m tsf_leads.cli deliver "$@"
        ;;
    privacy)
        exec python -m tsf_privacy.cli "$@"
        ;;
    leads)
        exec python -m tsf_leads.cli "$@"
        ;;
    digest)
        python -m tsf_runtime.production --service worker
        exec python -m tsf_insight.cli digest --schedule "$@"
        ;;
    insight)
        exec python -m tsf_insight.cli "$@"
        ;;
    *)
        exec "$command" "$@"
        ;;
esac
