"""The lead service: submit a lead durably, look leads up, retry, export and delete them."""

from __future__ import annotations

import csv
import hashlib
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from operator import attrgetter
from typing import TextIO

from sqlalchemy.exc import IntegrityError

from tsf_leads.clock import Clock, utc_now
from tsf_leads.contracts import Consent, LeadSummary, StoredLead, TeamStatus
from tsf_leads.destinations import configured_destinations
from tsf_leads.payload import as_utc
from tsf_leads.repository import LeadRecord, LeadStore, StatusChangeRow, open_store
from tsf_leads.settings import LeadSettings, load_settings
from tsf_leads.summary import render_markdown
from tsf_leads.team_status import check_move, clean_change

logger = logging.getLogger(__name__)

REFERENCE_PATTERN = re.compile(r"^TSF-(\d{4})-(\d{6,})$")
MAX_DESTINATION_LENGTH = 64
# Each CSV column but the last ("deliveries") and where its value is in a LeadRecord.
CSV_FIELDS = {
    "reference": "reference",
    "created_at": "lead.summary.created_at",
    "organisation": "lead.summary.organisation",
    "verdict": "lead.summary.verdict",
    "priority": "lead.summary.priority",
    "score": "lead.summary.score",
    "amount": "lead.summary.amount",
    "purpose": "lead.summary.purpose",
    "contact_name": "lead.summary.contact.name",
    "contact_role": "lead.summary.contact.role",
    "contact_email": "lead.summary.contact.email",
    "contact_phone": "lead.summary.contact.phone",
    "preferred_time": "lead.summary.contact.preferred_time",
    "channel": "lead.summary.channel",
    "conversation_id": "lead.summary.conversation_id",
    "consent_given_at": "lead.consent.given_at",
    "consent_notice_version": "lead.consent.notice_version",
    "consent_purpose": "lead.consent.purpose",
    "status": "status",
}
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class LeadNotFound(LookupError):
    """No lead has this reference."""


@dataclass(frozen=True)
class StatusChange:
    """What :meth:`LeadService.set_team_status` did.

    Attributes:
        changed: Whether the status changed now (``False`` for a repeated interaction, or a
            status the lead already had: nothing was stored or queued).
        lead: The lead as stored afterwards, with its team status (``lead.team``).
        queued: How many CRM status jobs were queued (0 when nothing changed).
    """

    changed: bool
    lead: LeadRecord
    queued: int = 0


class InvalidReference(ValueError):
    """The text is not a lead reference like ``TSF-2026-000123``."""


def format_reference(year: int, sequence: int) -> str:
    """``TSF-<year>-<sequence>``, the sequence zero-padded to six digits."""
    if not 1 <= year <= 9999 or sequence < 1:
        raise ValueError(f"no reference for year {year}, sequence {sequence}")
    return f"TSF-{year:04d}-{sequence:06d}"


def parse_reference(text: str) -> tuple[int, int]:
    """The year and sequence of a reference (case and surrounding space are forgiven).

    Raises:
        InvalidReference: when ``text`` is not a reference.
    """
    match = REFERENCE_PATTERN.match(text.strip().upper())
    if match is None:
        raise InvalidReference(
            f"{text.strip()!r} is not a lead reference (they look like TSF-2026-000123)"
        )
    return int(match.group(1)), int(match.group(2))


def normalise_reference(text: str) -> str:
    """The canonical form of a reference typed by a person."""
    year, sequence = parse_reference(text)
    return format_reference(year, sequence)


def email_hash(email: str) -> str:
    """A stable key for an email address (trimmed, case-folded, SHA-256)."""
    return hashlib.sha256(email.strip().casefold().encode("utf-8")).hexdigest()


def _clean_destinations(destinations: Sequence[str]) -> list[str]:
    cleaned = []
    for destination in destinations:
        name = destination.strip()
        if not name or len(name) > MAX_DESTINATION_LENGTH:
            raise ValueError(f"bad destination name {destination!r}")
        cleaned.append(name)
    return list(dict.fromkeys(cleaned))


