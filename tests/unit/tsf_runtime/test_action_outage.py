"""When the action server cannot run an action, the person hears why instead of silence."""

from __future__ import annotations

import asyncio
import logging
import socket
from collections.abc import Iterator

import pytest
from rasa.core.actions.action import RemoteAction
from rasa.core.channels.channel import CollectingOutputChannel
from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from tsf_runtime.action_outage import (
    PROCESSOR_LOGGER,
    ActionServerUnavailable,
    OutageTracebackFilter,
    install_action_outage_reply,
    unavailable_reply,
)


@pytest.fixture(scope="module", autouse=True)
def installed() -> Iterator[None]:
    original = RemoteAction.run
    install_action_outage_reply()
    yield
    RemoteAction.run = original  # type: ignore[method-assign]


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def run_unreachable_action(channel: CollectingOutputChannel, name: str = "action_x") -> None:
    endpoint = EndpointConfig(f"http://127.0.0.1:{closed_port()}/webhook")
    action = RemoteAction(name, endpoint)
    domain = Domain.empty()
    tracker = DialogueStateTracker("someone", domain.slots)
    nlg = TemplatedNaturalLanguageGenerator(domain.responses)
    asyncio.run(action.run(channel, nlg, tracker, domain))


def test_an_unreachable_action_server_gets_a_polite_reply_and_an_outage_error() -> None:
    channel = CollectingOutputChannel()

    with pytest.raises(ActionServerUnavailable, match="action_x"):
        run_unreachable_action(channel)

    assert [message["text"] for message in channel.messages] == [unavailable_reply()]
    assert channel.messages[0]["recipient_id"] == "someone"


def test_the_reply_is_sent_once_per_message_however_many_actions_fail() -> None:
    channel = CollectingOutputChannel()

    for name in ("action_one", "validate_some_form", "action_two"):
        with pytest.raises(ActionServerUnavailable):
            run_unreachable_action(channel, name)

    assert [message["text"] for message in channel.messages] == [unavailable_reply()]


def test_installing_twice_wraps_once() -> None:
    wrapped = RemoteAction.run

    install_action_outage_reply()

    assert RemoteAction.run is wrapped


def test_the_reply_names_no_internals_and_gives_the_team_number() -> None:
    assert "action" not in unavailable_reply().lower()
    assert "020 7187 7379" in unavailable_reply()


def record_with(error: BaseException) -> logging.LogRecord:
    try:
        raise error
    except BaseException:
        import sys

        return logging.LogRecord(
            PROCESSOR_LOGGER,
            logging.ERROR,
            __file__,
            1,
            "Encountered an exception",
            (),
            sys.exc_info(),
        )


def test_rasa_traceback_for_an_outage_becomes_one_warning_line() -> None:
    record = record_with(ActionServerUnavailable("action server failed to run 'x'"))

    assert OutageTracebackFilter().filter(record)
    assert record.exc_info is None
    assert record.levelname == "WARNING"
    assert record.getMessage() == "Action not run: action server failed to run 'x'"


def test_other_errors_keep_their_traceback() -> None:
    record = record_with(ValueError("a real bug"))

    assert OutageTracebackFilter().filter(record)
    assert record.exc_info is not None
    assert record.levelname == "ERROR"
