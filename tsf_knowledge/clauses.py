"""Split a chat message into the questions it asks.

People often wrap a question in greetings and thanks, or ask two things at once ("what's the
max loan and how long do we have to repay?"). These helpers strip the pleasantries, split the
message into clauses and keep the clauses that ask something, so each can be answered.
"""

from __future__ import annotations

import re

from tsf_knowledge.names import ORGANISATION_NAME_ENDINGS, ORGANISATIONS, PEOPLE, alternatives

_EMOJI = r"\U0001F300-\U0001FAFF\u2600-\u27BF"
_PUNCT_SEP = rf"(?:\s*[,.!:;…~{_EMOJI}]+\s*|\s+[\-–—]+\s*|\s*[–—]\s*)"
"""What must follow an ambiguous filler word: punctuation."""

_SEP = rf"(?:{_PUNCT_SEP}|\s+)"
"""What may follow a leading greeting: punctuation or just a space."""

_QUESTION_WORD = (
    r"(?:what|whats|what's|wat|wot|wht|how|hows|how's|who|whos|who's|whom|whose|when|whens|"
    r"when's|where|wheres|where's|why|whys|which)"
)
_AUX = (
    r"(?:can|could|do|does|did|is|are|was|were|will|would|should|shall|may|might|must|am|"
    r"isn't|aren't|can't|cannot|won't|doesn't|don't|didn't|wouldn't|shouldn't|couldn't|"
    r"isnt|arent|cant|wont|doesnt|dont|wouldnt|shouldnt|couldnt)"
)
_HAVE = r"(?:has|have|had|hasn't|haven't|hasnt|havent)"
_SUBJECT = (
    r"(?:i|we|you|u|they|he|she|it|there|this|that|these|those|the|a|an|any|our|my|your|their|"
    r"its|tsf|loans?|applications?|applicants?|charities|charity|cics?|mutuals?|spin\s*-?\s*outs?|"
    r"someone|anyone|anybody|people|organisations?|organizations?|local|big|social|nhs|"
    r"private|small|new|companies|company|interest|rates?|funding|money|one|all|both|each)"
)
_NOT_AFTER_AUX = (
    r"(?:be|been|being|not|also|definitely|probably|just|really|only|still|need|needs|say|"
    r"help|happily|hopefully|soon|shortly|like|love|want|wait|believe|thank|imagine|afford)"
)
_QUESTION_START = re.compile(
    rf"^(?:{_QUESTION_WORD}\b|{_AUX}\s+(?!{_NOT_AFTER_AUX}\b)[\w£$'-]|{_HAVE}\s+{_SUBJECT}\b|"
    r"any\s+\w|tell\s+me\b|explain\b|info\b|information\s+(?:on|about)\b|"
    r"details?\s+(?:on|of|about)\b|is\s+it\s+possible\b)",
    re.IGNORECASE,
)
_ASKING_PHRASE = re.compile(
    r"\btell\s+me\b|\b(?:i'?d|i\s+would|we'?d|we\s+would)\s+(?:like|love)\s+to\s+(?:know|ask)\b|"
    r"\b(?:want|wanted|need|needed|keen|interested|curious|trying)\s+to\s+(?:know|find\s+out|"
    r"understand|ask|check)\b|\bwonder(?:ing|ed)?\b|\bany\s+idea\b|\blet\s+me\s+know\b|"
    r"\bplease\s+(?:advise|confirm|explain|clarify)\b|\bcurious\s+(?:about|whether|if)\b|"
    r"\bdo\s+you\s+know\b",
    re.IGNORECASE,
)

