"""Each call to the action server carries the latest turns in full and, before them, only
the small events: not every message of the conversation again.

Rasa sends the whole conversation with every action call, so the call's JSON, written by
Rasa and read by the action server, grew with every turn: in a 100-turn conversation it was
the largest cost left that grew. The actions read only the latest turns' messages (the last
assistant message, the latest user message's metadata, the transcript of the last
``actions.live_chat.TRANSCRIPT_TURNS`` messages for the team) and, from the whole
conversation, only slot events (``actions.questionnaire.slots_before_latest_message``).
So a call carries every event from the :data:`RECENT_TURNS`-th latest user message on and,
before that, every event except user messages, assistant messages and executed actions
(the bulk of a conversation). The tracker's state that comes with it (slots, latest
message, active form, latest action and input channel) is worked out by Rasa from the whole
conversation as before. ``tests/unit/tsf_runtime/test_action_call_events.py`` checks that
every helper the actions read events with answers the same from the shorter list.

:func:`install_recent_action_call_events` replaces ``RemoteAction._action_call_format``
(every custom action, form validation and custom slot mapping): the same call, with the
shorter list of events.
``tsf_runtime.rasa_patches`` installs it before Rasa starts.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rasa.shared.core.events import ActionExecuted, BotUttered, Event, UserUttered

RECENT_TURNS = 12
"""User messages back from which an action call carries every event (the team's transcript
is the last ten messages, so ten user messages back is always enough)."""

BULKY_EVENTS = (UserUttered, BotUttered, ActionExecuted)
"""What an action call leaves out before the latest turns."""

_PATCHED_MARK = "_tsf_recent_events"


def action_call_events(events: Iterable[Event], recent_turns: int = RECENT_TURNS) -> list[Event]:
    """Every event from the ``recent_turns``-th latest user message on; before it, every
    event but user messages, assistant messages and executed actions."""
    listed = list(events)
    users = 0
    for index in range(len(listed) - 1, -1, -1):
        if isinstance(listed[index], UserUttered):
            users += 1
            if users == recent_turns:
                earlier = [event for event in listed[:index] if not isinstance(event, BULKY_EVENTS)]
                return earlier + listed[index:]
    return listed


def install_recent_action_call_events() -> None:
    """Make Rasa's action calls carry :func:`action_call_events` (once)."""
    import rasa
    from rasa.core.actions.action import RemoteAction
    from rasa.shared.core.trackers import EventVerbosity

    original = RemoteAction._action_call_format
    if getattr(original, _PATCHED_MARK, False):
        return

    def _action_call_format(self: RemoteAction, tracker: Any, domain: Any) -> dict[str, Any]:
        tracker_state = tracker.current_state(EventVerbosity.NONE)
        tracker_state["events"] = [event.as_dict() for event in action_call_events(tracker.events)]
        result = {
            "next_action": self._name,
            "sender_id": tracker.sender_id,
            "tracker": tracker_state,
            "version": rasa.__version__,
        }
        if not self._is_selective_domain_enabled() or (
            domain.does_custom_action_explicitly_need_domain(self.name())
        ):
            result["domain"] = domain.as_dict()
        return result

    _action_call_format.__doc__ = original.__doc__
    setattr(_action_call_format, _PATCHED_MARK, True)
    RemoteAction._action_call_format = _action_call_format  # type: ignore[method-assign]
