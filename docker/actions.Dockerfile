# syntax=docker/dockerfile:1
# The action server and the lead delivery worker (same image, see actions-entrypoint.sh).
# Build from the repository root: docker-compose build actions
FROM rasa/rasa-sdk:3.6.2

USER root
WORKDIR /app

# Every pin comes from pyproject.toml, minus Rasa itself (docker/requirements.py).
COPY pyproject.toml docker/requirements.py /build/
RUN python -c 'import sys; assert sys.version_info[:2] == (3, 10), sys.version' \
    && python /build/requirements.py /build/pyproject.toml > /build/requirements.txt \
    && python -m pip install --no-cache-dir -r /build/requirements.txt \
    && rm -rf /build

COPY actions /app/actions
COPY tsf_config /app/tsf_config
COPY tsf_knowledge /app/tsf_knowledge
COPY tsf_leads /app/tsf_leads
COPY tsf_handover /app/tsf_handover
COPY tsf_insight /app/tsf_insight
COPY tsf_runtime /app/tsf_runtime
COPY tsf_privacy /app/tsf_privacy
COPY docker/healthcheck.py /usr/local/bin/tsf-healthcheck
COPY docker/actions-entrypoint.sh /usr/local/bin/tsf-actions
RUN chmod 0755 /usr/local/bin/tsf-healthcheck /usr/local/bin/tsf-actions \
    && chmod -R a+rX /app \
    && python -c 'import actions, tsf_knowledge, tsf_leads.cli, tsf_privacy.cli, tsf_runtime.actions_main'

ENV PYTHONPATH=/app \
    PYTHONUNBUFFERED=1 \
    SANIC_HOST=0.0.0.0

# Never root: the numeric user of the rasa-sdk image.
USER 1001
EXPOSE 5055
HEALTHCHECK --interval=15s --timeout=6s --start-period=60s --retries=5 \
    CMD ["python", "/usr/local/bin/tsf-healthcheck", "http", "http://127.0.0.1:5055/health"]
ENTRYPOINT ["/usr/local/bin/tsf-actions"]
CMD ["actions"]
