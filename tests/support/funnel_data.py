"""A fortnight of conversations and leads with a funnel counted by hand.

The conversations are written by Rasa 3.6's own ``SQLTrackerStore`` (the event rows as Rasa
stores them), the leads by ``LeadService`` and their deliveries settled by the real
``DeliveryWorker``. The period is the 14 days before :data:`NOW` (Wednesday 25 November
2026, noon UTC): it touches the weeks beginning 9, 16 and 23 November.

Who does what (``old`` and ``late`` fall outside the period):

====== ============================================================================
old    10 Nov: an answered enquiry (before the period)
a1     12 Nov: an answered enquiry; back on 24 Nov with another
a2     12 Nov: a question the assistant asks to rephrase (not answered)
a3     13 Nov: a check, ruled out as not a spin-out
b1     17 Nov: an answer, a check, eligible, consent, a lead that is delivered
b2     18 Nov: a check, borderline, consent, a lead whose delivery is dead-lettered
b3     19 Nov: a check left unfinished
b4     20 Nov: a check, ruled out as not launched; on 24 Nov a new check, eligible
b5     21 Nov: a check ruled out on the amount, corrected, eligible; consent refused
c1     23 Nov: a check, ruled out on the amount
c2     24 Nov: a check, borderline, consent, a lead still waiting for its destination
c3     24 Nov: a check, not eligible with no recorded reason
late   25 Nov, after NOW: an answered enquiry
====== ============================================================================
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from typing import Any

from tests.support.leads import make_consent, make_contact, make_summary
from tsf_leads.contracts import CrmRejected, StoredLead
from tsf_leads.repository import LeadStore
from tsf_leads.service import LeadService
from tsf_leads.worker import DeliveryWorker

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=timezone.utc)
SINCE = timedelta(days=14)
START = NOW - SINCE
WEEKS = (date(2026, 11, 9), date(2026, 11, 16), date(2026, 11, 23))

DELIVERED, DEAD, WAITING = "notify:accepts", "notify:refuses", "notify:not-running"

# Hand-counted: conversations per stage, per week and (distinct) over the period.
STAGES = (
    "conversations",
    "enquiries_answered",
    "checks_started",
    "checks_finished",
    "eligible",
    "borderline",
    "not_eligible",
    "consent_given",
    "leads",
    "delivered",
    "dead_lettered",
)
EXPECTED_WEEKS = {
    WEEKS[0]: dict(zip(STAGES, (3, 1, 1, 1, 0, 0, 1, 0, 0, 0, 0), strict=True)),
    WEEKS[1]: dict(zip(STAGES, (5, 1, 5, 4, 2, 1, 1, 2, 2, 1, 1), strict=True)),
    WEEKS[2]: dict(zip(STAGES, (5, 1, 4, 4, 1, 1, 2, 1, 1, 0, 0), strict=True)),
}
EXPECTED_TOTAL = dict(zip(STAGES, (11, 2, 9, 8, 3, 2, 3, 3, 3, 1, 1), strict=True))
EXPECTED_REASONS = {
    WEEKS[0]: {"spin_out": 1},
    WEEKS[1]: {"launched": 1},
    WEEKS[2]: {"amount": 1, "unknown": 1},
}
EXPECTED_TOTAL_REASONS = {"spin_out": 1, "amount": 1, "unknown": 1}


def at(day: int, hour: int = 10, minute: int = 0) -> float:
    """Epoch seconds of ``day`` November 2026 at ``hour:minute`` UTC."""
    return datetime(2026, 11, day, hour, minute, tzinfo=timezone.utc).timestamp()


def _turn(text: str, intent: str, when: float, *after: Any) -> list[Any]:
    """A user message, the events the assistant's actions returned, a reply, listening."""
    from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered

    return [
        UserUttered(text, intent={"name": intent, "confidence": 0.9}, timestamp=when),
        *after,
        BotUttered("…", timestamp=when + 1),
        ActionExecuted("action_listen", timestamp=when + 1),
    ]


def _answer(fact: str | None, when: float) -> list[Any]:
    from rasa.shared.core.events import ActionExecuted, SlotSet

    return [
        ActionExecuted("action_answer_enquiry", timestamp=when),
        SlotSet("last_fact_id", fact, timestamp=when),
    ]


