"""Generated hostile chat messages for the resilience suite, the same on every run."""

from __future__ import annotations

import json
import random
from collections.abc import Callable

QUESTIONS = (
    "how big is the fund?",
    "can we borrow 300k",
    "who runs the tsf",
    "are we eligible",
    "hello",
)
SCRIPTS = (
    "Cymraeg: Faint yw'r gronfa? ",
    "Ελληνικά: πόσο μεγάλο είναι το ταμείο; ",
    "Русский: насколько велик фонд? ",
    "中文：这个基金有多大？",
    "日本語：基金の規模は？",
    "العربية: ما حجم الصندوق؟ ",
    "עברית: כמה גדולה הקרן? ",
    "हिन्दी: फंड कितना बड़ा है? ",
    "ไทย: กองทุนใหญ่แค่ไหน ",
    "Z̷̢̛a̸l̵g̶o̴ ̷t̶e̷x̸t̵ ",
    "\u202eRTL override\u202c ",
    "zero\u200bwidth\u200djoiner\ufeff ",
    "𝕗𝕒𝕟𝕔𝕪 𝓁𝑒𝓉𝓉𝑒𝓇𝓈 ",
)
EMOJI = ("😀", "👍🏽", "👨‍👩‍👧‍👦", "🇬🇧", "💷", "🏥", "🤖", "❤️", "🔥", "🧑🏿‍⚕️")
HTML = (
    "<script>alert('x')</script>",
    '<img src=x onerror="alert(1)">',
    "<iframe src='javascript:alert(1)'></iframe>",
    "<b>bold</b> <i>how big is the fund?</i>",
    "javascript:alert(document.cookie)",
    "<svg/onload=alert(1)>",
    "&lt;script&gt;&#x3C;/script&#x3E;",
    "{{7*7}} ${7*7} <%= 7*7 %>",
)
SQL = (
    "'; DROP TABLE events; --",
    "1' OR '1'='1",
    '" OR 1=1 --',
    "admin'--",
    "'; DELETE FROM leads WHERE '1'='1",
    "UNION SELECT sender_id, data FROM events --",
    "Robert'); DROP TABLE outbox;--",
)
PAYLOADS = (
    "/check_eligibility{",
    '/inform{"amount": ',
    "/nonexistent_intent",
    "/restart{}{}",
    '/greet{"x": [1, 2, {"y": null}]}',
    "/",
    "//",
    "%s %n %x {0} {}",
    "../../../etc/passwd",
    "\\x00\\n\\r",
    "1e309",
    "£999999999999999999999999999",
    "-£250,000",
    "NaN",
)
CONTROLS = "".join(chr(code) for code in [*range(0, 9), 11, 12, *range(14, 32), 127, 0x85])


def _long(rng: random.Random) -> str:
    # Longer than the assistant reads, inside the 64 KB a request body may be (larger
    # bodies get a 413: tests/e2e/test_rest_conversation.py).
    length = rng.choice([2_001, 5_000, 20_000, 40_000])
    question = rng.choice(QUESTIONS) + " "
    return (question * (length // len(question) + 1))[:length]


def _long_word(rng: random.Random) -> str:
    return rng.choice("aZ9£") * rng.choice([300, 1_999, 2_500])


def _unicode(rng: random.Random) -> str:
    return rng.choice(SCRIPTS) + rng.choice(QUESTIONS)


def _emoji(rng: random.Random) -> str:
    return " ".join(rng.choice(EMOJI) for _ in range(rng.randint(1, 40)))


def _emoji_question(rng: random.Random) -> str:
    return f"{rng.choice(EMOJI)} {rng.choice(QUESTIONS)} {rng.choice(EMOJI)}"


def _controls(rng: random.Random) -> str:
    question = rng.choice(QUESTIONS)
    cut = rng.randint(0, len(question))
    noise = "".join(rng.choice(CONTROLS) for _ in range(rng.randint(1, 8)))
    return question[:cut] + noise + question[cut:]


def _only_controls(rng: random.Random) -> str:
    return "".join(rng.choice(CONTROLS) for _ in range(rng.randint(1, 20)))


def _html(rng: random.Random) -> str:
    return rng.choice(HTML)


def _sql(rng: random.Random) -> str:
    return rng.choice(SQL)


def _json(rng: random.Random) -> str:
    value = rng.choice(
        [
            {"sender": "someone-else", "message": "hi"},
            {"text": rng.choice(QUESTIONS), "intent": {"name": "restart", "confidence": 1}},
            [1, "two", None, {"three": [4.0]}],
            {"events": [{"event": "slot", "name": "requested_slot", "value": "x"}]},
        ]
    )
    text = json.dumps(value)
    return text if rng.random() < 0.7 else text[: rng.randint(1, len(text))]


def _payload(rng: random.Random) -> str:
    return rng.choice(PAYLOADS)


def _empty(_: random.Random) -> str:
    return ""


def _whitespace(rng: random.Random) -> str:
    return "".join(rng.choice(" \t\n\r\u00a0\u2003\u3000") for _ in range(rng.randint(1, 30)))


def _surrogate(rng: random.Random) -> str:
    return rng.choice(QUESTIONS) + rng.choice(["\ud800", "\udfff", "\ud83d"])


def _mixed(rng: random.Random) -> str:
    parts = [_html, _sql, _emoji, _unicode, _controls, _payload]
    return " ".join(rng.choice(parts)(rng) for _ in range(3))


GENERATORS: dict[str, Callable[[random.Random], str]] = {
    "very long": _long,
    "one long word": _long_word,
    "unicode": _unicode,
    "emoji": _emoji,
    "emoji with a question": _emoji_question,
    "control characters": _controls,
    "only control characters": _only_controls,
    "html and script": _html,
    "sql": _sql,
    "json in text": _json,
    "intent payloads and format strings": _payload,
    "empty": _empty,
    "whitespace": _whitespace,
    "unpaired surrogate": _surrogate,
    "mixed": _mixed,
}


def hostile_messages(count: int = 1000, seed: int = 2014) -> list[tuple[str, str]]:
    """``count`` (kind, message) pairs, cycling through every kind in :data:`GENERATORS`."""
    rng = random.Random(seed)
    kinds = list(GENERATORS)
    return [(kinds[i % len(kinds)], GENERATORS[kinds[i % len(kinds)]](rng)) for i in range(count)]
