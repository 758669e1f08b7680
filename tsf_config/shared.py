"""What more than one package reads: the conversations' variables, the Slack bot's token and
Web API address and the Teams bot's app credentials and token endpoint (the channels reply
with them, the hand-over posts with them) and the REST channel modes.

``tsf_runtime`` hands the tracker store to Rasa, ``tsf_privacy`` purges it and ``actions``
states the retention period in the privacy notice, so these variables live at the bottom
layer instead of in any one of them.
"""

from __future__ import annotations

from collections.abc import Mapping

from tsf_config.reader import Reader, Variable

REST_CHANNEL_MODES = ("public", "token", "off")
"""The values of ``TSF_REST_CHANNEL``, checked by the launcher and by the channel itself."""

VARIABLES: tuple[Variable, ...] = (
    Variable(
        "TSF_TRACKER_DB_URL",
        "sqlite:///var/tracker.db",
        "SQLAlchemy URL of the conversation tracker store (SQLite or PostgreSQL).",
    ),
    Variable(
        "SLACK_BOT_TOKEN",
        None,
        "Slack bot token (xoxb-…); with SLACK_SIGNING_SECRET it switches the Slack channel on.",
    ),
    Variable(
        "TSF_SLACK_API_URL",
        "https://slack.com/api",
        "Base address of the Slack Web API the replies are posted to.",
    ),
    Variable(
        "MICROSOFT_APP_ID",
        None,
        "Azure Bot's Microsoft app id; with the password and tenant id it switches Teams on.",
    ),
    Variable("MICROSOFT_APP_PASSWORD", None, "Client secret of the Azure Bot's app registration."),
    Variable(
        "MICROSOFT_APP_TENANT_ID",
        None,
        "Directory (tenant) id of the single-tenant app registration.",
    ),
    Variable(
        "TSF_TEAMS_TOKEN_URL",
        "https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token",
        "Token endpoint for the Teams bot's replies and hand-over posts; {tenant} is replaced"
        " by the tenant id.",
    ),
    Variable(
        "TSF_TEAM_TEAMS_CHANNEL",
        "",
        "Teams channel id (19:…@thread.tacv2) of the team: hand-over requests and new-lead"
        " cards (with working buttons) are posted there by the bot, and only it may act on"
        " them; empty, none of that in Teams.",
    ),
    Variable(
        "TSF_TEAMS_SERVICE_URL",
        "https://smba.trafficmanager.net/uk/",
        "Bot Framework service URL of the team's tenant, used to post into the Teams channel.",
    ),
    Variable(
        "TSF_CONVERSATION_RETENTION_DAYS",
        "90",
        "Days a conversation is kept after its last message (the privacy notice says so;"
        " tsf-privacy purge deletes older ones).",
    ),
)


def conversation_retention_days(environ: Mapping[str, str] | None = None) -> int:
    """``TSF_CONVERSATION_RETENTION_DAYS``: a whole number of days, at least 1."""
    return Reader(VARIABLES, environ).count("TSF_CONVERSATION_RETENTION_DAYS")
