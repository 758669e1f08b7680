"""The bot posts each new lead's card into the team's Teams channel, so its buttons work."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.fakes.bot_connector import FakeBotFramework
from tests.fakes.leads import make_lead
from tsf_leads.contracts import CrmUnavailable
from tsf_leads.notify import TeamsChannelNotifier, build_notifiers
from tsf_leads.oauth import bot_token_cache

APP_ID = "7a1b2c3d-0000-4000-8000-00000000a001"
PASSWORD = "teams-channel-notifier-password"
TENANT = "7a1b2c3d-0000-4000-8000-00000000a002"
TEAM = "19:team0leads@thread.tacv2"


@pytest.fixture
def microsoft() -> Iterator[FakeBotFramework]:
    with FakeBotFramework(APP_ID, PASSWORD, TENANT) as fake:
        yield fake


def notifier(microsoft: FakeBotFramework) -> TeamsChannelNotifier:
    environ = {
        "TSF_TEAM_TEAMS_CHANNEL": TEAM,
        "TSF_TEAMS_SERVICE_URL": microsoft.service_url,
        "TSF_TEAMS_TOKEN_URL": microsoft.token_url,
        "MICROSOFT_APP_ID": APP_ID,
        "MICROSOFT_APP_PASSWORD": PASSWORD,
        "MICROSOFT_APP_TENANT_ID": TENANT,
    }
    [built] = build_notifiers(environ)
    assert isinstance(built, TeamsChannelNotifier)
    return built


def test_the_card_starts_a_thread_in_the_team_channel_with_its_buttons(
    microsoft: FakeBotFramework,
) -> None:
    notifier(microsoft).notify(make_lead("TSF-2026-000042"))

    [thread] = microsoft.threads_in(TEAM)
    activity = thread.body["activity"]
    [attachment] = activity["attachments"]
    assert attachment["contentType"] == "application/vnd.microsoft.card.adaptive"
    submits = [
        action["data"]
        for action in attachment["content"]["actions"]
        if action["type"] == "Action.Submit"
    ]
    assert {"tsf_lead": "TSF-2026-000042", "action": "claim"} in submits
    assert thread.body["isGroup"] is True


def test_a_connector_outage_is_temporary_so_the_outbox_tries_again(
    microsoft: FakeBotFramework,
) -> None:
    microsoft.down = True
    with pytest.raises(CrmUnavailable):
        notifier(microsoft).notify(make_lead())
    microsoft.down = False
    notifier(microsoft).notify(make_lead())
    assert len(microsoft.threads_in(TEAM)) == 1


def test_without_the_bot_or_the_channel_there_is_no_channel_notifier() -> None:
    assert build_notifiers({"TSF_TEAM_TEAMS_CHANNEL": TEAM}) == []
    app = {
        "MICROSOFT_APP_ID": APP_ID,
        "MICROSOFT_APP_PASSWORD": "x",
        "MICROSOFT_APP_TENANT_ID": TENANT,
    }
    assert build_notifiers(app) == []
    assert bot_token_cache("https://login.example/{tenant}", APP_ID, "x") is not None


def test_an_alert_starts_its_own_thread_with_the_reference_destination_and_reason(
    microsoft: FakeBotFramework,
) -> None:
    from datetime import datetime, timezone

    from tsf_leads.contracts import Alert

    alert = Alert(
        "dead_letter",
        "TSF-2026-000042",
        "crm:hubspot",
        "rejected: CrmRejected (HTTP 400)",
        datetime(2026, 3, 2, 10, 15, tzinfo=timezone.utc),
    )

    notifier(microsoft).send_message(alert.message())

    [thread] = microsoft.threads_in(TEAM)
    [attachment] = thread.body["activity"]["attachments"]
    body = attachment["content"]["body"]
    texts = [run["text"] for block in body for run in block["inlines"]]
    assert texts[0] == "Alert: Lead TSF-2026-000042 could not be delivered to crm:hubspot"
    assert "HTTP 400" in " ".join(texts) and "tsf-leads retry TSF-2026-000042" in " ".join(texts)
    assert "actions" not in attachment["content"]
