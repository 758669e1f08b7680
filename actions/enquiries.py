"""Answer enquiries about the fund from the knowledge base, with their sources."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Sequence
from dataclasses import dataclass

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.content_gaps import (
    NLU_FALLBACK_INTENT,
    GapNote,
    in_own_words,
    record_gap,
    top_intent,
)
from actions.named_action import NamedAction
from actions.services import Services, get_services
from tsf_config.metrics import metrics
from tsf_insight.answers import answer_metadata
from tsf_insight.store import FALLBACK, LOW_CONFIDENCE, NO_FACT, UNKNOWN_TOPIC
from tsf_knowledge.amounts import describe_amount_fit, figures_beyond_loans, parse_amount
from tsf_knowledge.answers import format_answer, source_line
from tsf_knowledge.applicant_facts import extract_facts
from tsf_knowledge.clauses import question_clauses, resolve_references
from tsf_knowledge.facts import Fact, KnowledgeBase
from tsf_knowledge.fund_terms import fund_terms
from tsf_knowledge.repayment import LOAN_TERM_FACT, describe_term_fit
from tsf_knowledge.retrieval import (
    GROUNDING_SHARE,
    SURE_CONFIDENCE,
    SURE_GROUNDING_SHARE,
    UNANCHORED_GROUNDING_SHARE,
)
from tsf_knowledge.unknown_topics import (
    find_unknown_topic,
    mentions_the_fund,
    speaks_of_the_domain,
    unknown_topic_reply,
)

CHECK_AMOUNT_INTENT = "check_amount"
REQUEST_SOURCE_INTENT = "request_source"
LAST_FACT_SLOT = "last_fact_id"
AMOUNT_FACT = "loan_amounts"
# Questions about loan sizes that may carry an amount worth checking against the range.
AMOUNT_AWARE_INTENTS = frozenset({CHECK_AMOUNT_INTENT, "ask_loan_amounts"})
# Words that make a sum in any question a request to borrow it ("is £1m allowed?").
_BORROWING = re.compile(
    r"\b(borrow|lend|loan|need|allowed|ask for|looking for|want|apply for|"
    r"(?:could|can) (?:we|i) (?:get|have))\b",
    re.IGNORECASE,
)
# Under the fallback threshold the classifier's best fact intent is trusted when retrieval
# ranks one of its facts among its top few; in cross-validation such guesses from 0.25 up
# are right about 45% of the time on their own.
SECOND_OPINION_CONFIDENCE = 0.25
SECOND_OPINION_RANK = 3
MAX_ANSWERS_PER_MESSAGE = 2


@dataclass(frozen=True)
class Reply:
    """What to say, which fact it came from (if any), and why it falls short (if it does)."""

    text: str
    fact_id: str | None
    gap: GapNote | None = None


def answer_enquiry(
    intent: str,
    text: str,
    services: Services,
    asked: str | None = None,
    confidence: float = 0.0,
) -> Reply | None:
    """The reply to a classified enquiry, or ``None`` when the intent names no fact.

    Whether the words fit the intent's facts is judged on the question ``asked`` within
    ``text`` when there is one, so long context before a question doesn't drown it; less
    strictly when the classifier's ``confidence`` in the intent is high.
    """
    knowledge = services.knowledge
    checks = check_stated_terms(text, services, force=intent in AMOUNT_AWARE_INTENTS)
    if checks is not None:
        return checks
    if intent == CHECK_AMOUNT_INTENT:
        fact = knowledge.fact(AMOUNT_FACT)
        return Reply(format_answer(fact, knowledge), fact.id)
    group = knowledge.group(intent)
    question = asked or text
    sure = confidence >= SURE_CONFIDENCE
    if not group or not (
        grounded(question, group, services, sure) or grounded(text, group, services, sure)
    ):
        return None  # the classifier matched the question's shape, not its words
    fact = pick_from_group(question, group, services, context=text)
    return Reply(format_answer(fact, knowledge), fact.id)


def grounded(text: str, facts: Sequence[Fact], services: Services, sure: bool = False) -> bool:
    """Whether ``text`` is about ``facts`` in their own words; a message that mentions
    neither the fund, borrowing, applying nor health and care needs more of their words,
    and one that does needs fewer when the classifier is ``sure`` of the intent."""
    if speaks_of_the_domain(text):
        share = SURE_GROUNDING_SHARE if sure else GROUNDING_SHARE
    else:
        share = UNANCHORED_GROUNDING_SHARE
    return services.retriever.grounded(text, facts, share)


def pick_from_group(
    text: str, group: Sequence[Fact], services: Services, context: str = ""
) -> Fact:
    """The fact of a question group that ``text`` asks about.

    Facts that people ask about in the same words share an intent. Retrieval, limited to
    the group, picks the one that best fits the words used (in the question, else in the
    ``context`` around it: "we're a hospice... tell me about it"); the group's first fact
    answers when no word points to any of them.
    """
    if len(group) == 1:
        return group[0]
    ranked = services.retriever.rank(text, group) or (
        services.retriever.rank(context, group) if context else []
    )
    return ranked[0].fact if ranked else group[0]


def answer_free_text(
    text: str, services: Services, ranking: Sequence[dict[str, object]] = ()
) -> Reply | None:
    """The best fact for text the classifier was unsure of, or ``None``.

    Retrieval answers on its own when it is confident. Otherwise the classifier's best
    guess is used if its confidence is not negligible and retrieval ranks the same fact
    among its top few: two weak signals that agree.
    """
    knowledge = services.knowledge
    checks = check_stated_terms(text, services)
    if checks is not None:
        return checks
    match = services.retriever.best_match(text)
    if match is not None:
        return Reply(format_answer(match.fact, knowledge), match.fact.id)
    guess = _classifier_guess(ranking, knowledge)
    if not guess or not grounded(text, guess, services):
        return None
    nearby = services.retriever.search(text, k=SECOND_OPINION_RANK)
    for candidate in nearby:
        if candidate.fact in guess:
            return Reply(format_answer(candidate.fact, knowledge), candidate.fact.id)
    return None


def _classifier_guess(
    ranking: Sequence[dict[str, object]], knowledge: KnowledgeBase
) -> tuple[Fact, ...]:
    """The facts of the classifier's best fact intent, if its confidence is not negligible."""
    for entry in ranking:
        group = knowledge.group(str(entry.get("name")))
        if group:
            confidence = entry.get("confidence")
            confident = (
                isinstance(confidence, int | float) and confidence >= SECOND_OPINION_CONFIDENCE
            )
            return group if confident else ()
    return ()


