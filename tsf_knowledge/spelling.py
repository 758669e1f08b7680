"""Expand text-speak and correct misspelt words in a message before intent classification.

Precision matters more than recall: a wrong "correction" is worse than none, so a word is
changed only when the evidence is clear. The steps, applied token by token (a token is a
whitespace-separated chunk; punctuation around it is kept):

1. Text-speak (``text_speak``, plus the context rules for ``4``, ``2``, ``n``, ``k``, ``yr``
   and phone numbers) is expanded in lower-case or capitalised tokens. ALL-CAPS
   tokens of two or more letters ("BC") and mixed case ("pH") are left alone.
2. ``lone``/``lones`` become ``loan``/``loans`` next to a loan word (``loan_context``).
3. A few misspellings edit distance cannot fix are replaced (``common_misspellings``).
4. Any other token is corrected with SymSpell only if it is all lower-case letters (or
   capitalised at the start of a sentence, where phones capitalise; other capitalised and
   ALL-CAPS words may be names or acronyms), at least 4 long, not a known word (English
   dictionary, fund vocabulary or ``extra_words``) and one candidate clearly wins
   (see :meth:`SpellingNormaliser._suggest`).

The word lists named here are in ``data/spelling.yml`` (:func:`vocabulary`). The English
word list is the frequency dictionary shipped inside the ``symspellpy`` wheel.
Nothing is loaded at import time: build a :class:`SpellingNormaliser`, or call
:func:`default_normaliser` (cached).
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml
from symspellpy import SymSpell, Verbosity
from symspellpy.suggest_item import SuggestItem

from tsf_knowledge.loader import DEFAULT_FACTS_PATH

REPO_ROOT = Path(__file__).resolve().parent.parent
"""The repository root, when the package runs from a checkout (or an editable install)."""

NLU_DIRECTORY = REPO_ROOT / "data" / "nlu"
"""Rasa's training data; :func:`fund_vocabulary` uses facts only if it is absent."""

ENGLISH_DICTIONARY = "frequency_dictionary_en_82_765.txt"
"""The word-frequency list inside the ``symspellpy`` package."""

CANDIDATE_MIN_COUNT = 300_000
"""English words rarer than this are known (never corrected) but never suggested, which
halves construction time and keeps obscure words ("maximin", "repaved") out of suggestions."""

DOMAIN_BOOST = 10**11
"""Times a fund word's frequency, its SymSpell count: it beats any English word at a distance."""

COMMON_SHORT_WORD_COUNT = 10**8
"""A 3-letter word this common ("end", "web") may be part of a compound such as "backend";
rarer ones ("int") may not, or "intrest" would pass as "int" + "rest"."""

CLEAR_WIN_RATIO = 5
"""The best candidate's count must be this many times the runner-up's at the same distance."""


VOCABULARY_PATH = Path(__file__).resolve().parent / "data" / "spelling.yml"
"""The normaliser's word lists: text-speak, context words, misspellings and extra words."""

BETWEEN_WORDS: dict[str, str] = {"4": "for", "2": "to", "n": "and"}
"""Tokens expanded only when standing between two words, without punctuation."""

