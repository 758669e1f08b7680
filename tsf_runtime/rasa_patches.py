"""Every change the assistant makes inside Rasa 3.6, in one place, installed before it starts.

Each patch is a small module of its own with its reason and its tests
(``tests/tsf_runtime/test_<module>.py``); :data:`RASA_PATCHES` lists them in the order
:func:`install_rasa_patches` installs them. Each install is idempotent.

Behaviour:

- ``log_redaction``: no personal data in Rasa's logs.
- ``action_outage``: a polite reply when the action server is down.
- ``turn_admission``: a few messages worked on at once, the others waiting in order of
  arrival, so under load a form's turn is not slower than an answer's.

Speed, each found by profiling (``python -m benchmarks.profile_turns``) and changing nothing
a user or the tracker sees:

- ``action_response_schema``: action responses checked against a schema compiled once.
- ``event_types``: event classes looked up by name in a dictionary.
- ``prediction_graph``: each graph built once per target; TED not run when a rule or a
  memorised story already decides the action.
- ``applied_events``: a tracker's applied events worked out once per event, not per caller.
- ``incremental_states``: each turn of a conversation described once, not again before
  every prediction.
- ``rule_states``: the RulePolicy builds the states of only as many latest turns as its
  longest rule has, not of the whole conversation.
- ``tracker_copies``: the copy of the tracker each action runs on replays only the events
  added since the last copy.
- ``action_call_events``: each action call carries the latest turns in full and, before
  them, only the small events (slots, forms), not every message again.
- ``action_call_json``: the JSON of each call to the action server written with ujson.
- ``request_json``: request bodies read with orjson (where it reads them as ujson does),
  in Rasa and, installed by ``tsf_runtime.actions_main``, in the action server.

And in ``tsf_runtime.tracker_store`` (Rasa's SQL tracker store, subclassed): only the data
column read, events parsed with ujson, no count before each save, and the latest
conversations' trackers kept while nothing newer is stored.
"""

from __future__ import annotations

from collections.abc import Callable

from tsf_runtime.action_call_events import install_recent_action_call_events
from tsf_runtime.action_call_json import install_ujson_for_endpoint_requests
from tsf_runtime.action_outage import install_action_outage_reply
from tsf_runtime.action_response_schema import install_cached_action_response_validation
from tsf_runtime.applied_events import install_applied_events_memo
from tsf_runtime.event_types import install_event_type_cache
from tsf_runtime.incremental_states import install_incremental_states
from tsf_runtime.log_redaction import install_redaction
from tsf_runtime.prediction_graph import install_lean_prediction_graph
from tsf_runtime.request_json import install_orjson_for_requests
from tsf_runtime.rule_states import install_recent_rule_states
from tsf_runtime.tracker_copies import install_incremental_copies
from tsf_runtime.turn_admission import install_turn_admission

RASA_PATCHES: tuple[Callable[[], object], ...] = (
    install_redaction,
    install_action_outage_reply,
    install_turn_admission,
    install_cached_action_response_validation,
    install_event_type_cache,
    install_lean_prediction_graph,
    install_applied_events_memo,
    install_incremental_states,
    install_recent_rule_states,
    install_incremental_copies,
    install_recent_action_call_events,
    install_ujson_for_endpoint_requests,
    install_orjson_for_requests,
)


def install_rasa_patches() -> None:
    """Install every patch in :data:`RASA_PATCHES`."""
    for install in RASA_PATCHES:
        install()
