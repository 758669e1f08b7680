"""Settings read from the environment at call time, with safe embedded defaults.

The runtime's variables are listed in ``VARIABLES`` with their defaults and meanings (the
conversations' ones are in ``tsf_config.shared``); ``tsf_config.registry`` collects them for
the README's configuration table and the production checks.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from tsf_config import Reader, Variable
from tsf_config.shared import REST_CHANNEL_MODES
from tsf_config.shared import VARIABLES as SHARED_VARIABLES

VARIABLES: tuple[Variable, ...] = (
    Variable("TSF_RASA_HOST", "127.0.0.1", "Interface the Rasa server binds to."),
    Variable("TSF_RASA_PORT", "5005", "Port of the Rasa server (REST and socket.io channels)."),
    Variable(
        "TSF_RASA_TOKEN",
        None,
        "Token protecting Rasa's HTTP API; a random one is generated and printed when unset.",
    ),
    Variable(
        "TSF_SESSION_SECRET",
        None,
        "Key of the chat widget's session ids (only ids it signed reach a conversation); a"
        " random one is generated when unset.",
    ),
    Variable(
        "TSF_REST_CHANNEL",
        "public",
        "The REST channel: public (the widget; server-issued session ids only), token (callers"
        " with TSF_RASA_TOKEN only) or off.",
    ),
    Variable("TSF_ACTIONS_PORT", "5055", "Port of the action server (always bound to 127.0.0.1)."),
    Variable(
        "TSF_ACTION_ENDPOINT_URL",
        None,
        "Where Rasa calls the action server; defaults to http://127.0.0.1:$TSF_ACTIONS_PORT/webhook.",
    ),
    Variable("TSF_WEB_HOST", "127.0.0.1", "Interface the chat page server binds to."),
    Variable("TSF_WEB_PORT", "8080", "Port of the chat page server."),
    Variable(
        "TSF_PUBLIC_RASA_URL",
        None,
        "Rasa's address as the browser sees it; defaults to http://localhost:$TSF_RASA_PORT.",
    ),
    Variable(
        "TSF_CORS_ORIGINS",
        None,
        "Space-separated origins allowed to call Rasa from a browser; defaults to the chat page.",
    ),
    Variable("TSF_MODEL", "models/tsf.tar.gz", "The trained Rasa model to serve."),
    Variable(
        "TSF_ENDPOINTS_PATH",
        "rasa_project/endpoints.yml",
        "Rasa's endpoints file; rasa_project/endpoints.production.yml adds the Redis lock store"
        " for several replicas.",
    ),
    Variable(
        "TSF_CREDENTIALS_PATH",
        "var/credentials.yml",
        "Where the launcher writes Rasa's channel credentials (secrets only as ${VARS}).",
    ),
    Variable("TSF_LOG_LEVEL", "INFO", "Log level of the Rasa and action servers."),
    Variable(
        "TSF_TURNS_AT_ONCE",
        "8",
        "Messages one Rasa process works on at once; the others wait in order of arrival, so"
        " under load each reply takes about as long as the work queued ahead of it.",
    ),
    Variable("TSF_REDIS_HOST", "127.0.0.1", "Redis server of Rasa's lock store (production)."),
    Variable("TSF_REDIS_PORT", "6379", "Port of the Redis lock store."),
    Variable("TSF_REDIS_PASSWORD", "", "Password of the Redis lock store."),
    Variable("TSF_REDIS_DB", "1", "Redis database number of the lock store."),
)

MAX_REQUEST_BYTES = 64 * 1024
"""The largest request body Rasa reads (Sanic's default is 100 MB), as nginx allows: a
2,000-character message and any Slack or Teams event fit well inside."""


@dataclass(frozen=True)
class Settings:
    """Resolved settings for one run of the assistant."""

    rasa_host: str
    rasa_port: int
    rasa_token: str
    rasa_token_generated: bool
    session_secret: str
    rest_channel: str
    actions_port: int
    action_endpoint_url: str
    web_host: str
    web_port: int
    public_rasa_url: str
    cors_origins: tuple[str, ...]
    tracker_db_url: str
    model_path: Path
    endpoints_path: Path
    credentials_path: Path
    log_level: str

    def child_environment(self, base: Mapping[str, str]) -> dict[str, str]:
        """The environment for the child processes: ``base`` plus every resolved value."""
        environment = dict(base)
        environment.update(
            {
                "TSF_RASA_HOST": self.rasa_host,
                "TSF_RASA_PORT": str(self.rasa_port),
                "TSF_RASA_TOKEN": self.rasa_token,
                "TSF_SESSION_SECRET": self.session_secret,
                "TSF_REST_CHANNEL": self.rest_channel,
                "TSF_ACTIONS_PORT": str(self.actions_port),
                "TSF_ACTION_ENDPOINT_URL": self.action_endpoint_url,
                "TSF_WEB_HOST": self.web_host,
                "TSF_WEB_PORT": str(self.web_port),
                "TSF_PUBLIC_RASA_URL": self.public_rasa_url,
                "TSF_CORS_ORIGINS": " ".join(self.cors_origins),
                "TSF_TRACKER_DB_URL": self.tracker_db_url,
                "TSF_MODEL": str(self.model_path),
                "TSF_ENDPOINTS_PATH": str(self.endpoints_path),
                "TSF_CREDENTIALS_PATH": str(self.credentials_path),
                "TSF_LOG_LEVEL": self.log_level,
                "RASA_TELEMETRY_ENABLED": "false",
                "TF_CPP_MIN_LOG_LEVEL": "2",
            }
        )
        # Rasa refuses an endpoints file naming an unset ${VAR}: the lock store's have defaults.
        for variable in VARIABLES:
            if variable.name.startswith("TSF_REDIS_"):
                environment.setdefault(variable.name, variable.default or "")
        return environment


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """Resolve settings from ``environ`` (the process environment by default).

    Raises:
        SettingsError: when a variable is set to something unusable.
    """
    env = Reader((*VARIABLES, *SHARED_VARIABLES), environ)
    rasa_port = env.port("TSF_RASA_PORT")
    actions_port = env.port("TSF_ACTIONS_PORT")
    web_port = env.port("TSF_WEB_PORT")
    token = env.text("TSF_RASA_TOKEN")
    public_rasa_url = env.text("TSF_PUBLIC_RASA_URL") or f"http://localhost:{rasa_port}"
    default_origins = f"http://localhost:{web_port} http://127.0.0.1:{web_port}"
    return Settings(
        rasa_host=env.text("TSF_RASA_HOST"),
        rasa_port=rasa_port,
        rasa_token=token or secrets.token_urlsafe(24),
        rasa_token_generated=not token,
        session_secret=env.text("TSF_SESSION_SECRET") or secrets.token_urlsafe(32),
        rest_channel=env.choice("TSF_REST_CHANNEL", REST_CHANNEL_MODES),
        actions_port=actions_port,
        action_endpoint_url=env.text("TSF_ACTION_ENDPOINT_URL")
        or f"http://127.0.0.1:{actions_port}/webhook",
        web_host=env.text("TSF_WEB_HOST"),
        web_port=web_port,
        public_rasa_url=public_rasa_url.rstrip("/"),
        cors_origins=tuple((env.text("TSF_CORS_ORIGINS") or default_origins).split()),
        tracker_db_url=env.text("TSF_TRACKER_DB_URL"),
        model_path=env.path("TSF_MODEL"),
        endpoints_path=env.path("TSF_ENDPOINTS_PATH"),
        credentials_path=env.path("TSF_CREDENTIALS_PATH"),
        log_level=env.text("TSF_LOG_LEVEL").upper(),
    )
