"""Work out a tracker's applied events once per event, not again for every caller.

``DialogueStateTracker.applied_events`` walks every event of the conversation (undoing
reverted and repeated form turns) and Rasa 3.6 calls it many times per message: to decide
whether a session starts, and again for each policy's featurisation of each prediction.
Profiling a 25-turn interview and lead hand-off and a 100-turn conversation
(``python -m benchmarks.profile_turns``) showed those walks growing with the conversation.

:func:`install_applied_events_memo` makes the tracker remember its :class:`Walk`: the events
walked so far (the same event list, its length, its last event) and what they left. When
events were only appended since (Rasa only ever appends them), just the new ones are walked,
in Rasa's own steps; when they name a form no earlier event named (Rasa decides how to
walk a form's repeated turns from every form the conversation names), or the list is another
or shorter, the whole list is walked again. Each caller gets its own copy of the result.

``tsf_runtime.rasa_patches`` installs it before Rasa starts.
"""

from __future__ import annotations

import itertools
from typing import Any

_PATCHED_MARK = "_tsf_applied_events_memo"
_WALK = "_tsf_applied_events"


def loop_names(events: Any) -> set[str]:
    """The forms (loops) that ``events`` activate, as Rasa's walk collects them."""
    from rasa.shared.core.events import ActiveLoop

    return {event.name for event in events if isinstance(event, ActiveLoop) and event.name}


class Walk:
    """Rasa 3.6's walk over one tracker's events, taken as far as they go, able to go on."""

    def __init__(self, tracker: Any) -> None:
        """Walk every event of ``tracker``."""
        self.events = tracker.events
        self.loop_names = loop_names(self.events)
        self.applied: list[Any] = []
        self.count = 0
        self.last: Any = None
        self.go_on(tracker)

    def can_go_on(self, tracker: Any) -> bool:
        """Whether ``tracker``'s events are those walked, with only new ones appended that
        name no new form."""
        events = tracker.events
        if events is not self.events or len(events) < self.count:
            return False
        if self.count and events[self.count - 1] is not self.last:
            return False
        return loop_names(itertools.islice(events, self.count, None)) <= self.loop_names

    def go_on(self, tracker: Any) -> list[Any]:
        """Walk the events appended since (:meth:`can_go_on` must hold); the applied events."""
        from rasa.shared.core.events import (
            ActionExecuted,
            ActionReverted,
            Restarted,
            SessionStarted,
            UserUtteranceReverted,
            UserUttered,
        )

        applied = self.applied
        for event in itertools.islice(self.events, self.count, None):
            if isinstance(event, (Restarted, SessionStarted)):
                applied.clear()
            elif isinstance(event, ActionReverted):
                tracker._undo_till_previous(ActionExecuted, applied)
            elif isinstance(event, UserUtteranceReverted):
                tracker._undo_till_previous(UserUttered, applied)
                tracker._undo_till_previous(ActionExecuted, applied)
            elif (
                isinstance(event, ActionExecuted)
                and event.action_name in self.loop_names
                and not tracker._first_loop_execution_or_unhappy_path(event.action_name, applied)
            ):
                tracker._undo_till_previous_loop_execution(event.action_name, applied)
            else:
                applied.append(event)
        self.count = len(self.events)
        self.last = self.events[-1] if self.events else None
        return applied


def install_applied_events_memo() -> None:
    """Make ``DialogueStateTracker.applied_events`` walk only new events (once)."""
    from rasa.shared.core.trackers import DialogueStateTracker

    original = DialogueStateTracker.applied_events
    if getattr(original, _PATCHED_MARK, False):
        return

    def applied_events(self: DialogueStateTracker) -> list[Any]:
        walk = self.__dict__.get(_WALK)
        if walk is not None and walk.can_go_on(self):
            return list(walk.go_on(self))
        walk = Walk(self)
        self.__dict__[_WALK] = walk
        return list(walk.applied)

    applied_events.__doc__ = original.__doc__
    setattr(applied_events, _PATCHED_MARK, True)
    DialogueStateTracker.applied_events = applied_events  # type: ignore[method-assign]
