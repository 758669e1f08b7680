"""The Slack, Teams and email messages: content, escaping and size limits."""

from __future__ import annotations

import json

import pytest

from tests.fakes.chat import block_problem, card_problem
from tests.fakes.leads import make_contact, make_lead
from tsf_leads.notify.slack import escape_mrkdwn, escape_within, slack_message
from tsf_leads.notify.smtp import build_email
from tsf_leads.notify.teams import ADAPTIVE_CARD_CONTENT_TYPE, PAYLOAD_LIMIT, teams_message

HOSTILE = "<!channel> <@U123|boss> <https://evil.example|win> & **bold** [x](https://evil.example)"


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("a & b", "a &amp; b"),
        ("<!here>", "&lt;!here&gt;"),
        ("&lt;", "&amp;lt;"),
        ("plain", "plain"),
    ],
)
def test_slack_escaping(text: str, escaped: str) -> None:
    assert escape_mrkdwn(text) == escaped


def test_escape_within_never_cuts_an_escape_in_two() -> None:
    cut = escape_within("&" * 10, 12)

    assert cut == "&amp;&amp;…"
    assert len(cut) <= 12


def test_slack_message_has_header_fields_and_summary() -> None:
    message = slack_message(make_lead())
    blocks = message["blocks"]

    assert block_problem(blocks) is None
    assert blocks[0] == {
        "type": "header",
        "text": {"type": "plain_text", "text": "New warm lead TSF-2026-000123"},
    }
    fields = [field["text"] for field in blocks[1]["fields"]]
    assert "*Organisation*\nNorthshire Health Tech CIC" in fields
    assert "*Amount*\n£500,000" in fields
    assert "*Verdict*\nEligible" in fields
    assert len(fields) <= 10
    assert any("Public-sector spin-out" in b.get("text", {}).get("text", "") for b in blocks)
    assert message["text"].startswith("TSF lead TSF-2026-000123")


def test_slack_message_escapes_everything_the_enquirer_typed() -> None:
    lead = make_lead(
        organisation=HOSTILE,
        contact=make_contact(name=HOSTILE, role=HOSTILE, email=HOSTILE),
        purpose=HOSTILE,
        markdown=HOSTILE,
    )

    dumped = json.dumps(slack_message(lead))

    assert "<!" not in dumped and "<@" not in dumped and "<http" not in dumped
    assert "&lt;!channel&gt;" in dumped


def test_slack_summary_cannot_close_its_code_block() -> None:
    message = slack_message(make_lead(markdown="before\n```\n<!channel>\n```\nafter"))

    summary = [
        b["text"]["text"] for b in message["blocks"] if "```" in b.get("text", {}).get("text", "")
    ]
    assert summary
    for text in summary:
        assert text.count("```") == 2


def test_a_long_slack_summary_is_split_within_block_limits() -> None:
    markdown = "\n".join("&<>" * 300 for _ in range(60))

    message = slack_message(make_lead(markdown=markdown))

    assert block_problem(message["blocks"]) is None
    assert len(message["blocks"]) <= 50


def test_teams_message_is_an_adaptive_card_in_a_message() -> None:
    message = teams_message(make_lead())

    assert card_problem(message) is None
    assert message["type"] == "message"
    [attachment] = message["attachments"]
    assert attachment["contentType"] == ADAPTIVE_CARD_CONTENT_TYPE
    assert attachment["contentUrl"] is None
    card = attachment["content"]
    assert card["version"] == "1.4"
    assert card["body"][0]["text"] == "New warm lead TSF-2026-000123"


def test_teams_puts_user_text_only_in_text_runs() -> None:
    lead = make_lead(
        organisation=HOSTILE,
        contact=make_contact(name=HOSTILE, role=HOSTILE),
        purpose=HOSTILE,
        markdown=HOSTILE,
    )
    body = teams_message(lead)["attachments"][0]["content"]["body"]

    text_blocks = [element["text"] for element in body if element["type"] == "TextBlock"]
    runs = [run["text"] for e in body if e["type"] == "RichTextBlock" for run in e["inlines"]]
    assert not any("evil.example" in text for text in text_blocks)
    assert any(HOSTILE in run for run in runs)
    assert all(element["type"] in {"TextBlock", "RichTextBlock"} for element in body)


def test_teams_message_stays_under_the_size_limit() -> None:
    message = teams_message(make_lead(markdown="ü" * 60_000))

    assert len(json.dumps(message).encode("utf-8")) <= PAYLOAD_LIMIT
    assert "shortened" in json.dumps(message)


def test_email_has_plain_text_and_escaped_html() -> None:
    lead = make_lead(organisation="<b>Acme</b> & Sons", markdown="Summary <i>here</i>")

    message = build_email(lead, "TSF <bot@tsf.example.gov.uk>", ["team@example.gov.uk"])

    assert message["Message-ID"] == "<lead.TSF-2026-000123@tsf.example.gov.uk>"
    assert message["Subject"] == (
        "TSF lead TSF-2026-000123: <b>Acme</b> & Sons (Eligible, high priority)"
    )
    plain = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "Organisation: <b>Acme</b> & Sons" in plain
    assert "Summary <i>here</i>" in plain
    assert "&lt;b&gt;Acme&lt;/b&gt; &amp; Sons" in html
    assert "Summary &lt;i&gt;here&lt;/i&gt;" in html
    assert "<b>" not in html and "<i>" not in html


def test_email_headers_cannot_be_injected() -> None:
    lead = make_lead(organisation="Acme\r\nBcc: everyone@example.com\r\n")

    message = build_email(lead, "bot@example.org", ["team@example.org"])

    assert message["Bcc"] is None
    assert "\n" not in message["Subject"] and "\r" not in message["Subject"]
    assert b"\r\nBcc:" not in message.as_bytes()
