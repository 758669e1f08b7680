"""Copy a tracker by replaying only the events added since its last copy.

Before running each action Rasa 3.6 copies the conversation's tracker
(``MessageProcessor._run_action``: the action runs on the copy so that a rejected action
leaves no trace), and ``DialogueStateTracker.copy`` makes that copy by replaying every event
of the conversation on a new tracker. Profiling a 100-turn conversation
(``python -m benchmarks.profile_turns``) showed that replay growing with every turn.

:func:`install_incremental_copies` makes a tracker keep its :class:`Replica`: a tracker
replayed from its events exactly as ``copy`` replays them, with the events it has replayed.
Each copy replays on the replica only the events appended since (Rasa only ever appends
them; another or shorter event list starts a new replica) and hands out a twin of it, with
events, slots, latest action and active form of its own.

``tsf_runtime.rasa_patches`` installs it before Rasa starts.
"""

from __future__ import annotations

import copy
import itertools
import math
from typing import Any

_PATCHED_MARK = "_tsf_incremental_copies"
_REPLICA = "_tsf_replica"
_OURS = "_tsf_"


def twin(tracker: Any) -> Any:
    """A tracker in the same state as ``tracker`` that shares none of its changeable parts
    (the events themselves, as in any replay, are shared)."""
    made = object.__new__(type(tracker))
    made.__dict__.update(
        (name, value) for name, value in tracker.__dict__.items() if not name.startswith(_OURS)
    )
    made.events = tracker._create_events(list(tracker.events))
    slots = type(tracker.slots)()
    slots.update((name, copy.copy(slot)) for name, slot in tracker.slots.items())
    made.slots = slots
    made.latest_action = copy.copy(tracker.latest_action)
    made.active_loop = copy.deepcopy(tracker.active_loop)
    return made


class Replica:
    """A tracker replayed from another's events, as far as they go, able to go on."""

    def __init__(self, tracker: Any) -> None:
        """An empty replay of ``tracker`` (as ``travel_back_in_time`` starts one)."""
        self.events = tracker.events
        self.tracker = tracker.init_copy()
        self.count = 0
        self.last: Any = None

    def can_go_on(self, tracker: Any) -> bool:
        """Whether ``tracker``'s events are those replayed, with only new ones appended."""
        events = tracker.events
        if events is not self.events or len(events) < self.count:
            return False
        return not self.count or events[self.count - 1] is self.last

    def go_on(self) -> Any:
        """Replay the events appended since (:meth:`can_go_on` must hold); the replay, or
        None if one of them has no time up to now (``travel_back_in_time`` stops there)."""
        for event in itertools.islice(self.events, self.count, None):
            if not event.timestamp <= math.inf:
                return None
            self.tracker.update(event)
        self.count = len(self.events)
        self.last = self.events[-1] if self.events else None
        return self.tracker


def install_incremental_copies() -> None:
    """Make ``DialogueStateTracker.copy`` replay only new events (once)."""
    from rasa.shared.core.trackers import DialogueStateTracker

    original = DialogueStateTracker.copy
    if getattr(original, _PATCHED_MARK, False):
        return

    def copy_tracker(self: DialogueStateTracker) -> DialogueStateTracker:
        if type(self) is not DialogueStateTracker:
            return original(self)
        replica = self.__dict__.get(_REPLICA)
        if replica is None or not replica.can_go_on(self):
            replica = Replica(self)
            self.__dict__[_REPLICA] = replica
        replayed = replica.go_on()
        if replayed is None:
            del self.__dict__[_REPLICA]
            return original(self)
        return twin(replayed)  # type: ignore[no-any-return]

    copy_tracker.__doc__ = original.__doc__
    copy_tracker.__name__ = original.__name__
    setattr(copy_tracker, _PATCHED_MARK, True)
    DialogueStateTracker.copy = copy_tracker  # type: ignore[method-assign]
