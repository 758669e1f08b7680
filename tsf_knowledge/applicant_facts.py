"""Facts an applicant states about their own organisation, read from any message.

A pure, rule-based reader for the eligibility interview: when someone writes "we're a
launched CIC that spun out of the NHS and need £350k over four years for a new rostering
system", the interview can skip the questions it already has answers to.

Only first-person statements count ("we", "our", "I work for ..."), plus subject-less
fragments ("spun out of the trust in 2014") and replies to the question being asked.
General questions ("can a company that never was in the public sector apply?") and
hypotheticals ("what if we haven't launched yet?") state no facts. Every field is ``None``
when the message does not say.
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from tsf_knowledge.amounts import (
    AMOUNT_TOKEN,
    amount_for_range,
    number_in_words,
    parse_amount,
    parse_amount_range,
    spread_shared_multiplier,
)
from tsf_knowledge.eligibility import Answer, interpret_yes_no
from tsf_knowledge.fund_terms import fund_terms
from tsf_knowledge.injection import SENTENCE_BREAK, without_instructions
from tsf_knowledge.names import ORGANISATION_NAME_ENDINGS, ORGANISATIONS, alternatives
from tsf_knowledge.purposes import IT_WORD as _IT
from tsf_knowledge.purposes import NON_TECH as _NON_TECH
from tsf_knowledge.purposes import TECH as _TECH
from tsf_knowledge.purposes import mentions
from tsf_knowledge.repayment import repayment_answer

EXTRACT_CACHE_SIZE = 1024
"""Messages whose facts are kept: a form turn reads the same message several times."""
ASKING_ORGANISATION_NAME = "organisation_name"
ASKING_SPUN_OUT = "spun_out"
ASKING_ORIGIN = "origin"
ASKING_TRADING = "trading"
ASKING_SERVICES = "services"
ASKING_PURPOSE = "investment_purpose"
ASKING_AMOUNT = "amount"
ASKING_CAN_REPAY = "can_repay"

SECTOR_HEALTH = "health"
SECTOR_SOCIAL_CARE = "social_care"
SECTOR_BOTH = "health_and_social_care"
SECTOR_OTHER = "other"


@dataclass(frozen=True)
class ApplicantFacts:
    """What a message says about the applicant's organisation; ``None`` means not said."""

    organisation_name: str | None = None
    spun_out: Answer | None = None
    origin: str | None = None
    spun_out_year: int | None = None
    trading: Answer | None = None
    trading_since: str | None = None
    services: str | None = None
    sector: str | None = None
    purpose: str | None = None
    purpose_is_technology: Answer | None = None
    amount: int | None = None
    amount_range: tuple[int, int] | None = None
    term_years: float | None = None
    term_doubted: bool = False

    def found(self) -> dict[str, object]:
        """The fields that were read, by name."""
        return {
            field.name: getattr(self, field.name)
            for field in dataclasses.fields(self)
            if getattr(self, field.name) not in (None, False)
        }

    def merged(self, newer: ApplicantFacts) -> ApplicantFacts:
        """These facts updated with every fact ``newer`` holds (newer values win)."""
        return dataclasses.replace(self, **newer.found())

    def answers(self) -> dict[str, str]:
        """The facts as the eligibility interview records its answers, by answer name.

        Yes/no answers are "yes", "no" or "unsure"; an amount is whole pounds; a term gives
        ``term_years`` and, read against the fund's 3 to 5 years, ``can_repay``.
        """
        values: dict[str, str | None] = {
            "organisation_name": self.organisation_name,
            "spun_out": self.spun_out.value if self.spun_out else None,
            "origin": self.origin,
            "trading": self.trading.value if self.trading else None,
            "services": self.services,
            "investment_purpose": self.purpose,
            "amount": self._amount_answer(),
        }
        if self.term_years is not None and self.term_years > 0:
            values["term_years"] = f"{self.term_years:g}"
            fits = repayment_answer(self.term_years)
            doubted = self.term_doubted and fits is Answer.YES
            values["can_repay"] = Answer.UNSURE.value if doubted else fits.value
        return {name: value for name, value in values.items() if value}

    def _amount_answer(self) -> str | None:
        """Whole pounds; "unsure" for a range that straddles a loan limit."""
        if self.amount and self.amount > 0:
            return str(self.amount)
        return Answer.UNSURE.value if self.amount_range else None


# --- Normalising and splitting -----------------------------------------------------------


def _words(text: str) -> frozenset[str]:
    """The whitespace-separated words of ``text`` as a set."""
    return frozenset(text.split())


_I = re.IGNORECASE
_TEXT_SPEAK = tuple(
    (re.compile(pattern, _I), replacement)
    for pattern, replacement in (
        (r"(?<![\w&'])r(?![\w&'])", "are"),
        (r"(?<![\w.'])u(?![\w.'])", "you"),
        (r"\bur\b", "your"),
        (r"\bfrm\b", "from"),
        (r"\bthru\b", "through"),
        (r"\bim\b", "i'm"),
        (r"\bive\b", "i've"),
        (r"\bweve\b", "we've"),
        (r"\b(have|has|had|is|are|was|were|do|does|did|could|would|should)nt\b", r"\1n't"),
        (r"\bcant\b", "can't"),
        (r"\bwont\b", "won't"),
        (r"\bdont\b", "don't"),
        (r"\b(?:spunout|span out)\b", "spun out"),
        (r"\bspinout\b", "spin-out"),
        (r"\bb4\b", "before"),
        (r"\b(?:cos|coz|cuz)\b", "because"),
        (r"\bwud\b", "would"),
        (r"\bcud\b", "could"),
        (r"\bppl\b", "people"),
        (r"\bmths?\b", "months"),
        (r"\byrs\b", "years"),
        (r"\byr\b", "year"),
        (r"\b(trad|launch|runn|operat|start)in\b", r"\1ing"),
        (r"\bex (?=nhs|council|trust|public|ccg|pct|local|civil|government)", "ex-"),
        (r"\b4(?= (?:a|an|the|our|some|new|buying|it|this|more)\b)", "for"),
        (
            r"\b2(?= (?:buy|get|fund|pay|upgrade|replace|develop|build|install|invest|purchase"
            r"|spin|apply|borrow|repay|launch|start)\b)",
            "to",
        ),
        (
            r"(^|[.,;!?]\s*)were\b(?=\s+(?:a|an|the|not|still|currently|already|planning|hoping"
            r"|looking|based|trading|launched|spun|set|from|called)\b)",
            r"\1we're",
        ),
    )
)
_FIRST_PERSON = re.compile(
    r"\b(?:we|we're|we've|we'd|we'll|us|our|ours|ourselves|i|i'm|i've|i'd|me|my|mine)\b", _I
)
_OTHER_PERSON = re.compile(
    r"\bmy (?:friend|friends|colleague|colleagues|partner|client|clients|wife|husband|brother"
    r"|sister|mum|dad|neighbour|boss)\b|\bfor a (?:friend|colleague|client)\b"
    r"|\ba (?:friend|colleague|client)'s\b|\bwhose (?:company|organisation|organization|cic"
    r"|business)\b",
    _I,
)
_QUESTION_WORDS = _words(
    """what what's whats who when where why how which can could do does did is are will would
    should may might must shall"""
)
_LEAD_WORDS = _QUESTION_WORDS | _words(
    "was were has have and but so also about tell me ok okay hi hello"
)
_THIRD_PERSON = _words(
    """a an the any some all every each most many company companies organisation
    organisations organization organizations charity charities business businesses firm firms
    people someone somebody anyone anybody they he she it this that these those you your
    spin-out spin-outs spinouts social cics mutuals applicants groups group loans fund"""
)
_OUR_THINGS = _words(
    "money loan funding investment cash amount term total plan project idea repayment sum"
)
_LIKE_US = re.compile(r"\blike (?:ours|us|mine|me|ourselves)\b", _I)
_WORD = re.compile(r"[a-z0-9£][\w'£.,-]*", _I)
# Conditional clauses state no facts, up to the next clause boundary.
_HYPOTHETICAL = re.compile(
    r"\b(?:what if|what happens if|even if|only if|as if|if|whether|suppose|supposing|imagine"
    r"|hypothetically|in case|assuming|unless|provided that|providing that|let'?s say|say we)\b"
    r".*?(?=[,;.?!]|\bbut\b|\bbecause\b|\b(?:even )?though\b|\balthough\b|\bsince\b|\bso\b|$)",
    _I,
)
# "not sure if we count": an embedded doubt about themselves, kept for the hedge readers.
_DOUBT_BEFORE = re.compile(r"\b(?:sure|certain|know|idea|unsure|uncertain|unclear|clear)\s*$", _I)
_DOUBT_CLAUSE = re.compile(
    r"^(?:if|whether) (?:we|we're|we've|we are|we have|our|it|it's|that)\b", _I
)
# Questions about the rules ("do we need to have launched?") state no facts either.
_REQUIREMENT = re.compile(
    r"\b(?:need|needs|have|has|got|required|supposed) to (?:be|have)\b[^,;.?!]*", _I
)


def _normalise(text: str) -> str:
    """Straighten quotes, space out dashes, expand text-speak; keeps letter case."""
    text = re.sub(r"[‘’`´]", "'", text)
    text = re.sub(r"[“”]", '"', text)
    text = re.sub(r"\s*[—–]\s*|\s+-\s+", " - ", text)
    for pattern, replacement in _TEXT_SPEAK:
        text = pattern.sub(replacement, text)
    return " ".join(text.split())


def _mask(sentence: str) -> str:
    """Drop hypothetical and rule-question clauses from ``sentence``."""

    def drop(match: re.Match[str]) -> str:
        doubt = _DOUBT_BEFORE.search(sentence[: match.start()]) and _DOUBT_CLAUSE.match(
            match.group(0)
        )
        return match.group(0) if doubt else " "

    sentence = _HYPOTHETICAL.sub(drop, sentence)
    return " ".join(_REQUIREMENT.sub(" ", sentence).split())


_LABELLED = re.compile(r"\b(?:organi[sz]ation|org|company|cic)(?: name)?\s*:", _I)


def _about_applicant(sentence: str) -> bool:
    """Whether a (masked) sentence speaks about the applicant's own organisation."""
    if _OTHER_PERSON.search(sentence):
        return False
    if _LABELLED.search(sentence):
        return True  # "I want to check. Organisation: Sandpiper Health Ltd, ..."
    if _FIRST_PERSON.search(_LIKE_US.sub(" ", sentence)):
        return True
    words = [word.lower().strip(",") for word in _WORD.findall(sentence)]
    while words and words[0] in _LEAD_WORDS:
        words.pop(0)
    if words[:1] == ["the"] and words[1:2] and words[1] in _OUR_THINGS:
        return True
    return bool(words) and words[0] not in _THIRD_PERSON


# Questions put to the assistant ("why do you need to know whether we came out of the NHS?",
# "can you tell me if ...") state nothing about the applicant, whatever words they quote.
_ASKS_THE_ASSISTANT = re.compile(
    r"^(?:(?:and|so|but|ok|okay|also|hmm|sorry)[, ]+)?(?:why|what|how|when|where|which|who"
    r"|(?:do|does|did|can|could|would|will|should) (?:you|u|ya|the fund|the team|it|that|this)"
    r"|is (?:it|that|this|there)|are there)\b",
    _I,
)


# "Before I answer more - is security needed?": a question after a dash is a sentence of its own.
_QUESTION_AFTER_DASH = re.compile(
    r"\s+-\s+(?=(?:why|what|how|when|where|which|who|is|are|do|does|can|could|would|will)\b)",
    _I,
)