_WORDS = re.compile(r"[a-z]+(?:'[a-z]+)?")
# A count with its unit run together: "5yrs", "18mths".
_ATTACHED_UNIT = re.compile(r"\b(\d+(?:\.\d+)?)(yrs?|years?|mths?|months?)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Vocabulary:
    """The word lists of ``data/spelling.yml``; its comments say what each one does."""

    text_speak: Mapping[str, str]
    year_leaders: frozenset[str]
    counted: frozenset[str]
    s_words: frozenset[str]
    number_leaders: frozenset[str]
    loan_context: frozenset[str]
    lone_veto: frozenset[str]
    prefixes: frozenset[str]
    suffixes: frozenset[str]
    common_misspellings: Mapping[str, str]
    split_compounds: Mapping[tuple[str, str], str]
    extra_words: frozenset[str]


@functools.cache
def vocabulary() -> Vocabulary:
    """The normaliser's word lists, read from :data:`VOCABULARY_PATH` on first use."""
    data = yaml.safe_load(VOCABULARY_PATH.read_text(encoding="utf-8"))
    pairs = (pair.split("+") for pair in data.pop("split_compounds").split())
    return Vocabulary(
        split_compounds=MappingProxyType(
            {(first, second): first + second for first, second in pairs}
        ),
        **{
            name: MappingProxyType(value) if isinstance(value, dict) else frozenset(value.split())
            for name, value in data.items()
        },
    )


PHRASE_FIXES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\b([Tt]o) by\b(?= (?:a|an|new|some|more|our|extra|better)\b)"), r"\1 buy"),
    (re.compile(r"(?<![\w'])([Tt])'(?=[a-z]{2})"), r"\1he "),
    (
        re.compile(
            r"(^|[.!?]\s+)([Ww])ere\b(?=\s+(?:a|an|the|not|still|currently|already|planning"
            r"|hoping|looking|based|trading|launched|spun|set|from|called|call+ed)\b)"
        ),
        r"\1\2e're",
    ),
)
""""to by new laptops", "were called Ashby Care", "t'council": real words in the wrong place
or run together, which spelling cannot see."""


_NUMBER = re.compile(r"\d[\d,.]*")
_LOWER_WORD = re.compile(r"[a-z]+")
_ELONGATED = re.compile(r"(.)\1\1")
_WORD = re.compile(r"[^\W_]+(?:['-][^\W_]+)*")
_ENTITY_MARKUP = re.compile(r"\[([^\]]*)\](?:\([^)]*\)|\{[^}]*\})")


@dataclass
class _Token:
    lead: str
    core: str
    trail: str
    space: str
    original: str | None = None
    """The text this token replaced, once changed."""

    @property
    def lower(self) -> str:
        return self.core.lower()

    def text(self) -> str:
        return f"{self.lead}{self.core}{self.trail}{self.space}"


