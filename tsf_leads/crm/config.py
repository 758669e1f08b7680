"""Reading CRM and notifier settings from the environment, at call time, with clear errors.

Every variable is declared once, in a ``VARIABLES`` tuple (see ``tsf_leads.crm`` and
``tsf_leads.notify``), with its default and meaning; :class:`EnvReader` takes its defaults
from there so the documentation and the behaviour cannot drift apart.
"""

from __future__ import annotations

import ipaddress
import math
import os
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import urlsplit

from tsf_runtime.settings import Variable

__all__ = [
    "ConfigError",
    "EnvReader",
    "Variable",
    "is_loopback_host",
    "is_loopback_url",
    "resolve_environ",
]

LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain"})
"""Host names that always mean this machine."""
_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"0", "false", "no", "off"})


class ConfigError(ValueError):
    """A CRM or notifier variable is missing or unusable; the message names it."""


def resolve_environ(source: Mapping[str, str] | Any | None) -> Mapping[str, str]:
    """The environment to read: ``os.environ`` for ``None``, a mapping as given, or the
    ``environ`` mapping of a settings object (``tsf_leads.settings.LeadSettings``)."""
    if source is None:
        return os.environ
    if isinstance(source, Mapping):
        return source
    environ = getattr(source, "environ", None)
    if isinstance(environ, Mapping):
        return environ
    raise TypeError(f"expected an environment mapping, not {type(source).__name__}")


def is_loopback_host(host: str) -> bool:
    """Whether ``host`` (a name or an address) is this machine."""
    host = host.lower().strip("[]")
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def is_loopback_url(url: str) -> bool:
    """Whether ``url`` points at this machine (plain HTTP is only allowed there)."""
    return is_loopback_host(urlsplit(url).hostname or "")


class EnvReader:
    """Typed access to environment variables whose defaults come from ``VARIABLES`` tables.

    Args:
        environ: the environment to read (already resolved by the caller).
        variables: the declared variables; a name not declared here is a programming error.
        context: a short phrase for error messages, e.g. ``"TSF_CRM=hubspot"``.
    """

    def __init__(
        self, environ: Mapping[str, str], variables: Iterable[Variable], context: str
    ) -> None:
        """Keep the environment and the declared defaults."""
        self._environ = environ
        self._defaults = {variable.name: variable.default for variable in variables}
        self._context = context

    def _raw(self, name: str) -> str:
        if name not in self._defaults:
            raise KeyError(f"{name} is not declared in VARIABLES")
        value = (self._environ.get(name) or "").strip()
        return value or (self._defaults[name] or "")

    def text(self, name: str) -> str:
        """The value, or its declared default, or ``""``."""
        return self._raw(name)

    def required(self, name: str, what: str) -> str:
        """The value; raises ``ConfigError`` naming the variable when it is unset or blank."""
        value = self._raw(name)
        if not value:
            raise ConfigError(f"{self._context} needs {name} ({what}), but it is not set")
        return value

    def url(self, name: str, what: str) -> str:
        """A required http(s) URL without a trailing slash; plain http only for loopback."""
        value = self.required(name, what).rstrip("/")
        parts = urlsplit(value)
        if parts.scheme not in {"http", "https"} or not parts.hostname:
            raise ConfigError(f"{name} must be an https:// URL ({what}), not {value!r}")
        if parts.scheme == "http" and not is_loopback_url(value):
            raise ConfigError(
                f"{name} must use https:// ({what}); plain http is only allowed for localhost"
            )
        return value

    def number(self, name: str, *, minimum: float = 0.0) -> float:
        """A positive finite number (seconds, ports...)."""
        raw = self._raw(name)
        try:
            value = float(raw)
        except ValueError:
            raise ConfigError(f"{name} must be a number, not {raw!r}") from None
        if not math.isfinite(value) or value <= minimum:
            raise ConfigError(f"{name} must be a number greater than {minimum:g}, not {raw!r}")
        return value

    def port(self, name: str) -> int:
        """A TCP port number."""
        raw = self._raw(name)
        try:
            port = int(raw)
        except ValueError:
            raise ConfigError(f"{name} must be a port number, not {raw!r}") from None
        if not 0 < port < 65536:
            raise ConfigError(f"{name} must be between 1 and 65535, not {port}")
        return port

    def flag(self, name: str) -> bool:
        """A boolean written as true/false, yes/no, on/off or 1/0."""
        raw = self._raw(name).lower()
        if raw in _TRUE:
            return True
        if raw in _FALSE:
            return False
        raise ConfigError(f"{name} must be true or false, not {raw!r}")
