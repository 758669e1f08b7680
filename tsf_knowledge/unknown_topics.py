"""Questions about the fund that its documents do not answer.

The fund's 3 source documents say little about the practical details of borrowing: fees,
security, deadlines, paperwork and so on. When someone asks about one of these, the assistant
should say plainly that the documents don't cover it, name the topic and give the team's phone
number, rather than answer with a neighbouring fact. The curated table of those topics, with
the wording that asks about each, is data (``data/unknown_topics.yml``); this module reads it
and recognises questions about them.

Questions the knowledge base does answer (loan amounts, term, "what is the interest rate", who
can apply, what loans pay for, how to apply, when loans were available...) are deliberately
not matched.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

TOPICS_PATH = Path(__file__).resolve().parent / "data" / "unknown_topics.yml"


@dataclass(frozen=True)
class UnknownTopic:
    """A topic the fund's documents do not cover.

    Attributes:
        key: Stable identifier, such as ``"fees"``.
        name: Plain-English name that reads well after "don't say anything about".
        note: Optional sentence on what the documents do say nearby, or "".
        related_fact: Id of the fact in ``facts.yml`` whose examples include questions on
            this topic (its answer is the nearest the documents come), or "".
    """

    key: str
    name: str
    note: str = ""
    related_fact: str = ""


@dataclass(frozen=True)
class _Rule:
    topic: UnknownTopic
    patterns: re.Pattern[str] | None
    """Match only when the text is about the fund, a loan, applying or "we"."""
    standalone: re.Pattern[str] | None
    """Specific to loans: match without other context."""
    exclude: re.Pattern[str] | None
    """Never match when this matches (a covered question in similar words)."""


def _any(patterns: list[str], fragments: Mapping[str, str]) -> re.Pattern[str] | None:
    """One pattern matching any of ``patterns``, each ``{NAME}`` replaced by its fragment."""
    if not patterns:
        return None
    expanded = (_FRAGMENT.sub(lambda name: fragments[name[1]], pattern) for pattern in patterns)
    return re.compile("|".join(f"(?:{pattern})" for pattern in expanded))


_FRAGMENT = re.compile(r"\{([A-Z_]+)\}")


@cache
def _rules() -> tuple[_Rule, ...]:
    """The topic table of ``data/unknown_topics.yml``, compiled once, in priority order."""
    data = yaml.safe_load(TOPICS_PATH.read_text(encoding="utf-8"))
    fragments = data["fragments"]
    return tuple(
        _Rule(
            UnknownTopic(
                entry["key"], entry["name"], entry.get("note", ""), entry.get("related_fact", "")
            ),
            *(
                _any(entry.get(kind, []), fragments)
                for kind in ("patterns", "standalone", "exclude")
            ),
        )
        for entry in data["topics"]
    )


def unknown_topics() -> tuple[UnknownTopic, ...]:
    """Every topic the fund's documents don't cover, in matching priority order."""
    return tuple(rule.topic for rule in _rules())


# --- Is the question about this fund? --------------------------------------------------------

_STRONG_CONTEXT = re.compile(
    r"\b(?:tsf|t s f|(?:the )?(?:tech(?:nology)?|technolgy) spin ?outs? fund|spin ?outs? fund|"
    r"(?:the|this|your|ur) (?:fund|scheme|programme|program|loan scheme)|local partnerships?|"
    r"social investment team)\b"
)
_CONTEXT = re.compile(
    r"\b(?:loans?|lones?|lend\w*|lender|borrow\w*|appl(?:y|ies|ied|ying|ication|ications|icant|"
    r"icants)|aplication\w*|applicaton\w*|bids?|fund|funds|funding|funded|finance|investment|"
    r"investors?|spin ?outs?|spinouts?|repay\w*|repayments?|qualif\w*|eligib\w*|"
    r"we|we'?re|we'?ve|we'?d|we'?ll|us|"
    r"our|ours|you|your|yours|u|ur)\b"
)
_OFF_TOPIC = re.compile(
    r"\b(?:mortgages?|passports?|driving licen[cs]es?|credit cards?|debit cards?|car loans?|"
    r"car finance|student loans?|personal loans?|payday loans?|bank accounts?|savings|isas?|"
    r"overdrafts?|pensions?|council tax|parking|gym|visas?|tv licen[cs]e|phone (?:bills?|"
    r"contracts?)|broadband|rent|landlords?|tenants?|wedding|flights?|hotels?|restaurants?|"
    r"tax returns?|self assessment|my (?:son|daughter|kids?|children|child|wife|husband|"
    r"partner|family|friend|dog|cat|car|house|home|flat|phone|personal)|holiday (?:booking|"
    r"let|cottage)|netflix|amazon|ebay|spotify|uber|football|weather|recipe)\b"
)
_OWN_FUND = re.compile(r"\b(?:tsf|spin ?outs? fund|local partnerships?|social investment team)\b")


def _normalise(text: str) -> str:
    """Lower-case ``text`` with quotes unified, most punctuation spaced out and spaces collapsed."""
    text = text.lower()
    text = re.sub(r"[\u2018\u2019\u201b`´]", "'", text)
    text = text.replace("&", " and ")
    text = re.sub(r"(?<=\d)\s*%", "%", text)
    text = re.sub(r"[^a-z0-9£$%'\s]", " ", text)
    text = re.sub(r"(?<![a-z])'|'(?![a-z])", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def find_unknown_topic(text: str, about_the_fund: bool = False) -> UnknownTopic | None:
    """The uncovered topic ``text`` asks about, if any.

    A topic counts only when the text is about this fund or applying (it names the fund, or
    has a word such as loan, apply, borrow, fund, we or you), or when the matching wording is
    specific to loans ("early repayment", "personal guarantee"). Off-topic questions in similar
    words ("what's the fee for a passport", "interest rate on my mortgage") and questions the
    knowledge base answers ("what is the interest rate", "how do we apply") give None.

    Args:
        text: One question, ideally one clause of a message.
        about_the_fund: The conversation already makes it a question about the fund (the
            classifier took it for an enquiry), so no fund word is needed in ``text``.

    Returns:
        The first matching topic in priority order, or None.
    """
    normalised = _normalise(text)
    if not normalised:
        return None
    if _OFF_TOPIC.search(normalised) and not _OWN_FUND.search(normalised):
        return None
    in_context = about_the_fund or bool(
        _STRONG_CONTEXT.search(normalised) or _CONTEXT.search(normalised)
    )
    for rule in _rules():
        if rule.exclude and rule.exclude.search(normalised):
            continue
        if rule.standalone and rule.standalone.search(normalised):
            return rule.topic
        if in_context and rule.patterns and rule.patterns.search(normalised):
            return rule.topic
    return None


def unknown_topic_reply(topic: UnknownTopic, phone: str) -> str:
    """The reply for a question on ``topic``: 2 or 3 short sentences.

    Names the topic, says the fund's documents don't cover it (adding what they do say nearby,
    if anything) and gives the Social Investment Team's number.

    Args:
        topic: The topic asked about.
        phone: The team's phone number, such as ``fund_terms.TEAM_PHONE``.

    Returns:
        For example "The fund's documents don't say anything about fees or charges for a loan.
        The Local Partnerships Social Investment Team can tell you: call 020 7187 7379."
    """
    sentences = [f"The fund's documents don't say anything about {topic.name}."]
    if topic.note:
        sentences.append(topic.note)
    sentences.append(f"The Local Partnerships Social Investment Team can tell you: call {phone}.")
    return " ".join(sentences)


_LOAN_WORDS = re.compile(
    r"\b(?:loans?|lones?|lend\w*|borrow\w*|appl(?:y|ies|ied|ying|ication|ications)|"
    r"repay\w*|spin ?outs?|spinouts?|eligib\w*|elegib\w*|qualify)\b"
)


# Words of the fund's documents that questions about other things seldom use. General
# health and care words are not among them: people ask about the NHS for many reasons.
_DOMAIN_WORDS = re.compile(
    r"£|\b(?:funds?|funding|funded|minimum|maximum|covered|social enterprises?|mutuals?"
    r"|big society capital|bsc|department of health|seif|hospice|cabinet office)\b"
)


def speaks_of_the_domain(text: str) -> bool:
    """Whether ``text`` mentions the fund, borrowing or applying, or the documents' own
    subjects: a weaker sign than :func:`mentions_the_fund`, used to judge how much of a
    question must be the facts' own words."""
    return mentions_the_fund(text) or bool(_DOMAIN_WORDS.search(_normalise(text)))


def mentions_the_fund(text: str) -> bool:
    """Whether ``text`` is about this fund, borrowing from it or applying to it.

    Stricter than the context a topic needs: "we" or "you" alone is not enough, and
    borrowing for a mortgage, a car or a student loan is not about the fund.
    """
    normalised = _normalise(text)
    if _OFF_TOPIC.search(normalised) and not _OWN_FUND.search(normalised):
        return False
    return bool(_STRONG_CONTEXT.search(normalised) or _LOAN_WORDS.search(normalised))
