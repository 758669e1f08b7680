"""OAuth 2.0 client-credentials tokens, fetched on demand and cached until shortly before expiry.

One cache for every client-credentials token: the Salesforce and Dynamics adapters' and the
Teams bot's own. The token endpoint is reached through an ``HttpClient`` of
:mod:`tsf_leads.crm.base`, so failures are the ``CrmError`` tree: refused credentials
(400/401/403) are ``CrmAuthError``; an endpoint that is down, slow, rate limiting or answers
without a token is ``CrmUnavailable``.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from tsf_leads.contracts import CrmAuthError, CrmRejected, CrmUnavailable

if TYPE_CHECKING:  # a type only: importing tsf_leads.crm here would be circular
    import requests

    from tsf_leads.crm.base import HttpClient

__all__ = ["AccessToken", "TokenCache", "authorized_request", "bot_token_cache"]

BOT_FRAMEWORK_SCOPE = "https://api.botframework.com/.default"
BOT_TOKEN_REFRESH_MARGIN_SECONDS = 5 * 60


@dataclass(frozen=True)
class AccessToken:
    """A bearer token, when it stops being usable (monotonic clock) and what came with it."""

    value: str
    expires_at: float | None
    extra: Mapping[str, Any] = field(default_factory=dict)


class TokenCache:
    """Client-credentials tokens from one endpoint, cached until ``leeway`` before expiry.

    A token answered without ``expires_in`` (Salesforce's) is kept until it is invalidated.
    Thread-safe: concurrent callers wait for one fetch.

    Args:
        http: the client used to reach the token endpoint.
        token_url: the token endpoint.
        client_id: the client (app) id.
        client_secret: its secret.
        scope: the ``scope`` field, when the endpoint wants one.
        leeway: seconds before expiry at which a token counts as expired.
        clock: a monotonic clock, injectable for tests.
    """

    def __init__(
        self,
        http: HttpClient,
        token_url: str,
        client_id: str,
        client_secret: str,
        *,
        scope: str | None = None,
        leeway: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """Keep the endpoint and credentials; no token is fetched yet."""
        self._http = http
        self._token_url = token_url
        self._form = {
            "grant_type": "client_credentials",
            "client_id": client_id,
            "client_secret": client_secret,
            **({"scope": scope} if scope else {}),
        }
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
        service = self._http.service
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
                    f"{service} token endpoint refused the client credentials: {error}",
                    error.status_code,
                ) from error
            raise
        try:
            payload = response.json()
            value = payload["access_token"]
        except (ValueError, KeyError, TypeError) as error:
            raise CrmUnavailable(f"{service} token endpoint sent no access_token") from error
        if not isinstance(value, str) or not value:
            raise CrmUnavailable(f"{service} token endpoint sent an empty token")
        expires_at: float | None = None
        if payload.get("expires_in") is not None:
            try:
                lifetime = float(payload["expires_in"])
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


def bot_token_cache(
    token_url: str,
    app_id: str,
    app_password: str,
    *,
    session: requests.Session | None = None,
    clock: Callable[[], float] = time.monotonic,
) -> TokenCache:
    """The Teams bot's access token for the Bot Connector (client credentials, from the
    bot's own tenant: single-tenant bots cannot use the ``botframework.com`` one), cached
    until five minutes before it expires. The Teams channel replies with it and the
    hand-over posts to the team's channel with it.

    ``get`` blocks: call it in a worker thread from the event loop.
    """
    from tsf_leads.crm.base import HttpClient, Timeouts  # here: tsf_leads.crm imports this module

    return TokenCache(
        HttpClient("teams", session, Timeouts(connect=5, read=15)),
        token_url,
        app_id,
        app_password,
        scope=BOT_FRAMEWORK_SCOPE,
        leeway=BOT_TOKEN_REFRESH_MARGIN_SECONDS,
        clock=clock,
    )