_ADDRESSEE = r"(?:there|all|team|everyone|everybody|folks|guys|you|again|tsf(?:\s+team)?|bot)"
_GREETING = (
    r"(?:hi+|hello+|helo|hallo|hullo|hey+|heya|hiya|howdy|yo|greetings|"
    r"good\s+(?:morning|afternoon|evening|day)|"
    r"dear\s+(?:sir\s*(?:/|or)\s*madam|sir|madam|all|team|colleagues?|tsf(?:\s+team)?))"
    rf"(?:\s+{_ADDRESSEE})?"
)
_PLEASANTRY = (
    r"(?:(?:i\s+)?hope\s+(?:you(?:'re|\s+are|re)?(?:\s+(?:all|both))?|"
    r"this\s+(?:message\s+|email\s+)?finds\s+you|all\s+is|things\s+are)\s*"
    r"(?:keeping\s+)?(?:well|ok|okay|good|fine|doing\s+well|having\s+a\s+(?:good|great|nice)\s+"
    r"(?:day|week|morning|afternoon))?|"
    r"sorry\s+to\s+(?:bother|trouble)\s+you|excuse\s+me|"
    r"(?:just\s+)?(?:a\s+)?(?:quick|short|simple|small|brief)\s+(?:one|question|query|q)"
    r"(?:\s+(?:for\s+you|please))?|"
    r"i(?:'ve|\s+have)?\s+(?:got\s+)?(?:a\s+)?(?:quick\s+|few\s+)?(?:question|questions|query)"
    r"(?:\s+for\s+you)?|"
    r"(?:one\s+)?question(?:\s+for\s+you)?|"
    r"how\s+are\s+you(?:\s+(?:doing|today))?|nice\s+to\s+meet\s+you|"
    # "Before I say yes - who runs the fund?" holds the yes back for the question.
    r"before\s+(?:i|we)\s+(?:say\s+(?:yes|yeah|ok(?:ay)?)|answer|confirm|agree|reply|go\s+on"
    r"|carry\s+on|continue)(?:\s+(?:that|this|it))?)"
)
# Words that carry no meaning before a question. Yes, no, OK, sorry and the like are not
# among them: they answer questions ("yes - we left the council in 2015") and mark
# corrections ("sorry, my name is ...").
_FILLER = (
    r"(?:so|um+|erm+|uh+|er|well|please|pls|plz|ok(?:ay)?\s+(?:thanks|thank\s+you|cheers)|"
    r"hmm+|morning|afternoon|evening|thanks|thank\s+you|thankyou|cheers|great|perfect|brilliant|"
    r"lovely|cool|nice|awesome|fab|fantastic)"
)
# Acknowledgements, dropped only before a question: "ok, we're trading" is an answer.
_ACK = r"(?:fair\s+enough|ok(?:ay)?|alright|all\s+right|got\s+it|understood|i\s+see|ah+|oh+)"
_LEADING = re.compile(
    rf"^\s*(?:{_GREETING}{_SEP}(?!{_ADDRESSEE}\b)|(?:{_PLEASANTRY}|{_FILLER})"
    rf"(?:\s+{_FILLER})*(?:{_PUNCT_SEP}|\s+"
    rf"(?={_QUESTION_WORD}\b|{_AUX}\b|tell\s+me\b))"
    rf"|{_ACK}(?:{_PUNCT_SEP}|\s+)(?={_QUESTION_WORD}\b|{_AUX}\b|tell\s+me\b))",
    re.IGNORECASE,
)
_THANKS = (
    r"(?:(?:many|big|huge)\s+)?(?:thanks?|thank\s*(?:you|u|ya)|thankyou|thx|thnx|thanx|tks|"
    r"cheers|much\s+appreciated|(?:i\s+)?appreciate\s+(?:it|your\s+help|any\s+help)|"
    r"any\s+help\s+(?:would\s+be\s+|is\s+)?(?:much\s+|greatly\s+|really\s+)?appreciated|"
    r"(?:kind|best|warm|many)\s+regards|best\s+wishes|"
    r"look(?:ing)?\s+forward\s+to\s+(?:hearing\s+from\s+you|your\s+(?:reply|response)))"
    r"(?:\s+(?:so\s+much|very\s+much|a\s+lot|lots|in\s+advance|again|heaps|loads|"
    r"for\s+(?:your|the|any)\s+help|for\s+reading|for\s+your\s+time))*"
)
_SIGN_OFF = r"(?:best|regards|ta|ty|bye|goodbye|bye\s+for\s+now|speak\s+soon|take\s+care)"
_NAME = r"(?:\s*,?\s*(?-i:[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?))?"
_TRAILING = re.compile(
    rf"(?:(?:^|\s*[,;:\-–—]*\s+|(?<=[.!?…])\s*){_THANKS}|(?:(?<=[.!?…,])|\n)\s*{_SIGN_OFF})"
    rf"{_NAME}[\s!.,:;)(?xX*]*$",
    re.IGNORECASE,
)
_SMILEY = re.compile(rf"\s*(?:[:;]-?[)(DPp]|[{_EMOJI}])+\s*$")