class SpellingNormaliser:
    """Expands text-speak and corrects misspellings, leaving everything else unchanged.

    Args:
        domain_words: Words never corrected and preferred as corrections. A mapping (such
            as a :class:`collections.Counter`) gives each word's frequency in the fund's
            text, which decides between two fund words at the same distance.
        max_edit_distance: The largest edit distance corrected; words of under 6 letters
            are corrected at distance 1 at most.
    """

    def __init__(self, domain_words: Iterable[str], max_edit_distance: int = 2) -> None:
        if max_edit_distance < 1:
            raise ValueError("max_edit_distance must be at least 1")
        weights = _weights(domain_words)
        english = _english_counts()
        self._max_edit_distance = max_edit_distance
        self._domain = frozenset(weights)
        stripped = {word.replace("'", "") for word in self._domain if "'" in word}
        self._known = self._domain | stripped | vocabulary().extra_words
        self._english = english
        self._symspell = SymSpell(max_dictionary_edit_distance=max_edit_distance)
        for word, count in english.items():
            if count >= CANDIDATE_MIN_COUNT and word not in weights:
                self._symspell.create_dictionary_entry(word, count)
        for word, weight in weights.items():
            if word.isalpha() and len(word) >= 3:
                count = DOMAIN_BOOST * max(weight, 1) + english.get(word, 0)
                self._symspell.create_dictionary_entry(word, count)
        self._cache: dict[str, str | None] = {}

    def normalise(self, text: str) -> str:
        """The text with text-speak expanded and misspelt words corrected; all else unchanged."""
        tokens, changes = self._process(text)
        if not changes:
            return text
        return _leading_space(text) + "".join(token.text() for token in tokens)

    def unknown_share(self, text: str) -> float:
        """The share of ``text``'s words that are neither English nor the fund's (0 to 1)."""
        words = _WORDS.findall(text.lower())
        if not words:
            return 0.0
        unknown = [w for w in words if w not in self._known and w not in self._english]
        return len(unknown) / len(words)

    def corrections(self, text: str) -> list[tuple[str, str]]:
        """(original, replacement) for each token changed, in order."""
        return self._process(text)[1]

    def _process(self, text: str) -> tuple[list[_Token], list[tuple[str, str]]]:
        prepared = _ATTACHED_UNIT.sub(r"\1 \2", text)
        fixed = prepared
        for pattern, replacement in PHRASE_FIXES:
            fixed = pattern.sub(replacement, fixed)
        tokens = _tokenise(fixed)
        _expand_text_speak(tokens)
        _join_split_compounds(tokens)
        for index, token in enumerate(tokens):
            if token.original is None:
                replacement = self._spelling(tokens, index)
                if replacement is not None and replacement != token.core:
                    if replacement == token.core + "g" and token.trail.startswith("'"):
                        token.trail = token.trail[1:]  # "thinkin'" is "thinking"
                    token.original, token.core = token.core, replacement
        changes = [(token.original, token.core) for token in tokens if token.original is not None]
        if fixed != prepared:
            changes.insert(0, (prepared, fixed))
        return tokens, changes

    def _spelling(self, tokens: list[_Token], index: int) -> str | None:
        token = tokens[index]
        core, lower = token.core, token.lower
        if not core.isalpha() or not (core.islower() or core.istitle()):
            return None
        if "@" in token.lead or "#" in token.lead:
            return None
        if lower in ("lone", "lones", "lon", "lons"):
            if _near_loan_word(tokens, index):
                return _match_case(core, "loans" if lower.endswith("s") else "loan")
            return None
        misspelling = vocabulary().common_misspellings.get(lower)
        if misspelling is not None:
            return _match_case(core, misspelling)
        if not (core.islower() or _starts_sentence(tokens, index)):
            return None
        if not _LOWER_WORD.fullmatch(lower) or len(lower) < 4:
            return None
        if lower in self._known or lower in self._english:
            return None
        if _ELONGATED.search(lower):
            return self._shortened(core, lower)
        if lower.endswith("in") and lower + "g" in self._english:
            return _match_case(core, lower + "g")  # "doin", "plannin": a dropped g
        if lower not in self._cache:
            if len(self._cache) >= 10_000:
                self._cache.clear()
            self._cache[lower] = self._suggest(lower)
        replacement = self._cache[lower]
        return None if replacement is None else _match_case(core, replacement)

    def _shortened(self, core: str, lower: str) -> str | None:
        """A known word a letter typed three or more times stands for ("callled", "pleeease")."""
        for repeat in (r"\1\1", r"\1"):
            shortened = re.sub(r"(.)\1{2,}", repeat, lower)
            if len(shortened) > 1 and (shortened in self._known or shortened in self._english):
                return _match_case(core, shortened)
        return None

    def _suggest(self, word: str) -> str | None:
        """The clear winner among SymSpell's closest candidates, or ``None``.

        Refused, as more likely a word the dictionary lacks than a typo: two known words,
        or a known word with a prefix or suffix ("backend", "untrusted", "mutualise", a
        plural); a candidate with another first letter, or equal to the word minus its
        first letter ("numpy" is not "bumpy", "pprint" not "print") or minus a last letter
        that is not doubled ("partd", "crypto"). At distance 2 only fund words differing by
        missing or extra letters count ("intrst"); a 4-letter word may only become a fund
        word with one more letter or two swapped ("aply", "fudn"). The best candidate must
        out-count the runner-up at its distance by :data:`CLEAR_WIN_RATIO`.
        """
        distance = min(self._max_edit_distance, 2 if len(word) >= 6 else 1)
        suggestions: list[SuggestItem] = self._symspell.lookup(word, Verbosity.CLOSEST, distance)
        # A fund word with one letter left out ("corect") is no compound of "co" + "rect".
        missing_one = bool(suggestions) and (
            suggestions[0].distance == 1
            and suggestions[0].term in self._domain
            and len(suggestions[0].term) == len(word) + 1 >= 7
        )
        if self._is_compound(word) and not missing_one:
            return None  # "backend"
        if suggestions and suggestions[0].distance >= 2:
            suggestions = [
                item
                for item in suggestions
                if item.term in self._domain and _only_gaps(word, item.term)
            ]
        if not suggestions or suggestions[0].distance == 0:
            return None
        best, runners_up = suggestions[0], [item.count for item in suggestions[1:]]
        term = best.term
        if term[0] != word[0] or word[1:] == term:
            return None
        if len(word) == 4 and not (term in self._domain and _insertion_or_swap(word, term)):
            return None
        if runners_up and best.count < CLEAR_WIN_RATIO * max(runners_up):
            return None
        if word[:-1] == term and word[-1] != term[-1]:
            return None
        return term

    def _is_compound(self, word: str) -> bool:
        """Whether ``word`` is two known words, or one with a prefix or suffix."""
        words = self._symspell.words
        rests = [word[len(prefix) :] for prefix in vocabulary().prefixes if word.startswith(prefix)]
        rests += [word[: -len(suffix)] for suffix in vocabulary().suffixes if word.endswith(suffix)]
        if any(len(rest) >= 4 and rest in words for rest in rests):
            return True
        return any(
            self._is_part(word[:split]) and self._is_part(word[split:])
            for split in range(3, len(word) - 2)
        )

    def _is_part(self, part: str) -> bool:
        """A candidate word of 4+ letters, or a very common 3-letter one ("end", "web")."""
        if len(part) == 3:
            return self._english.get(part, 0) >= COMMON_SHORT_WORD_COUNT
        return part in self._symspell.words


