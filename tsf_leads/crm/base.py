"""Shared HTTP plumbing for the CRM adapters and the webhook notifiers.

One small client over an injectable ``requests.Session`` that always sets (connect, read)
timeouts, never follows redirects (a redirected POST silently becomes a GET) and turns every
failure into the ``CrmError`` tree of ``tsf_leads.contracts``:

- network errors, timeouts, 408, 409, 425, 429 and 5xx -> ``CrmUnavailable`` (with the
  server's ``Retry-After``, in seconds or as an HTTP date, when it sent one);
- 401 and 403 -> ``CrmAuthError`` (after one token refresh, for OAuth adapters);
- any other status outside 2xx -> ``CrmRejected``.

It also holds the client-credentials token cache used by Salesforce and Dynamics.
"""

from __future__ import annotations

import json
import math
import re
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Any

import requests

from tsf_leads.contracts import CrmAuthError, CrmError, CrmRejected, CrmUnavailable

__all__ = [
    "USER_AGENT",
    "AccessToken",
    "HttpClient",
    "Timeouts",
    "TokenCache",
    "authorized_request",
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


@dataclass(frozen=True)
class AccessToken:
    """A bearer token, when it stops being usable (monotonic clock) and what came with it."""

    value: str
    expires_at: float | None
    extra: Mapping[str, Any] = field(default_factory=dict)


class TokenCache:
    """OAuth 2.0 client-credentials tokens, fetched on demand and cached until expiry.

    Args:
        http: the client used to reach the token endpoint.
        token_url: the token endpoint.
        form: the form fields to post (grant type, client id and secret, scope...).
        leeway: seconds before ``expires_in`` runs out at which a token counts as expired.
        clock: a monotonic clock, injectable for tests.
    """

    def __init__(
        self,
        http: HttpClient,
        token_url: str,
        form: Mapping[str, str],
        *,
        leeway: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """Keep the endpoint and credentials; no token is fetched yet."""
        self._http = http
        self._token_url = token_url
        self._form = dict(form)
        self._leeway = leeway
        self._clock = clock
        self._token: AccessToken | None = None
        self._lock = threading.Lock()
        self.fetches = 0

    def get(self) -> AccessToken:
        """A valid token, from the cache or freshly fetched.

        Raises:
            CrmAuthError: the token endpoint refused the credentials (400/401/403).
            CrmUnavailable: the token endpoint is down, slow or rate limiting.
        """
        with self._lock:
            token = self._token
            if token is not None and (token.expires_at is None or self._clock() < token.expires_at):
                return token
            self._token = self._fetch()
            return self._token

    def invalidate(self, token: AccessToken) -> None:
        """Forget ``token`` (the API refused it) so the next ``get`` fetches a new one."""
        with self._lock:
            if self._token is token:
                self._token = None

    def _fetch(self) -> AccessToken:
        self.fetches += 1
        try:
            response = self._http.request(
                "POST",
                self._token_url,
                data=self._form,
                headers={"Content-Type": "application/x-www-form-urlencoded"},
            )
        except CrmRejected as error:
            if error.status_code in {400, 401, 403}:
                raise CrmAuthError(
                    f"{self._http.service} token endpoint refused the client credentials: {error}",
                    error.status_code,
                ) from error
            raise
        try:
            payload = response.json()
            value = payload["access_token"]
        except (ValueError, KeyError, TypeError) as error:
            raise CrmUnavailable(
                f"{self._http.service} token endpoint sent no access_token"
            ) from error
        if not isinstance(value, str) or not value:
            raise CrmUnavailable(f"{self._http.service} token endpoint sent an empty token")
        expires_at: float | None = None
        expires_in = payload.get("expires_in")
        if expires_in is not None:
            try:
                lifetime = float(expires_in)
            except (TypeError, ValueError):
                lifetime = 0.0
            expires_at = self._clock() + max(0.0, lifetime - self._leeway)
        extra = {key: item for key, item in payload.items() if key != "access_token"}
        return AccessToken(value=value, expires_at=expires_at, extra=extra)


def authorized_request(
    http: HttpClient,
    tokens: TokenCache,
    method: str,
    url: str | Callable[[AccessToken], str],
    **kwargs: Any,
) -> requests.Response:
    """Call ``url`` with a bearer token; on 401/403 refresh the token once and try again.

    Args:
        http: the API client.
        tokens: the token cache.
        method: HTTP method.
        url: the URL, or a function of the token (Salesforce's instance URL comes with it).
        **kwargs: passed to :meth:`HttpClient.request`.

    Raises:
        CrmAuthError: still refused after one refresh.
    """
    base_headers = dict(kwargs.pop("headers", None) or {})
    for attempt in (1, 2):
        token = tokens.get()
        target = url(token) if callable(url) else url
        headers = {**base_headers, "Authorization": f"Bearer {token.value}"}
        try:
            return http.request(method, target, headers=headers, **kwargs)
        except CrmAuthError:
            tokens.invalidate(token)
            if attempt == 2:
                raise
    raise AssertionError("unreachable")  # pragma: no cover
