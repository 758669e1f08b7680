"""The lead summary the Social Investment Team reads, and how a lead is prioritised.

Plain functions over the contract types: no database, HTTP or Rasa here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import datetime

from tsf_knowledge.amounts import AmountFit, assess_amount, format_pounds
from tsf_leads.contracts import CriterionOutcome, InterviewAnswer, StoredLead
from tsf_leads.payload import as_utc

STATUS_LABELS = {"met": "Met", "not_met": "Not met", "to_discuss": "To discuss"}
VERDICT_LABELS = {"eligible": "Eligible", "borderline": "Borderline"}
NOT_GIVEN = "not given"

# HTML's own characters become entities (understood by CommonMark, Python-Markdown and
# Slack alike); the other characters with inline meaning in CommonMark/GFM (emphasis, code,
# links and images, tables, strikethrough) are backslash-escaped wherever they appear.
# With brackets escaped, "(", ")" and "!" cannot form a link or an image.
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_INLINE_SPECIALS = frozenset("\\`*_[]|~")
# Characters that only mean something at the start of a line (headings, lists, setext
# underlines); escaped there.
_LINE_START_SPECIALS = frozenset("#+-=")
_ORDERED_LIST_START = re.compile(r"^(\d+)([.)])")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def escape_markdown(text: str) -> str:
    """Escape text so that it renders literally: no formatting, links, images or HTML.

    Args:
        text: Text from outside, possibly several lines.

    Returns:
        The text line by line: ``&``, ``<`` and ``>`` as HTML entities, other characters
        with markdown meaning backslash-escaped, and surrounding spaces dropped (so no line
        becomes a code block) along with control characters.
    """
    lines = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n")).split("\n")
    return "\n".join(_escape_line(line) for line in lines)


def _escape_line(line: str) -> str:
    line = line.strip()
    escaped = "".join(
        _ENTITIES.get(char) or (f"\\{char}" if char in _INLINE_SPECIALS else char) for char in line
    )
    if escaped[:1] in _LINE_START_SPECIALS:
        return f"\\{escaped}"
    return _ORDERED_LIST_START.sub(r"\1\\\2", escaped)


def _inline(text: str | None) -> str:
    """One escaped line, or ``not given`` for missing or blank text."""
    if text is None or not text.strip():
        return f"*{NOT_GIVEN}*"
    return escape_markdown(" ".join(text.split()))


def _blockquote(text: str) -> str:
    lines = escape_markdown(text).split("\n")
    while lines and not lines[-1]:
        lines.pop()
    if not any(lines):
        return f"> *{NOT_GIVEN}*"
    return "\n".join(f"> {line}".rstrip() for line in lines)


def format_time(moment: datetime) -> str:
    """A moment as ``2026-03-01 10:15 UTC`` (naive times are taken to be UTC)."""
    return as_utc(moment).strftime("%Y-%m-%d %H:%M UTC")


def _answer_block(answer: InterviewAnswer) -> str:
    return "\n".join(
        [
            f"**{_inline(answer.question)}**",
            "",
            _blockquote(answer.own_words),
            "",
            f"Read as: {_inline(answer.value)}",
        ]
    )


def _criterion_line(outcome: CriterionOutcome) -> str:
    status = STATUS_LABELS.get(outcome.status, outcome.status)
    return f"- **{_inline(outcome.title)}**: {_inline(status)}. {_inline(outcome.reason)}"


def _section(title: str, lines: Iterable[str]) -> list[str]:
    return [f"## {title}", "", *lines, ""]


def render_markdown(lead: StoredLead) -> str:
    """The lead as a markdown summary for the Social Investment Team.

    Every piece of text that came from the enquirer (or anywhere outside this module) is
    escaped, so it cannot add formatting, links, images or HTML. Interview answers quote the
    enquirer's own words as a blockquote.

    Args:
        lead: The stored lead, with its reference and consent.

    Returns:
        The summary, ending with a newline.
    """
    summary, contact, consent = lead.summary, lead.summary.contact, lead.consent
    verdict = VERDICT_LABELS.get(summary.verdict, summary.verdict)
    amount = None if summary.amount is None else format_pounds(summary.amount)
    answers = "\n\n".join(_answer_block(answer) for answer in summary.answers)
    parts = [
        f"# Lead {_inline(lead.reference)}: {_inline(summary.organisation)}",
        "",
        f"**Verdict:** {_inline(verdict)} · **Priority:** {_inline(summary.priority)}"
        f" · **Score:** {summary.score}/100",
        "",
        *_section(
            "Contact",
            [
                f"- **Name:** {_inline(contact.name)}",
                f"- **Role:** {_inline(contact.role)}",
                f"- **Email:** {_inline(contact.email)}",
                f"- **Phone:** {_inline(contact.phone)}",
                f"- **Preferred time to call:** {_inline(contact.preferred_time)}",
            ],
        ),
        *_section(
            "What they asked for",
            [
                f"- **Amount:** {_inline(amount)}",
                f"- **Purpose:** {_inline(summary.purpose)}",
            ],
        ),
        *_section("Their answers, in their own words", [answers or "*No answers recorded.*"]),
        *_section(
            "Eligibility",
            [_criterion_line(outcome) for outcome in summary.criteria]
            or ["*No criteria recorded.*"],
        ),
        *_section(
            "Conversation",
            [
                f"- **Channel:** {_inline(summary.channel)}",
                f"- **Conversation id:** {_inline(summary.conversation_id)}",
                f"- **Created:** {format_time(summary.created_at)}",
            ],
        ),
        *_section(
            "Consent",
            [
                f"- **Given:** {format_time(consent.given_at)}",
                f"- **Privacy notice version:** {_inline(consent.notice_version)}",
                f"- **Purpose:** {_inline(consent.purpose)}",
            ],
        ),
    ]
    if summary.notes:
        parts += _section("Notes", [f"- {_inline(note)}" for note in summary.notes])
    return "\n".join(parts).rstrip("\n") + "\n"


# --- Priority and score ---------------------------------------------------------------------

CRITERIA_POINTS = 90
AMOUNT_POINTS = 10


def score_lead(
    verdict: str, criteria: Sequence[CriterionOutcome], amount: int | None
) -> tuple[str, int]:
    """Prioritise a lead for the team.

    The score (0-100) is 90 points shared equally between the criteria (a criterion that is
    met earns its share, one to discuss earns half, one not met earns nothing; no criteria
    earns the full 90) plus 10 points when the amount is known and within the fund's range
    (£250,000 to £1 million).

    The priority is:

    * ``high``: eligible, with every criterion met;
    * ``medium``: otherwise, at most one criterion to discuss and none not met (a
      borderline lead with one open question, or an eligible one with a loose end);
    * ``low``: anything else (two or more to discuss, or a criterion not met).

    Args:
        verdict: ``eligible`` or ``borderline`` (anything else is scored as borderline).
        criteria: The outcome of each criterion.
        amount: The amount asked for in pounds, if known.

    Returns:
        The priority and the score.
    """
    statuses = [outcome.status for outcome in criteria]
    to_discuss = statuses.count("to_discuss")
    not_met = sum(1 for status in statuses if status not in ("met", "to_discuss"))
    if statuses:
        earned = statuses.count("met") + to_discuss / 2
        criteria_points = CRITERIA_POINTS * earned / len(statuses)
    else:
        criteria_points = CRITERIA_POINTS
    in_range = amount is not None and assess_amount(amount) is AmountFit.WITHIN_RANGE
    score = round(criteria_points + (AMOUNT_POINTS if in_range else 0))
    if verdict == "eligible" and not to_discuss and not not_met:
        priority = "high"
    elif to_discuss <= 1 and not not_met:
        priority = "medium"
    else:
        priority = "low"
    return priority, max(0, min(100, score))