def strip_pleasantries(text: str) -> str:
    """The message without leading greetings, pleasantries or fillers and trailing thanks.

    For example "hello! quick one — how much can we borrow?" becomes "how much can we
    borrow?". When nothing else is left ("hi!", "thanks so much") the text is returned
    unchanged.

    Args:
        text: The user's message.

    Returns:
        The stripped message, or ``text`` itself when only pleasantries were present.
    """
    remainder = text.strip()
    for _ in range(8):
        match = _LEADING.match(remainder)
        if not match or match.end() == 0:
            break
        remainder = remainder[match.end() :]
    for _ in range(4):
        before = remainder
        remainder = _SMILEY.sub("", remainder)
        match = _TRAILING.search(remainder)
        if match:
            removed = remainder[match.start() :]
            remainder = remainder[: match.start()].rstrip(" ,;:-–—")
            if "?" in removed and remainder and remainder[-1] not in "?!.…":
                remainder += "?"
        if remainder == before:
            break
    remainder = _plain_request(remainder.strip())
    if not re.search(r"\w", remainder):
        return text
    return remainder


# "Would you kindly advise the permitted range ...": a formal request for a fact, asked plainly.
_FORMAL_REQUEST = re.compile(
    r"^(?:(?:would|could|can|will) you (?:kindly |please )?|kindly |please |i would be grateful"
    r" if you (?:could|would) |i'?d be grateful if you (?:could|would) |i would appreciate it if"
    r" you (?:could|would) )(?:advise(?: me)?(?: of| on| as to| about)?|confirm|state|tell me"
    r"|let me know|clarify|outline|specify|indicate|set out|provide details of)\s+"
    r"(?!whether\b|if\b)",
    re.IGNORECASE,
)
_WH_WORD = re.compile(r"^(?:how|what|who|when|where|which|why)\b", re.IGNORECASE)


def _plain_request(text: str) -> str:
    """``text`` with a formal request for a fact asked as a plain question ("Kindly confirm
    the average loan" asks "what is the average loan?", "Please state which body runs it"
    asks "which body runs it?")."""
    match = _FORMAL_REQUEST.match(text)
    if match is None:
        return text
    rest = text[match.end() :].rstrip(" .")
    question = rest if _WH_WORD.match(rest) else f"what is {rest}"
    return f"{question}{'' if question.endswith('?') else '?'}"


# --- Splitting ----------------------------------------------------------------------------

_PLACEHOLDERS = {".": "\x01", "?": "\x02", "!": "\x03", ";": "\x04", ":": "\x05"}
_RESTORE = str.maketrans({value: key for key, value in _PLACEHOLDERS.items()})
_PROTECT = str.maketrans(_PLACEHOLDERS)