def _statements(text: str, replying: bool = False) -> list[str]:
    """The masked sentences of ``text`` that speak about the applicant; in a reply to an
    interview question every sentence does ("It would be for tablets, about £650,000")."""
    sentences = (
        _mask(part)
        for sentence in SENTENCE_BREAK.split(text)
        for part in _QUESTION_AFTER_DASH.split(sentence)
        if not _ASKS_THE_ASSISTANT.match(part.strip())
    )
    return [
        sentence for sentence in sentences if sentence and (replying or _about_applicant(sentence))
    ]


def _trim(phrase: str, stop: re.Pattern[str] | None, max_words: int) -> str:
    """``phrase`` cut at the first ``stop`` match, if any, and to ``max_words`` words."""
    match = stop and stop.search(phrase)
    if match:
        phrase = phrase[: match.start()]
    words = phrase.strip(" ,.;:!?-'\"").split()[:max_words]
    return " ".join(words).strip(" ,.;:!?-'\"")


# --- Organisation name -------------------------------------------------------------------

_NAME_WORD = r"(?:[A-Z0-9][\w'&.-]*|&)"
_CAPITALISED_NAME = (
    rf"(?P<name>{_NAME_WORD}(?:\s+(?:(?:of|and|for|the|on|in|at)\s+)?{_NAME_WORD})*)"
)
_NAME_SUFFIX = (
    r"(?:cic|c\.i\.c\.?|ltd|limited|llp|plc|trust|mutual|partnership|services|care|health)"
)
_LOWER_NAME = (
    r"(?P<name>(?:(?!(?:and|we|our|but|so|to|for|who|that|which|with|the|a|an|is|are|in|of"
    rf"|based|providing|a)\b)[a-z0-9][\w'&-]*\s+){{0,5}}{_NAME_SUFFIX})\b"
)
_NAME_CUE = (
    r"(?i:\b(?:we(?:'re| are)(?: called| named)?|i'?m from|i am from|i work (?:for|at|with)"
    r"|i'm with|i am with|i represent|on behalf of|i (?:run|manage|lead|founded|own)"
    r"|(?:check|see|tell me|know) (?:if|whether)"
    r"|(?:i'?m|i am|this is|it'?s) (?-i:[A-Z][a-z]+)(?: (?-i:[A-Z][a-z]+))? (?:from|at|of)"
    r"|(?-i:[A-Z][a-z]+)(?: (?-i:[A-Z][a-z]+))? here (?:from|at|of)"
    r"|(?:i'?m|i am) (?:the |a |an )?(?:\w+ ){1,2}?(?:at|of|for|with)"
    r"|(?:our|the) name|(?:our|my|the) (?:organisation|organization|company|business)"
    r" name(?: is)?|(?:our |the )?name'?s"
    r"|(?:our|my|the) (?:organisation's name|organisation|organization|company|cic"
    r"|business|social enterprise|mutual|charity|firm|enterprise|partnership|practice)"
    r"(?: (?:i|we) (?:run|work for|work at"
    r"|manage|founded|set up|lead))?(?: is)?(?: called| named)?"
    r"|(?:it'?s|it is) called|(?:are|is) called|(?:are|is) named)(?:,\s*|\s+))"
)
_CALLED_CUE = (
    r"(?i:\b(?:(?:we(?:'re| are)|(?:it'?s|it is)|(?:a|an) (?:[\w-]+ ){0,3}?(?:organisation"
    r"|organization|company|cic|social enterprise|mutual|charity|business|enterprise|partnership"
    r"|practice|provider)|(?:our|my|the) (?:organisation|organization"
    r"|company|cic|business|social enterprise|mutual|charity|firm|enterprise)(?: (?:i|we) "
    r"(?:run|work for|manage|founded|set up))?(?: is)?) (?:called|named)\s+))"
)
_NAMES = (
    re.compile(_NAME_CUE + _CAPITALISED_NAME),
    re.compile(_CALLED_CUE + r"(?P<name>[\w'&.-]+(?:\s+[\w'&.-]+){0,5})"),
    re.compile(
        r"(?i:\b(?:we(?:'re| are)|i'?m from|i am from|i work (?:for|at))\s+)(?i:"
        + _LOWER_NAME
        + ")"
    ),
)
_NAME_STOP = re.compile(
    r"\s+(?:and (?:we|our|i|have|need|are|would|want|now|also|currently|it)|but|so|we|our"
    r"|who|which|that|because|since|and|based|in (?:the )?(?:north|south|east|west)|looking"
    r"|providing|delivering|-)\b.*$",
    _I,
)
_GENERIC_NAME_WORDS = _words(
    """cic c.i.c ltd limited llp plc trust mutual partnership services service care health nhs
    council company organisation organization social enterprise spin-out spin out community
    interest the a an local public sector charity home provider ccg pct icb and of for new our
    team i we it private launched small staff employee-owned staff-owned"""
)
_NAME_FIRST_WORD_STOPS = _words(
    """we we're we've i i'm it's this our my looking hoping planning trying based not still
    just currently interested eligible applying spun set launched trading sorry yes yeah no
    hi hello thanks thank ok okay
    actually also really very so in on at from with about here there going setting running
    part unsure sure keen already able wondering thinking doing working all both only almost
    nearly over under one two three four five six seven eight nine ten a an the registered
    pre-launch currently seeking after need needing wanting ready due about"""
)
_ASKED_NAME_LEAD = re.compile(
    r"^(?:(?:it'?s|it is|we'?re|we are|we're called|we are called|called|the name is|our name is"
    r"|our (?:organisation|organization|company|cic|business)(?: is)?(?: called)?|i work for"
    r"|i'?m from|name'?s)\s+)",
    _I,
)


def _valid_name(name: str) -> bool:
    """Whether ``name`` looks like an organisation's name rather than a description."""
    words = name.lower().split()
    if not words or len(words) > 8 or words[0] in _NAME_FIRST_WORD_STOPS:
        return False
    if not re.search(r"[a-z]", name, _I) or re.search(r"\d{3,}|£", name):
        return False
    return any(word.strip(".,'") not in _GENERIC_NAME_WORDS for word in words)


_FILLER_REPLY = re.compile(
    r"^\W*(?:fair(?: enough)?|ok(?:ay)?|sure|right|fine|cool|great|thanks|thank you|hmm+|well"
    r"|yes|yeah|no|nope|alright|all right)(?: then)?\W*$",
    _I,
)


def is_filler(text: str) -> bool:
    """Whether ``text`` says nothing but "fair enough", "OK then" or the like."""
    return bool(_FILLER_REPLY.match(text))


def _read_name(statements: list[str], reply: str, asking: str | None) -> str | None:
    """The organisation's name, from a naming phrase or a bare reply to that question."""
    for sentence in statements:
        for pattern in _NAMES:
            for match in pattern.finditer(sentence):
                name = _trim(match.group("name"), _NAME_STOP, 8)
                if _valid_name(name):
                    return name
    if asking != ASKING_ORGANISATION_NAME or _looks_like_question(reply):
        return None
    chunks = [chunk for chunk in re.split(r"[,;.!?]\s|[!?]$|\s+-\s+", reply.strip()) if chunk]
    while (
        len(chunks) > 1 and interpret_yes_no(chunks[0]) is not None and len(chunks[0].split()) <= 2
    ):
        chunks.pop(0)  # "Yes. Elmwood Care CIC. We spun out of ..."
    first = chunks[0] if chunks else ""
    first = _ASKED_NAME_LEAD.sub("", first.strip())
    if is_filler(first) or _TERM.search(reply) or _parse_amount(reply):
        return None  # "Fair." or "3 years should be fine" is not a name
    name = _trim(first, None, 8)
    if _FIRST_PERSON.search(name) or interpret_yes_no(name) is not None:
        return None
    return name if _valid_name(name) and len(first.split()) <= 8 else None


_SUFFIXED_NAME = re.compile(
    r"\b(?P<name>(?:[A-Z][\w'&-]*\s+){1,5}(?:CIC|C\.I\.C\.?|Ltd\.?|Limited|LLP))(?![\w.])"
)


def _from_name_start(phrase: str) -> list[str]:
    """The words of ``phrase`` from the first that may open a name ("Is Ashby Care CIC")."""
    stops = _NAME_FIRST_WORD_STOPS | _QUESTION_WORDS
    return list(itertools.dropwhile(lambda word: word.lower() in stops, phrase.split()))


def _suffixed_name(text: str) -> str | None:
    """A capitalised name with a legal suffix ("Ashby Physio CIC") anywhere in ``text``."""
    for match in _SUFFIXED_NAME.finditer(text):
        words = _from_name_start(match.group("name"))
        name = " ".join(words)
        if len(words) >= 2 and _valid_name(name):
            return name
    return None


# Organisations the documents talk about, which are never the applicant.
_KNOWN_ORGANISATIONS = re.compile(rf"^(?:{alternatives(ORGANISATIONS)}|nhs(?: \w+)?)$", _I)
# A capitalised phrase ending like an organisation's name, where a sentence starts, names
# the applicant ("Kestrel Community Health", "Heron Therapies").
_LEADING_NAME = re.compile(
    r"^(?i:(?:(?:hi|hello|hey|good (?:morning|afternoon|evening)|dear \w+)\W+)?"
    r"(?:(?:this is|at|we|we're|we are|here at|we at|greetings from|hi from|hello from)"
    r"\s+\(?)?(?:the\s+)?)"
    rf"(?P<name>{_NAME_WORD}(?:\s+(?:(?:of|and|for|the|on|in)\s+)?{_NAME_WORD}){{1,6}})"
    r"(?=\)?\s*(?:[,(]|[—–-]\s|$|\.|\b(?:here|is|are|was|were|has|have|had|spun|left|provides?"
    r"|delivers?|runs?|started|became|offers?|supports?|employs?|would|wants?|needs?|we|i)\b))",
)


_CAME_FROM = re.compile(
    r"\b(?:spun|spin|spinning|came|come|coming|left|leaving|part|away|moved|transferred"
    r"|separated|funded|money|loan|grant|contract|contracts|commissioned|work|works|worked)"
    r"(?: out)? (?:of|from|by|for|with) (?:the )?$",
    _I,
)
_AFTER_CUE = re.compile(
    r"(?i:\b(?:from|at|of|with|for|as|called|named|organi[sz]ation:?|org:|name:?|name is"
    r"(?: actually| now| really)?|if|whether|is|(?:we|i) (?:run|manage|lead|own)))\s+"
    r"(?:the\s+)?"
    rf"(?P<name>{_NAME_WORD}(?:\s+(?:(?:of|and|for|the|on|in)\s+)?{_NAME_WORD}){{1,6}})"
)


def _cued_name(text: str) -> str | None:
    """A capitalised name ending like an organisation's, after a word that introduces one
    ("director of Brightpath Health", "calling from Larch Therapies"); one they left or
    work for ("spun out of Bristol Community Health") is not who they are."""
    for match in _AFTER_CUE.finditer(text):
        name = match.group("name").strip(" .")
        came_from = _CAME_FROM.search(text[: match.start("name")])
        if came_from is None and _looks_like_organisation(name):
            return name  # a public body among them is left out by _applicant_name
    return None


def _looks_like_organisation(name: str) -> bool:
    """Whether a capitalised ``name`` ends like an organisation's and is not one the
    documents talk about."""
    last = name.split()[-1].lower().strip(".,")
    return (
        last in ORGANISATION_NAME_ENDINGS
        and not _KNOWN_ORGANISATIONS.match(name)
        and _valid_name(name)
    )


