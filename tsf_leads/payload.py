"""A lead summary and its consent as JSON, and back: how a lead is kept in the store."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict
from datetime import datetime, timezone
from typing import Any

from tsf_leads.contracts import (
    Consent,
    Contact,
    CriterionOutcome,
    InterviewAnswer,
    LeadSummary,
)

PAYLOAD_VERSION = 1


def as_utc(moment: datetime) -> datetime:
    """``moment`` in UTC; a naive datetime is taken to be UTC already."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc)


def _time(moment: datetime) -> str:
    return as_utc(moment).isoformat()


def _document(record: Any, format_time: Callable[[datetime], str]) -> dict[str, Any]:
    """A dataclass as plain JSON-ready data: nested records as dicts, tuples as lists,
    times written by ``format_time``."""
    return json.loads(json.dumps(asdict(record), default=format_time))


def summary_document(
    summary: LeadSummary, format_time: Callable[[datetime], str] = _time
) -> dict[str, Any]:
    """The summary's fields as plain JSON-ready data; times written by ``format_time``."""
    return _document(summary, format_time)


def consent_document(
    consent: Consent, format_time: Callable[[datetime], str] = _time
) -> dict[str, Any]:
    """The consent record as plain JSON-ready data."""
    return _document(consent, format_time)


def dump_lead(summary: LeadSummary, consent: Consent) -> str:
    """The summary and consent as a JSON document (versioned, UTC ISO 8601 times)."""
    document = {
        "version": PAYLOAD_VERSION,
        "summary": summary_document(summary),
        "consent": consent_document(consent),
    }
    return json.dumps(document, ensure_ascii=False, sort_keys=True)


def load_lead(text: str) -> tuple[LeadSummary, Consent]:
    """Read back what :func:`dump_lead` wrote.

    Raises:
        ValueError: when the document is not a lead payload this version can read.
    """
    document: dict[str, Any] = json.loads(text)
    if document.get("version") != PAYLOAD_VERSION:
        raise ValueError(f"unsupported lead payload version {document.get('version')!r}")
    raw, raw_consent = document["summary"], document["consent"]
    summary = LeadSummary(
        **{
            **raw,
            "contact": Contact(**raw["contact"]),
            "answers": tuple(InterviewAnswer(**answer) for answer in raw["answers"]),
            "criteria": tuple(CriterionOutcome(**outcome) for outcome in raw["criteria"]),
            "created_at": datetime.fromisoformat(raw["created_at"]),
            "notes": tuple(raw["notes"]),
        }
    )
    consent = Consent(
        **{**raw_consent, "given_at": datetime.fromisoformat(raw_consent["given_at"])}
    )
    return summary, consent
