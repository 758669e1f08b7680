"""Work out a tracker's applied events once per state of the tracker, not once per caller.

``DialogueStateTracker.applied_events`` walks every event of the conversation (undoing
reverted and repeated form turns) and Rasa 3.6 calls it many times per message on the same,
unchanged tracker: to decide whether a session starts, and again for each policy's
featurisation of each prediction. Profiling a 25-turn interview and lead hand-off
(``python -m benchmarks.profile_turns``) showed those walks growing with the conversation.

:func:`install_applied_events_memo` makes the tracker remember its last answer together with
the state of its event list it was worked out from (the same list object, the same length,
the same last event: Rasa only ever appends events); any other state works it out again.
Each caller gets its own copy of the list.

``tsf_runtime.rasa_patches`` installs it before Rasa starts.
"""

from __future__ import annotations

from typing import Any

_PATCHED_MARK = "_tsf_applied_events_memo"
_MEMO = "_tsf_applied_events"


def _state(tracker: Any) -> tuple[Any, int, Any]:
    events = tracker.events
    return events, len(events), events[-1] if events else None


def _same(one: tuple[Any, int, Any], other: tuple[Any, int, Any]) -> bool:
    return one[0] is other[0] and one[1] == other[1] and one[2] is other[2]


def install_applied_events_memo() -> None:
    """Make ``DialogueStateTracker.applied_events`` remember its result per state (once)."""
    from rasa.shared.core.trackers import DialogueStateTracker

    original = DialogueStateTracker.applied_events
    if getattr(original, _PATCHED_MARK, False):
        return

    def applied_events(self: DialogueStateTracker) -> list[Any]:
        state = _state(self)
        memo = self.__dict__.get(_MEMO)
        if memo is None or not _same(memo[0], state):
            memo = (state, original(self))
            self.__dict__[_MEMO] = memo
        return list(memo[1])

    applied_events.__doc__ = original.__doc__
    setattr(applied_events, _PATCHED_MARK, True)
    DialogueStateTracker.applied_events = applied_events  # type: ignore[method-assign]