def _check(when: float, ruled_out: str | None, verdict: str | None) -> list[Any]:
    """A check: the form runs; maybe ruled out early; maybe a verdict."""
    from rasa.shared.core.events import ActionExecuted, ActiveLoop, SlotSet

    events: list[Any] = [
        ActionExecuted("action_start_interview", timestamp=when),
        SlotSet("disqualified_by", None, timestamp=when),
        SlotSet("eligibility_verdict", None, timestamp=when),
        ActionExecuted("eligibility_form", timestamp=when),
        ActiveLoop("eligibility_form", timestamp=when),
    ]
    if ruled_out:
        events.append(SlotSet("disqualified_by", ruled_out, timestamp=when + 60))
    if verdict is None:
        return events
    return [
        *events,
        ActiveLoop(None, timestamp=when + 120),
        ActionExecuted("action_give_verdict", timestamp=when + 120),
        SlotSet("eligibility_verdict", verdict, timestamp=when + 120),
    ]


def _consent(value: str, when: float, reference: str | None = None) -> list[Any]:
    from rasa.shared.core.events import ActiveLoop, SlotSet

    events = [
        ActiveLoop("lead_form", timestamp=when),
        SlotSet("consent_given", value, timestamp=when),
        ActiveLoop(None, timestamp=when + 60),
    ]
    if reference:
        events.append(SlotSet("lead_reference", reference, timestamp=when + 60))
    return events


def conversations() -> dict[str, list[Any]]:
    """Every conversation's events, as the table in the module's docstring says."""
    from rasa.shared.core.events import SlotSet

    return {
        "old": _turn(
            "how much can we borrow", "ask_loan_amounts", at(10), *_answer("loan_amounts", at(10))
        ),
        "a1": [
            *_turn(
                "how much can we borrow",
                "ask_loan_amounts",
                at(12),
                *_answer("loan_amounts", at(12)),
            ),
            *_turn(
                "and for how long", "ask_loan_term", at(24, 9), *_answer("loan_term", at(24, 9))
            ),
        ],
        "a2": _turn("what about the thing", "nlu_fallback", at(12, 11), *_answer(None, at(12, 11))),
        "a3": _turn(
            "am I eligible",
            "check_eligibility",
            at(13),
            *_check(at(13), "spin_out", "not_eligible"),
        ),
        "b1": [
            *_turn(
                "what is the fund", "ask_fund_overview", at(17), *_answer("fund_overview", at(17))
            ),
            *_turn(
                "check us", "check_eligibility", at(17, 11), *_check(at(17, 11), None, "eligible")
            ),
            *_turn("yes", "affirm", at(17, 12), *_consent("yes", at(17, 12), "LEAD-B1")),
        ],
        "b2": [
            *_turn("check us", "check_eligibility", at(18), *_check(at(18), None, "borderline")),
            *_turn("yes please", "affirm", at(18, 11), *_consent("yes", at(18, 11), "LEAD-B2")),
        ],
        "b3": _turn("check us", "check_eligibility", at(19), *_check(at(19), None, None)),
        "b4": [
            *_turn(
                "check us", "check_eligibility", at(20), *_check(at(20), "launched", "not_eligible")
            ),
            *_turn(
                "start again", "check_eligibility", at(24, 8), *_check(at(24, 8), None, "eligible")
            ),
        ],
        "b5": [
            *_turn("check us", "check_eligibility", at(21), *_check(at(21), "amount", None)),
            *_turn(
                "sorry, I meant 200k",
                "inform",
                at(21, 11),
                SlotSet("disqualified_by", None, timestamp=at(21, 11)),
                SlotSet("eligibility_verdict", "eligible", timestamp=at(21, 11)),
            ),
            *_turn("no", "deny", at(21, 12), *_consent("no", at(21, 12))),
        ],
        "c1": _turn(
            "check us", "check_eligibility", at(23, 8), *_check(at(23, 8), "amount", "not_eligible")
        ),
        "c2": [
            *_turn("check us", "check_eligibility", at(24), *_check(at(24), None, "borderline")),
            *_turn("yes", "affirm", at(24, 11), *_consent("yes", at(24, 11), "LEAD-C2")),
        ],
        "c3": _turn(
            "check us", "check_eligibility", at(24, 13), *_check(at(24, 13), None, "not_eligible")
        ),
        "late": _turn(
            "how much", "ask_loan_amounts", at(25, 13), *_answer("loan_amounts", at(25, 13))
        ),
    }