_PROTECTED = re.compile(
    r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+|"  # email addresses
    r"\b(?:https?://|www\.)\S+[\w/]|"  # web addresses
    r"\b[\w-]+(?:\.[\w-]+)*\.(?:gov\.uk|org\.uk|co\.uk|nhs\.uk|ac\.uk|uk|com|org|net|io)\b|"
    r"\d[.,]\d|"  # decimals and thousands (£1.5m, 3.5, 1,000)
    r"\b(?:e\.g|i\.e|c\.f|cf|viz|st|mr|mrs|ms|dr|prof|vs|approx|ref|dept|tel|inc|ltd|plc|co|"
    r"etc|a\.k\.a)\.|\bno\.(?=\s*\d)",
    re.IGNORECASE,
)
_ABBREVIATION_END = re.compile(r"(?<=\b(?:ltd|plc|inc|etc)\x01)\s+", re.IGNORECASE)
_BULLET = re.compile(r"^\s*(?:[-*•‣◦▪·>]+|\(?\d{1,2}[.)]|\(?[a-hA-H]\))\s+")
_INLINE_NUMBER = re.compile(r"(?:(?<=\s)|^)\(?(?:\d{1,2}|[a-h])\)\s+")
_SENTENCE_END = re.compile(r"(?<=[?!…])(?![?!…])|(?<=\.)(?=\s)|(?<=\.\.\.)(?=\w)")
_DASH = re.compile(r"\s*—\s*|\s+[–-]{1,2}\s+|\s*:\s+")
_JOINER = re.compile(
    r"\s*,?\s+(?:and\s+also|and\s+plus|and|also|plus|&|as\s+well(?:\s+as)?)\s*,?\s+", re.IGNORECASE
)
# "Firstly, what is ...", "One: how much ...", "2) and what term ...".
_ORDINAL = re.compile(
    r"^(?:(?:and|also|so)\s+)?(?:firstly|secondly|thirdly|fourthly|first(?:\s+of\s+all)?|second"
    r"|third|one|two|three|four)\s*[,:).]\s*",
    re.IGNORECASE,
)
_CONNECTOR = re.compile(
    r"^(?:and\s+also|and\s+then|and|also|plus|oh\s+and|oh|btw|by\s+the\s+way|p\.?s\.?|"
    r"lastly|finally|secondly|thirdly|next|then|another\s+thing|one\s+more\s+thing|"
    r"one\s+last\s+thing|and\s+finally)\b[\s,:\-–—]*",
    re.IGNORECASE,
)
_LEAD_FILLER = re.compile(
    r"^(?:(?:and|but|so|ok|okay|also|plus|oh|um+|erm+|just|please|sorry|btw|then|right|well)"
    r"\b[\s,]*)+",
    re.IGNORECASE,
)
_QUESTION_WORD_START = re.compile(rf"^{_QUESTION_WORD}\b", re.IGNORECASE)
_STRONG_START = re.compile(
    rf"^(?:{_QUESTION_WORD}\b|{_AUX}\s+{_SUBJECT}\b|{_HAVE}\s+{_SUBJECT}\b|tell\s+me\b|"
    r"is\s+it\s+possible\b)",
    re.IGNORECASE,
)
_AMOUNT_END = re.compile(r"(?:\d|\d\s*(?:k|m|mn|bn|million|years?|yrs?))\s*$", re.IGNORECASE)
_AMOUNT_START = re.compile(r"^\s*[£$]?\d")
_EDGE = " \t,;:-–—\"'“”‘’()[]"


def _protect(text: str) -> str:
    """``text`` with the punctuation inside emails, addresses, amounts and abbreviations hidden."""
    return _PROTECTED.sub(lambda match: match.group(0).translate(_PROTECT), text)


def _words(text: str) -> int:
    return len(re.findall(r"[\w£$']+", text))


def _starts_question(text: str, strong: bool = False) -> bool:
    """Whether ``text`` opens like a question, ignoring leading "and", "so", "please"..."""
    core = _LEAD_FILLER.sub("", text.strip(_EDGE))
    return bool((_STRONG_START if strong else _QUESTION_START).match(core))


def _split_sentences(line: str) -> list[str]:
    """Split at sentence ends; "Ltd." or "etc." ends a sentence only before a question."""
    result: list[str] = []
    for piece in _SENTENCE_END.split(line):
        parts = _ABBREVIATION_END.split(piece)
        current = parts[0]
        for part in parts[1:]:
            if _QUESTION_WORD_START.match(part) or (part[:1].isupper() and _starts_question(part)):
                result.append(current)
                current = part
            else:
                current += " " + part
        result.append(current)
    return result


