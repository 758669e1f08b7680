"""A copy of everything held about one person (UK GDPR right of access).

:func:`subject_access` gathers, for an email address: the leads made with it (the summary
as sent, the consent given, each destination's delivery history) and the conversations
those leads came from or that mention the address (every stored event). It changes
nothing; ``tsf-privacy export --email X`` writes it as JSON.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from tsf_leads.clock import utc_now
from tsf_leads.crm.mapping import iso_utc
from tsf_leads.payload import consent_document, summary_document
from tsf_leads.repository import Delivery
from tsf_leads.service import LeadService
from tsf_privacy.retention import Conversations, clean_email


def _delivery(delivery: Delivery) -> dict[str, Any]:
    return {
        "destination": delivery.destination,
        "status": delivery.status,
        "attempts": delivery.attempts,
        "sent_at": iso_utc(delivery.sent_at) if delivery.sent_at else None,
        "external_id": delivery.external_id,
    }


def subject_access(
    conversations: Conversations | None,
    leads: LeadService | None,
    email: str,
    clock: Callable[[], datetime] = utc_now,
) -> dict[str, Any]:
    """Everything held about the person with ``email``, as JSON-ready data."""
    email = clean_email(email)
    lead_documents: list[dict[str, Any]] = []
    sources: list[str] = []
    if leads is not None:
        for record in leads.of_email(email):
            sources.append(record.lead.summary.conversation_id)
            lead_documents.append(
                {
                    "reference": record.reference,
                    "status": record.status,
                    "created_at": iso_utc(record.created_at),
                    "summary": summary_document(record.lead.summary, iso_utc),
                    "consent": consent_document(record.lead.consent, iso_utc),
                    "deliveries": [_delivery(d) for d in record.deliveries],
                }
            )
    conversation_documents: list[dict[str, Any]] = []
    if conversations is not None:
        wanted = list(dict.fromkeys([*sources, *conversations.mentioning(email)]))
        found = conversations.events_of(wanted)
        conversation_documents = [
            {"conversation_id": sender, "events": found[sender]}
            for sender in wanted
            if sender in found
        ]
    return {
        "email": email,
        "generated_at": iso_utc(clock()),
        "leads": lead_documents,
        "conversations": conversation_documents,
    }