def _only_gaps(word: str, term: str) -> bool:
    """Whether one of the two is the other with letters left out."""
    shorter, longer = sorted((word, term), key=len)
    letters = iter(longer)
    return all(letter in letters for letter in shorter)


def _insertion_or_swap(word: str, term: str) -> bool:
    """Whether ``term`` is ``word`` with a letter added or two letters swapped."""
    return len(term) == len(word) + 1 or sorted(term) == sorted(word)


def _expand_text_speak(tokens: list[_Token]) -> None:
    """Expand text-speak in place, marking each changed token with its original text."""
    position = 0
    while position < len(tokens):
        token = tokens[position]
        lower = token.lower
        original = token.core
        skip = (lower == "yr" and not _after_count(tokens, position)) or (
            token.core[:1].isupper() and not _starts_sentence(tokens, position)
        )  # "Ty Gwyn Dental": a capital mid-sentence is a name, not text-speak
        if skip or not _plain_case(token.core):
            pass
        elif lower in ("ph", "phone", "tel") and _phone_no_follows(tokens, position):
            following = tokens.pop(position + 1)
            original = f"{token.core}{token.trail}{token.space}{following.core}"
            token.core = _match_case(token.core, "phone number")
            token.trail, token.space = following.trail, following.space
        elif lower in BETWEEN_WORDS and _stands_between_words(tokens, position):
            token.core = _match_case(token.core, BETWEEN_WORDS[lower])
        elif lower == "k" and not token.lead and not _follows_number(tokens, position):
            token.core = _match_case(token.core, "ok")
        elif lower in vocabulary().text_speak:
            token.core = _match_case(token.core, vocabulary().text_speak[lower])
        if original != token.core:
            token.original = original
        position += 1


def _join_split_compounds(tokens: list[_Token]) -> None:
    """Join "lap tops" into "laptops" in place (see ``split_compounds``)."""
    split_compounds = vocabulary().split_compounds
    position = 0
    while position + 1 < len(tokens):
        token, following = tokens[position], tokens[position + 1]
        joined = split_compounds.get((token.lower, following.lower))
        if joined and not token.trail and not following.lead and token.core.islower():
            token.original = f"{token.core}{token.space}{following.core}"
            token.core = joined
            token.trail, token.space = following.trail, following.space
            del tokens[position + 1]
        position += 1


def _weights(domain_words: Iterable[str]) -> dict[str, int]:
    if isinstance(domain_words, Mapping):
        return {str(word).lower(): int(count) for word, count in domain_words.items()}
    return {str(word).lower(): 1 for word in domain_words}


