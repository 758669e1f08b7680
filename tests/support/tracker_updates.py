"""Which events trackers take from here on, to tell how much of a conversation is replayed."""

from __future__ import annotations

from typing import Any

import pytest
from rasa.shared.core.events import Event
from rasa.shared.core.trackers import DialogueStateTracker


def record_updates(monkeypatch: pytest.MonkeyPatch) -> list[Event]:
    """Every event any tracker is updated with from now on (the test's own and replays)."""
    updated: list[Event] = []
    update = DialogueStateTracker.update

    def recorded(self: DialogueStateTracker, event: Event, domain: Any = None) -> None:
        updated.append(event)
        update(self, event, domain)

    monkeypatch.setattr(DialogueStateTracker, "update", recorded)
    return updated
