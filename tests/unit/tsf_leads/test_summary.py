"""The team's lead summary: every field, the enquirer's own words quoted, nothing injected."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from tests.support.leads import make_consent, make_contact, make_criteria, make_summary
from tsf_leads.contracts import InterviewAnswer, StoredLead
from tsf_leads.summary import escape_markdown, format_time, render_markdown


def _render(**changes: object) -> str:
    return render_markdown(
        StoredLead("TSF-2026-000042", make_summary(**changes), make_consent(), markdown="")
    )


@pytest.mark.parametrize(
    "expected",
    [
        "# Lead TSF-2026-000042: Riverside Care Partnership CIC",
        "**Verdict:** Eligible · **Priority:** high · **Score:** 100/100",
        "- **Name:** Jo Bloggs",
        "- **Role:** Managing director",
        "- **Email:** jo.bloggs@example.org",
        "- **Phone:** 01632 960123",
        "- **Preferred time to call:** weekday mornings",
        "- **Amount:** £450,000",
        "- **Purpose:** care records system and tablets",
        "**Was your organisation set up by former public service staff?**",
        "> Yes, we span out of the county council in 2019.",
        "Read as: yes",
        "> A new care records system and tablets for our carers.",
        "- **Public sector spin-out**: Met. Reason for spin\\_out (met).",
        "- **Repayment**: Met. Reason for repayment (met).",
        "- **Channel:** website",
        "- **Conversation id:** conversation-1",
        "- **Created:** 2026-03-02 10:15 UTC",
        "- **Given:** 2026-03-02 10:14 UTC",
        "- **Privacy notice version:** 2026-01",
        "- **Purpose:** To pass your details to the Social Investment Team so they can contact",
    ],
)
def test_every_field_is_in_the_summary(expected: str) -> None:
    assert expected in _render()


def test_each_criterion_shows_its_status_and_reason() -> None:
    markdown = _render(verdict="borderline", criteria=make_criteria("met", "to_discuss"))

    assert "**Verdict:** Borderline" in markdown
    assert "- **Already launched**: To discuss. Reason for launched (to\\_discuss)." in markdown


def test_missing_optional_details_say_so() -> None:
    markdown = _render(
        contact=make_contact(phone=None, preferred_time=" "), amount=None, purpose=None
    )

    assert "- **Phone:** *not given*" in markdown
    assert "- **Preferred time to call:** *not given*" in markdown
    assert "- **Amount:** *not given*" in markdown
    assert "- **Purpose:** *not given*" in markdown


def test_notes_are_listed_only_when_there_are_some() -> None:
    assert "## Notes" not in _render()
    assert "## Notes\n\n- Asked about the loan term" in _render(
        notes=("Asked about the loan term",)
    )


def test_multi_line_answers_are_quoted_line_by_line() -> None:
    answer = InterviewAnswer("services", "What do you do?", "Home care.\n\nAnd day centres.", "x")

    markdown = _render(answers=(answer,))

    assert "> Home care.\n>\n> And day centres.\n" in markdown


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("[click here](https://evil.example)", "\\[click here\\](https://evil.example)"),
        ("![pixel](https://evil.example/p.png)", "!\\[pixel\\](https://evil.example/p.png)"),
        (
            "**urgent** _now_ `code` ~~gone~~",
            "\\*\\*urgent\\*\\* \\_now\\_ \\`code\\` \\~\\~gone\\~\\~",
        ),
        ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ("<https://evil.example>", "&lt;https://evil.example&gt;"),
        ("Fish &amp; chips", "Fish &amp;amp; chips"),
        ("# Approved", "\\# Approved"),
        ("- item", "\\- item"),
        ("+ item", "\\+ item"),
        ("1. item", "1\\. item"),
        ("12) item", "12\\) item"),
        ("> quote", "&gt; quote"),
        ("---", "\\---"),
        ("a | b", "a \\| b"),
        ("back\\slash", "back\\\\slash"),
        ("    indented code", "indented code"),
        ("We're a well-known C.I.C. (est. 2019)!", "We're a well-known C.I.C. (est. 2019)!"),
        ("bell\x07 and nul\x00", "bell and nul"),
    ],
)
def test_escape_markdown(text: str, escaped: str) -> None:
    assert escape_markdown(text) == escaped


def test_user_text_cannot_add_structure_to_the_summary() -> None:
    hostile = "Evil Ltd](https://evil.example)\n# Approved: pay now\n<img src=x onerror=alert(1)>"
    answer = InterviewAnswer("origin", "How did you start?", hostile, hostile)

    markdown = _render(
        organisation=hostile,
        contact=make_contact(name=hostile),
        answers=(answer,),
        notes=(hostile,),
    )

    headings = [line for line in markdown.splitlines() if line.startswith("#")]
    assert headings[0].startswith("# Lead TSF-2026-000042: Evil Ltd\\](https://evil.example)")
    assert all(line.startswith(("# Lead", "## ")) for line in headings)
    assert "<img" not in markdown
    assert "> \\# Approved: pay now" in markdown


def test_rendered_html_has_no_links_images_or_markup_from_the_enquirer() -> None:
    markdown_module = pytest.importorskip("markdown")
    hostile = "[click](https://evil.example) ![i](https://evil.example/i.png) <b>x</b> *em*"
    answer = InterviewAnswer("origin", "How did you start?", hostile, hostile)

    html = markdown_module.markdown(
        _render(organisation=hostile, purpose=hostile, answers=(answer,), notes=(hostile,))
    )

    assert "<a " not in html
    assert "<img" not in html
    assert "<b>" not in html
    assert "<em>" not in html
    assert "<blockquote>" in html


def test_format_time_is_in_utc() -> None:
    moment = datetime(2026, 6, 1, 9, 30, tzinfo=timezone(timedelta(hours=1)))

    assert format_time(moment) == "2026-06-01 08:30 UTC"
    assert format_time(datetime(2026, 6, 1, 9, 30)) == "2026-06-01 09:30 UTC"


def test_the_summary_ends_with_one_newline() -> None:
    markdown = _render()

    assert markdown.endswith("\n")
    assert not markdown.endswith("\n\n")