def _leading_name(text: str) -> str | None:
    """A capitalised name that opens a sentence and ends like an organisation's name
    ("Kestrel Community Health here", "Ashgrove Therapies spun out of ...")."""
    for sentence in SENTENCE_BREAK.split(text):
        match = _LEADING_NAME.match(sentence.strip())
        if match is None:
            continue
        name = match.group("name").strip(" .")
        if _looks_like_organisation(name):
            return name
    return None


_CAPITALISED_RUN = re.compile(
    rf"(?<![\w'&.-])(?P<name>{_NAME_WORD}(?:\s+(?:(?:of|and|for|the|on|in)\s+)?{_NAME_WORD}){{1,6}})"
)


def _title_case(words: list[str]) -> bool:
    """Whether most of ``words`` are capitalised (or there are none to tell by)."""
    return not words or sum(word[:1].isupper() for word in words) > len(words) / 2


def _name_anywhere(text: str) -> str | None:
    """A capitalised name ending like an organisation's anywhere in ``text`` ("checking we're
    eligible - Moorside Therapy Collective"), unless it is where they came from or what they
    work with, or the rest of the message is in title case too."""
    for match in _CAPITALISED_RUN.finditer(text):
        rest = (text[: match.start()] + text[match.end() :]).split()
        if _title_case(rest[1:] if match.start() > 0 else rest):
            continue  # the first word of a message is capitalised anyway
        names = _from_name_start(match.group("name").strip(" ."))
        name = " ".join(names)
        came_from = _CAME_FROM.search(text[: match.start("name")])
        if len(names) >= 2 and came_from is None and _looks_like_organisation(name):
            return name
    return None


_PUBLIC_BODY = re.compile(
    r"\b(?:nhs|council|pct|ccg|icb|local authority|department of|health board|foundation trust"
    r"|hospitals? trust|primary care trust)\b",
    _I,
)


def _applicant_name(
    statements: list[str], reply: str, asking: str | None, normalised: str
) -> str | None:
    """The applicant's name, by the first reader that finds one; never a public body
    ("Kestrel NHS Trust" is where they came from). The readers of capitalised names are
    not asked when the message is shouted: capitals then say nothing about names."""
    name = _read_name(statements, reply, asking)
    if name is None and not normalised.isupper():
        name = (
            _suffixed_name(normalised)
            or _leading_name(normalised)
            or _cued_name(normalised)
            or _name_anywhere(normalised)
        )
    return None if name is None or _PUBLIC_BODY.search(name) else name


def _looks_like_question(text: str) -> bool:
    """Whether ``text`` reads as a question."""
    words = text.lower().split()
    return text.rstrip().endswith("?") or (bool(words) and words[0] in _QUESTION_WORDS)


# --- Spin-out and origin -----------------------------------------------------------------

_BODY = (
    r"(?:nhs|n\.h\.s|(?:primary care |foundation |hospital |health |ambulance |care )?trust"
    r"|(?:city |county |district |borough |town |parish |local )?council|local authority"
    r"|authority|ccg|clinical commissioning group|pct|icb|integrated care board|health board"
    r"|department|dept|ministry|government|civil service|public sector|public health"
    r"|public services?|public body|health service|hospital|social services|police"
    r"|fire (?:and rescue )?service|prison service|probation service|dwp|home office|borough"
    r"|mbc|metropolitan borough)"
)
_BODY_LEFT = (
    r"(?:(?:the|a|an|our|my|its|their|local|former|old|same|city|county|borough|district"
    r"|regional|metropolitan|community|mental|acute|primary|secondary|district|foundation"
    r"|teaching|university|partnership|hospitals?|health|care|nhs|combined|integrated|adult"
    r"|children's|social|ambulance|specialist|north|south|east|west|central|greater|royal"
    r"|(?:and|&)(?=\s+(?-i:[A-Z]))"
    r"|(?!(?:yes|yeah|yep|no|nope|we|i|it|our|sorry|well|so|and|from"
    r"|actually)\b)(?-i:[A-Z][\w'&-]*))\s+){0,7}"
)
_BODY_TAIL = (
    r"(?:\s+(?:nhs|trust|council|authority|board|group|service|services|department|england"
    r"|scotland|wales|foundation|partnership|primary|care|of (?-i:[A-Z][\w'&-]*)"
    r"|(?-i:[A-Z][\w'&-]*))){0,4}"
)
_YEAR = r"(?:19[5-9]\d|20[0-4]\d)"
_BODY_PHRASE = re.compile(
    rf"{_BODY_LEFT}\b{_BODY}\b{_BODY_TAIL}(?:,?\s+(?:back\s+)?in\s+{_YEAR}\b)?", _I
)
_SPIN_WORD = r"(?:spun (?:out|off)|spin[- ]?(?:out|off)s?|spinning (?:out|off))"
_SPIN_OUT_NO = re.compile(
    r"\b(?:none|neither) of us (?:has|have|had)? ?(?:ever )?(?:worked|been) (?:for|in|at)"
    r" (?:the |a |an )?"
    r"(?:nhs|council|public sector|local authority|government)"
    r"|\bnever (?:been |were |was )?(?:part of|in|from|worked (?:in|for)|a part of|linked to"
    r"|connected (?:to|with)) (?:the |any )?(?:\w+ )?(?:public sector|nhs|council|public body)"
    r"|\b(?:no |(?:do|does|did)(?: not|n't) have (?:a |any )?|without (?:a |any )?)"
    r"(?:public[- ]sector|nhs|council|government)(?: \w+)? (?:background|links?|history"
    r"|roots|connections?|ties|origins?|involvement|experience)"
    rf"|(?:\bnot|n't|\bnever) (?:(?:really|actually|technically|officially) )?(?:a |an )?"
    rf"(?:public[- ]sector |nhs |council )?{_SPIN_WORD}"
    r"|\bnot (?:from|out of) (?:the )?(?:public sector|nhs|council)"
    r"|\bnothing to do with (?:the )?(?:public sector|nhs|council)"
    r"|\balways (?:been )?(?:independent|private|privately owned|in the private sector)"
    r"|\b(?:set up|founded|started) (?:from scratch|by (?:private|entrepreneurs|investors"
    r"|business people))"
    r"|\bwe(?:'re| are| were) (?:a |an )?(?:purely |entirely )?private(?: sector)? "
    r"(?:company|firm|business) (?:with no|without)",
    _I,
)
_SPIN_OUT_PLANNED = re.compile(
    r"\b(?:plan(?:ning)?|hop(?:e|ing)|aim(?:ing)?|intend(?:ing)?|want(?:ing)?|looking|going"
    r"|about|due|preparing|expect(?:ing)?|trying|thinking of|considering|would like) (?:to )?"
    r"(?:spin (?:out|off)|spinning (?:out|off)|leave the|leaving the|become a spin)"
    r"|\bin the process of (?:spinning|becoming a spin|leaving|setting up|transferring)"
    r"|\bwe(?:'re| are) (?:\w+ ){0,6}?leaving (?=(?:the |our )?(?:\w+ ){0,5}?(?:nhs|trust"
    r"|council|authority|ccg|pct|icb|department|hospital|service))"
    r"|\b(?:will|'ll) (?:be )?(?:spin(?:ning)? (?:out|off)|spun out|leav(?:e|ing) the)"
    r"|\bspinning (?:out|off) (?:next|this|later|soon|in)\b"
    r"|\bstill (?:employed by|working for|work for|working in|part of|in)\b(?= (?:the |a |our )?"
    r"(?:\S+ ){0,5}?(?:nhs|trust|council|authority|hospitals?|ccg|icb)\b)"
    r"|\b(?:employed by|working for|work for|part of)\b(?=[^.;!?]{0,60}\b(?:nhs|trust|council"
    r"|authority|hospitals?|ccg|icb)\b[^.;!?]{0,30}\b(?:at the moment|currently|for now|right now"
    r"|at present|still)\b)",
    _I,
)
# "not sure", "don't know": doubt in their own words.
_DOUBT = r"(?:not (?:\w+ )?sure|unsure|do ?n'?t know|do not know|no idea|not certain|uncertain)"
_OWN_DOUBT = re.compile(rf"\b{_DOUBT}\b", _I)
_SPIN_OUT_HEDGE = re.compile(
    rf"\b(?:{_DOUBT}|unclear)\b[^.;?!]{{0,40}}?"
    r"\b(?:spin[- ]?(?:out|off)|public sector)[^,.;?!]*"
    r"|\b(?:are we|am i|would we be|do we count as|does (?:that|this|it) (?:count|make us)"
    r"|would (?:that|this|it|we) count(?: as)?) (?:\w+ )?(?:a |an )?(?:public sector )?"
    r"spin[- ]?(?:out|off)",
    _I,
)
_STAFF = (
    r"(?:staff|employees|workers|nurses|physios|physiotherapists|therapists|clinicians|doctors"
    r"|gps|managers|colleagues|social workers|officers|people|team|members|carers|practitioners"
    r"|midwives|paramedics|dietitians|health visitors|professionals|specialists|clinical staff"
    r"|[a-z]+ists)"
)
_SPIN_OUT_YES = re.compile(
    r"\b(?:spun|spinning) (?:out|off)\b(?: (?:of|from))?"
    r"|\bspin[- ]?(?:out|off) (?:of|from)\b"
    r"|\b(?:we(?:'re| are| were)|as|our|i (?:run|lead|manage|work for)|it'?s|it is|is|was"
    r"|became|become) (?:[\w'-]+ ){0,4}?spin[- ]?(?:out|off)\b(?! (?:fund|loans?|finance))"
    rf"|\b(?:{_STAFF}) who (?:had )?(?:left|worked (?:for|in|at))(?= (?:the |a |an |our )?"
    rf"(?:\S+ ){{0,3}}?{_BODY}\b)"
    r"|\b(?:came|come|emerged|grew|originated|transferred|separated|broke away|split|moved"
    r"|formed|started|began|launched|externali[sz]ed|became independent|went independent"
    r"|gone independent) (?:out )?(?:of|from)(?= (?:the |a |an |our )?\S*\s?"
    rf"\S*\s?{_BODY})"
    rf"|\b(?:founders?|directors?|staff|team|{_STAFF}) (?:all |both )?(?:worked|used to work)"
    rf" (?:for|in|at)(?= (?:the |a |an |our )?(?:\S+ ){{0,3}}?{_BODY}\b)"
    rf"|\b(?:{_STAFF}|staff|team) from (?=(?:the |a |an |our )?(?:\S+ ){{0,3}}?{_BODY}[^.;]*?"
    r"\b(?:set (?:us|it|this|the \w+) up|founded|formed|started|created|established)\b)"
    rf"|\b(?:arm|part|branch|division) of (?=(?:the |a |an |our )?(?:\S+ ){{0,3}}?{_BODY}[^.;]*?"
    r"\b(?:before|until) (?:going|becoming|we went|we became) independent\b)"
    r"|\b(?:used to be|were|was) (?:a |an |the )?(?:[\w']+ ){0,2}?(?:nhs|council|trust"
    r"|authority|pct|ccg)(?:'s)? (?:[\w-]+ ){0,3}?(?:service|team|department|unit|arm"
    r"|division)\b"
    rf"|\bleft (?=(?:the |a |an |our )?(?:\S+ ){{0,3}}?{_BODY}\b)"
    r"|\b(?:were|used to be|was) (?:a |an )?part of(?= (?:the |a |an |our )?\S*\s?\S*\s?"
    rf"{_BODY})"
    rf"|\b(?:used to be|were|was) (?:a |an |the )?(?:\w+ )?(?:nhs|council) (?:service|team"
    r"|department|unit)"
    rf"|\b(?:we (?:were|was) (?:all |both )?(?:\w+ )?{_STAFF}) (?:at|of|in|with|for)"
    rf"(?= (?:the |a |an |our )?(?:\S+ ){{0,4}}?{_BODY}\b)"
    rf"|\b(?:set up|founded|started|formed|established|created|run|owned|led)"
    rf"(?: in (?:{_YEAR}))? by (?:a group of )?"
    rf"(?:former|ex-|ex )(?=[^,.;]*?{_STAFF})"
    rf"|\b(?:set up|founded|started|formed|established|created)(?: in {_YEAR})? by "
    rf"(?:[\w-]+ ){{0,4}}?{_STAFF} (?:from|of|at|who (?:left|worked (?:at|for|in)))"
    rf"(?= (?:the |a |an |our )?(?:\S+ ){{0,6}}?{_BODY}\b)"
    rf"|\bwe(?:'re| are)\b[^,.;]{{0,30}}?\b(?:former|ex-)(?=\S*\s?\S*\s?\S*\s?{_STAFF}|{_BODY})"
    r"|\b(?:\w+'s )?former (?:\w+ ){0,4}?(?:team|service|department|unit)\b"
    r"|\b(?:staff|employee)[- ](?:owned |led )?mutual\b(?: (?:from|of|out of))?"
    r"|\bex-(?:nhs|council|local authority|public sector|trust|ccg|pct|civil service)\b"
    r"|\btupe\b",
    _I,
)
_CLAUSE_SPLIT = re.compile(r"[,;.!?]|\s-\s|\band\b(?=\s+(?:we|our|i|now|then|have|started))", _I)
_YEAR_WORD = re.compile(rf"\b({_YEAR})\b")
_IN_YEAR = re.compile(rf"\bin ({_YEAR})\b", _I)


