"""A lead summary and its consent as JSON, and back: how a lead is kept in the store."""

from __future__ import annotations

import json
from collections.abc import Callable
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


def summary_document(
    summary: LeadSummary, format_time: Callable[[datetime], str] = _time
) -> dict[str, Any]:
    """The summary's fields as plain JSON-ready data; times written by ``format_time``."""
    contact = summary.contact
    return {
        "organisation": summary.organisation,
        "contact": {
            "name": contact.name,
            "role": contact.role,
            "email": contact.email,
            "phone": contact.phone,
            "preferred_time": contact.preferred_time,
        },
        "answers": [
            {
                "slot": answer.slot,
                "question": answer.question,
                "own_words": answer.own_words,
                "value": answer.value,
            }
            for answer in summary.answers
        ],
        "amount": summary.amount,
        "purpose": summary.purpose,
        "verdict": summary.verdict,
        "criteria": [
            {
                "criterion": outcome.criterion,
                "title": outcome.title,
                "status": outcome.status,
                "reason": outcome.reason,
            }
            for outcome in summary.criteria
        ],
        "priority": summary.priority,
        "score": summary.score,
        "channel": summary.channel,
        "conversation_id": summary.conversation_id,
        "created_at": format_time(summary.created_at),
        "notes": list(summary.notes),
    }


def consent_document(
    consent: Consent, format_time: Callable[[datetime], str] = _time
) -> dict[str, Any]:
    """The consent record as plain JSON-ready data."""
    return {
        "given_at": format_time(consent.given_at),
        "notice_version": consent.notice_version,
        "purpose": consent.purpose,
    }


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
        organisation=raw["organisation"],
        contact=Contact(**raw["contact"]),
        answers=tuple(InterviewAnswer(**answer) for answer in raw["answers"]),
        amount=raw["amount"],
        purpose=raw["purpose"],
        verdict=raw["verdict"],
        criteria=tuple(CriterionOutcome(**outcome) for outcome in raw["criteria"]),
        priority=raw["priority"],
        score=raw["score"],
        channel=raw["channel"],
        conversation_id=raw["conversation_id"],
        created_at=datetime.fromisoformat(raw["created_at"]),
        notes=tuple(raw["notes"]),
    )
    consent = Consent(
        given_at=datetime.fromisoformat(raw_consent["given_at"]),
        notice_version=raw_consent["notice_version"],
        purpose=raw_consent["purpose"],
    )
    return summary, consent