def check_stated_terms(text: str, services: Services, force: bool = False) -> Reply | None:
    """Every loan term ``text`` asks to check (an amount, a repayment term), in one reply.

    An amount counts when the text is about borrowing it (or ``force``); a term when it
    is a repayment term ("over 8 years").
    """
    knowledge = services.knowledge
    parts: list[str] = []
    fact_id = None
    pounds = parse_amount(text)
    if pounds in figures_beyond_loans(knowledge):
        pounds = None  # "how much of the £6m is left?" asks about the fund, not a loan
    if pounds is not None and (force or _BORROWING.search(text)):
        parts.append(describe_amount_fit(pounds, knowledge))
        fact_id = AMOUNT_FACT
    years = extract_facts(text).term_years
    if years is not None and years > 0:
        parts.append(describe_term_fit(years, knowledge))
        fact_id = fact_id or LOAN_TERM_FACT
    return Reply("\n\n".join(parts), fact_id) if parts else None


def answer_message(
    intent: str, text: str, services: Services, ranking: Sequence[dict[str, object]] = ()
) -> list[Reply]:
    """A reply to each question in ``text``: at most two, then a pointer to the rest.

    A question the documents don't answer gets a reply that says so, naming its topic,
    rather than the nearest fact; only the question itself is read for that, not the
    context around it. With several questions, the classified intent answers the one that
    retrieval agrees it is about, and retrieval answers the others when it is confident.
    """
    clauses = question_clauses(text)
    if len(clauses) <= 1:
        asked = clauses[0] if clauses else text
        reply = _answer_one(intent, text, services, ranking, asked=asked)
        return [reply] if reply else []
    replies: list[Reply] = []
    unanswered: list[str] = []
    for clause in resolve_references(clauses):
        reply = _answer_clause(intent, clause, services)
        if reply is None or any(reply.text == earlier.text for earlier in replies):
            continue
        if len(replies) < MAX_ANSWERS_PER_MESSAGE:
            replies.append(reply)
        else:
            unanswered.append(clause)
    if unanswered:
        replies.append(
            Reply(f'You also asked: "{unanswered[0].strip()}". Ask me about that next.', None)
        )
    if not replies:
        reply = _answer_one(intent, text, services, ranking, asked=text)
        return [reply] if reply else []
    return replies


def _unknown(asked: str) -> Reply | None:
    """The honest reply to a question on a topic the documents don't cover, if it is one."""
    topic = find_unknown_topic(asked, about_the_fund=True)
    if topic is None:
        return None
    return Reply(
        unknown_topic_reply(topic, fund_terms().team_phone),
        None,
        GapNote(UNKNOWN_TOPIC, asked, topic.key),
    )


def _answer_one(
    intent: str, text: str, services: Services, ranking: Sequence[dict[str, object]], asked: str
) -> Reply | None:
    """The reply to a message asking one question (``asked``, within ``text``)."""
    return (
        _unknown(asked)
        or answer_enquiry(intent, text, services, asked=asked, confidence=_top_confidence(ranking))
        or answer_free_text(text, services, ranking)
    )