def _body_after(text: str, start: int) -> str | None:
    """The public body named from ``start`` on within the clause, as written."""
    clause = _CLAUSE_SPLIT.split(text[start:], maxsplit=1)[0]
    year = re.match(rf"\s*,?\s*(?:back )?in {_YEAR}\b", text[start + len(clause) :], _I)
    if year:
        clause += year.group(0)
    match = _BODY_PHRASE.search(clause)
    if match is None or len(clause[: match.start()].split()) > 3:
        return None
    body = match.group(0).strip(" ,")
    before = clause[: match.start()].split()
    if (
        before
        and all(re.fullmatch(r"[a-z][a-z'-]*[a-z]", word) for word in before)
        and not (set(before) & _NOT_IN_A_NAME)
    ):
        body = f"{' '.join(before)} {body}"  # "out of brookside nhs foundation trust"
    return re.sub(r"^(?:a|an)\s+", "", body, flags=_I)


_NOT_IN_A_NAME = _words(
    "a an the our my their its of from by with in at for and or to we they it this that was "
    "were been being former old local we're i'm ex"
)


def _clause_year(text: str, start: int, end: int) -> int | None:
    """The year of a spin-out phrase at ``text[start:end]``.

    A year after the phrase in its clause, an "in 2014" before it in its clause, or a bare
    "in 2014," clause just before it.
    """
    left = max(text.rfind(mark, 0, start) for mark in ",;.!?")
    right_match = _CLAUSE_SPLIT.search(text, end)
    right = right_match.start() if right_match else len(text)
    found = _YEAR_WORD.search(text[start:right]) or _IN_YEAR.search(text[left + 1 : start])
    if found is None and left > 0:
        previous = text[max(text.rfind(mark, 0, left) for mark in ",;.!?") + 1 : left]
        found = re.fullmatch(rf"\s*(?:back )?in ({_YEAR})\s*", previous, _I)
    return int(found.group(1)) if found else None


@dataclass(frozen=True)
class _SpinOut:
    """What a message says about spinning out."""

    answer: Answer | None = None
    origin: str | None = None
    year: int | None = None
    planned: bool = False


def _read_spin_out(statements: list[str], reply: str, asking: str | None) -> _SpinOut:
    """Whether the organisation spun out of a public body, which one, and when."""
    text = " ; ".join(statements)
    planned = _SPIN_OUT_PLANNED.search(text)
    if planned:
        return _SpinOut(Answer.UNSURE, _body_after(text, planned.end()), None, planned=True)
    plain = _SPIN_OUT_HEDGE.sub(" ", text)
    if _SPIN_OUT_NO.search(plain):
        return _SpinOut(Answer.NO)
    matches = list(_SPIN_OUT_YES.finditer(plain))
    if matches:
        # "We're a spin-out: set up by dietitians who left X Trust" names the body later on.
        origins = (
            _body_after(plain, found.end()) or _body_after(plain, found.start())
            for found in matches
        )
        origin = next((body for body in origins if body), None)
        if origin is None or not _PROPER_NAME.search(origin):
            origin = _named_body(plain) or origin  # "ex-NHS ... from Solent NHS Trust"
        match = matches[0]
        year = _YEAR_WORD.search(origin or "")
        year_value = int(year.group(1)) if year else _clause_year(plain, match.start(), match.end())
        # "some founders worked for the health board ... I don't know if that counts as a
        # spin-out": their own doubt stands, for the team to discuss.
        doubted = plain != text and _OWN_DOUBT.search(text)
        answer = Answer.UNSURE if doubted else Answer.YES  # not "are we a spin-out? we ..."
        return _SpinOut(answer, origin, year_value)
    if plain != text:
        return _SpinOut(Answer.UNSURE)
    return _asked_spin_out(reply, asking)


def _named_body(text: str) -> str | None:
    """The public body ``text`` names, preferring one with a proper name ("Solent NHS
    Trust" over "the NHS"), for a spin-out whose origin is said apart from the spin-out."""
    bodies = [
        re.sub(r"^(?:a|an)\s+", "", match.group(0).strip(" ,"), flags=_I)
        for match in _BODY_PHRASE.finditer(text)
    ]
    bodies = [body for body in bodies if not _GENERIC_BODY.match(body)]
    named = [body for body in bodies if _PROPER_NAME.search(body)]
    return named[0] if named else None


_PROPER_NAME = re.compile(r"(?-i:[A-Z][a-z])")
_GENERIC_BODY = re.compile(
    r"^(?:the |our )?(?:public sector|public services?|public body|government|department)$", _I
)


def _asked_spin_out(reply: str, asking: str | None) -> _SpinOut:
    """Read a reply to the spin-out or origin question that names no spin-out phrase."""
    if asking not in (ASKING_SPUN_OUT, ASKING_ORIGIN) or not reply:
        return _SpinOut()
    if _looks_like_question(reply) and not _FIRST_PERSON.search(reply):
        return _SpinOut()
    answer = None if _looks_like_question(reply) else interpret_yes_no(reply)
    if _CORRECTION.search(reply):
        answer = None  # "two corrections: ... over 5 years, not 3" answers no yes/no question
    if answer is Answer.NO and _TRADING_NO.search(reply):
        answer = None  # "we're pre-launch" says nothing about spinning out
    body = _BODY_PHRASE.search(reply)
    year = _YEAR_WORD.search(reply)
    year_value = int(year.group(1)) if year else None
    if asking == ASKING_ORIGIN:
        origin = body.group(0).strip(" ,") if body else _bare_origin(reply)
        return _SpinOut(
            Answer.YES if body and answer is not Answer.NO else None, origin, year_value
        )
    if body and answer in (None, Answer.YES):
        return _SpinOut(Answer.YES, body.group(0).strip(" ,"), year_value)
    return _SpinOut(answer, None, year_value if answer is Answer.YES else None)


def _bare_origin(reply: str) -> str | None:
    """A short reply to "where did your organisation come from?" as written."""
    if _looks_like_question(reply) or interpret_yes_no(reply) is not None:
        return None
    lead = r"^(?:we (?:came|come|spun out) (?:from|of)|from|out of|it was|it's|its)\s+"
    origin = _trim(re.sub(lead, "", reply.strip(), flags=_I), re.compile(r"[;!?]"), 10)
    return origin or None


# --- Trading -----------------------------------------------------------------------------

