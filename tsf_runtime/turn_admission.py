"""A few messages worked on at once in each Rasa process; the others wait in order of arrival.

Rasa starts on every message as soon as it arrives. A turn awaits the action server once
or more (a form's turn two or three times), and each time it does, the rest of the turn
goes to the back of the event loop's queue, behind a slice of every other message in
flight. At concurrency 50 a turn that calls three actions so waited three rounds of fifty
while an answer that calls none waited one: the slowest replies took three times the
median (p95 1,350 ms against a median of 433 ms). Admitting messages first come, first
served, :func:`turns_at_once` at a time, lets each admitted turn run its actions with few
others between them, so replies take about as long as the work queued ahead of them,
whatever kind of turn they are. On the ``make bench`` mix at concurrency 50, two runs
each way side by side: p95 1,395-2,935 ms with every message at once, 1,147-1,457 ms with
eight, for the same messages per second. A process that is not that busy admits every
message at once, as before.

:func:`install_turn_admission` wraps Rasa's ``MessageProcessor.handle_message`` (inside the
conversation's lock, so a message waiting for its conversation holds no place).
``tsf_runtime.rasa_patches`` installs it before Rasa starts.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from tsf_config import Reader
from tsf_runtime.settings import VARIABLES

TURNS_AT_ONCE_VARIABLE = "TSF_TURNS_AT_ONCE"
_PATCHED_MARK = "_tsf_turn_admission"
_GATE_ATTRIBUTE = "_tsf_turn_gate"


def turns_at_once(environ: Mapping[str, str] | None = None) -> int:
    """How many messages one Rasa process works on at once (``TSF_TURNS_AT_ONCE``)."""
    return Reader(VARIABLES, environ).count(TURNS_AT_ONCE_VARIABLE)


Handle = Callable[[Any, Any], Awaitable[Any]]
"""An unbound ``handle_message(processor, message)``."""


def turn_gate(processor: Any, limit: int) -> asyncio.Semaphore:
    """The processor's gate: a first-come, first-served semaphore of ``limit`` places,
    made in the event loop that first uses it."""
    gate = getattr(processor, _GATE_ATTRIBUTE, None)
    if gate is None:
        gate = asyncio.Semaphore(limit)
        setattr(processor, _GATE_ATTRIBUTE, gate)
    return gate


def admitting(handle: Handle, limit: int) -> Handle:
    """``handle`` run for at most ``limit`` messages at once per processor, the others
    admitted in the order they arrived."""

    async def handle_message(processor: Any, message: Any) -> Any:
        async with turn_gate(processor, limit):
            return await handle(processor, message)

    handle_message.__doc__ = handle.__doc__
    setattr(handle_message, _PATCHED_MARK, True)
    return handle_message


def install_turn_admission(environ: Mapping[str, str] | None = None) -> None:
    """Make Rasa handle at most :func:`turns_at_once` messages at once per process (once)."""
    from rasa.core.processor import MessageProcessor

    original = MessageProcessor.handle_message
    if getattr(original, _PATCHED_MARK, False):
        return
    MessageProcessor.handle_message = admitting(original, turns_at_once(environ))  # type: ignore[method-assign]