def _split_dashes(sentence: str) -> list[str]:
    """Split at dashes and colons that introduce or end a question, never between amounts."""
    result: list[str] = []
    start = 0
    matches = list(_DASH.finditer(sentence))
    for index, match in enumerate(matches):
        end = matches[index + 1].start() if index + 1 < len(matches) else len(sentence)
        left = sentence[start : match.start()]
        right = sentence[match.end() : end]
        if _AMOUNT_END.search(left) and _AMOUNT_START.match(right):
            continue
        opens = _starts_question(right) and _words(right) >= 2
        closes = _starts_question(left, strong=True) and _words(left) >= 3
        if opens or closes:
            result.append(left)
            start = match.end()
    result.append(sentence[start:])
    return result


def _split_joined(clause: str) -> list[str]:
    """Split "X and Y" where X and Y are each a question on their own."""
    result: list[str] = []
    start = 0
    for match in _JOINER.finditer(clause):
        left = clause[start : match.start()]
        right = clause[match.end() :]
        if (
            _words(left) >= 2
            and _words(right) >= 2
            and _starts_question(left)
            and _starts_question(right, strong=True)
        ):
            result.append(left)
            start = match.end()
    result.append(clause[start:])
    return result


def split_clauses(text: str) -> list[str]:
    """The sentences of ``text``, with joined questions split apart.

    Splits at ``?``, ``!``, ``.``, ``…``, ``;``, newlines and list items, at dashes and colons
    that introduce a question, and at "and", "also" or "plus" when each side is a question on
    its own: "what's the max loan and how long do we have to repay?" gives ["what's the max
    loan", "how long do we have to repay?"], but "can we borrow for software and hardware?"
    stays whole. Never splits inside amounts (£1.5m), emails, web addresses or abbreviations
    such as "e.g.", "i.e.", "Ltd." and "St.". Later clauses lose a leading "also" or "and".

    Args:
        text: A message, usually already passed through :func:`strip_pleasantries`.

    Returns:
        The clauses in order, without surrounding spaces; empty pieces are dropped.
    """
    protected = _protect(text)
    clauses: list[str] = []
    for raw_line in protected.splitlines():
        line = _BULLET.sub("", raw_line)
        for item in _INLINE_NUMBER.split(line):
            for chunk in re.split(r";|\s\+\s", item):
                for sentence in _split_sentences(chunk):
                    for part in _split_dashes(sentence):
                        clauses.extend(_split_joined(part))
    result: list[str] = []
    for clause in clauses:
        cleaned = _ORDINAL.sub("", clause.strip(_EDGE))
        if result:
            stripped = _CONNECTOR.sub("", cleaned).strip(_EDGE)
            if re.search(r"\w", stripped):
                cleaned = stripped
        if re.search(r"\w", cleaned):
            result.append(cleaned.translate(_RESTORE))
    return result


def is_question(clause: str) -> bool:
    """Whether ``clause`` asks something.

    True for a question mark, a question-word start (what, how, can, is...), "tell me",
    "I'd like to know", "wondering" or "any idea".
    """
    if "?" in clause:
        return True
    return _starts_question(clause) or bool(_ASKING_PHRASE.search(clause))


_LOAN_TOPIC = re.compile(
    r"\b(?:loans?|term|rates?|interest|fund|amounts?|min|max|minimum|maximum|size|deadline"
    r"|repay\w*|eligib\w*|criteria|number|phone|email|fees?|contact)\b",
    re.IGNORECASE,
)
TELEGRAPHIC_WORDS = 10
TELEGRAPHIC_TOPIC_WORDS = 3


def question_clauses(text: str) -> list[str]:
    """The clauses of ``strip_pleasantries(text)`` that ask something, in order.

    Context-only sentences ("We're a CIC in Leeds.") are dropped, so the result may be empty.

    Args:
        text: The user's message.

    Returns:
        The question clauses, as :func:`split_clauses` gives them.
    """
    clauses = split_clauses(strip_pleasantries(text))
    asked = [clause for clause in clauses if is_question(clause)]
    if asked and len(text.split()) <= TELEGRAPHIC_WORDS:
        # "min loan + who do i call": a short message's bare topic is asked too
        return [
            c
            for c in clauses
            if c in asked or (_words(c) <= TELEGRAPHIC_TOPIC_WORDS and _LOAN_TOPIC.search(c))
        ]
    return asked