_DURATION = (
    r"(?:(?:about|around|nearly|almost|over|just over|roughly|more than|under|less than"
    r"|approximately) )?(?:\d+(?:\.\d+)?|a|an|one|two|three|four|five|six|seven|eight|nine|ten"
    r"|eleven|twelve|fifteen|twenty|a couple of|a few|several|many)(?: and a half)?"
    r"[ -](?:years?|months?|weeks?)"
)
_MONTH = (
    r"(?:january|february|march|april|may|june|july|august|september|october|november|december"
    r"|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec|spring|summer|autumn|winter)"
)
_WHEN = rf"(?:{_YEAR}|(?:last|early|late|mid)[ -]{_MONTH}|{_MONTH}(?: {_YEAR})?|last year)"
_TRADING_SINCE = re.compile(
    r"\b(?:trading|running|operating|going|working|established|in business|open|existed|been around"
    r"|been active|been delivering|been providing|operational|up and running|live)"
    rf" (?:for |since )?(?P<since>{_DURATION}|{_WHEN})\b"
    rf"|\b(?:since|launched|started trading|started|began trading|opened|went live) "
    rf"(?:in |back in |on )?(?P<since2>{_DURATION} ago|{_WHEN})\b"
    rf"|\b(?P<since3>{_DURATION}) (?:of )?(?:trading|in business)\b",
    _I,
)
_FUTURE_TIME = rf"(?:in|next|this|later|soon|early|at the end|by|on|{_MONTH})"
_ORG_LAUNCH = r"(?:launch|start trading|begin trading|start operating|go live|open|trade)"
_TRADING_NO = re.compile(
    r"(?:\bnot|n't|\bnever) (?!(?:long|fully|completely|officially|properly|quite)\b)"
    r"(?:yet |quite |actually )?(?:\w+ )?(?:launched|trading"
    r"|started trading|started(?! (?:the|a|an|our|my|this|that|to|on|with|applying|looking)\b)"
    r"|begun|operating|operational|up and running|open for|opened|traded)\b"
    r"|\byet to (?:launch|start|trade|open|begin|go live)\b"
    r"|\bpre-? ?(?:launch|trading|revenue|start-?up)\b"
    r"|\b(?:still|currently|just|only) (?:in the process of )?(?:setting up|getting set up"
    r"|being set up|getting started|at the planning stage|in development)\b"
    r"|\bin the process of (?:setting up|launching|spinning)\b"
    rf"|\b(?:will|'ll|going to|plan(?:ning)? to|hop(?:e|ing) to|aim(?:ing)? to|due to"
    rf"|about to|expect(?:ing)? to|looking to|intend(?:ing)? to|ready to|preparing to"
    rf"|want to|would like to|need to) {_ORG_LAUNCH}\b(?! (?:a|an|new|some|this|these|it)\b)"
    rf"|\bwe(?:'re| are)? (?:launch|launching|opening|going live|start trading) {_FUTURE_TIME}\b"
    rf"|\b(?:before|until|till|once|when|after) we(?:'ve| have)? (?:launched|launch|start)\b"
    r"|\b(?:before|until|till|once|when|after) we(?:'re| are| get| have got)? (?:up and running"
    r"|trading|operational|live|going)\b"
    r"|\blaunch date\b|\bnot launched yet\b"
    r"|\bour (?:official |formal )?(?:launch|go-live|start date) (?:is|will be|date)\b",
    _I,
)
_TRADING_UNSURE = re.compile(
    r"\bsoft[- ]launch\w*|\b(?:partly|partially|semi[- ]?)(?:launched|trading|operational)"
    r"|\bnot fully (?:launched|trading|operational|up and running|live)"
    r"|\b(?:sort of|kind of|kinda|sorta) (?:launched|trading|running|operating|live)"
    r"|\b(?:running|in|on) a pilot\b|\bpilot (?:phase|stage)\b|\bin beta\b"
    r"|\b(?:not (?:\w+ )?sure|unsure|do ?n'?t know) (?:if|whether) (?:we|we're|we are|we've"
    r"|we have|it|it's|that) (?:\w+ ){0,3}?(?:launched|trading|up and running)[^,.;?!]*",
    _I,
)
_TRADING_YES = re.compile(
    r"\b(?:launched|trading|operating|operational|up and running|established|going|running"
    r"|open|been delivering|been providing|in business) (?:for|since)\b"
    r"|\b(?:we(?:'ve| have)?|already|recently|officially|finally|successfully) (?:just )?"
    r"(?:launched|started trading|began trading|went live|opened)\b"
    r"|\b(?:already|currently|now|actively|fully) (?:trading|operating|operational|launched"
    r"|up and running|live)\b"
    r"|\bup and running\b|\bfully operational\b|\bnot long (?:launched|started)\b"
    r"|\b(?:a|an) (?:launched|trading|established|operating) (?:\w+ )?(?:cic|company|mutual"
    r"|social enterprise|business|organisation|organization|spin[- ]?out|charity)\b"
    r"|\blaunched (?:in|last|back|two|three|four|five|a|on|\d)\b|\blaunched and trading\b"
    r"|\bwe(?:'re| are) (?:trading|launched|operating)\b|\bwe trade\b"
    r"|\b(?:working|trading|operating|running|open|going) (?:ever )?since (?:then|that)\b"
    r"|\bwe(?:'ve| have) been (?:trading|operating|running|open|in business)\b",
    _I,
)
_TRADING_EVIDENCE = re.compile(
    r"\bwe (?:have|employ|'ve got|have got|currently employ|now have|currently have|support"
    r"|see|serve|look after|care for|work with) (?:over |about |around |nearly |almost |some "
    r"|more than )?\d[\d,]* (?:\w+ )?(?:staff|employees|people|nurses|workers|carers"
    r"|members of staff|team members|clinicians|therapists|patients|clients|service users"
    r"|customers|residents|families)\b|\b(?:and|with) \d[\d,]* (?:\w+ )?(?:staff|employees)\b"
    r"|\b(?:we (?:have|hold|'ve got|have got|currently hold|run)|our) (?:\w+ ){0,2}?contracts?\b"
    r"|\bcontracts? (?:with|from) (?:the |our |a |several |two |three )?(?:\w+ )?(?:ccg|icb"
    r"|council|nhs|trust|local authority|pct)"
    r"|\bour (?:turnover|revenue|income|clients|customers|patients|service users)\b"
    r"|\bturnover (?:is|of|was)\b",
    _I,
)
_FUTURE_MARKER = re.compile(
    r"\b(?:will|'ll|going to|plan|planning|hope|hoping|aim|aiming|once|when we|would|expect"
    r"|intend|want|soon)\b",
    _I,
)


def _read_trading(
    statements: list[str], reply: str, asking: str | None, planned_spin_out: bool
) -> tuple[Answer | None, str | None]:
    """Whether the organisation has launched and is trading, and since when."""
    text = " ; ".join(statements)
    since_match = _TRADING_SINCE.search(text)
    since = since_match and next(filter(None, since_match.group("since", "since2", "since3")), None)
    plain = _TRADING_UNSURE.sub(" ", text)
    if _TRADING_NO.search(plain) or planned_spin_out:
        return Answer.NO, None
    if plain != text:
        return Answer.UNSURE, None
    if since or _TRADING_YES.search(text):
        return Answer.YES, since or None
    if any(_weak_trading(clause) for clause in _CLAUSE_SPLIT.split(text)):
        return Answer.YES, None
    if asking == ASKING_TRADING and reply and not _looks_like_question(reply):
        answer = None if _CORRECTION.search(reply) else interpret_yes_no(reply)
        duration = re.search(rf"\b{_DURATION}|{_WHEN}\b", reply, _I)
        if answer in (None, Answer.YES) and duration:
            return Answer.YES, duration.group(0)
        return answer, None
    return None, None


def _weak_trading(clause: str) -> bool:
    """Whether a clause shows trading (staff, contracts, turnover) with no plan or wish."""
    return bool(_TRADING_EVIDENCE.search(clause)) and not _FUTURE_MARKER.search(clause)


# --- Services and sector -----------------------------------------------------------------

_SERVICE_VERB = (
    r"(?:provide|provides|providing|deliver|delivers|delivering|offer|offers|offering|run|runs"
    r"|do|does|supply|supplies|supplying|specialise in|specialize in|specialising in"
    r"|specializing in|focus on|focusing on|work in|operate|give|gives|giving)"
)
_SERVICES = re.compile(
    r"(?:\b(?P<subject>we(?:'re| are|'ve been| have been| have| now| then)?|and"
    r"|since then we(?: have been|'ve been)?)"
    r"(?: (?:currently|also|mainly|mostly|now|still|primarily"
    r"|already|just|basically))?|\b(?:cic|company|organisation|organization|mutual|enterprise|business"
    r"|charity|provider|spin[- ]?out|ltd|limited|partnership),?(?: that| which| who)?)"
    rf" {_SERVICE_VERB} (?P<services>[^,.;!?]+)"
    r"|\bour (?:main )?(?:services?|work|business) (?:is|are|includes?|covers?|involves?)"
    r" (?P<services2>[^,.;!?]+)"
    r"|(?:trading|running|operating|going)(?: (?:for|since) [^,.;!?]+)?,"
    r" (?:providing|delivering|offering|running|supplying|selling) (?P<services3>[^,.;!?]+)",
    _I,
)
_SERVICE_OBJECT_STOPS = re.compile(
    r"^(?:yes|yeah|yep|yup|no|nope|correct|right|ok|okay|sure|exactly|indeed|not|n't|need|needs|want|have|know|think|so|this|that|(?-i:it|It)|apply|qualify|count"
    r"|get|well|(?:my|our|his|her|their) own|(?:a|the|our|my) (?:company|business|cic|charity"
    r"|organisation|organization|social enterprise|mutual|team|firm)"
    r"|our best|business|work|with|for|in|on|at|from|to|out|into|a lot|lots|loans?|the fund"
    r"|\d|£|about|around|over|since|services to)\b",
    _I,
)
_SERVICE_KIND = re.compile(
    r"\bwe(?:'re| are) (?:a|an) (?P<kind>(?:[\w'-]+ ){0,4}?[\w'-]+) (?:provider|service"
    r"|organisation|organization|cic|company|social enterprise|mutual|charity|business|team"
    r"|practice|agency|specialist|federation|network|collaborative|co-?operative|co-op|group)s?\b",
    _I,
)
_SERVICE_TRIM = re.compile(
    r"\s+(?:and (?:we|our|i|have|need|are|would|want|now|also|currently|it|they|can|could)"
    r"|but|so|since|because|which|who|where|when|we|our|to|across|throughout|via|through"
    r"|back (?:to|into)|on behalf of|under|and need|and are"
    r"|for (?:the |our local |local )?(?:nhs|council|ccg"
    r"|trust|icb|local authority|pct|government)|for (?:about |over |around |nearly |almost )?"
    r"(?:\d|one|two|three|four|five|six|seven|eight|nine|ten|a few|several|many)|for (?:the )?"
    r"(?:past|last)|over|in (?:the )?(?:\w+ )?(?:area|region|borough|county)|with (?:a|an|the"
    r"|our)? ?(?:contract|team|staff)|-)\b.*$",
    _I,
)
_HEALTH = re.compile(
    r"\b(?:health|healthcare|nhs|nurs(?:e|es|ing)|physio\w*|therap\w*|clinic\w*|medic\w*|gps?"
    r"|general practice|dental|dentist\w*|pharmac\w*|hospital\w*|patients?|podiatr\w*|midwi\w*"
    r"|diagnos\w*|rehab\w*|counselling|psycholog\w*|psychiatr\w*|dietetic\w*|nutrition\w*"
    r"|audiolog\w*|optometr\w*|opticians?|hospices?|palliative|wellbeing|well-being|surg\w*"
    r"|radiolog\w*|pathology|vaccin\w*|immunis\w*|ambulance|primary care|urgent care"
    r"|respiratory|copd|oxygen|stroke|neuro\w*|continence|diabet\w*|asthma|cardi\w*)\b",
    _I,
)
_SOCIAL_CARE = re.compile(
    r"\b(?:social care|social work\w*|care homes?|nursing homes?|home ?care|domiciliary"
    r"|residential|supported living|day (?:care|centres?|services)|older people|elderly"
    r"|learning disabilit\w*|disabilit\w*|disabled|carers?|respite|reablement|personal care"
    r"|care workers?|foster\w*|adoption|children's services|safeguarding|housing support"
    r"|meals on wheels|extra care|live-in care|dementia|autism|autistic|care)\b",
    _I,
)
_HEALTH_CARE_TERMS = re.compile(
    r"\b(?:primary|urgent|palliative|clinical|patient|intensive|dental|health|foot|eye|wound"
    r"|end of life|hospice|maternity|nursing) care\b|\bhealthcare\b",
    _I,
)
_SERVICE_WORDS = re.compile(f"{_HEALTH.pattern}|{_SOCIAL_CARE.pattern}", _I)
_BOTH_SECTORS = re.compile(r"\bhealth (?:and|&) (?:social )?care\b|\bintegrated care\b", _I)
_NOT_HEALTH = re.compile(r"\bnursing homes?\b", _I)
_GENERIC_SERVICES = _words(
    "services service it this that them these those everything lots stuff things work"
)
_ASKED_SERVICES_LEAD = re.compile(
    rf"^(?:(?:we|we're|we are|i)(?: (?:currently|also|mainly|mostly|now|just))? {_SERVICE_VERB}"
    r"|(?:mainly|mostly|basically|just|it's|its|it is))\s+",
    _I,
)


_DOING_SERVICES = re.compile(
    r"\b(?:providing|delivering|offering|running|doing|giving|supplying)\s+"
    r"(?P<services>[^,.;!?]+)",
    _I,
)
_TECH_PURCHASE = re.compile(r"\b(?:new|buy|purchase|replace|upgrade)\b", _I)
# Without "we": "(set up) to provide dementia support back to the NHS", "contracts for
# community physiotherapy". Kept only when the phrase names a health or care service.
_UNSUBJECTED_SERVICES = re.compile(
    rf"\b(?:to|who|that|which|and|they|(?:and )?the client) {_SERVICE_VERB} (?P<services>[^,.;!?]+)"
    r"|\b(?:contracts?|commissioned|commissions?|paid|pays?|funded)\b[^,.;!?]*?\bfor"
    r" (?P<services2>[^,.;!?]+)",
    _I,
)


def _names_a_service(phrase: str) -> bool:
    """Whether a phrase is about health or care, and not a technology purchase."""
    return bool(_SERVICE_WORDS.search(phrase) and not _TECH_PURCHASE.search(phrase))


