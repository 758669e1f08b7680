"""Each Rasa process works on a few messages at once and admits the others in arrival order."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest
from rasa.core.processor import MessageProcessor

from tsf_config import SettingsError
from tsf_runtime.turn_admission import admitting, install_turn_admission, turns_at_once


class Processor:
    """Stands in for Rasa's processor: each message's turn runs until the test releases it."""

    def __init__(self) -> None:
        self.running: set[str] = set()
        self.most_at_once = 0
        self.started: list[str] = []
        self.release: dict[str, asyncio.Event] = {}

    async def handle_message(self, message: str) -> str:
        self.started.append(message)
        self.running.add(message)
        self.most_at_once = max(self.most_at_once, len(self.running))
        try:
            await self.release.setdefault(message, asyncio.Event()).wait()
        finally:
            self.running.discard(message)
        return f"reply to {message}"


async def _settle() -> None:
    for _ in range(10):
        await asyncio.sleep(0)


def test_no_more_than_the_limit_are_worked_on_at_once_and_the_rest_start_in_order() -> None:
    async def scenario() -> tuple[Processor, list[str]]:
        processor = Processor()
        handle = admitting(Processor.handle_message, 2)
        messages = [f"m{i}" for i in range(6)]
        tasks = [asyncio.create_task(handle(processor, message)) for message in messages]
        await _settle()
        assert processor.started == ["m0", "m1"]
        processor.release.setdefault("m1", asyncio.Event()).set()
        await _settle()
        assert processor.started == ["m0", "m1", "m2"]
        for message in messages:
            processor.release.setdefault(message, asyncio.Event()).set()
            await _settle()
        return processor, list(await asyncio.gather(*tasks))

    processor, replies = asyncio.run(scenario())
    assert processor.most_at_once == 2
    assert processor.started == [f"m{i}" for i in range(6)]
    assert replies == [f"reply to m{i}" for i in range(6)]


def test_a_message_whose_turn_fails_or_is_cancelled_gives_its_place_to_the_next() -> None:
    class Failing(Processor):
        async def handle_message(self, message: str) -> str:
            if message == "boom":
                raise RuntimeError("the turn failed")
            return await super().handle_message(message)

    async def scenario() -> Processor:
        processor = Failing()
        handle = admitting(Failing.handle_message, 1)
        with pytest.raises(RuntimeError):
            await handle(processor, "boom")
        first = asyncio.create_task(handle(processor, "first"))
        queued = asyncio.create_task(handle(processor, "given up while queued"))
        await _settle()
        queued.cancel()
        after = asyncio.create_task(handle(processor, "after"))
        await _settle()
        first.cancel()
        await _settle()
        assert processor.started == ["first", "after"]
        processor.release.setdefault("after", asyncio.Event()).set()
        assert await after == "reply to after"
        return processor

    assert asyncio.run(scenario()).running == set()


def test_each_processor_has_a_gate_of_its_own() -> None:
    async def scenario() -> tuple[Processor, Processor]:
        first, second = Processor(), Processor()
        handle = admitting(Processor.handle_message, 1)
        tasks = [asyncio.create_task(handle(p, "hi")) for p in (first, second)]
        await _settle()
        assert first.started == ["hi"] and second.started == ["hi"]
        for processor in (first, second):
            processor.release["hi"].set()
        await asyncio.gather(*tasks)
        return first, second

    asyncio.run(scenario())


def test_the_limit_is_eight_unless_tsf_turns_at_once_says_otherwise() -> None:
    assert turns_at_once({}) == 8
    assert turns_at_once({"TSF_TURNS_AT_ONCE": "12"}) == 12
    for unusable in ("0", "-1", "many"):
        with pytest.raises(SettingsError):
            turns_at_once({"TSF_TURNS_AT_ONCE": unusable})


@pytest.fixture
def original_handle_message() -> Iterator[Any]:
    unpatched = MessageProcessor.handle_message
    yield unpatched
    MessageProcessor.handle_message = unpatched  # type: ignore[method-assign]


def test_installing_wraps_rasas_handle_message_once(original_handle_message: Any) -> None:
    install_turn_admission({"TSF_TURNS_AT_ONCE": "3"})
    installed = MessageProcessor.handle_message
    install_turn_admission({"TSF_TURNS_AT_ONCE": "3"})
    assert installed is not original_handle_message
    assert MessageProcessor.handle_message is installed
    assert installed.__doc__ == original_handle_message.__doc__