async def seed_tracker(url: str) -> None:
    """Write :func:`conversations` with Rasa's SQL tracker store at ``url``."""
    from rasa.core.tracker_store import SQLTrackerStore
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.trackers import DialogueStateTracker

    store = SQLTrackerStore(domain=Domain.empty(), host=url)
    try:
        for sender, events in conversations().items():
            await store.save(DialogueStateTracker.from_events(sender, events))
    finally:
        store.engine.dispose()


class _Accepts:
    name = "accepts"

    def notify(self, lead: StoredLead) -> None:
        """Take the lead."""


class _Refuses:
    name = "refuses"

    def notify(self, lead: StoredLead) -> None:
        """Refuse the lead for good: it is dead-lettered at once."""
        raise CrmRejected("refused by the test destination")


LEADS = (
    # (conversation, email, created, destination)
    ("old", "old@example.org", datetime(2026, 11, 5, 10, tzinfo=timezone.utc), DELIVERED),
    ("b1", "b1@example.org", datetime(2026, 11, 17, 12, 1, tzinfo=timezone.utc), DELIVERED),
    ("b2", "b2@example.org", datetime(2026, 11, 18, 11, 1, tzinfo=timezone.utc), DEAD),
    ("c2", "c2@example.org", datetime(2026, 11, 24, 11, 1, tzinfo=timezone.utc), WAITING),
)


def seed_leads(store: LeadStore) -> dict[str, str]:
    """Store :data:`LEADS` and let the worker settle what it can; each conversation's lead
    reference."""
    references = {}
    for conversation, email, created, destination in LEADS:
        summary = make_summary(
            conversation_id=conversation, contact=make_contact(email=email), created_at=created
        )
        consent = make_consent(given_at=created - timedelta(minutes=1))
        lead = LeadService(store, [destination]).submit(summary, consent)
        references[conversation] = lead.reference
    registry = {DELIVERED: _Accepts(), DEAD: _Refuses()}
    DeliveryWorker(store, registry, worker_id="seed").deliver_once()  # type: ignore[arg-type]
    return references


GAPS = (
    # (question, reason, when): the first is before the digest's 7 days
    (
        "do you fund charities in Wales",
        "unknown_topic",
        datetime(2026, 11, 12, 9, tzinfo=timezone.utc),
    ),
    ("what are the arrangement fees", "no_fact", datetime(2026, 11, 19, 9, tzinfo=timezone.utc)),
    ("are there any fees", "no_fact", datetime(2026, 11, 20, 9, tzinfo=timezone.utc)),
    ("fees for the loan?", "fallback", datetime(2026, 11, 21, 9, tzinfo=timezone.utc)),
    (
        "can we reclaim VAT on the loan",
        "unknown_topic",
        datetime(2026, 11, 22, 9, tzinfo=timezone.utc),
    ),
    ("is VAT charged on the loan", "unknown_topic", datetime(2026, 11, 23, 9, tzinfo=timezone.utc)),
    ("when is the application deadline", "no_fact", datetime(2026, 11, 24, 9, tzinfo=timezone.utc)),
)
FEEDBACK = (
    # (fact, helpful, when)
    ("loan_term", False, datetime(2026, 11, 19, 10, tzinfo=timezone.utc)),
    ("loan_term", False, datetime(2026, 11, 20, 10, tzinfo=timezone.utc)),
    ("loan_term", True, datetime(2026, 11, 21, 10, tzinfo=timezone.utc)),
    ("loan_amounts", False, datetime(2026, 11, 22, 10, tzinfo=timezone.utc)),
    ("eligible_uses", True, datetime(2026, 11, 23, 10, tzinfo=timezone.utc)),
    ("must_be_launched", False, datetime(2026, 11, 10, 10, tzinfo=timezone.utc)),  # too old
)


def seed_insight(store: Any) -> None:
    """Record :data:`GAPS` and :data:`FEEDBACK` in an ``InsightStore``."""
    for question, reason, when in GAPS:
        store.record_gap(reason, question, None, when)
    for fact, helpful, when in FEEDBACK:
        store.record_feedback(fact, helpful, "web", when)