def _clean_services(phrase: str) -> str | None:
    """A short services phrase without leading articles, or ``None`` if it says nothing."""
    phrase = _trim(phrase, _SERVICE_TRIM, 10)
    phrase = re.sub(r"^(?:a|an|the|some|our|various|lots of|a range of)\s+", "", phrase, flags=_I)
    if not phrase or _SERVICE_OBJECT_STOPS.match(phrase):
        return None
    return None if phrase.lower() in _GENERIC_SERVICES else phrase


def _read_services(statements: list[str], reply: str, asking: str | None) -> str | None:
    """What the organisation provides, as a short phrase."""
    for sentence in statements:
        for match in _SERVICES.finditer(sentence):
            if _joined_to_purpose(sentence, match):
                continue
            phrase = _clean_services(
                match.group("services") or match.group("services2") or match.group("services3")
            )
            if phrase and not (phrase.istitle() and _looks_like_organisation(phrase)):
                return phrase  # "we run Brightpath Health" names the organisation
        doing = _DOING_SERVICES.search(sentence)
        if doing and not _TRADING_UNSURE.search(sentence):
            phrase = _clean_services(doing.group("services"))
            if phrase and not _TECH_PURCHASE.search(phrase):
                return phrase  # "we've traded since then, delivering district nursing to ..."
        kind = _SERVICE_KIND.search(sentence)
        if kind and (_HEALTH.search(kind.group("kind")) or _SOCIAL_CARE.search(kind.group("kind"))):
            return kind.group("kind")
        for match in _UNSUBJECTED_SERVICES.finditer(sentence):
            phrase = _clean_services(match.group("services") or match.group("services2"))
            named = phrase and phrase.istitle() and _looks_like_organisation(phrase)
            if phrase and _names_a_service(phrase) and not named:
                return phrase
    if asking != ASKING_SERVICES or not reply or _looks_like_question(reply):
        return None
    sentences = [part for part in re.split(r"[.;!?]", reply.strip()) if part.strip()]
    about_care = [part for part in sentences if _names_a_service(part)]
    phrase = _ASKED_SERVICES_LEAD.sub("", (about_care or sentences or [""])[0].strip())
    return _clean_services(phrase)


def _joined_to_purpose(sentence: str, match: re.Match[str]) -> bool:
    """Whether "and provide ..." continues a "to buy ..." purpose rather than saying what we do."""
    if (match.group("subject") or "").lower() != "and":
        return False
    clause = re.split(r"[,;.!?]", sentence[: match.start()])[-1]
    return bool(re.search(r"\bto \w+", clause, _I)) or not _FIRST_PERSON.search(sentence)


def classify_sector(services: str) -> str:
    """The sector of a services phrase: health, social care, both, or other."""
    if _BOTH_SECTORS.search(services):
        return SECTOR_BOTH
    health = bool(_HEALTH.search(_NOT_HEALTH.sub(" ", services))) or bool(
        _HEALTH_CARE_TERMS.search(services)
    )
    social = bool(_SOCIAL_CARE.search(_HEALTH_CARE_TERMS.sub(" ", services)))
    if health and social:
        return SECTOR_BOTH
    if health:
        return SECTOR_HEALTH
    return SECTOR_SOCIAL_CARE if social else SECTOR_OTHER


# --- Investment purpose ------------------------------------------------------------------

_NEED = re.compile(
    r"\b(?:need|needs|needed|want|wants|wanted|looking for|seeking|after|require|requires"
    r"|borrow|borrowing|apply(?:ing)? for|loan|funding|finance|financing|investment|invest"
    r"|money|cash|capital|spend|use it|use the|would like|'d like|hoping|plan|planning"
    r"|like to|£|\d+k|million)\b|£",
    _I,
)
_ACQUIRE = (
    r"(?:buy|purchase|get|fund|finance|pay for|pay(?= (?:the |our |staff |for )?(?:wages|salar"
    r"|rent|staff|bills|costs|overheads|debts?))|cover|acquire|afford|invest in|procure"
    r"|spend on|put towards)"
)
_CHANGE = (
    r"(?:upgrade|replace|develop|build|install|implement|introduce|refurbish|renovate|expand"
    r"|create|roll out|digitise|digitize|modernise|modernize|integrate|improve|update|move"
    r"|hire|recruit|employ|extend|bring in|switch to|migrate|deploy|commission|equip|kit out"
    r"|design|automate|connect|convert|overhaul|redevelop|set up|grow|scale up|train|support"
    r"|refinance|pay off|clear|consolidate)"
)
_PURPOSE = re.compile(
    rf"\bto (?:help (?:us )?)?(?:(?P<acquire>{_ACQUIRE})|(?P<change>{_CHANGE}))\s+"
    r"(?P<object>[^,;.!?]+)"
    r"|\b(?:for|towards)\s+(?P<for>(?!(?:\d|£|a loan|loans?\b|the loan|funding|finance|the fund"
    r"|this fund|a fund|it\b|that\b|this\b|you\b|us\b|me\b|how|about|around|up to|over|a period"
    r"|a term|one|two|three|four|five|six|seven|eight|nine|ten|a year|years?|months?|the next"
    r"|the past|the last|long|now|the moment|ages|a while|example|instance|older|people|children"
    r"|schools?|patients|the nhs|the council|the ccg|local|free|sure|certain|more than|less than"
    r"|applying|an application|advice)\b)[^,;.!?]+)"
    rf"|\b(?:spend it on|use it (?:for|on)|put it towards|go (?:on|towards)|invest in"
    r"|investing in|the (?:loan|money|funding|investment|cash) (?:is|would be|will be|'s"
    r"|'d be) for|\b(?:loan|money|funding|cash) ?(?:=|->|:)"
    r"|\b(?:loan|money|funding|investment) (?:would|will|'d|could|is to|is going to|should) "
    r"(?:cover|pay for|fund|buy|go on|go towards|be spent on|be used for))\s+"
    r"(?P<direct>[^,;.!?£]+)"
    r"|\b(?:need|needs|want|wants|require|requires|looking for|seeking)\s+(?P<need>(?:a |an "
    r"|some |new |more )(?!(?:loan|lender|funding|money|finance|investment|cash"
    r"|capital|bit|little|lot|help|advice|chat|call|hand|quote|decision|answer)\b)[^,;.!?]+)",
    _I,
)
_PURPOSE_TRIM = re.compile(
    r"\s+(?:but|so|because|as|which|if|can|could|would|will|is|are|does|do|please|thanks"
    r"|costing|worth|at a cost|totalling|totaling|over (?:a |the )?(?:\d|one|two|three|four|five"
    r"|six|seven|eight|nine|ten|period)|within|repay\w*|pay (?:it |this |that )?back|paid back"
    r"|and (?:to )?(?:provide|deliver|improve|help|make|give|reduce|free up|save|allow|enable)"
    r"|and (?:we|i|our|it|can|could|would|is|are|need|want|how|what|also|then|repay|pay"
    r"|about|around|roughly)|about £|around £|-|from the fund|from you|through the fund"
    r"|with the fund|via the fund|for (?:about|around|roughly)|we|i)\b.*$",
    _I,
)

_ASKED_PURPOSE_LEAD = re.compile(
    r"^(?:(?:it'?s|it is|its|the (?:loan|money|funding) (?:is|would be|will be)|we want|we'd like"
    r"|we would like|we need|we plan|we're planning|mainly|mostly|basically|just)\s+)*"
    rf"(?:(?:for|to)\s+)?(?:{_ACQUIRE}\s+)?",
    _I,
)
_SUM_AFTER = re.compile(r",\s*(?:about |around |roughly |approx\w* |~)?(?:£|\d)")


def _read_purpose(statements: list[str], reply: str, asking: str | None) -> str | None:
    """What the money is for, as written: the first phrase that names a purchase, else
    the first phrase ("Thank you for your reply. The loan would buy a new roof" is the roof)."""
    found = [
        purpose
        for sentence in statements
        for match in _PURPOSE.finditer(sentence)
        if (purpose := _purpose_from(sentence, match, asking))
    ]
    if found:
        return next((p for p in found if classify_purpose(p) is not None), found[0])
    if asking != ASKING_PURPOSE or not reply or _looks_like_question(reply):
        return None
    purpose = _trim(_ASKED_PURPOSE_LEAD.sub("", reply.strip()), _PURPOSE_TRIM, 14)
    purpose = _SUM_AFTER.split(purpose, maxsplit=1)[0]  # "..., £420k, 4 years"
    if is_filler(purpose) or (_TRADING_SINCE.search(reply) and classify_purpose(purpose) is None):
        return None  # "fine. we've been trading since 2014, ..." says nothing of the money
    return purpose if re.search(r"[a-z]", purpose, _I) else None


# What may stand before "for ..." when it says what the money is for ("it would be for",
# "we need £300k for", "mainly for").
_FOR_LEAD = re.compile(
    r"(?:^|\b(?:be|is|'s|are|need|needs|want|wants|used|spent|money|loan|funding|finance|mainly"
    r"|mostly|just|all|go|goes|going|borrow|borrowing|apply|applying|seeking|looking|like"
    r"|million|grand|thousand|years?|months?|it|this|that|primarily|partly|largely|both|also"
    r"|purely|only)|\d\s*(?:k|m|bn)?)\W*$",
    _I,
)


def _purpose_from(sentence: str, match: re.Match[str], asking: str | None) -> str | None:
    """The purpose phrase of one match, when the sentence talks about the money."""
    needed = asking == ASKING_PURPOSE or _NEED.search(sentence[: match.start()])
    if match.group("direct") is not None:
        phrase = match.group("direct")
    elif match.group("need") is not None:
        phrase = _trim(match.group("need"), _PURPOSE_TRIM, 14)
        return phrase if classify_purpose(phrase) is not None else None
    elif not needed:
        return None
    elif match.group("for") is not None:
        phrase = match.group("for")
        clause = re.split(r"[,;:]", sentence[: match.start()])[-1]
        if not _FOR_LEAD.search(clause):
            return None  # "IT kit for the office": the kit, not the office
        if asking != ASKING_PURPOSE and classify_purpose(phrase) is None:
            return None  # "make that £600k, for the day centres too" names no purchase
    elif match.group("change") is not None:
        phrase = f"{match.group('change')} {match.group('object')}"
    else:
        phrase = match.group("object")
    purpose = _trim(phrase, _PURPOSE_TRIM, 14)
    return purpose if re.search(r"[a-z]{3}", purpose, _I) else None


def classify_purpose(purpose: str) -> Answer | None:
    """YES for technology, NO for other costs, UNSURE for a mix, ``None`` if unclear."""
    tech, non_tech = mentions(purpose)
    if tech and non_tech:
        return Answer.UNSURE
    if tech:
        return Answer.YES
    return Answer.NO if non_tech else None


# --- Amount ------------------------------------------------------------------------------

