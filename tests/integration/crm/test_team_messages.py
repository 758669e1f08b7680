"""Messages to the team that are not about one lead (the weekly digest), through each
notifier, against the Slack and Teams fakes, the Bot Framework fake and a real SMTP server."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from tests.fakes import serving
from tests.fakes.bot_connector import FakeBotFramework
from tests.fakes.chat import FakeSlackWebhook, FakeTeamsWebhook
from tests.fakes.smtp import FakeSmtpServer
from tsf_leads.contracts import CrmRejected, MessageSection, TeamMessage
from tsf_leads.notify import EmailNotifier, build_notifiers

HOSTILE = "<!channel> <https://evil.example|click me> **bold** [link](https://evil.example)"
TABLE = ("Stage          w/c 16 Nov", "Conversations           5")
MESSAGE = TeamMessage(
    title="TSF Assistant: the week of 16 Nov",
    sections=(
        MessageSection("Funnel", TABLE, fixed_width=True),
        MessageSection("Content gaps", (f"3 × {HOSTILE}",)),
    ),
    key="digest-2026-11-16",
)


@pytest.fixture
def slack() -> Iterator[FakeSlackWebhook]:
    yield from serving(FakeSlackWebhook())


@pytest.fixture
def teams() -> Iterator[FakeTeamsWebhook]:
    yield from serving(FakeTeamsWebhook())


def test_slack_gets_one_valid_message_with_the_table_preformatted(
    slack: FakeSlackWebhook,
) -> None:
    [notifier] = build_notifiers({"TSF_NOTIFY_SLACK_WEBHOOK_URL": slack.hook_url})

    notifier.send_message(MESSAGE)

    [message] = slack.messages
    assert message["blocks"][0]["text"]["text"] == MESSAGE.title
    assert any(text.startswith("```\n" + TABLE[0]) for text in slack.mrkdwn_texts())


def test_what_people_typed_cannot_mention_or_link_in_slack(slack: FakeSlackWebhook) -> None:
    [notifier] = build_notifiers({"TSF_NOTIFY_SLACK_WEBHOOK_URL": slack.hook_url})

    notifier.send_message(MESSAGE)

    assert slack.mentions() == []
    assert any("&lt;!channel&gt;" in text for text in slack.mrkdwn_texts())


def test_a_very_long_message_still_fits_one_slack_message(slack: FakeSlackWebhook) -> None:
    [notifier] = build_notifiers({"TSF_NOTIFY_SLACK_WEBHOOK_URL": slack.hook_url})
    lines = tuple(f"question {n}: " + "&<>" * 300 for n in range(200))
    long = TeamMessage("Long", tuple(MessageSection(f"Part {n}", lines) for n in range(5)), "k")

    notifier.send_message(long)

    assert len(slack.messages) == 1
    assert "shortened" in json.dumps(slack.messages[0])


def test_a_refused_slack_message_is_a_rejection(slack: FakeSlackWebhook) -> None:
    [notifier] = build_notifiers({"TSF_NOTIFY_SLACK_WEBHOOK_URL": slack.hook_url})
    slack.fail_next(404)

    with pytest.raises(CrmRejected):
        notifier.send_message(MESSAGE)


def test_teams_gets_one_valid_card_of_plain_text_runs(teams: FakeTeamsWebhook) -> None:
    [notifier] = build_notifiers({"TSF_NOTIFY_TEAMS_WEBHOOK_URL": teams.hook_url})

    notifier.send_message(MESSAGE)

    [card] = teams.cards
    runs = [inline for block in card["body"] for inline in block["inlines"]]
    assert runs[0]["text"] == MESSAGE.title
    assert {"type": "TextRun", "text": "\n".join(TABLE), "fontType": "Monospace"} in runs
    assert teams.markdown_texts() == []  # nothing is rendered as Markdown


def test_the_bot_posts_the_message_into_the_team_channel() -> None:
    app, password, tenant = "7a1b2c3d-0000-4000-8000-00000000b001", "secret", "tenant-b"
    channel = "19:digest@thread.tacv2"
    with FakeBotFramework(app, password, tenant) as microsoft:
        [notifier] = build_notifiers(
            {
                "TSF_TEAM_TEAMS_CHANNEL": channel,
                "TSF_TEAMS_SERVICE_URL": microsoft.service_url,
                "TSF_TEAMS_TOKEN_URL": microsoft.token_url,
                "MICROSOFT_APP_ID": app,
                "MICROSOFT_APP_PASSWORD": password,
                "MICROSOFT_APP_TENANT_ID": tenant,
            }
        )
        notifier.send_message(MESSAGE)

        [thread] = microsoft.threads_in(channel)
    [attachment] = thread.body["activity"]["attachments"]
    assert MESSAGE.title in json.dumps(attachment["content"])


def test_the_email_has_the_title_as_subject_and_every_section() -> None:
    with FakeSmtpServer() as smtp:
        EmailNotifier(
            host=smtp.host,
            port=smtp.port,
            sender="assistant@example.gov.uk",
            recipients=["team@example.gov.uk"],
            starttls=False,
            timeout=5.0,
        ).send_message(MESSAGE)
        [email] = smtp.messages

    assert email["Subject"] == MESSAGE.title
    assert email["Message-ID"] == "<digest-2026-11-16@example.gov.uk>"
    plain = email.get_body(("plain",)).get_content()
    assert TABLE[1] in plain and HOSTILE in plain
    html = email.get_body(("html",)).get_content()
    assert "&lt;!channel&gt;" in html and "<!channel>" not in html