def _top_confidence(ranking: Sequence[dict[str, object]]) -> float:
    """The classifier's confidence in its best intent (0 when unknown)."""
    confidence = ranking[0].get("confidence") if ranking else None
    return float(confidence) if isinstance(confidence, int | float) else 0.0


def _answer_clause(intent: str, clause: str, services: Services) -> Reply | None:
    """The reply to one question of several: the intent's fact where retrieval ranks it
    first for this clause, else retrieval's confident answer, else the intent's fact where
    retrieval at least ranks it among its first few."""
    unknown = _unknown(clause)
    if unknown is not None:
        return unknown
    checks = check_stated_terms(clause, services)
    if checks is not None:
        return checks
    group = {fact.id for fact in services.knowledge.group(intent)}
    ranked = [match.fact.id for match in services.retriever.search(clause, k=SECOND_OPINION_RANK)]
    if ranked and ranked[0] in group:
        return answer_enquiry(intent, clause, services)
    return answer_free_text(clause, services) or (
        answer_enquiry(intent, clause, services) if group.intersection(ranked) else None
    )


def not_found_reply(text: str) -> Reply | None:
    """For a question about the fund that nothing answers: say so, with the team's number."""
    if not mentions_the_fund(text):
        return None
    return Reply(
        "I couldn't find the answer to that in the fund's documents, so I don't know. Local "
        "Partnerships' Social Investment Team can tell you: call them on "
        f"{fund_terms().team_phone}.",
        None,
        GapNote(NO_FACT, text, None),
    )


def turn_gap(
    intent: str, text: str, ranking: Sequence[dict[str, object]], replies: Sequence[Reply]
) -> GapNote | None:
    """The one gap of a turn that gave ``replies`` to ``text``, if it fell short.

    No reply (the user is asked to rephrase) is a fallback, with the classifier's top
    intent as best guess; else the first reply that says the documents lack the answer;
    else, when the NLU was below its fallback threshold and a fact answered anyway, a
    low-confidence answer with that fact.
    """
    if not replies:
        return GapNote(FALLBACK, text, top_intent(list(ranking)))
    for reply in replies:
        if reply.gap is not None:
            return reply.gap
    facts = [reply.fact_id for reply in replies if reply.fact_id]
    if intent == NLU_FALLBACK_INTENT and facts:
        return GapNote(LOW_CONFIDENCE, text, facts[0])
    return None


def describe_source(fact_id: str | None, services: Services) -> str:
    """Full details of where the last answer came from."""
    knowledge = services.knowledge
    if fact_id is None:
        return (
            "Everything I tell you comes from public documents about the fund: a Department "
            "of Health blog, a news article and a Cabinet Office press release. Ask me a "
            "question and I'll say which one each answer comes from."
        )
    fact = knowledge.fact(fact_id)
    lines = [
        f"• {source.title} — {source.publisher}, {source.date}"
        for source in knowledge.sources_for(fact)
    ]
    return "My last answer came from:\n" + "\n".join(lines) + f"\n\n{source_line(fact, knowledge)}"


def latest_intent(tracker: Tracker) -> str:
    """The intent the NLU gave the latest message ("" when none)."""
    return (tracker.latest_message.get("intent") or {}).get("name") or ""


def message_text(tracker: Tracker) -> str:
    """The latest message as the NLU normalised it (typos fixed, greeting dropped)."""
    message = tracker.latest_message
    return message.get("normalised_text") or message.get("text") or ""


async def answer_in_turn(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
    """Answer every question in the latest message, or ask the user to rephrase."""
    text = message_text(tracker)
    intent = latest_intent(tracker)
    ranking = list(tracker.latest_message.get("intent_ranking") or [])
    replies = await asyncio.to_thread(answer_message, intent, text, get_services(), ranking)
    replies = replies or list(filter(None, [not_found_reply(text)]))
    gap = turn_gap(intent, text, ranking, replies)
    if gap is not None:
        await record_gap(tracker, in_own_words(gap, text, tracker))
    if not replies:
        dispatcher.utter_message(response="utter_ask_rephrase")
        return []
    for reply in replies:
        # An answer that gives a fact carries a token the channels put "Was this helpful?" on.
        extra = answer_metadata(reply.fact_id) if reply.fact_id else {}
        dispatcher.utter_message(text=reply.text, **extra)
    fact_ids = [reply.fact_id for reply in replies if reply.fact_id]
    metrics().answered(fact_ids)
    return [SlotSet(LAST_FACT_SLOT, fact_ids[-1] if fact_ids else None)]


class ActionShowSource(NamedAction):
    """Says in full where the last answer came from."""

    action_name = "action_show_source"

    async def respond(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        """Describe the source documents of the last fact given."""
        dispatcher.utter_message(
            text=describe_source(tracker.get_slot(LAST_FACT_SLOT), get_services())
        )
        return []