_PHONE = re.compile(r"(?:\+44\s?(?:\(0\)\s?)?|\b0)\d{2,4}[\s-]?\d{3,4}[\s-]?\d{3,4}\b")
_REFERENCE = re.compile(
    r"\b(?:company|charity|registration|reg|account|ref|reference|cic|case) (?:number|no\.?|#)"
    r"(?:\s+is|\s*:)?\s*\S+",
    _I,
)
_COUNTED = re.compile(
    r"\b\d[\d,]*(?:\.\d+)?\s*(?:sq|square|ft|feet|m2|metres|meters|km|%|per ?cent|calls"
    r"|appointments|referrals|contacts|households|children|families|volunteers|service users"
    r"|sessions|downloads|carers|beds|homes)\b",
    _I,
)
_FUND_RANGE = re.compile(rf"(?:between\s+)?{AMOUNT_TOKEN}\s*(?:-|to|and)\s*{AMOUNT_TOKEN}", _I)
_AMOUNT_SPLIT = re.compile(
    r"(,(?!\d{3})|;|\bbut\b|\bnot\b|\brather than\b|\binstead of\b|\bor\b|\bfrom\b"
    r"|\bto\b(?=\s*£?\s?\d)|(?<!hundred )\band\b(?! a half)|\bover\b|\bfor\b|\bthen\b"
    r"|\bnow\b|\bwhich\b|\bplus\b)",
    _I,
)
_NEGATING = frozenset({"not", "rather than", "instead of"})
_WRONG = re.compile(
    r"\b(?:was|is) (?:wrong|a typo|a mistake|incorrect|not right)\b|\btypo\b|\bscratch\b", _I
)
_LOAN_LIMIT_TALK = re.compile(
    r"\b(?:the )?(?:loans?|fund|tsf) (?:go(?:es)?|run|runs|range|ranges|reach(?:es)?|top out"
    r"|are|is) (?:up to|as (?:high|much) as|from|between)\b",
    _I,
)
_NOT_THE_LOAN = re.compile(
    r"\b(?:turnover|revenue|income|sales|profits?|worth|valued|value|grants?|salar(?:y|ies)"
    r"|raised|reserves|assets|spent|deficit|debts?|owe|already (?:have|got|borrowed)"
    r"|a year|per year|per annum|annual\w*|each year|every year|a month|per month"
    r"|minimum|maximum|min|max|smallest|largest|biggest|lowest|highest|limit|cap"
    r"|you (?:lend|offer|give|provide|do)|the fund (?:lends|offers|gives)|loans (?:are|of|up)"
    r"|(?:loans?|it|they|the fund) (?:go(?:es)?|run|runs|range|ranges|reach(?:es)?|top out) "
    r"(?:up )?(?:to|from|at)"
    r"|do you|does the fund)\b",
    _I,
)


def _amount_segments(sentence: str) -> list[tuple[str, str]]:
    """``sentence`` cut where amounts part, each piece with the word that opened it."""
    pieces = _AMOUNT_SPLIT.split(sentence)
    segments = [("", pieces[0])]
    segments += [(pieces[i].lower(), pieces[i + 1]) for i in range(1, len(pieces) - 1, 2)]
    return segments


def _mask_for_amounts(sentence: str) -> str:
    """``sentence`` with phone numbers, references, head counts and the fund's range removed."""
    sentence = spread_shared_multiplier(sentence)
    for pattern in (_PHONE, _REFERENCE, _COUNTED):
        sentence = pattern.sub(" ", sentence)
    for match in _FUND_RANGE.finditer(sentence):
        low, _, high = re.split(r"\s*(-|\bto\b|\band\b)\s*", match.group(0), maxsplit=1, flags=_I)
        if (_parse_amount(low), _parse_amount(high)) == (250_000, 1_000_000):
            sentence = sentence.replace(match.group(0), " ")
    return sentence


def _parse_amount(text: str) -> int | None:
    """:func:`parse_amount`, with absurdly long figures read as no amount."""
    try:
        return parse_amount(text)
    except ArithmeticError:
        return None


class _StatedAmount(NamedTuple):
    """An amount read from a message: pounds, or a range that straddles a loan limit."""

    pounds: int | None
    range: tuple[int, int] | None = None


def _read_amount(statements: list[str], correction: bool) -> _StatedAmount:
    """The amount they want to borrow; in a correction, the corrected one. A range counts
    as the amount it stands for (:func:`amount_for_range`)."""
    kept: list[_StatedAmount] = []
    for sentence in statements:
        masked = _mask_for_amounts(sentence)
        if _LOAN_LIMIT_TALK.search(masked):
            continue  # "Tomasz says the loans go up to £2m" is no sum they want
        stated_range = parse_amount_range(masked)
        if stated_range and not _NOT_THE_LOAN.search(masked):
            pounds = amount_for_range(*stated_range)
            kept.append(_StatedAmount(pounds, None if pounds else stated_range))
            continue
        for opener, segment in _amount_segments(masked):
            value = _parse_amount(segment)
            if value is None or _NOT_THE_LOAN.search(segment):
                continue
            if opener in _NEGATING or (correction and opener == "from") or _WRONG.search(segment):
                continue
            kept.append(_StatedAmount(value))
    if not kept:
        return _StatedAmount(None)
    return kept[-1] if correction else kept[0]


# --- Repayment term ----------------------------------------------------------------------

_TERM_NUMBERS = """one two three four five six seven eight nine ten eleven twelve fifteen eighteen
    twenty twenty-four thirty thirty-six forty-eight sixty"""
_NUMBER_WORDS = {"a": 1, "an": 1, "a couple of": 2, "couple of": 2} | {
    word: number_in_words(word) for word in _TERM_NUMBERS.split()
}
"""The numbers a repayment term is counted in when written as words ("four years")."""
_NUMBER = rf"(?:\d+(?:\.\d+)?|{'|'.join(sorted(_NUMBER_WORDS, key=len, reverse=True))})"
# "yeres", "yeras": a misspelt "years" the spelling corrector leaves alone.
_YEARS = r"(?:years?|y(?=[aer]*r)[aer]{1,3}s?)"
_TERM = re.compile(
    rf"\b(?P<number>{_NUMBER})(?P<half> and a half)?\s*-?\s*(?P<unit>{_YEARS}|months?)\b", _I
)
_TERM_RANGE = re.compile(
    rf"\b(?:between\s+)?{_NUMBER}\s*(?:-|to|or|and)\s*{_NUMBER}\s*-?\s*(?:years?|months?)\b", _I
)
_NOT_A_TERM_AFTER = re.compile(
    r"^(?:'s?\s+)?(?:\s*(?:ago|old|of (?:experience|trading|history|accounts)|experience"
    r"|in business|trading|history|track record|contracts?|lease|plan|warranty|licen[cs]e"
    r"|guarantee|of (?:the|our) contract))\b",
    _I,
)
_TERM_AFTER = re.compile(
    r"^(?:'s?)?\s*(?:loan|term|repayment|deal|facility|borrowing|to (?:repay|pay))\b", _I
)
_TERM_BEFORE = re.compile(
    r"\b(?P<prep>over|across|within|in|for|after|during|of)\s+(?:a period of |about |around "
    r"|roughly |approximately |approx\.? |up to |maybe |say |just |only |a maximum of |max "
    r"|at least |at most |no more than |less than |under |the next )?$",
    _I,
)
_TRADING_BEFORE = re.compile(
    r"\b(?:been|going|running|trading|operating|established|existed|been around|in business"
    r"|open|since)\s+(?:for\s+)?(?:just |well )?(?:over\s+)?(?:about |around |nearly )?$"
    r"|\b(?:got|have|had|with|experience of|history of)\s+(?:over|more than|nearly|almost|about"
    r"|around)?\s*$",
    _I,
)
_COPULA_BEFORE = re.compile(
    r"\b(?:is|be|was|are|'s|of|at|to|around|about|roughly|approximately|need|want|like)\s+"
    r"(?:about |around |roughly |approximately )?$",
    _I,
)
_LOAN_CONTEXT = re.compile(
    r"\b(?:repay\w*|pay(?:ing)? (?:it |this |that |the loan |them |everything )?back|paid back"
    r"|loan|borrow\w*|term|repayments?)\b",
    _I,
)


def _term_value(match: re.Match[str]) -> float | None:
    """Years in a matched "four years" / "18 months" / "two and a half years"."""
    number = match.group("number").lower()
    try:
        value = Decimal(number) if number[0].isdigit() else Decimal(_NUMBER_WORDS[number])
    except (KeyError, ArithmeticError):
        return None
    if match.group("half"):
        value += Decimal("0.5")
    if match.group("unit").lower().startswith("month"):
        value /= 12
    years = round(float(value), 2)
    return years if 0 < years <= 50 else None


_AMOUNT_JUST_BEFORE = re.compile(
    r"(?:£\s?\d[\d,.]*\s*(?:k|m|million|grand)?|\b\d[\d,.]*\s*(?:k|m|million|grand))"
    r"\s*(?:,|and|over|across)\s*(?:and\s+)?$",
    _I,
)


def _is_term(sentence: str, match: re.Match[str], asking: str | None, correction: bool) -> bool:
    """Whether a duration in ``sentence`` is the repayment term."""
    before, after = sentence[: match.start()], sentence[match.end() :]
    if _NOT_A_TERM_AFTER.match(after) or _TRADING_BEFORE.search(before):
        return False
    if _TERM_AFTER.match(after) or _AMOUNT_JUST_BEFORE.search(before):
        return True  # "£420k, 4 years"
    preposition = _TERM_BEFORE.search(before)
    clause = re.split(r"[,;]", before)[-1]
    if preposition and preposition.group("prep").lower() == "for" and _NON_TECH.search(clause):
        return False  # "the wages of three support workers for a year"
    if preposition and preposition.group("prep").lower() in ("over", "across", "within"):
        return True
    if (preposition or _COPULA_BEFORE.search(before)) and _LOAN_CONTEXT.search(clause):
        return True
    return asking == ASKING_CAN_REPAY or (correction and not _TRADING_SINCE.search(sentence))


_TERM_DOUBT = re.compile(
    r"\b(?:not (?:\w+ )?sure|unsure|(?:do ?n'?t|do not) know|doubt\w*|might not|may not"
    r"|struggle|not confident|uncertain|no idea|if we're lucky|hopefully|maybe|possibly)\b",
    _I,
)


def _read_term(
    statements: list[str], asking: str | None, correction: bool
) -> tuple[float | None, bool]:
    """The repayment term they state, in years, and whether they doubt they could keep to
    it ("I'm not sure we could repay in 5 years")."""
    terms: list[tuple[float, bool]] = []
    said = " ".join(statements)
    # "paying it back in 3-5 yrs?? not sure tbh": the fund's own range, in doubt
    doubted_range = bool(_TERM_RANGE.search(said) and _TERM_DOUBT.search(said))
    for sentence in statements:
        sentence = _TERM_RANGE.sub(" ~range~ ", sentence)
        for match in _TERM.finditer(sentence):
            value = _term_value(match)
            if value is not None and _is_term(sentence, match, asking, correction):
                terms.append((value, bool(_TERM_DOUBT.search(sentence))))
    if terms and (bare := _BARE_TERM_CORRECTION.search(" ".join(statements))):
        value = _term_value(bare)
        if value is not None and 0 < value <= MAX_BARE_TERM_YEARS:
            terms.append((value, False))  # "over three years. Actually, make that four"
    if not terms:
        return (float(fund_terms().longest_term_years), True) if doubted_range else (None, False)
    return terms[-1] if correction else terms[0]


MAX_BARE_TERM_YEARS = 30
_BARE_TERM_CORRECTION = re.compile(
    rf"\bmake (?:that|it) (?P<number>{_NUMBER})(?P<half> and a half)?(?P<unit>)"
    r"(?!\s*(?:k|m|million|thousand|grand|years?|months?|%|per ?cent)\b)",
    _I,
)


# --- Corrections -------------------------------------------------------------------------

