"""One declared variable, one typed reader, one error for a value that cannot be used."""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar
from urllib.parse import urlsplit

from tsf_config.hosts import is_loopback_url

TRUE_WORDS = frozenset({"1", "true", "yes", "on"})
FALSE_WORDS = frozenset({"0", "false", "no", "off"})

T = TypeVar("T")


@dataclass(frozen=True)
class Variable:
    """One environment variable: its name, default (``None`` when unset or computed) and
    meaning (documented in the README's configuration table)."""

    name: str
    default: str | None
    meaning: str


class SettingsError(ValueError):
    """A variable is missing or has a value the assistant cannot use; the message names it."""


class Reader:
    """Typed access to declared variables; a blank value means the declared default.

    Args:
        variables: the declared variables; reading any other name is a programming error.
        environ: the environment to read (``os.environ`` when omitted, at call time).
        context: who needs a required value, for its error, e.g. ``"TSF_CRM=hubspot"``.
    """

    def __init__(
        self,
        variables: Iterable[Variable],
        environ: Mapping[str, str] | None = None,
        *,
        context: str = "The assistant",
    ) -> None:
        """Keep the environment and the declared defaults."""
        self.environ = os.environ if environ is None else environ
        self._defaults = {variable.name: variable.default or "" for variable in variables}
        self._context = context

    def text(self, name: str) -> str:
        """The value without surrounding blanks, or its declared default, or ``""``."""
        if name not in self._defaults:
            raise KeyError(f"{name} is not declared in VARIABLES")
        return (self.environ.get(name) or "").strip() or self._defaults[name]

    def required(self, name: str, what: str) -> str:
        """The value; refused when it is unset or blank."""
        value = self.text(name)
        if not value:
            raise SettingsError(f"{self._context} needs {name} ({what}), but it is not set")
        return value

    def url(self, name: str, what: str) -> str:
        """A required http(s) URL without a trailing slash; plain http only for loopback."""
        value = self.required(name, what).rstrip("/")
        parts = urlsplit(value)
        if parts.scheme not in {"http", "https"} or not parts.hostname:
            raise SettingsError(f"{name} must be an https:// URL ({what}), not {value!r}")
        if parts.scheme == "http" and not is_loopback_url(value):
            raise SettingsError(
                f"{name} must use https:// ({what}); plain http is only allowed for localhost"
            )
        return value

    def choice(self, name: str, choices: Sequence[str]) -> str:
        """One of ``choices``, in lower case."""
        value = self.text(name).lower()
        if value not in choices:
            raise SettingsError(f"{name} must be one of {', '.join(choices)}, not {value!r}")
        return value

    def _number(self, name: str, convert: Callable[[str], T], kind: str) -> T:
        """The value converted by ``convert``; refused, as not ``kind``, when it fails."""
        raw = self.text(name)
        try:
            return convert(raw)
        except ValueError:
            raise SettingsError(f"{name} must be {kind}, not {raw!r}") from None

    def port(self, name: str) -> int:
        """A TCP port number."""
        port = self._number(name, int, "a port number")
        if not 0 < port < 65536:
            raise SettingsError(f"{name} must be between 1 and 65535, not {port}")
        return port

    def count(self, name: str) -> int:
        """A whole number, at least 1 (attempts, days)."""
        value = self._number(name, int, "a whole number")
        if value < 1:
            raise SettingsError(f"{name} must be at least 1, not {value}")
        return value

    def seconds(self, name: str) -> float:
        """A positive, finite number of seconds."""
        value = self._number(name, float, "a number of seconds")
        if not (math.isfinite(value) and value > 0):
            raise SettingsError(
                f"{name} must be a positive number of seconds, not {self.text(name)!r}"
            )
        return value

    def flag(self, name: str) -> bool:
        """A boolean written as true/false, yes/no, on/off or 1/0."""
        raw = self.text(name).lower()
        if raw in TRUE_WORDS:
            return True
        if raw in FALSE_WORDS:
            return False
        raise SettingsError(f"{name} must be true or false, not {raw!r}")

    def path(self, name: str) -> Path:
        """The value as a path."""
        return Path(self.text(name))
