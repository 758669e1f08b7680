"""Shared HTTP plumbing for the CRM adapters and the webhook notifiers.

One small client over an injectable ``requests.Session`` that always sets (connect, read)
timeouts, never follows redirects (a redirected POST silently becomes a GET) and turns every
failure into the ``CrmError`` tree of ``tsf_leads.contracts``:

- network errors, timeouts, 408, 409, 425, 429 and 5xx -> ``CrmUnavailable`` (with the
  server's ``Retry-After``, in seconds or as an HTTP date, when it sent one);
- 401 and 403 -> ``CrmAuthError`` (after one token refresh, for OAuth adapters);
- any other status outside 2xx -> ``CrmRejected``.

The client-credentials token cache that goes with it is in :mod:`tsf_leads.oauth`.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Any

import requests

from tsf_leads.contracts import CrmAuthError, CrmError, CrmRejected, CrmUnavailable

__all__ = [
    "USER_AGENT",
    "HttpClient",
    "Timeouts",
    "error_for_response",
    "parse_retry_after",
    "redact",
]

USER_AGENT = "tsf-assistant/0.1 (+lead delivery)"

#: Statuses worth retrying: request timeout, conflict (a request for the same key is still
#: in flight), too early, too many requests.
TEMPORARY_STATUSES = frozenset({408, 409, 425, 429})
AUTH_STATUSES = frozenset({401, 403})

Classifier = Callable[[requests.Response], CrmError | None]

_URL = re.compile(r"(https?://[^/\s'\"]+)[^\s'\")]*")
_URL_FIELD = re.compile(r"url: \S+")


def redact(text: str) -> str:
    """``text`` without URL paths or queries: webhook URLs carry their secret in them."""
    return _URL_FIELD.sub("url: …", _URL.sub(r"\1/…", text))


@dataclass(frozen=True)
class Timeouts:
    """Seconds to wait for a connection and then for each read; both always set."""

    connect: float = 5.0
    read: float = 20.0

    def __post_init__(self) -> None:
        """Refuse zero, negative or missing timeouts: a call must never hang."""
        if not (self.connect > 0 and self.read > 0):
            raise ValueError(f"timeouts must be positive, not {self}")

    def as_tuple(self) -> tuple[float, float]:
        """The ``(connect, read)`` pair ``requests`` expects."""
        return (self.connect, self.read)


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait according to a ``Retry-After`` header (RFC 9110, section 10.2.3).

    Args:
        value: the header: delay-seconds (``"120"``) or an HTTP date
            (``"Wed, 21 Oct 2015 07:28:00 GMT"``).
        now: the current time, for tests; defaults to the clock.

    Returns:
        The delay in seconds (0 when the date has passed), or ``None`` when the header is
        missing or unreadable.
    """
    if value is None or not value.strip():
        return None
    text = value.strip()
    if text.isdigit():
        return float(text)
    try:
        seconds = float(text)
    except ValueError:
        pass
    else:
        return seconds if math.isfinite(seconds) and seconds >= 0 else None
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    current = now or datetime.now(timezone.utc)
    return max(0.0, (when - current).total_seconds())


def _reason(response: requests.Response, limit: int = 300) -> str:
    """A short, single-line reason taken from the response body (never the request)."""
    text = ""
    try:
        data = response.json()
    except ValueError:
        text = response.text or ""
    else:
        text = json.dumps(data, ensure_ascii=False)
    text = " ".join(text.split())
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return text or (response.reason or "")


def error_for_response(response: requests.Response, service: str) -> CrmError:
    """The exception for a response outside 2xx (see the module docstring for the table)."""
    status = response.status_code
    message = f"{service} answered HTTP {status}: {_reason(response)}"
    if status in TEMPORARY_STATUSES or status >= 500:
        return CrmUnavailable(message, parse_retry_after(response.headers.get("Retry-After")))
    if status in AUTH_STATUSES:
        return CrmAuthError(message, status)
    if 300 <= status < 400:
        location = redact(response.headers.get("Location", ""))
        return CrmRejected(f"{service} redirected (HTTP {status}) to {location!r}", status)
    return CrmRejected(message, status)


class HttpClient:
    """A thin wrapper over ``requests.Session`` that maps every failure to a ``CrmError``.

    Args:
        service: the name used in error messages (``"hubspot"``, ``"slack"``...).
        session: an injected session (connection pool, proxies, test transport);
            a new one is made when omitted.
        timeouts: connect and read timeouts applied to every call.
        classify: an optional hook that looks at a non-2xx response first and may return a
            more precise error (e.g. Salesforce's 403 ``REQUEST_LIMIT_EXCEEDED`` is temporary).
    """

    def __init__(
        self,
        service: str,
        session: requests.Session | None = None,
        timeouts: Timeouts | None = None,
        classify: Classifier | None = None,
    ) -> None:
        """Keep the session and settings; nothing is opened until the first call."""
        self.service = service
        self.session = session or requests.Session()
        self.timeouts = timeouts or Timeouts()
        self._classify = classify

    def request(
        self,
        method: str,
        url: str,
        *,
        headers: Mapping[str, str] | None = None,
        json_body: Any = None,
        data: bytes | Mapping[str, str] | None = None,
        params: Mapping[str, str] | None = None,
    ) -> requests.Response:
        """Send one request and return the response if its status is 2xx.

        Args:
            method: HTTP method.
            url: absolute URL.
            headers: extra headers.
            json_body: a JSON-serialisable body (sent with ``Content-Type: application/json``).
            data: raw bytes or form fields, instead of ``json_body``.
            params: query parameters.

        Raises:
            CrmUnavailable: network error, timeout, or a temporary status.
            CrmAuthError: 401/403.
            CrmRejected: any other unacceptable status, or an unusable URL.
        """
        all_headers = {"User-Agent": USER_AGENT, "Accept": "application/json"}
        all_headers.update(headers or {})
        try:
            response = self.session.request(
                method,
                url,
                headers=all_headers,
                json=json_body,
                data=data,
                params=params,
                timeout=self.timeouts.as_tuple(),
                allow_redirects=False,
            )
        except requests.Timeout as error:
            raise CrmUnavailable(
                f"{self.service} did not answer in time: {redact(str(error))}"
            ) from error
        except (
            requests.exceptions.InvalidURL,
            requests.exceptions.MissingSchema,
            requests.exceptions.InvalidSchema,
        ) as error:
            raise CrmRejected(f"{self.service} URL is unusable: {redact(str(error))}") from error
        except requests.RequestException as error:
            raise CrmUnavailable(
                f"{self.service} could not be reached: {redact(str(error))}"
            ) from error
        if 200 <= response.status_code < 300:
            return response
        if self._classify is not None:
            special = self._classify(response)
            if special is not None:
                raise special
        raise error_for_response(response, self.service)