_NUMERIC = r"£?\d[\d,.]*\s*(?:k|m|million|thousand|grand|years?|months?)?"
_CORRECTION = re.compile(
    r"\bactually\b|\bsorry,? i mean|\bi meant\b|\bi mean,|\bmake (?:that|it)\b|\bcorrection\b"
    r"|\bcorrect(?:ing)? (?:that|myself|it)|\bi got (?:that|it) wrong|\bgot (?:that|it) wrong"
    r"|\bchange (?:the |my |that |our )?(?:amount|term|answer|figure|number|loan|it|that)?\b"
    r"[^.?!]*\bto\b|\bshould (?:have been|be|say|read)\b|\btypo\b|\bmy mistake\b|\bmy bad\b"
    r"|\bscratch that\b|\binstead of\b|\brather than\b|\blet me correct|\bto correct\b"
    r"|\bi said\b[^.?!]*\bbut\b|\bupdate (?:the|my|our) \w+ to\b|\boops\b|\bno wait\b"
    r"|\bwait,|\bnot quite,|\bthat'?s wrong|\bthat was wrong|\bi mis-?typed|\bi was wrong"
    r"|^\s*(?:sorry|whoops|apologies)\b[,!. -]+(?:my|our|the|it'?s|it is)\b"
    rf"|\bnot {_NUMERIC} but\b|{_NUMERIC}\s*,?\s*not\s+{_NUMERIC}(?!\S)",
    _I,
)


def is_correction(text: str) -> bool:
    """Whether ``text`` corrects something said before ("sorry, I meant 700k, not 500k")."""
    return bool(_CORRECTION.search(_normalise(text)))


# --- Putting it together -----------------------------------------------------------------


# "Correction on services - it's district nursing now", "ONE CHANGE - services: day respite":
# a message that names the answer it is about is read as a reply to that question.
_LABELS = {
    label: question
    for question, labels in (
        (ASKING_SERVICES, ("services", "service", "what we do")),
        (ASKING_PURPOSE, ("the loan is for", "purpose", "what the loan is for")),
        (ASKING_AMOUNT, ("amount", "the amount")),
        (ASKING_CAN_REPAY, ("term", "repayment")),
        (ASKING_ORGANISATION_NAME, ("name", "organisation name")),
    )
    for label in labels
}
_LABELLED_ANSWER = re.compile(
    r"^\W*(?:(?:one |a |quick )?(?:correction|change|update|amendment)s?"
    r"(?:\s+(?:on|to|for|about|re|regarding)(?: the| our)?)?\s*[:,-]?\s*|re:?\s+|on\s+)"
    rf"(?P<label>{'|'.join(sorted(_LABELS, key=len, reverse=True))})\s*(?::|-|,)\s*(?P<rest>\S.*)$",
    _I | re.DOTALL,
)
_CLEFT_ANSWER = re.compile(
    r"^(?:.*?[,;-]\s*)?(?:so |now |actually )?it(?:'s| is) (?:now |actually |just |really )?"
    r"(?P<rest>[^.;!?]+)",
    _I,
)


# "It's day respite care we provide, not residential": what they do, put first.
_CLEFT_SERVICES = re.compile(
    r"\bit(?:'s| is) (?:actually |really |now )?(?P<services>[^,.;!?]+?) (?:that |which )?we"
    r" (?:provide|deliver|offer|run|do)\b(?:,? not [^,.;!?]+)?",
    _I,
)


def _labelled(text: str) -> tuple[str, str] | None:
    """(the question a labelled message answers, its answer) for "on services: ..."."""
    match = _LABELLED_ANSWER.match(text)
    if match is None:
        return None
    rest = match.group("rest").strip()
    cleft = _CLEFT_ANSWER.match(rest)
    return _LABELS[match.group("label").lower()], (cleft.group("rest") if cleft else rest)


@functools.lru_cache(maxsize=EXTRACT_CACHE_SIZE)
def extract_facts(text: str, asking: str | None = None) -> ApplicantFacts:
    """Read the facts ``text`` states about the applicant's organisation.

    Args:
        text: Any user message.
        asking: The interview question being asked, if any: "organisation_name",
            "spun_out", "origin", "trading", "services", "investment_purpose", "amount"
            or "can_repay". A bare or sentence reply is read as an answer to it.

    Returns:
        The facts found; fields the message does not state are ``None``.
    """
    normalised = without_instructions(_normalise(text or ""))
    if not normalised:
        return ApplicantFacts()
    labelled = _labelled(normalised)
    if labelled is not None and labelled[0] != asking:
        return extract_facts(labelled[1], labelled[0])
    cleft = _CLEFT_SERVICES.search(normalised)
    if cleft is not None and asking != ASKING_SERVICES:
        rest = normalised[: cleft.start()] + normalised[cleft.end() :]
        services = extract_facts(cleft.group("services"), ASKING_SERVICES)
        return extract_facts(rest).merged(services)
    statements = _statements(normalised)
    # In a reply to an interview question every sentence is about the applicant, so a sum
    # or a term said in passing counts ("It would be for tablets, about £650,000").
    replying = asking is not None and not _looks_like_question(normalised)
    said = _statements(normalised, replying=True) if replying else statements
    reply = _mask(normalised)
    correction = bool(_CORRECTION.search(normalised))
    spin_out = _read_spin_out(statements, reply, asking)
    trading, since = _read_trading(statements, reply, asking, spin_out.planned)
    if trading is None and spin_out.answer is Answer.YES and spin_out.year is not None:
        # "We spun out of the trust in 2016": an organisation set up years ago has launched.
        trading, since = Answer.YES, str(spin_out.year)
    name = _applicant_name(statements, reply, asking, normalised)
    services = _read_services(said, reply, asking)
    purpose = _read_purpose(said, reply, asking)
    facts_said = asking is not None or any(
        (name, spin_out.answer, trading, services, purpose, _parse_amount(normalised))
    )
    if facts_said and not _looks_like_question(normalised):
        # Facts listed without a verb ("Wrenfield Care CIC, trading 6 yrs, home care").
        listed = _listed_clauses(normalised, name)
        if services is None or not _SERVICE_WORDS.search(services):
            services = _listed_services(listed) or services
        if purpose is None or classify_purpose(purpose) is None:
            purpose = _listed_purpose(listed) or purpose  # not "for the nurses"
    amount = _read_amount(_sources(said, reply, asking, ASKING_AMOUNT), correction)
    term, term_doubted = _read_term(
        _sources(said, reply, asking, ASKING_CAN_REPAY), asking, correction
    )
    return ApplicantFacts(
        organisation_name=name,
        spun_out=spin_out.answer,
        origin=spin_out.origin,
        spun_out_year=spin_out.year,
        trading=trading,
        trading_since=since,
        services=services,
        sector=classify_sector(services) if services else None,
        purpose=purpose,
        purpose_is_technology=classify_purpose(purpose) if purpose else None,
        amount=amount.pounds,
        amount_range=amount.range,
        term_years=term,
        term_doubted=term_doubted,
    )


# --- Facts listed without a verb ----------------------------------------------------------

_LIST_BREAK = re.compile(r"(?:,(?!\d{3})|[;.!?()])+\s*|\s+-\s+|:\s+|\bbut\b")
_LISTED_LEAD = re.compile(r"^(?:(?:and|also|plus|mainly|mostly|basically|just|so|then)\s+)+", _I)
_DOING_LEAD = re.compile(r"^(?:we do|giving|providing|delivering|offering|running|doing)\s", _I)
_SERVICES_LEAD = re.compile(
    r"^(?:we do|we're|we are|giving|providing|delivering|offering|running|doing|it's|its"
    r"|it is)\s+",
    _I,
)
_STATED_ELSEWHERE = re.compile(
    rf"£|\d+\s*k\b|\bgrand\b|\bmillion\b|\b{_YEAR}\b|\byears?\b|\bmonths?\b"
    r"|\b(?:from|out of|left|part of|within|employed by|work(?:ed)? (?:for|at|in))"
    r" (?:the |a |our )?(?:[\w'-]+ ){0,5}?(?:nhs|council|trust|ccg|pct|icb|authority|mbc)\b"
    r"|\bex-? ?(?:nhs|council|trust|ccg|pct|local authority|public sector)\b"
    r"|\b(?:spun|spin|trading|launched|founded"
    r"|set up|left|loan|borrow|repay|pay back|eligib\w*|qualify|apply|check|founded|formed"
    r"|started|created|established|set (?:it|us|them|the \w+) up)\b",
    _I,
)


def _listed_clauses(text: str, name: str | None) -> list[str]:
    """The comma-, dash- and sentence-separated pieces of ``text``, the name taken out."""
    if name:
        text = text.replace(name, " ")
    pieces = (_LISTED_LEAD.sub("", piece.strip()) for piece in _LIST_BREAK.split(text))
    return [piece for piece in pieces if piece and not _looks_like_question(piece)]


def _listed_services(pieces: list[str]) -> str | None:
    """The first piece that only names care or health services ("community nursing &
    therapies", "Sexual health and school nursing services")."""
    found: list[str] = []
    for piece in pieces:
        if _names_services(piece):
            found.append(piece)  # "Community nursing, health visiting and a minor injuries unit"
        elif found:
            break
    return _clean_services(_SERVICES_LEAD.sub("", ", ".join(found))) if found else None


def _names_services(piece: str) -> bool:
    """Whether ``piece`` is a short phrase naming care or health services and nothing else."""
    if len(piece.split()) > 12 or _STATED_ELSEWHERE.search(piece):
        return False
    if _TECH.search(piece) or _IT.search(piece) or _NON_TECH.search(piece):
        return False
    if _FIRST_PERSON.search(piece) and not _SERVICES.search(piece):
        return False
    if _TRADING_EVIDENCE.search(piece) or _TRADING_UNSURE.search(piece):
        return False  # "a pilot with two GP practices", "20,000 patients and 45 staff"
    if _BODY_WORD.search(_FOR_A_BODY.sub(" ", piece)):
        return False  # "the mental health trust" is where they came from; "for NHS patients" is not
    return bool(_SERVICE_WORDS.search(piece))


_BODY_WORD = re.compile(r"\b(?:nhs|council|trust|ccg|pct|icb|authority|mbc|department)\b", _I)
_FOR_A_BODY = re.compile(
    r"\b(?:for|to|with) (?:the |our |local |several |two |three )?(?:nhs|council|ccg|icb|trust"
    r"|local authority)s?\b(?: patients| clients| residents)?",
    _I,
)


_WISH = re.compile(
    r"^(?:(?:we|i)(?:'re| are| am)? )?(?:(?:looking|hoping|planning|aiming|wanting|trying|going"
    r"|want|need|would like|'d like) to\s+)",
    _I,
)
_LISTED_PURPOSE_CUE = re.compile(
    rf"\b(?:new|replace|replacing|upgrade|upgrading|{_ACQUIRE}|{_CHANGE}|more|better|extra"
    r"|modern|our whole)\b",
    _I,
)


def _listed_purpose(pieces: list[str]) -> str | None:
    """The first piece that names technology to get ("new rostering + care records
    system", "tablets for carers"), not what the organisation makes."""
    for piece in pieces:
        technology = _TECH.search(piece) or _IT.search(piece)
        if not technology or len(piece.split()) > 14:
            continue
        if _DOING_LEAD.match(piece) or re.search(
            r"\bwe (?:make|sell|build|develop|design|provide|offer|run)\b", piece, _I
        ):
            continue  # what they make or do, not what the money is for
        if _LISTED_PURPOSE_CUE.search(piece):
            return _trim(_WISH.sub("", piece), _PURPOSE_TRIM, 14) or None
    return None


def _sources(statements: list[str], reply: str, asking: str | None, question: str) -> list[str]:
    """The statements, plus the whole reply when it answers ``question``."""
    if asking == question and reply and not _looks_like_question(reply):
        return [*statements, reply]
    return statements
