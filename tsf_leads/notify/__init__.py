"""Team notifiers: tell the Social Investment Team about a new lead on Slack, Teams or email.

Each is optional and switched on by its environment variables (listed in ``VARIABLES``);
``build_notifiers()`` reads them when called. A notifier raises ``CrmUnavailable`` (try again
later) or ``CrmRejected`` (do not retry) so the outbox worker handles it like a CRM delivery.
"""

from __future__ import annotations

from collections.abc import Mapping

import requests

from tsf_config import Reader, SettingsError, Variable, is_loopback_url, shared
from tsf_leads.contracts import Notifier
from tsf_leads.crm.base import Timeouts
from tsf_leads.notify.slack import SlackNotifier
from tsf_leads.notify.smtp import EmailNotifier
from tsf_leads.notify.teams import TeamsChannelNotifier, TeamsNotifier
from tsf_leads.oauth import bot_token_cache

__all__ = [
    "VARIABLES",
    "EmailNotifier",
    "SlackNotifier",
    "TeamsChannelNotifier",
    "TeamsNotifier",
    "build_notifiers",
]

VARIABLES: tuple[Variable, ...] = (
    Variable(
        "TSF_NOTIFY_SLACK_WEBHOOK_URL",
        None,
        "Slack incoming-webhook URL; when set, each new lead is posted to that channel.",
    ),
    Variable(
        "TSF_NOTIFY_TEAMS_WEBHOOK_URL",
        None,
        "Teams Workflows (or incoming) webhook URL; when set, each new lead is posted as a card.",
    ),
    Variable("TSF_NOTIFY_TIMEOUT", "10", "Seconds to wait for Slack, Teams or the SMTP server."),
    Variable("TSF_NOTIFY_SMTP_HOST", None, "SMTP server; when set, each new lead is emailed."),
    Variable("TSF_NOTIFY_SMTP_PORT", "587", "SMTP server port."),
    Variable("TSF_NOTIFY_SMTP_USER", None, "SMTP login user (no login when unset)."),
    Variable("TSF_NOTIFY_SMTP_PASSWORD", None, "SMTP login password."),
    Variable(
        "TSF_NOTIFY_SMTP_STARTTLS",
        "true",
        "Upgrade the SMTP connection with STARTTLS (certificate checked) before logging in.",
    ),
    Variable("TSF_NOTIFY_EMAIL_FROM", None, "From address of the lead emails."),
    Variable("TSF_NOTIFY_EMAIL_TO", None, "Comma-separated addresses that receive lead emails."),
)


def _addresses(env: Reader, name: str, what: str) -> list[str]:
    raw = env.required(name, what)
    addresses = [part.strip() for part in raw.split(",") if part.strip()]
    for address in addresses:
        if "@" not in address or any(char in address for char in "\r\n<>,;"):
            raise SettingsError(f"{name} must hold plain email addresses, not {address!r}")
    if not addresses:
        raise SettingsError(f"{name} needs at least one email address ({what})")
    return addresses


def _email(env: Reader, timeout: float) -> EmailNotifier:
    host = env.required("TSF_NOTIFY_SMTP_HOST", "the SMTP server")
    user = env.text("TSF_NOTIFY_SMTP_USER") or None
    password = env.text("TSF_NOTIFY_SMTP_PASSWORD") or None
    starttls = env.flag("TSF_NOTIFY_SMTP_STARTTLS")
    if user and not password:
        raise SettingsError("TSF_NOTIFY_SMTP_USER is set, so TSF_NOTIFY_SMTP_PASSWORD is needed")
    if user and not starttls and not is_loopback_url(f"smtp://{host}"):
        raise SettingsError(
            "TSF_NOTIFY_SMTP_STARTTLS is off, so the SMTP password would be sent unencrypted: "
            "switch it on or remove TSF_NOTIFY_SMTP_USER"
        )
    return EmailNotifier(
        host=host,
        port=env.port("TSF_NOTIFY_SMTP_PORT"),
        sender=_addresses(env, "TSF_NOTIFY_EMAIL_FROM", "the From address")[0],
        recipients=_addresses(env, "TSF_NOTIFY_EMAIL_TO", "who receives lead emails"),
        username=user,
        password=password,
        starttls=starttls,
        timeout=timeout,
    )


TEAMS_APP = ("MICROSOFT_APP_ID", "MICROSOFT_APP_PASSWORD", "MICROSOFT_APP_TENANT_ID")


def _teams_channel(
    env: Reader, session: requests.Session | None, timeouts: Timeouts
) -> TeamsChannelNotifier | None:
    """The bot's own posts into ``TSF_TEAM_TEAMS_CHANNEL``, when it and the bot are set up."""
    channel = env.text("TSF_TEAM_TEAMS_CHANNEL")
    app_id, password, tenant = (env.text(name) for name in TEAMS_APP)
    if not (channel and app_id and password and tenant):
        return None
    token_url = env.text("TSF_TEAMS_TOKEN_URL").replace("{tenant}", tenant)
    tokens = bot_token_cache(token_url, app_id, password, session=session)
    service_url = env.url("TSF_TEAMS_SERVICE_URL", "the Teams service URL")
    return TeamsChannelNotifier(service_url, channel, tokens, session=session, timeouts=timeouts)


def build_notifiers(
    environ: Mapping[str, str] | None = None, *, session: requests.Session | None = None
) -> list[Notifier]:
    """The notifiers switched on in ``environ`` (default: os.environ), in a stable order.

    Args:
        environ: the environment to read, at call time (``os.environ`` when omitted).
        session: an optional ``requests.Session`` for the webhook notifiers.

    Returns:
        Slack, Teams (webhook, and the bot's own posts into the team channel) and email
        notifiers, each only when configured; possibly none.

    Raises:
        SettingsError: a ``ValueError`` naming the missing or unusable variable.
    """
    env = Reader((*VARIABLES, *shared.VARIABLES), environ, context="lead notifications")
    timeout = env.seconds("TSF_NOTIFY_TIMEOUT")
    timeouts = Timeouts(connect=min(5.0, timeout), read=timeout)
    notifiers: list[Notifier] = []
    if env.text("TSF_NOTIFY_SLACK_WEBHOOK_URL"):
        url = env.url("TSF_NOTIFY_SLACK_WEBHOOK_URL", "the Slack incoming webhook")
        notifiers.append(SlackNotifier(url, session=session, timeouts=timeouts))
    if env.text("TSF_NOTIFY_TEAMS_WEBHOOK_URL"):
        url = env.url("TSF_NOTIFY_TEAMS_WEBHOOK_URL", "the Teams webhook")
        notifiers.append(TeamsNotifier(url, session=session, timeouts=timeouts))
    channel = _teams_channel(env, session, timeouts)
    if channel is not None:
        notifiers.append(channel)
    if env.text("TSF_NOTIFY_SMTP_HOST"):
        notifiers.append(_email(env, timeout))
    return notifiers