def _cell(value: object) -> str:
    """A CSV cell that spreadsheets will not run as a formula."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(_FORMULA_START) else text


def _csv_row(record: LeadRecord) -> list[str]:
    values = [attrgetter(path)(record) for path in CSV_FIELDS.values()]
    deliveries = "; ".join(f"{item.destination}={item.status}" for item in record.deliveries)
    return [
        _cell(value.isoformat() if isinstance(value, datetime) else value)
        for value in (*values, deliveries)
    ]


@dataclass(frozen=True)
class LeadService:
    """Leads in one store, each new one queued for the same destinations.

    Args:
        store: The lead store.
        destinations: Where the worker delivers a new lead, e.g. ``["crm:hubspot",
            "notify:slack"]``; empty keeps leads in the local store only.
        clock: Returns the current UTC time.
    """

    store: LeadStore
    destinations: Sequence[str] = ()
    clock: Clock = utc_now

    @classmethod
    def from_settings(cls, settings: LeadSettings | None = None) -> LeadService:
        """The store named by ``TSF_LEADS_DB_URL`` (opened and migrated), with the
        destinations the settings configure."""
        settings = settings or load_settings()
        return cls(open_store(settings.db_url), configured_destinations(settings))

    def submit(self, summary: LeadSummary, consent: Consent) -> StoredLead:
        """Store a warm lead and queue it for every destination, in one transaction.

        When this returns, the lead and one outbox row per destination are committed: the
        assistant may confirm to the enquirer. Submitting again for the same conversation
        and contact email returns the lead already stored instead of a duplicate.

        Returns:
            The stored lead, with its reference and markdown summary.

        Raises:
            ValueError: for an empty or too long destination name.
        """
        targets = _clean_destinations(self.destinations)
        key = email_hash(summary.contact.email)
        summary = replace(summary, created_at=as_utc(summary.created_at))
        consent = replace(consent, given_at=as_utc(consent.given_at))
        try:
            with self.store.transaction() as leads:
                existing = leads.find_for_conversation(summary.conversation_id, key)
                if existing is not None:
                    logger.info(
                        "Lead %s was already stored for this conversation", existing.reference
                    )
                    return existing
                year = summary.created_at.year
                sequence = leads.next_sequence(year)
                reference = format_reference(year, sequence)
                draft = StoredLead(
                    reference=reference, summary=summary, consent=consent, markdown=""
                )
                lead = replace(draft, markdown=render_markdown(draft))
                leads.add(
                    lead,
                    year=year,
                    sequence=sequence,
                    email_hash=key,
                    destinations=targets,
                    now=self.clock(),
                )
        except IntegrityError:
            with self.store.transaction() as leads:
                existing = leads.find_for_conversation(summary.conversation_id, key)
            if existing is None:
                raise
            logger.info("Lead %s was stored concurrently for this conversation", existing.reference)
            return existing
        logger.info("Stored lead %s for %d destination(s)", reference, len(targets))
        return lead

    def list(self, limit: int | None = None) -> list[LeadRecord]:
        """Leads with their delivery state, newest first."""
        with self.store.transaction() as leads:
            return leads.list(limit)

    def get(self, reference: str) -> LeadRecord:
        """The lead with this reference and its deliveries.

        Raises:
            InvalidReference: when ``reference`` is not a reference.
            LeadNotFound: when there is no such lead.
        """
        canonical = normalise_reference(reference)
        with self.store.transaction() as leads:
            record = leads.get(canonical)
        if record is None:
            raise LeadNotFound(f"there is no lead {canonical}")
        return record

    def retry(self, reference: str) -> int:
        """Queue the lead's dead-lettered deliveries again, due now, with fresh attempts.

        Returns:
            How many deliveries were queued again (0 when none was dead).

        Raises:
            InvalidReference: when ``reference`` is not a reference.
            LeadNotFound: when there is no such lead.
        """
        canonical = normalise_reference(reference)
        with self.store.transaction() as leads:
            if leads.get(canonical) is None:
                raise LeadNotFound(f"there is no lead {canonical}")
            count = leads.requeue_dead(canonical, self.clock())
        logger.info("Requeued %d dead delivery(ies) of lead %s", count, canonical)
        return count

    def set_team_status(
        self,
        reference: str,
        status: str,
        staff_id: str,
        staff_name: str,
        reason: str | None = None,
        interaction_id: str | None = None,
    ) -> StatusChange:
        """Record what the team did with a lead and queue the change for the CRM, at once.

        The lead's team status, a history row and one outbox job per CRM destination are
        written in one transaction. Idempotent: the same ``interaction_id`` again, or the
        status the lead already has, changes and queues nothing (``changed`` is ``False``).
        Allowed moves are listed in :mod:`tsf_leads.team_status`.

        Args:
            reference: The lead reference (case and spaces forgiven).
            status: ``claimed``, ``contacted`` or ``not_a_fit``.
            staff_id: A stable id of the staff member (Slack user id, Teams AAD object id).
            staff_name: Their display name.
            reason: Why the lead is not a fit (required for ``not_a_fit``); a note otherwise.
            interaction_id: The button press or form submission this comes from, so that a
                platform's retry of it is recognised.

        Raises:
            InvalidReference: when ``reference`` is not a reference.
            LeadNotFound: when there is no such lead.
            InvalidTeamStatus: for an unknown status, no staff member, or a missing or too
                long reason.
            TransitionNotAllowed: when the lead's current status does not allow this one
                (its ``current`` attribute says which it has).
        """
        canonical = normalise_reference(reference)
        status, staff_id, staff_name, reason, interaction_id = clean_change(
            status, staff_id, staff_name, reason, interaction_id
        )
        try:
            return self._set_team_status(
                canonical, status, staff_id, staff_name, reason, interaction_id
            )
        except IntegrityError:  # the same interaction, recorded concurrently
            if interaction_id is None:
                raise
            logger.info("Status change of lead %s was recorded concurrently", canonical)
            return StatusChange(False, self.get(canonical))

    def _set_team_status(
        self,
        reference: str,
        status: str,
        staff_id: str,
        staff_name: str,
        reason: str | None,
        interaction_id: str | None,
    ) -> StatusChange:
        with self.store.transaction() as leads:
            row = leads.lead_for_update(reference)
            if row is None:
                raise LeadNotFound(f"there is no lead {reference}")
            current = row.team_status
            repeated = interaction_id is not None and leads.change_for_interaction(
                row.id, interaction_id
            )
            if repeated or current == status:
                record = leads.get(reference)
                assert record is not None
                return StatusChange(False, record)
            check_move(current, status, reference)
            team = TeamStatus(status, staff_id, staff_name, as_utc(self.clock()), reason)
            queued = leads.record_status_change(
                row.id, reference, team, current, interaction_id, self.clock()
            )
            record = leads.get(reference)
            assert record is not None
        logger.info(
            "Lead %s marked %s (was %s); %d CRM job(s) queued",
            reference,
            status,
            current or "new",
            queued,
        )
        return StatusChange(True, record, queued)

    def status_history(self, reference: str) -> list[StatusChangeRow]:
        """The lead's team status changes, oldest first.

        Raises:
            InvalidReference: when ``reference`` is not a reference.
            LeadNotFound: when there is no such lead.
        """
        canonical = normalise_reference(reference)
        with self.store.transaction() as leads:
            if leads.get(canonical) is None:
                raise LeadNotFound(f"there is no lead {canonical}")
            return leads.status_history(canonical)

    def export_csv(self, out: TextIO) -> int:
        """Write every lead as CSV (a header row, then newest first).

        Cells that a spreadsheet would read as a formula are prefixed with ``'``.

        Returns:
            How many leads were written.
        """
        records = self.list()
        writer = csv.writer(out)
        writer.writerow([*CSV_FIELDS, "deliveries"])
        for record in records:
            writer.writerow(_csv_row(record))
        return len(records)

    def of_email(self, email: str) -> list[LeadRecord]:
        """The leads from this contact email (trimmed, any case), oldest first."""
        with self.store.transaction() as leads:
            return leads.for_email(email_hash(email))

    def purge_created_before(self, cutoff: datetime, *, dry_run: bool = False) -> list[str]:
        """Delete the leads created before ``cutoff``, with their deliveries.

        Returns:
            The references deleted (or, in a dry run, that would be), oldest first.
        """
        with self.store.transaction() as leads:
            references = leads.references_created_before(cutoff)
            if not dry_run:
                leads.delete(references)
                logger.info("Purged %d lead(s) past their retention period", len(references))
        return references

    def erase_by_email(self, email: str) -> list[str]:
        """Delete every lead from this contact email (a right-to-erasure request).

        Copies already delivered to a CRM are not touched: erase those there, by reference.

        Returns:
            The references deleted, oldest first.
        """
        if not email.strip():
            raise ValueError("an email address is needed")
        with self.store.transaction() as leads:
            references = [record.reference for record in leads.for_email(email_hash(email))]
            leads.delete(references)
        logger.info("Erased %d lead(s) on request", len(references))
        return references
