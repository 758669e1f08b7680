"""Purge what is past its retention period; erase one person's data on request.

Both take their stores as parameters: the :class:`Conversations` port (implemented by
``tsf_privacy.conversations.ConversationStore``), or ``None`` when there is no tracker store
yet, and the lead service, or ``None`` when there is no lead store yet; a purge also takes
the team's content gaps and answer feedback (``tsf_insight.store``), kept as long as
conversations. Leads are only ever
deleted through ``tsf_leads.service``. Conversations are deleted before leads: if the
second step fails, running the command again still finds the leads, and through them their
conversations.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from sqlalchemy.exc import SQLAlchemyError

from tsf_insight.store import InsightStore
from tsf_leads.clock import Clock, utc_now
from tsf_leads.service import LeadService

logger = logging.getLogger(__name__)

CONVERSATIONS = "conversation store"
LEADS = "lead store"
INSIGHT = "content-gap store"


class Conversations(Protocol):
    """The conversations of a tracker store, by sender id."""

    def inactive_since(self, cutoff: datetime) -> list[str]:
        """Conversations whose last event is older than ``cutoff``."""
        ...

    def present(self, sender_ids: Sequence[str]) -> list[str]:
        """Those of ``sender_ids`` that have events."""
        ...

    def mentioning(self, text: str) -> list[str]:
        """Conversations whose events contain ``text`` (case-insensitive)."""
        ...

    def count_events(self, sender_ids: Sequence[str]) -> int:
        """How many events these conversations hold."""
        ...

    def events_of(self, sender_ids: Sequence[str]) -> dict[str, list[dict[str, Any]]]:
        """Each conversation's stored events, oldest first."""
        ...

    def delete(self, sender_ids: Sequence[str]) -> int:
        """Delete these conversations' events; how many went."""
        ...


class StoreUnavailable(RuntimeError):
    """A database could not be read or changed; ``store`` says which one."""

    def __init__(self, store: str, error: BaseException) -> None:
        """Keep the store's name and the error's type (its text may hold personal data)."""
        super().__init__(f"the {store} is unavailable ({type(error).__name__})")
        self.store = store


@contextmanager
def _using(store: str) -> Iterator[None]:
    try:
        yield
    except SQLAlchemyError as error:
        raise StoreUnavailable(store, error) from error


@dataclass(frozen=True)
class PurgeReport:
    """What a purge deleted (or, in a dry run, would delete)."""

    cutoff: datetime
    """Conversations inactive since before this went."""
    lead_cutoff: datetime
    """Leads created before this went."""
    conversations: int
    events: int
    leads: int
    dry_run: bool
    insight_records: int = 0
    """Content gaps and answer feedback older than :attr:`cutoff`."""


@dataclass(frozen=True)
class EraseReport:
    """What an erasure deleted (or, in a dry run, would delete)."""

    lead_references: tuple[str, ...]
    conversations: int
    events: int
    dry_run: bool
    other_mentions: int = 0

    @property
    def leads(self) -> int:
        """How many leads."""
        return len(self.lead_references)


def purge(
    conversations: Conversations | None,
    leads: LeadService | None,
    conversations_older_than: timedelta,
    leads_older_than: timedelta,
    *,
    dry_run: bool = False,
    clock: Clock = utc_now,
    insight: InsightStore | None = None,
) -> PurgeReport:
    """Delete what is past its own retention period: conversations whose last event is
    older than ``conversations_older_than``, leads created longer than ``leads_older_than``
    ago (each kind of data has one rule); content gaps and answer feedback follow the
    conversations' rule.

    Args:
        conversations: The tracker store's conversations, or ``None`` if there are none yet.
        leads: The lead service, or ``None`` if there is no lead store yet.
        conversations_older_than: How long conversations are kept.
        leads_older_than: How long leads are kept.
        dry_run: Only count.
        clock: Returns the current UTC time.
        insight: The content gaps and answer feedback, or ``None`` if there are none yet.
    """
    if min(conversations_older_than, leads_older_than) <= timedelta(0):
        raise ValueError("the retention period must be positive")
    now = clock()
    cutoff, lead_cutoff = now - conversations_older_than, now - leads_older_than
    senders: list[str] = []
    event_count = 0
    if conversations is not None:
        with _using(CONVERSATIONS):
            senders = conversations.inactive_since(cutoff)
            event_count = (
                conversations.count_events(senders) if dry_run else conversations.delete(senders)
            )
    lead_count = 0
    if leads is not None:
        with _using(LEADS):
            lead_count = len(leads.purge_created_before(lead_cutoff, dry_run=dry_run))
    insight_count = 0
    if insight is not None:
        with _using(INSIGHT):
            insight_count = (
                insight.count_before(cutoff) if dry_run else insight.delete_before(cutoff)
            )
    logger.info(
        "%s %d conversation(s) (%d event(s)), %d lead(s) and %d content gap and feedback "
        "record(s) past their retention periods",
        "Would purge" if dry_run else "Purged",
        len(senders),
        event_count,
        lead_count,
        insight_count,
    )
    return PurgeReport(
        cutoff=cutoff,
        lead_cutoff=lead_cutoff,
        conversations=len(senders),
        events=event_count,
        leads=lead_count,
        dry_run=dry_run,
        insight_records=insight_count,
    )


def clean_email(email: str) -> str:
    """``email`` without surrounding space.

    Raises:
        ValueError: when it does not look like an email address.
    """
    email = email.strip()
    local, _, domain = email.partition("@")
    if not local or not domain or any(char.isspace() for char in email):
        raise ValueError("give the person's email address, like name@example.org")
    return email


def erase(
    conversations: Conversations | None,
    leads: LeadService | None,
    email: str,
    *,
    dry_run: bool = False,
    include_mentions: bool = False,
) -> EraseReport:
    """Delete one person's leads and the conversations those leads came from.

    Args:
        conversations: The tracker store's conversations, or ``None`` if there are none yet.
        leads: The lead service, or ``None`` if there is no lead store yet.
        email: The person's email address (case and surrounding space do not matter).
        dry_run: Only count.
        include_mentions: Also delete every other conversation in which the address was
            typed (found by searching the stored events); otherwise they are only counted.

    Raises:
        ValueError: when ``email`` is not an email address.
    """
    email = clean_email(email)
    references: list[str] = []
    linked: list[str] = []
    if leads is not None:
        with _using(LEADS):
            records = leads.of_email(email)
        references = [record.reference for record in records]
        linked = list(dict.fromkeys(record.lead.summary.conversation_id for record in records))
    senders: list[str] = []
    mentions: list[str] = []
    event_count = 0
    if conversations is not None:
        with _using(CONVERSATIONS):
            senders = conversations.present(linked)
            mentions = [sid for sid in conversations.mentioning(email) if sid not in senders]
            if include_mentions:
                senders, mentions = senders + mentions, []
            event_count = (
                conversations.count_events(senders) if dry_run else conversations.delete(senders)
            )
    if leads is not None and not dry_run:
        with _using(LEADS):
            references = leads.erase_by_email(email)
    logger.info(
        "%s %d lead(s) and %d conversation(s) (%d event(s)) on request",
        "Would erase" if dry_run else "Erased",
        len(references),
        len(senders),
        event_count,
    )
    return EraseReport(
        lead_references=tuple(references),
        conversations=len(senders),
        events=event_count,
        dry_run=dry_run,
        other_mentions=len(mentions),
    )