def _leading_space(text: str) -> str:
    return text[: len(text) - len(text.lstrip())]


def _tokenise(text: str) -> list[_Token]:
    parts = re.split(r"(\s+)", text.lstrip())
    tokens = []
    for chunk, space in zip(parts[0::2], [*parts[1::2], ""], strict=True):
        if not chunk:
            continue
        alnum = [position for position, char in enumerate(chunk) if char.isalnum()]
        if not alnum:
            tokens.append(_Token(chunk, "", "", space))
            continue
        start, end = alnum[0], alnum[-1] + 1
        tokens.append(_Token(chunk[:start], chunk[start:end], chunk[end:], space))
    return tokens


def _match_case(original: str, replacement: str) -> str:
    if original[:1].isupper():
        return replacement[:1].upper() + replacement[1:]
    return replacement


def _starts_sentence(tokens: list[_Token], index: int) -> bool:
    """Whether the token opens the message or follows ".", "!" or "?"."""
    return index == 0 or tokens[index - 1].trail[-1:] in (".", "!", "?")


def _plain_case(core: str) -> bool:
    """Whether ``core`` is lower-case or capitalised: not "CIC", "BC" or "pH"."""
    if core.islower():
        return True
    return core == core.capitalize() and not (len(core) > 1 and core.isupper())


def _after_count(tokens: list[_Token], index: int) -> bool:
    """Whether the token follows a number or a word such as "per" ("5 yr", "per yr")."""
    if index == 0:
        return False
    before = tokens[index - 1]
    return _NUMBER.fullmatch(before.core) is not None or before.lower in vocabulary().year_leaders


def _phone_no_follows(tokens: list[_Token], index: int) -> bool:
    if index + 1 >= len(tokens):
        return False
    token, following = tokens[index], tokens[index + 1]
    return (
        token.trail in ("", ".")
        and not following.lead
        and following.lower == "no"
        and not following.core.isupper()
    )


def _stands_between_words(tokens: list[_Token], index: int) -> bool:
    if index == 0 or index + 1 >= len(tokens):
        return False
    before, token, after = tokens[index - 1], tokens[index], tokens[index + 1]
    if token.lead or token.trail or before.trail or after.lead:
        return False
    if not before.core.isalpha() or not after.core.isalpha():
        return False
    if token.core not in ("4", "2"):
        return True
    next_word, words = after.lower, vocabulary()
    if next_word in words.counted or (next_word.endswith("s") and next_word not in words.s_words):
        return False
    return before.lower not in words.number_leaders


def _follows_number(tokens: list[_Token], index: int) -> bool:
    return index > 0 and _NUMBER.fullmatch(tokens[index - 1].core) is not None


def _near_loan_word(tokens: list[_Token], index: int) -> bool:
    before = tokens[index - 1].lower if index > 0 else ""
    after = tokens[index + 1].lower if index + 1 < len(tokens) else ""
    words = vocabulary()
    if after in words.lone_veto:
        return False
    return before in words.loan_context or after in words.loan_context


@functools.lru_cache(maxsize=1)
def _english_counts() -> dict[str, int]:
    """Word to count from the English frequency dictionary shipped with ``symspellpy``."""
    text = (files("symspellpy") / ENGLISH_DICTIONARY).read_text(encoding="utf-8")
    counts = {}
    for line in text.splitlines():
        word, _, count = line.partition(" ")
        if count:
            counts[word] = int(count)
    return counts


def fund_vocabulary() -> frozenset[str]:
    """The fund's own words, lower-cased.

    Every word of the answers, keywords and examples in ``tsf_knowledge/data/facts.yml``
    and of the examples in ``data/nlu/*.yml`` (facts only when that folder is absent).
    Hyphenated words count whole, in parts and joined ("spin-out", "spin", "out",
    "spinout"). A word seen only in example questions is left out when it looks like a
    deliberate typo of a commoner fund word ("intrest" of "interest"), so it still gets
    corrected.
    """
    return frozenset(_fund_word_counts())


