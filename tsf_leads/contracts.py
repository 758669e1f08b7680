"""The shapes shared by the lead store, the delivery worker and the CRM adapters.

Plain data and a port: no database, HTTP or Rasa here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol


@dataclass(frozen=True)
class Contact:
    """The person to contact, as they gave their details."""

    name: str
    role: str
    email: str
    phone: str | None = None
    preferred_time: str | None = None


@dataclass(frozen=True)
class Consent:
    """Explicit consent to pass the details to the Social Investment Team."""

    given_at: datetime
    notice_version: str
    purpose: str


@dataclass(frozen=True)
class InterviewAnswer:
    """One interview answer: the question, the enquirer's own words and how we read them."""

    slot: str
    question: str
    own_words: str
    value: str


@dataclass(frozen=True)
class CriterionOutcome:
    """One eligibility criterion's status and the plain-English reason."""

    criterion: str
    title: str
    status: str  # "met" | "not_met" | "to_discuss"
    reason: str


@dataclass(frozen=True)
class LeadSummary:
    """Everything the team needs about a warm lead (not yet stored: no reference)."""

    organisation: str
    contact: Contact
    answers: tuple[InterviewAnswer, ...]
    amount: int | None
    purpose: str | None
    verdict: str  # "eligible" | "borderline"
    criteria: tuple[CriterionOutcome, ...]
    priority: str  # "high" | "medium" | "low"
    score: int  # 0-100
    channel: str
    conversation_id: str
    created_at: datetime
    notes: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class StoredLead:
    """A lead as stored: its summary, its reference (e.g. TSF-2026-000123) and consent."""

    reference: str
    summary: LeadSummary
    consent: Consent
    markdown: str


@dataclass(frozen=True)
class DeliveryReceipt:
    """What the CRM said when it accepted a lead."""

    crm: str
    external_id: str | None
    status_code: int


class CrmError(Exception):
    """A lead could not be delivered."""


class CrmUnavailable(CrmError):
    """Temporary failure (network, 408, 409 in flight, 429, 5xx): try again later."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        """Keep the server's Retry-After (seconds), if it sent one."""
        super().__init__(message)
        self.retry_after = retry_after


class CrmRejected(CrmError):
    """Permanent failure (a 4xx other than 408/409/429): do not retry; dead-letter it."""

    def __init__(self, message: str, status_code: int | None = None) -> None:
        """Keep the status code with the reason."""
        super().__init__(message)
        self.status_code = status_code


class CrmAuthError(CrmRejected):
    """The CRM refused our credentials (401/403 after one token refresh)."""


class CrmAdapter(Protocol):
    """The port every CRM adapter implements."""

    name: str

    def deliver(self, lead: StoredLead, idempotency_key: str) -> DeliveryReceipt:
        """Create or update the lead in the CRM; raise a ``CrmError`` on failure.

        Must be idempotent for the same ``idempotency_key`` (the lead reference).
        """
        ...


@dataclass(frozen=True)
class MessageSection:
    """One part of a message to the team: a heading and its lines; a ``fixed_width`` part
    (a table) is shown in a monospace font."""

    heading: str
    lines: tuple[str, ...]
    fixed_width: bool = False


@dataclass(frozen=True)
class TeamMessage:
    """A message to the team that is not about one lead (e.g. the weekly digest); every
    line is plain text, never markup, whoever wrote it."""

    title: str
    sections: tuple[MessageSection, ...]
    key: str  # identifies the message, e.g. ``digest-2026-11-23`` (an email's Message-ID)

    def plain_text(self) -> str:
        """The message as plain text: the title, then each heading and its lines."""
        parts = [self.title, "=" * len(self.title)]
        for section in self.sections:
            parts += ["", section.heading, "-" * len(section.heading), *section.lines]
        return "\n".join(parts) + "\n"


@dataclass(frozen=True)
class Alert:
    """Something the team must look at: a lead's delivery was dead-lettered (``dead_letter``),
    or a destination has been failing for too long (``failing``).

    It names the lead by its reference only; ``reason`` is the kind of error and its status
    code, never the destination's message (which may quote the person's details). The
    notifiers send it as a :class:`TeamMessage` (:meth:`message`).
    """

    kind: str
    reference: str
    destination: str
    reason: str
    created_at: datetime

    @property
    def title(self) -> str:
        """One line: what happened, to which lead and destination."""
        if self.kind == "failing":
            return f"{self.destination} keeps failing (lead {self.reference} is waiting)"
        return f"Lead {self.reference} could not be delivered to {self.destination}"

    def message(self) -> TeamMessage:
        """The alert as a message to the team: the title, the reason and what to do; its
        key (an email's Message-ID) is the same on every retry."""
        return TeamMessage(
            title=f"Alert: {self.title}",
            sections=(
                MessageSection("Reason", (self.reason,)),
                MessageSection(
                    "What to do",
                    (
                        f"See tsf-leads show {self.reference}; once the cause is fixed, "
                        f"tsf-leads retry {self.reference} sends a dead-lettered lead again.",
                    ),
                ),
            ),
            key=f"alert.{self.kind}.{self.reference}.{int(self.created_at.timestamp())}",
        )


class Notifier(Protocol):
    """Tells the team about a new lead (Slack, Teams, email); failures never lose the lead."""

    name: str

    def notify(self, lead: StoredLead) -> None:
        """Send the notification; raise ``CrmUnavailable``/``CrmRejected`` on failure."""
        ...

    def send_message(self, message: TeamMessage) -> None:
        """Send a message that is not about one lead; the same failures as :meth:`notify`."""
        ...


@dataclass(frozen=True)
class TeamStatus:
    """What the Social Investment Team did with a lead, who did it and when.

    ``status`` is ``"claimed"``, ``"contacted"`` or ``"not_a_fit"`` (see
    :mod:`tsf_leads.team_status`); ``staff_id`` is stable (a Slack user id, a Teams AAD
    object id, ``cli:<name>``), ``staff_name`` is for display.
    """

    status: str
    staff_id: str
    staff_name: str
    changed_at: datetime
    reason: str | None = None


@dataclass(frozen=True)
class StatusUpdate:
    """A team status change to pass on to a CRM, after the lead itself reached it.

    ``crm_record_id`` is the id the CRM gave the lead's first delivery (a HubSpot contact,
    a Salesforce Lead, a Dataverse lead row), ``None`` when it gave none.
    """

    reference: str
    team: TeamStatus
    previous_status: str | None
    crm_record_id: str | None


class StatusSink(Protocol):
    """A CRM adapter that can also take team status changes (all shipped adapters can)."""

    name: str

    def update_status(self, update: StatusUpdate, idempotency_key: str) -> DeliveryReceipt:
        """Pass the change on; raise a ``CrmError`` on failure. Idempotent per key."""
        ...
