"""Turn a conversation's slots into the lead summary the team receives."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timezone
from typing import Any

from actions.interview import ANSWER_SLOTS, QUESTIONS_BY_SLOT, application_from_slots
from actions.lead_questions import CONSENT_PURPOSE, PRIVACY_NOTICE_VERSION
from actions.questions import SKIPPED, amount_in_pounds, display_answer
from tsf_knowledge.eligibility import CRITERION_TITLES, assess
from tsf_leads.contracts import (
    Consent,
    Contact,
    CriterionOutcome,
    InterviewAnswer,
    LeadSummary,
)
from tsf_leads.summary import score_lead


def _optional(value: Any) -> str | None:
    return None if value in (None, SKIPPED) else str(value)


def build_consent(slots: Mapping[str, Any]) -> Consent:
    """The consent recorded when the user agreed to share their details."""
    given_at = slots.get("consent_given_at")
    moment = datetime.fromisoformat(given_at) if given_at else datetime.now(timezone.utc)
    return Consent(given_at=moment, notice_version=PRIVACY_NOTICE_VERSION, purpose=CONSENT_PURPOSE)


def build_lead_summary(
    slots: Mapping[str, Any], channel: str, conversation_id: str, now: datetime | None = None
) -> LeadSummary:
    """The structured lead: organisation, contact, every answer in the user's words, verdict."""
    own_words: Mapping[str, Any] = slots.get("own_words") or {}
    assessment = assess(application_from_slots(slots))
    criteria = tuple(
        CriterionOutcome(
            criterion=result.criterion,
            title=CRITERION_TITLES[result.criterion],
            status=result.status.value,
            reason=result.reason,
        )
        for result in assessment.results
    )
    answers = tuple(
        InterviewAnswer(
            slot=slot,
            question=QUESTIONS_BY_SLOT[slot].label,
            own_words=str(
                own_words.get(slot) or display_answer(QUESTIONS_BY_SLOT[slot], slots.get(slot))
            ),
            value=display_answer(QUESTIONS_BY_SLOT[slot], slots.get(slot)),
        )
        for slot in ANSWER_SLOTS
    )
    amount = amount_in_pounds(slots.get("amount"))
    verdict = assessment.verdict.value
    priority, score = score_lead(verdict, criteria, amount)
    return LeadSummary(
        organisation=str(slots.get("organisation_name") or "Not given"),
        contact=Contact(
            name=str(slots.get("contact_name") or ""),
            role=str(slots.get("contact_role") or ""),
            email=str(slots.get("contact_email") or ""),
            phone=_optional(slots.get("contact_phone")),
            preferred_time=_optional(slots.get("contact_time")),
        ),
        answers=answers,
        amount=amount,
        purpose=_optional(slots.get("investment_purpose")),
        verdict=verdict,
        criteria=criteria,
        priority=priority,
        score=score,
        channel=channel,
        conversation_id=conversation_id,
        created_at=now or datetime.now(timezone.utc),
    )