@functools.lru_cache(maxsize=1)
def _fund_word_counts() -> Mapping[str, int]:
    """Each fund word with the number of distinct texts it appears in (read-only)."""
    facts = yaml.safe_load(DEFAULT_FACTS_PATH.read_text(encoding="utf-8")) or {}
    trusted_texts: list[str] = []
    examples: dict[str, str] = {}
    for fact in facts.get("facts") or []:
        trusted_texts.append(str(fact.get("answer", "")))
        trusted_texts.extend(str(keyword) for keyword in fact.get("keywords") or [])
        for example in fact.get("examples") or []:
            examples.setdefault(" ".join(str(example).lower().split()), str(example))
    for kind, lines in _nlu_examples(NLU_DIRECTORY):
        if kind == "lookup":
            trusted_texts.extend(lines)
        else:
            for line in lines:
                examples.setdefault(" ".join(line.lower().split()), line)
    texts = [*trusted_texts, *examples.values()]
    trusted = _count_words(trusted_texts)
    counts = trusted + _count_words(examples.values())
    english = _english_counts()
    exempt = (
        trusted.keys()
        | english.keys()
        | vocabulary().extra_words
        | _acronyms(texts)
        | {word.replace("'", "") for word in counts if "'" in word}
        | {word.replace("-", "") for word in counts if "-" in word}
    )
    index = SymSpell(max_dictionary_edit_distance=1)
    for word, count in counts.items():
        if word.isalpha():
            index.create_dictionary_entry(word, count)
    for word in [word for word in counts if word not in exempt]:
        if _looks_misspelt(word, counts, trusted, english, index):
            del counts[word]
    return MappingProxyType(dict(counts))


def _looks_misspelt(
    word: str,
    counts: Mapping[str, int],
    trusted: Mapping[str, int],
    english: Mapping[str, int],
    index: SymSpell,
) -> bool:
    """Whether ``word`` is one edit from a known word used at least 3 times as often."""
    if not word.isalpha() or len(word) < 4:
        return False
    for item in index.lookup(word, Verbosity.ALL, 1):
        if item.distance != 1 or word in (item.term + "s", item.term + "es"):
            continue
        known = item.term in english or item.term in trusted
        if known and counts[item.term] >= 3 * counts[word]:
            return True
    return False


def _acronyms(texts: Iterable[str]) -> set[str]:
    """Lower-cased words that are written only in capitals ("TUPE", "NHS")."""
    capitals: set[str] = set()
    other: set[str] = set()
    for text in texts:
        for word in _WORD.findall(text):
            (capitals if len(word) > 1 and word.isupper() else other).add(word.lower())
    return capitals - other


def _count_words(texts: Iterable[str]) -> Counter[str]:
    """In how many of ``texts`` each word appears, hyphenated words also split and joined."""
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(set(_words(text)))
    return counts


def _words(text: str) -> Iterator[str]:
    for word in _WORD.findall(text.lower().replace("’", "'")):
        yield word
        if "-" in word:
            parts = word.split("-")
            yield from parts
            yield "".join(parts)


def _nlu_examples(directory: Path) -> Iterator[tuple[str, list[str]]]:
    """(kind, example lines) for each intent, lookup and synonym in ``directory/*.yml``."""
    if not directory.is_dir():
        return
    for path in sorted(directory.glob("*.yml")):
        data: Any = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for item in data.get("nlu") or []:
            if not isinstance(item, Mapping) or "regex" in item:
                continue
            kind = "lookup" if "lookup" in item else "intent"
            lines = [
                _ENTITY_MARKUP.sub(r"\1", line.strip()[1:].strip())
                for line in str(item.get("examples", "")).splitlines()
                if line.strip().startswith("-")
            ]
            yield kind, lines


@functools.lru_cache(maxsize=1)
def default_normaliser() -> SpellingNormaliser:
    """The normaliser for the fund's own vocabulary, built on first use and then cached."""
    return SpellingNormaliser(_fund_word_counts())
