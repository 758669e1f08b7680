"""What the channels let through to the assistant, and what they answer themselves."""

from __future__ import annotations

import pytest

from channels.message_guard import (
    EMPTY_REPLY,
    MAX_MESSAGE_CHARS,
    MAX_SENDER_CHARS,
    TOO_LONG_REPLY,
    check_message,
    clean_text,
    parse_json_object,
    valid_sender,
)


@pytest.mark.parametrize(
    ("raw", "cleaned"),
    [
        ("how big is the fund?", "how big is the fund?"),
        ("  padded  ", "padded"),
        ("line one\nline two\tend", "line one line two end"),
        ("nul\x00byte", "nulbyte"),
        ("bell\x07 and escape\x1b[31m", "bell and escape[31m"),
        ("c1 control\x85here", "c1 controlhere"),
        ("lone surrogate \ud800 gone", "lone surrogate  gone"),
        ("emoji stay 👍🏽 and 👨‍👩‍👧", "emoji stay 👍🏽 and 👨‍👩‍👧"),
        ("Ffôr Cymru a ελληνικά and 中文", "Ffôr Cymru a ελληνικά and 中文"),
        ("<script>alert(1)</script>", "<script>alert(1)</script>"),
    ],
)
def test_clean_text_drops_controls_and_surrogates_but_keeps_every_script(
    raw: str, cleaned: str
) -> None:
    assert clean_text(raw) == cleaned


@pytest.mark.parametrize("raw", [None, "", "   ", "\n\t", "\x00\x01\x02", "\ud83d"])
def test_a_message_with_no_words_gets_the_empty_reply(raw: object) -> None:
    checked = check_message(raw)

    assert checked.text is None
    assert checked.reply == EMPTY_REPLY


def test_a_message_over_the_limit_gets_the_too_long_reply() -> None:
    checked = check_message("a" * (MAX_MESSAGE_CHARS + 1))

    assert checked.text is None
    assert checked.reply == TOO_LONG_REPLY
    assert f"{MAX_MESSAGE_CHARS:,}" in TOO_LONG_REPLY


def test_a_message_at_the_limit_is_read() -> None:
    assert check_message("a" * MAX_MESSAGE_CHARS).text == "a" * MAX_MESSAGE_CHARS


def test_the_limit_counts_what_is_left_after_cleaning() -> None:
    raw = "b" * MAX_MESSAGE_CHARS + "\x00" * 50

    assert check_message(raw).text == "b" * MAX_MESSAGE_CHARS


def test_sql_and_json_are_read_as_plain_text() -> None:
    for raw in ["'; DROP TABLE events; --", '{"sender": "x", "message": "y"}']:
        assert check_message(raw).text == raw


@pytest.mark.parametrize(
    ("sender", "expected"),
    [
        ("web-3f2a9c", "web-3f2a9c"),
        ("a1b2c3d4e5f6", "a1b2c3d4e5f6"),
        ("user@example.org", "user@example.org"),
        ("team:19.abc_DEF", "team:19.abc_DEF"),
        (42, "42"),
        ("x" * MAX_SENDER_CHARS, "x" * MAX_SENDER_CHARS),
    ],
)
def test_safe_senders_are_accepted(sender: object, expected: str) -> None:
    assert valid_sender(sender) == expected


@pytest.mark.parametrize(
    "sender",
    [
        None,
        "",
        True,
        3.5,
        ["list"],
        {"id": 1},
        "x" * (MAX_SENDER_CHARS + 1),
        "has space",
        "quote'; --",
        "nul\x00",
        "emoji👍",
        "../../etc/passwd",
    ],
)
def test_unsafe_senders_are_refused(sender: object) -> None:
    assert valid_sender(sender) is None


@pytest.mark.parametrize(
    "body",
    [
        b"[" * 100_000 + b"]" * 100_000,
        b'{"a": ' * 100_000 + b"1" + b"}" * 100_000,
        b"\xff\xfe not utf-8",
        b"{not json",
        b"[1, 2]",
        b"",
    ],
)
def test_bodies_that_are_not_a_json_object_are_refused_without_an_exception(body: bytes) -> None:
    assert parse_json_object(body) is None


def test_a_json_object_is_read() -> None:
    assert parse_json_object(b'{"sender": "a", "message": "hi"}') == {
        "sender": "a",
        "message": "hi",
    }
