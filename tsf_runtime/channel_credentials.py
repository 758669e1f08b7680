"""The Rasa credentials file, generated from the environment at start-up.

The REST and socket.io channels (checked versions of Rasa's) and the metrics endpoint are
always on. Slack is added
when both of its secrets are set, Microsoft Teams when its app id, password and tenant id
are. Secrets appear in the file only as ``${ENV_VAR}`` references, which Rasa substitutes
when it reads the file, so the file itself holds nothing secret. Non-secret overrides (API
and metadata addresses, the de-duplication database) are written as quoted literal values.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path

from tsf_config import Reader, Variable, shared

REST_CHANNEL_CLASS = "channels.rest.GuardedRestInput"
SLACK_CHANNEL_CLASS = "channels.slack.TsfSlackInput"
TEAMS_CHANNEL_CLASS = "channels.teams.TeamsInput"

SLACK_SECRETS = ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET")
TEAMS_SECRETS = ("MICROSOFT_APP_ID", "MICROSOFT_APP_PASSWORD", "MICROSOFT_APP_TENANT_ID")

VARIABLES: tuple[Variable, ...] = (
    Variable(
        "SLACK_SIGNING_SECRET",
        None,
        "Slack app signing secret, used to check that requests come from Slack.",
    ),
    Variable(
        "TSF_SLACK_DEDUP_DB",
        "var/slack_events.db",
        "SQLite file remembering Slack event ids (and Teams live-chat activity ids) for a day,"
        " so retried events run once.",
    ),
    Variable(
        "TSF_REDIS_URL",
        None,
        "Redis for the Slack (and Teams live-chat) event record, shared by every replica"
        " (redis://:password@host:6379/1); unset, the SQLite file is used.",
    ),
    Variable(
        "TSF_TEAMS_OPENID_METADATA_URL",
        "https://login.botframework.com/v1/.well-known/openidconfiguration",
        "Bot Framework OpenID metadata, whose signing keys are fetched on the first request.",
    ),
    Variable(
        "TSF_TEAMS_ALLOWED_SERVICE_URLS",
        "",
        "Optional space-separated service URL hosts Teams may call from; empty allows any.",
    ),
)

_ALWAYS = """\
# Generated from the environment by tsf_runtime.channel_credentials: do not edit.
# Secrets appear only as ${ENV_VAR} references; Rasa substitutes them when it reads the file.
# Rasa's REST channel, with requests and messages checked first (channels/rest.py).
channels.rest.GuardedRestInput:
  mode: ${TSF_REST_CHANNEL}
  api_token: ${TSF_RASA_TOKEN}
  session_secret: ${TSF_SESSION_SECRET}

# Rasa's socket.io channel, with its session persistence fixed (channels/socketio.py).
channels.socketio.PersistentSocketIOInput:
  user_message_evt: user_uttered
  bot_message_evt: bot_uttered
  session_persistence: true
  session_secret: ${TSF_SESSION_SECRET}
# This process's Prometheus metrics at /webhooks/metrics/ (channels/metrics.py).
channels.metrics.MetricsEndpoint:
"""


def _literal(value: str) -> str:
    """A double-quoted YAML scalar; quoted scalars are never expanded by Rasa."""
    return json.dumps(value, ensure_ascii=False)


def _slack_block(env: Reader) -> str:
    return (
        "\n# Slack (channels/slack.py): Events API and interactivity at /webhooks/slack/webhook.\n"
        f"{SLACK_CHANNEL_CLASS}:\n"
        "  slack_token: ${SLACK_BOT_TOKEN}\n"
        "  slack_signing_secret: ${SLACK_SIGNING_SECRET}\n"
        f"  slack_api_url: {_literal(env.text('TSF_SLACK_API_URL'))}\n"
        f"  dedup_db: {_literal(env.text('TSF_SLACK_DEDUP_DB'))}\n"
        + ("  dedup_redis_url: ${TSF_REDIS_URL}\n" if env.text("TSF_REDIS_URL") else "")
    )


def _teams_block(env: Reader) -> str:
    hosts = env.text("TSF_TEAMS_ALLOWED_SERVICE_URLS").replace(",", " ").split()
    allowed = "[" + ", ".join(_literal(host) for host in hosts) + "]"
    return (
        "\n# Microsoft Teams (channels/teams.py): Bot Framework at /webhooks/teams/webhook.\n"
        f"{TEAMS_CHANNEL_CLASS}:\n"
        "  app_id: ${MICROSOFT_APP_ID}\n"
        "  app_password: ${MICROSOFT_APP_PASSWORD}\n"
        "  tenant_id: ${MICROSOFT_APP_TENANT_ID}\n"
        f"  token_url: {_literal(env.text('TSF_TEAMS_TOKEN_URL'))}\n"
        f"  openid_metadata_url: {_literal(env.text('TSF_TEAMS_OPENID_METADATA_URL'))}\n"
        f"  allowed_service_urls: {allowed}\n"
        f"  dedup_db: {_literal(env.text('TSF_SLACK_DEDUP_DB'))}\n"
        + ("  dedup_redis_url: ${TSF_REDIS_URL}\n" if env.text("TSF_REDIS_URL") else "")
    )


def render_credentials(environ: Mapping[str, str]) -> str:
    """The Rasa credentials YAML for the channels ``environ`` configures.

    Args:
        environ: The environment (``os.environ`` or a plain mapping in tests).

    Returns:
        The YAML text: ``rest`` and socket.io always, Slack and Teams when configured.
    """
    env = Reader((*VARIABLES, *shared.VARIABLES), environ)
    text = _ALWAYS
    if all(env.text(name) for name in SLACK_SECRETS):
        text += _slack_block(env)
    if all(env.text(name) for name in TEAMS_SECRETS):
        text += _teams_block(env)
    return text


def write_credentials(environ: Mapping[str, str], path: Path | str) -> Path:
    """Write :func:`render_credentials` to ``path`` atomically and return the path.

    The folder is created if needed; the file is replaced in one step, so a Rasa server
    reading it never sees half a file.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(render_credentials(environ))
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target
