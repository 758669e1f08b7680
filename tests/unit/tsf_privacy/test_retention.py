"""Purge and erase decide what goes, in the right order, and count what a dry run would do."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime, timedelta

import pytest
from sqlalchemy.exc import OperationalError

from tests.support.leads import NOW, make_consent, make_contact, make_summary
from tsf_insight.store import NO_FACT, InsightStore
from tsf_leads.repository import open_store
from tsf_leads.service import LeadService
from tsf_privacy.retention import StoreUnavailable, erase, purge


class FakeConversations:
    """Conversations as lists of (timestamp, text) events, keyed by sender id."""

    def __init__(self, conversations: dict[str, list[tuple[datetime, str]]]) -> None:
        """Keep the conversations; record what is deleted."""
        self.conversations = conversations
        self.deleted: list[str] = []
        self.fail = False

    def _check(self) -> None:
        if self.fail:
            raise OperationalError("SELECT", {}, Exception("database is down"))

    def inactive_since(self, cutoff: datetime) -> list[str]:
        self._check()
        return sorted(
            sender
            for sender, events in self.conversations.items()
            if max(when for when, _ in events) < cutoff
        )

    def present(self, sender_ids: Sequence[str]) -> list[str]:
        self._check()
        return sorted(set(sender_ids) & set(self.conversations))

    def mentioning(self, text: str) -> list[str]:
        self._check()
        return sorted(
            sender
            for sender, events in self.conversations.items()
            if any(text.lower() in said.lower() for _, said in events)
        )

    def count_events(self, sender_ids: Sequence[str]) -> int:
        self._check()
        return sum(len(self.conversations.get(sender, [])) for sender in set(sender_ids))

    def delete(self, sender_ids: Sequence[str]) -> int:
        self._check()
        count = self.count_events(sender_ids)
        for sender in sender_ids:
            if self.conversations.pop(sender, None) is not None:
                self.deleted.append(sender)
        return count


def days_ago(days: float) -> datetime:
    return NOW - timedelta(days=days)


def add_lead(leads: LeadService, conversation: str, email: str, days_old: float) -> str:
    summary = make_summary(
        conversation_id=conversation,
        contact=make_contact(email=email),
        created_at=days_ago(days_old),
    )
    return leads.submit(summary, make_consent(given_at=days_ago(days_old))).reference


def stored(leads: LeadService) -> set[str]:
    return {record.reference for record in leads.list()}


@pytest.fixture
def leads() -> Iterator[LeadService]:
    """The lead service on a store in memory."""
    store = open_store("sqlite://")
    yield LeadService(store)
    store.dispose()


@pytest.fixture
def conversations() -> FakeConversations:
    return FakeConversations(
        {
            "old": [(days_ago(200), "hello"), (days_ago(120), "bye")],
            "mixed": [(days_ago(200), "hello"), (days_ago(10), "back again")],
            "recent": [(days_ago(1), "hi")],
            "jo-chat": [(days_ago(5), "I am Jo"), (days_ago(5), "jo@example.org")],
            "staff": [(days_ago(3), "what happened to JO@example.org?")],
        }
    )


def test_purge_deletes_conversations_by_their_last_event_and_old_leads(
    conversations: FakeConversations, leads: LeadService
) -> None:
    old_lead = add_lead(leads, "old", "a@example.org", days_old=100)
    add_lead(leads, "recent", "b@example.org", days_old=1)

    report = purge(conversations, leads, timedelta(days=90), timedelta(days=90), clock=lambda: NOW)

    assert conversations.deleted == ["old"]
    assert (report.conversations, report.events, report.leads) == (1, 2, 1)
    assert report.cutoff == days_ago(90)
    assert old_lead not in stored(leads)
    assert len(stored(leads)) == 1


def test_each_kind_of_data_follows_its_own_retention_period(
    conversations: FakeConversations, leads: LeadService
) -> None:
    kept = add_lead(leads, "kept", "a@example.org", days_old=120)
    expired = add_lead(leads, "expired", "b@example.org", days_old=400)

    report = purge(conversations, leads, timedelta(days=90), timedelta(days=365), clock=lambda: NOW)

    assert conversations.deleted == ["old"]  # inactive for 120 days, past the 90
    assert kept in stored(leads)  # 120 days old, inside the 365
    assert expired not in stored(leads)
    assert (report.cutoff, report.lead_cutoff) == (days_ago(90), days_ago(365))


def test_content_gaps_and_feedback_follow_the_conversations_retention_period(
    conversations: FakeConversations, leads: LeadService
) -> None:
    insight = InsightStore.from_url("sqlite://")
    insight.record_gap(NO_FACT, "is there a fee?", None, days_ago(100))
    insight.record_gap(NO_FACT, "any deadline?", None, days_ago(10))
    insight.record_feedback("loan_term", False, "rest", days_ago(95))
    insight.record_feedback("loan_term", True, "rest", days_ago(80))

    dry = purge(
        conversations,
        leads,
        timedelta(days=90),
        timedelta(days=30),
        dry_run=True,
        clock=lambda: NOW,
        insight=insight,
    )
    assert dry.insight_records == 2
    assert len(insight.gaps_since(days_ago(1000))) == 2

    report = purge(
        conversations,
        leads,
        timedelta(days=90),
        timedelta(days=30),
        clock=lambda: NOW,
        insight=insight,
    )

    assert report.insight_records == 2
    assert [gap.question for gap in insight.gaps_since(days_ago(1000))] == ["any deadline?"]
    (left,) = insight.feedback_by_fact(days_ago(1000))
    assert (left.helpful, left.unhelpful) == (1, 0)


def test_purge_in_hours(conversations: FakeConversations, leads: LeadService) -> None:
    report = purge(conversations, None, timedelta(hours=36), timedelta(days=365), clock=lambda: NOW)

    assert sorted(conversations.deleted) == ["jo-chat", "mixed", "old", "staff"]
    assert report.leads == 0


def test_a_dry_run_purge_counts_and_deletes_nothing(
    conversations: FakeConversations, leads: LeadService
) -> None:
    add_lead(leads, "old", "a@example.org", days_old=100)

    report = purge(
        conversations,
        leads,
        timedelta(days=90),
        timedelta(days=90),
        dry_run=True,
        clock=lambda: NOW,
    )

    assert (report.conversations, report.events, report.leads, report.dry_run) == (1, 2, 1, True)
    assert conversations.deleted == []
    assert len(stored(leads)) == 1


def test_purge_without_any_store_yet_deletes_nothing(leads: LeadService) -> None:
    report = purge(None, None, timedelta(days=90), timedelta(days=365), clock=lambda: NOW)

    assert (report.conversations, report.events, report.leads) == (0, 0, 0)


def test_the_period_must_be_positive() -> None:
    with pytest.raises(ValueError, match="positive"):
        purge(None, None, timedelta(0), timedelta(days=365))
    with pytest.raises(ValueError, match="positive"):
        purge(None, None, timedelta(days=90), timedelta(0))


def test_erase_deletes_the_persons_leads_and_their_conversations(
    conversations: FakeConversations, leads: LeadService
) -> None:
    first = add_lead(leads, "jo-chat", "jo@example.org", days_old=5)
    second = add_lead(leads, "mixed", "Jo@Example.org", days_old=10)
    other = add_lead(leads, "recent", "someone@example.org", days_old=1)

    report = erase(conversations, leads, "  JO@example.org ")

    assert report.lead_references == (second, first)  # oldest first
    assert sorted(conversations.deleted) == ["jo-chat", "mixed"]
    assert (report.conversations, report.events) == (2, 4)
    assert report.other_mentions == 1  # the staff conversation, kept
    assert stored(leads) == {other}


def test_erase_can_include_conversations_that_mention_the_address(
    conversations: FakeConversations, leads: LeadService
) -> None:
    add_lead(leads, "jo-chat", "jo@example.org", days_old=5)

    report = erase(conversations, leads, "jo@example.org", include_mentions=True)

    assert sorted(conversations.deleted) == ["jo-chat", "staff"]
    assert (report.conversations, report.other_mentions) == (2, 0)


def test_a_dry_run_erase_counts_and_deletes_nothing(
    conversations: FakeConversations, leads: LeadService
) -> None:
    reference = add_lead(leads, "jo-chat", "jo@example.org", days_old=5)

    report = erase(conversations, leads, "jo@example.org", dry_run=True)

    assert report.lead_references == (reference,)
    assert (report.conversations, report.events, report.dry_run) == (1, 2, True)
    assert conversations.deleted == []
    assert reference in stored(leads)


def test_erasing_an_unknown_person_deletes_nothing(
    conversations: FakeConversations, leads: LeadService
) -> None:
    report = erase(conversations, leads, "nobody@example.org")

    assert (report.leads, report.conversations, report.other_mentions) == (0, 0, 0)
    assert conversations.deleted == []


@pytest.mark.parametrize("email", ["", "   ", "jo", "jo @example.org", "@"])
def test_erase_needs_an_email_address(email: str, leads: LeadService) -> None:
    with pytest.raises(ValueError, match="email address"):
        erase(None, leads, email)


def test_conversations_go_before_leads_so_a_failure_can_be_retried(
    conversations: FakeConversations, leads: LeadService
) -> None:
    reference = add_lead(leads, "jo-chat", "jo@example.org", days_old=5)
    conversations.fail = True

    with pytest.raises(StoreUnavailable, match=r"conversation store is unavailable \("):
        erase(conversations, leads, "jo@example.org")

    assert reference in stored(leads)  # still there, so a second run finds the conversation


def test_a_database_error_names_the_store_and_not_its_message(
    conversations: FakeConversations,
) -> None:
    conversations.fail = True

    with pytest.raises(StoreUnavailable) as caught:
        purge(conversations, None, timedelta(days=1), timedelta(days=365))

    assert str(caught.value) == "the conversation store is unavailable (OperationalError)"
    assert caught.value.store == "conversation store"