# Who and what the documents name, which a later question may call "it", "they" or "he".
_NAMED = re.compile(rf"\b{alternatives(ORGANISATIONS + PEOPLE)}\b", re.IGNORECASE)
_PRONOUN = re.compile(r"\b(?:it|its|it's|they|their|them|he|his|him|she|her)\b", re.IGNORECASE)


def resolve_references(clauses: list[str]) -> list[str]:
    """The clauses with a name carried into later ones that only point back to it: in "who
    is Big Society Capital's chief executive, and when was it launched?" the second asks
    about Big Society Capital."""
    resolved: list[str] = []
    named: str | None = None
    for clause in clauses:
        found = _NAMED.search(clause)
        if found:
            named = found.group(0)
        elif named and _PRONOUN.search(clause):
            clause = f"{clause} ({named})"
        resolved.append(clause)
    return resolved


# The end of a capitalised organisation name ("Hollins Lane Care Partnership"), first letter
# aside: a named organisation asking whether it can apply.
_NAME_ENDING = "(?:" + "|".join(sorted(w[1:] for w in ORGANISATION_NAME_ENDINGS)) + ")"
_ASKS_TO_APPLY = re.compile(
    r"(?<!how )(?<!where )(?<!when )"
    r"\b(?:can|could|may|would|do|does|will|are|am|is|might)\s+(?:we|i|us|they|our\s+\w+"
    rf"|(?:the\s+)?(?-i:[A-Z][\w'&-]*\s+){{1,5}}(?-i:[A-Z]){_NAME_ENDING})\s+"
    r"(?:(?:still|even|actually|really|also|ever|possibly)\s+)?(?:be\s+)?"
    r"(?:apply|qualify|eligible|elegible|fit|count|suitable|get\s+(?:a|one|the)\s+loan)"
    r"|\b(?:eligib\w*|elegib\w*|qualif\w*)\b"
    r"|\b(?:run|do|start|go through|try|check)\s+(?:the|an|my|our|this|that)?\s*"
    r"(?:eligibility\s+)?check\b"
    r"|\bcheck\s+(?:if|whether)\b"
    r"|\b(?:check|assess|look\s+at)\s+(?:us|me|our\s+(?:organisation|organization|company|cic"
    r"|eligibility|social\s+enterprise))\b"
    r"|\b(?:can|could|may|would|will)\s+(?:we|i|our\s+(?:company|organisation|organization|cic"
    r"|social\s+enterprise|mutual|charity))\s+(?:still\s+)?(?:receive|get|have|obtain|access"
    r"|take)\s+(?:this|a|the|one\s+of\s+(?:these|the|your))\s+(?:loans?|funding|money)\b"
    r"|\b(?:if|whether)\s+(?:we|i|(?:our|my)\s+\w+(?:\s+\w+)?"
    r"|(?-i:[A-Z][\w'&-]*)(?:\s+(?-i:[A-Z][\w'&-]*)){0,5})\s+(?:can|could|may|would"
    r"|are\s+able\s+to|is\s+able\s+to|will)\s+(?:still\s+)?(?:receive|get|have|obtain|access"
    r"|apply|qualify|borrow)\b",
    re.IGNORECASE,
)


def asks_to_apply(text: str) -> bool:
    """Whether ``text`` asks if the writer's organisation can apply, or for the check itself."""
    return bool(_ASKS_TO_APPLY.search(text))


CONTEXT_WORDS_TO_DROP = 8


def focus_on_questions(text: str) -> str:
    """The questions of a message that also gives context, for classifying what it asks.

    "We're a small CIC in Leeds and our IT is ancient. What's the most we could borrow?"
    asks what its last sentence asks. A message is kept whole when it asks nothing, is all
    questions, or gives fewer than ``CONTEXT_WORDS_TO_DROP`` words of context.
    """
    questions = question_clauses(text)
    if not questions:
        return text
    context = [clause for clause in split_clauses(text) if clause not in questions]
    if sum(len(clause.split()) for clause in context) < CONTEXT_WORDS_TO_DROP:
        return text
    return " ".join(questions)
