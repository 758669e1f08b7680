"""Conversation ids: each channel's own prefix, and widget session ids the server signed."""

from __future__ import annotations

import pytest

from channels.conversation_ids import (
    conversation_id,
    local_id,
    mint_session_id,
    resumed_or_new_session_id,
    session_key,
    verified_session_id,
)

SECRET = b"unit-test-session-secret-0123456789"


def test_an_issued_session_id_verifies() -> None:
    session = mint_session_id(SECRET)

    assert verified_session_id(session, SECRET) == session


def test_every_issued_session_id_is_new() -> None:
    assert len({mint_session_id(SECRET) for _ in range(100)}) == 100


@pytest.mark.parametrize(
    "claimed",
    [
        "U0USER0001",  # a Slack user id
        "29:user-1",  # a Teams user id
        "web-0123456789abcdef0123456789abcdef",  # what the widget used to make up
        "0123456789abcdef0123456789abcdef",  # a nonce without its tag
        "",
        None,
        42,
    ],
)
def test_ids_the_server_did_not_issue_do_not_verify(claimed: object) -> None:
    assert verified_session_id(claimed, SECRET) is None


def test_a_tampered_or_foreign_session_id_does_not_verify() -> None:
    session = mint_session_id(SECRET)
    nonce, tag = session.split(".")
    other_nonce = ("0" if nonce[0] != "0" else "1") + nonce[1:]

    assert verified_session_id(f"{other_nonce}.{tag}", SECRET) is None
    assert verified_session_id(session, b"another server's secret") is None
    assert verified_session_id(session.upper(), SECRET) is None


def test_an_issued_session_resumes_and_any_other_id_gets_a_new_session() -> None:
    session = mint_session_id(SECRET)

    assert resumed_or_new_session_id(session, SECRET) == session
    new = resumed_or_new_session_id("U0USER0001", SECRET)
    assert new != "U0USER0001"
    assert verified_session_id(new, SECRET) == new


def test_a_missing_secret_is_replaced_by_a_random_one() -> None:
    assert session_key("configured") == b"configured"
    assert session_key(None) != session_key(None)


@pytest.mark.parametrize("channel", ["web", "rest", "slack", "teams"])
def test_each_channel_has_its_own_prefix(channel: str) -> None:
    conversation = conversation_id(channel, "U0USER0001")

    assert conversation == f"{channel}:U0USER0001"
    assert local_id(conversation) == "U0USER0001"


def test_the_same_id_on_two_channels_is_two_conversations() -> None:
    assert conversation_id("rest", "U0USER0001") != conversation_id("slack", "U0USER0001")


def test_an_id_with_a_colon_of_its_own_keeps_it() -> None:
    assert local_id(conversation_id("teams", "29:user-1")) == "29:user-1"
    assert local_id("29:user-1") == "29:user-1"


def test_an_unknown_channel_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown channel"):
        conversation_id("email", "x")
