"""Slack and Teams notifiers against fake webhooks: shapes, escaping, failures."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.fakes import serving
from tests.fakes.chat import FakeSlackWebhook, FakeTeamsWebhook
from tests.fakes.leads import REFERENCE, make_contact, make_lead
from tsf_leads.contracts import CrmRejected, CrmUnavailable, Notifier, StoredLead
from tsf_leads.notify import build_notifiers

HOSTILE = "<!channel> <https://evil.example|click me> & **bold** [link](https://evil.example)"


@pytest.fixture
def slack() -> Iterator[FakeSlackWebhook]:
    yield from serving(FakeSlackWebhook())


@pytest.fixture
def teams() -> Iterator[FakeTeamsWebhook]:
    yield from serving(FakeTeamsWebhook())


def slack_notifier(hook: FakeSlackWebhook, timeout: float = 5.0) -> Notifier:
    [notifier] = build_notifiers(
        {"TSF_NOTIFY_SLACK_WEBHOOK_URL": hook.hook_url, "TSF_NOTIFY_TIMEOUT": str(timeout)}
    )
    return notifier


def teams_notifier(hook: FakeTeamsWebhook, timeout: float = 5.0) -> Notifier:
    [notifier] = build_notifiers(
        {"TSF_NOTIFY_TEAMS_WEBHOOK_URL": hook.hook_url, "TSF_NOTIFY_TIMEOUT": str(timeout)}
    )
    return notifier


def hostile_lead() -> StoredLead:
    return make_lead(
        REFERENCE,
        organisation=HOSTILE,
        contact=make_contact(name="Eve <@U999>", role=HOSTILE),
        markdown=f"# Lead\n\n{HOSTILE}\n```\nbreak out\n```\n",
    )


def test_slack_gets_one_valid_block_kit_message(slack: FakeSlackWebhook) -> None:
    slack_notifier(slack).notify(make_lead(REFERENCE))

    [message] = slack.messages
    assert message["blocks"][0]["type"] == "header"
    assert REFERENCE in message["blocks"][0]["text"]["text"]
    assert any("Northshire Health Tech CIC" in text for text in slack.mrkdwn_texts())
    assert slack.delivery_count(REFERENCE) == 1


def test_slack_user_text_cannot_mention_or_link(slack: FakeSlackWebhook) -> None:
    slack_notifier(slack).notify(hostile_lead())

    assert slack.mentions() == []
    assert any("&lt;!channel&gt;" in text for text in slack.mrkdwn_texts())


def test_a_long_summary_stays_within_slack_limits(slack: FakeSlackWebhook) -> None:
    long = "\n".join(f"line {n}: " + "&<>" * 40 for n in range(600))

    slack_notifier(slack).notify(make_lead(REFERENCE, markdown=long))

    assert len(slack.messages) == 1


@pytest.mark.parametrize("status", [400, 403, 404, 410])
def test_slack_permanent_failures_are_rejections(slack: FakeSlackWebhook, status: int) -> None:
    slack.fail_next(status)

    with pytest.raises(CrmRejected) as raised:
        slack_notifier(slack).notify(make_lead(REFERENCE))

    assert raised.value.status_code == status


def test_slack_rate_limit_keeps_retry_after(slack: FakeSlackWebhook) -> None:
    slack.fail_next(429, retry_after=30)

    with pytest.raises(CrmUnavailable) as raised:
        slack_notifier(slack).notify(make_lead(REFERENCE))

    assert raised.value.retry_after == 30.0


def test_slack_outage_and_timeout_are_temporary(slack: FakeSlackWebhook) -> None:
    notifier = slack_notifier(slack, timeout=0.3)
    slack.fail_next(503)
    with pytest.raises(CrmUnavailable):
        notifier.notify(make_lead(REFERENCE))

    slack.delay_next(1.0, process=False)
    with pytest.raises(CrmUnavailable, match="in time"):
        notifier.notify(make_lead(REFERENCE))


def test_failures_do_not_leak_the_secret_webhook_path(slack: FakeSlackWebhook) -> None:
    notifier = slack_notifier(slack, timeout=0.3)
    slack.delay_next(1.0, process=False)

    with pytest.raises(CrmUnavailable) as raised:
        notifier.notify(make_lead(REFERENCE))

    assert "XXXXXXXX" not in str(raised.value)
    assert FakeSlackWebhook.path not in str(raised.value)


def test_teams_gets_an_adaptive_card_in_a_message_envelope(teams: FakeTeamsWebhook) -> None:
    teams_notifier(teams).notify(make_lead(REFERENCE))

    [message] = teams.messages
    attachment = message["attachments"][0]
    assert attachment["contentType"] == "application/vnd.microsoft.card.adaptive"
    assert attachment["content"]["version"] == "1.4"
    assert teams.delivery_count(REFERENCE) == 1


def test_teams_user_text_is_never_rendered_as_markdown(teams: FakeTeamsWebhook) -> None:
    teams_notifier(teams).notify(hostile_lead())

    rendered = " ".join(teams.markdown_texts())
    assert "evil.example" not in rendered
    assert "Eve" not in rendered
    assert HOSTILE in str(teams.cards[0])  # present, but only in TextRuns


def test_a_huge_summary_is_shortened_under_the_teams_limit(teams: FakeTeamsWebhook) -> None:
    teams_notifier(teams).notify(make_lead(REFERENCE, markdown="x" * 100_000))

    assert len(teams.messages) == 1
    assert "shortened" in str(teams.cards[0])


def test_a_legacy_connector_answering_1_is_success() -> None:
    with FakeTeamsWebhook(legacy=True) as hook:
        teams_notifier(hook).notify(make_lead(REFERENCE))

        assert hook.delivery_count(REFERENCE) == 1


@pytest.mark.parametrize(
    ("embedded", "error"), [(429, CrmUnavailable), (413, CrmRejected), (502, CrmUnavailable)]
)
def test_a_legacy_error_hidden_in_a_200_is_a_failure(
    teams: FakeTeamsWebhook, embedded: int, error: type[Exception]
) -> None:
    teams.fail_next(
        200, body=f"Microsoft Teams endpoint returned HTTP error {embedded} with ContextId abc"
    )

    with pytest.raises(error):
        teams_notifier(teams).notify(make_lead(REFERENCE))


@pytest.mark.parametrize(("status", "error"), [(400, CrmRejected), (429, CrmUnavailable)])
def test_teams_failures_map_like_crm_failures(
    teams: FakeTeamsWebhook, status: int, error: type[Exception]
) -> None:
    teams.fail_next(status)

    with pytest.raises(error):
        teams_notifier(teams).notify(make_lead(REFERENCE))


def test_both_webhooks_are_built_in_order(slack: FakeSlackWebhook, teams: FakeTeamsWebhook) -> None:
    notifiers = build_notifiers(
        {
            "TSF_NOTIFY_SLACK_WEBHOOK_URL": slack.hook_url,
            "TSF_NOTIFY_TEAMS_WEBHOOK_URL": teams.hook_url,
        }
    )

    for notifier in notifiers:
        notifier.notify(make_lead(REFERENCE))

    assert [notifier.name for notifier in notifiers] == ["slack", "teams"]
    assert (slack.delivery_count(REFERENCE), teams.delivery_count(REFERENCE)) == (1, 1)
