"""The real assistant started with one chat channel switched on, for that channel's e2e tests."""

from __future__ import annotations

from pathlib import Path
from typing import TypeVar

from channels.conversation_ids import conversation_id
from tests.support.harness import http, start_assistant

_Stack = TypeVar("_Stack", bound="ChannelStack")


class ChannelStack:
    """The assistant with ``channel`` switched on by ``environment``; ``with`` stops it.

    Args:
        workdir: where the assistant keeps its databases and log.
        environment: the settings that switch the channel on.
    """

    channel: str

    def __init__(self, workdir: Path, environment: dict[str, str]) -> None:
        """Start the assistant."""
        self.workdir = workdir
        self.environment = environment
        self.assistant = start_assistant(workdir, extra_env=environment)

    def restart(self) -> None:
        """Stop the assistant and start it again on the same databases."""
        self.assistant.stop()
        self.assistant = start_assistant(self.workdir, extra_env=self.environment)

    def latest_text(self, sender: str) -> str | None:
        """The text of the latest user message Rasa recorded for ``sender``."""
        status, tracker = http(
            "GET",
            f"{self.assistant.rasa_url}/conversations/"
            f"{conversation_id(self.channel, sender)}/tracker?token={self.assistant.token}",
        )
        assert status == 200, tracker
        return (tracker.get("latest_message") or {}).get("text")

    def __enter__(self: _Stack) -> _Stack:
        """The running stack."""
        return self

    def __exit__(self, *exc_info: object) -> None:
        """Stop the assistant."""
        self.assistant.stop()
