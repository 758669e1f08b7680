"""Write the JSON of Rasa's calls to the action server with ujson, not the standard library.

Every action call sends the whole conversation (the tracker's events) as JSON. Profiling a
100-turn conversation (``python -m benchmarks.profile_turns``) put writing that JSON with
``json.dumps`` among the costs that grow with every turn. ujson (already installed with
Sanic) writes the same values about twice as fast: the action server reads back exactly the
numbers and strings Rasa sent (``tests/unit/tsf_runtime/test_action_call_json.py``).

:func:`install_ujson_for_endpoint_requests` makes ``EndpointConfig.session`` (the
client Rasa opens for each call to an endpoint) serialise with ``ujson.dumps``.

``tsf_runtime.rasa_patches`` installs it before Rasa starts.
"""

from __future__ import annotations

from typing import Any

_PATCHED_MARK = "_tsf_ujson_session"


def install_ujson_for_endpoint_requests() -> None:
    """Make the endpoints' client sessions write JSON with ujson (once)."""
    import aiohttp
    import ujson
    from rasa.utils.endpoints import EndpointConfig

    original = EndpointConfig.session
    if getattr(original, _PATCHED_MARK, False):
        return

    def session(self: EndpointConfig) -> aiohttp.ClientSession:
        made: Any = original(self)
        made._json_serialize = ujson.dumps
        return made  # type: ignore[no-any-return]

    session.__doc__ = original.__doc__
    setattr(session, _PATCHED_MARK, True)
    EndpointConfig.session = session  # type: ignore[method-assign]
