"""Read the JSON of requests to the Sanic servers (Rasa's and the action server) with orjson.

Every call from Rasa to the action server carries the whole conversation (the tracker's
events) as JSON. Profiling a 100-turn conversation (``python -m benchmarks.profile_turns``)
put reading it in the action server (Sanic's ``Request.json``, with ujson) among the costs
that grow with every turn; orjson reads the same text about 40% faster.

:func:`install_orjson_for_requests` makes ``Request.load_json`` read with :func:`read_json`:
orjson, except where it would read differently from ujson as before: text with a run of 19
or more digits (orjson reads integers beyond 64 bits as floats) and text it refuses
(``NaN``, lone surrogates, anything not JSON) are read by ujson, so every body reads as it
did and bad ones fail as they did.

``tsf_runtime.rasa_patches`` installs it before Rasa starts, and ``tsf_runtime.actions_main``
before the action server starts.
"""

from __future__ import annotations

import functools
import re
from typing import Any

_PATCHED_MARK = "_tsf_orjson_requests"
_LONG_NUMBER = re.compile(r"\d{19}")
_LONG_NUMBER_BYTES = re.compile(rb"\d{19}")


def read_json(text: str | bytes) -> Any:
    """``text`` read as JSON: by orjson, or by ujson where orjson would read it otherwise."""
    import orjson
    import ujson

    long_number = _LONG_NUMBER_BYTES if isinstance(text, bytes) else _LONG_NUMBER
    if long_number.search(text):  # type: ignore[arg-type]
        return ujson.loads(text)
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return ujson.loads(text)


def install_orjson_for_requests() -> None:
    """Make Sanic's ``Request.load_json`` read with :func:`read_json` (once)."""
    from sanic.request import Request

    original = Request.load_json
    if getattr(original, _PATCHED_MARK, False):
        return

    @functools.wraps(original)
    def load_json(self: Request, loads: Any = read_json) -> Any:
        return original(self, loads)

    setattr(load_json, _PATCHED_MARK, True)
    Request.load_json = load_json  # type: ignore[method-assign]
