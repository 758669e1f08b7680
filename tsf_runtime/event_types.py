"""Look up Rasa event classes by type name in a dictionary, not by walking every class.

Rasa 3.6 turns each stored or received event back into an object with
``Event.resolve_by_type``, which walks every ``Event`` subclass (and checks each for
abstract methods) on every call. A conversation of a few hundred events is read several
times per message, and profiling under load (``make bench``) put about 10% of the Rasa
server's CPU there. :func:`install_event_type_cache` remembers each name's class once it has
been found; unknown names still go through Rasa's own lookup and its errors.

``tsf_runtime.rasa_main`` installs it before Rasa starts.
"""

from __future__ import annotations

from typing import Any

_PATCHED_MARK = "_tsf_event_type_cache"


def install_event_type_cache() -> None:
    """Make ``Event.resolve_by_type`` remember the class found for each type name (once)."""
    from rasa.shared.core.events import Event

    original = Event.resolve_by_type
    if getattr(original, _PATCHED_MARK, False):
        return
    found: dict[str, Any] = {}

    def resolve_by_type(type_name: str, default: Any = None) -> Any:
        cached = found.get(type_name)
        if cached is not None:
            return cached
        resolved = original(type_name, default)
        if resolved is not None and resolved is not default:
            found[type_name] = resolved
        return resolved

    setattr(resolve_by_type, _PATCHED_MARK, True)
    Event.resolve_by_type = staticmethod(resolve_by_type)  # type: ignore[method-assign]
