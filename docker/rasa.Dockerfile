# syntax=docker/dockerfile:1
# The Rasa server: our custom channels and log redaction, the offline spaCy pipeline and the
# trained model (`make model` writes models/tsf.tar.gz before `docker-compose build`).
# Build from the repository root: docker-compose build rasa
FROM rasa/rasa:3.6.21

USER root
WORKDIR /app

# Our packages and every pin from pyproject.toml (rasa==3.6.21 is already installed, so
# this adds the spaCy extra, spacy-lookups-data and the channel dependencies).
COPY pyproject.toml README.md /build/
COPY tsf_config /build/tsf_config
COPY tsf_knowledge /build/tsf_knowledge
COPY tsf_nlu /build/tsf_nlu
COPY tsf_leads /build/tsf_leads
COPY tsf_handover /build/tsf_handover
COPY tsf_runtime /build/tsf_runtime
COPY actions /build/actions
COPY channels /build/channels
RUN python -c 'import sys; assert sys.version_info[:2] == (3, 10), sys.version' \
    && python -m pip install --no-cache-dir /build \
    && rm -rf /build

# The same blank English pipeline with the lookup lemmatizer the model was trained with
# (config.yml: SpacyNLP model var/spacy/en_tsf), built offline from spacy-lookups-data.
RUN python -m tsf_runtime.build_spacy /app/var/spacy/en_tsf

COPY rasa_project /app/rasa_project
COPY models/tsf.tar.gz /app/models/tsf.tar.gz
COPY docker/healthcheck.py /usr/local/bin/tsf-healthcheck
COPY docker/rasa-entrypoint.sh /usr/local/bin/tsf-rasa
RUN chmod 0755 /usr/local/bin/tsf-healthcheck /usr/local/bin/tsf-rasa \
    && chmod -R a+rX /app/var /app/rasa_project /app/models \
    && mkdir -p /data && chown 1001:0 /data && chmod 0770 /data

ENV RASA_TELEMETRY_ENABLED=false \
    TF_CPP_MIN_LOG_LEVEL=2 \
    PYTHONUNBUFFERED=1 \
    TSF_MODEL=models/tsf.tar.gz \
    TSF_ENDPOINTS_PATH=rasa_project/endpoints.production.yml \
    TSF_CREDENTIALS_PATH=/tmp/credentials.yml

USER 1001
EXPOSE 5005
HEALTHCHECK --interval=15s --timeout=6s --start-period=180s --retries=5 \
    CMD ["python", "/usr/local/bin/tsf-healthcheck", "http", "http://127.0.0.1:5005/webhooks/rest/"]
ENTRYPOINT ["/usr/local/bin/tsf-rasa"]
CMD []
