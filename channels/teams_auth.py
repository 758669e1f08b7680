"""Bot Framework authentication: checking the tokens Teams sends, getting the bot's own.

Inbound, every request from the Bot Connector carries a JWT signed (RS256) with one of
Microsoft's keys. :class:`BotFrameworkAuthenticator` checks it as the Bot Framework
authentication guide requires: the signature against a key from the OpenID metadata's
``jwks_uri`` (fetched on the first request, never at start-up, and refreshed when an unknown
key id appears, at most once every few minutes), the issuer, the audience (the bot's app
id), the lifetime with a small clock-skew allowance, the key's ``endorsements`` (they must
include the activity's channel) and the ``serviceUrl`` claim (it must equal the activity's).

Outbound, :func:`tsf_leads.oauth.bot_token_cache` gets the bot's token from its own
tenant's endpoint and caches it until shortly before it expires.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import jwt
from jwt.algorithms import RSAAlgorithm

logger = logging.getLogger(__name__)

BOT_FRAMEWORK_ISSUER = "https://api.botframework.com"
CLOCK_SKEW_SECONDS = 5 * 60
KEY_REFRESH_INTERVAL_SECONDS = 5 * 60
KEY_RETRY_WHEN_EMPTY_SECONDS = 10
KEY_MAX_AGE_SECONDS = 24 * 60 * 60

_BEARER = re.compile(r"^Bearer\s+(\S+)\s*$", re.IGNORECASE)

FetchJson = Callable[[str], Awaitable[Any]]


class AuthenticationError(Exception):
    """A request from the Bot Connector could not be authenticated."""


def _normalise_url(url: str) -> str:
    return url.strip().rstrip("/").lower()


def service_url_host(url: str) -> str:
    """The host of a service URL (or of a bare host name), lower case."""
    text = url.strip()
    if "://" not in text:
        text = f"https://{text}"
    return (urlsplit(text).hostname or "").lower()


@dataclass
class SigningKeys:
    """Microsoft's token-signing keys, fetched lazily from the OpenID metadata and cached."""

    metadata_url: str
    fetch_json: FetchJson
    clock: Callable[[], float] = time.monotonic
    refresh_interval: float = KEY_REFRESH_INTERVAL_SECONDS
    max_age: float = KEY_MAX_AGE_SECONDS
    _keys: dict[str, dict[str, Any]] = field(default_factory=dict, init=False)
    _fetched_at: float = field(default=float("-inf"), init=False)
    _attempted_at: float = field(default=float("-inf"), init=False)
    _lock: asyncio.Lock = field(default_factory=asyncio.Lock, init=False)

    @property
    def key_ids(self) -> tuple[str, ...]:
        """The ids of the keys held now (for tests and diagnostics)."""
        return tuple(self._keys)

    async def get(self, key_id: str) -> dict[str, Any] | None:
        """The JWK with ``key_id``, refreshing the cache when it is unknown or old."""
        if not self._holds(key_id):
            async with self._lock:
                if not self._holds(key_id) and self._may_refresh():
                    await self._refresh()
        return self._keys.get(key_id)

    def _holds(self, key_id: str) -> bool:
        return key_id in self._keys and self.clock() - self._fetched_at < self.max_age

    def _may_refresh(self) -> bool:
        wait = self.refresh_interval if self._keys else KEY_RETRY_WHEN_EMPTY_SECONDS
        return self.clock() - self._attempted_at >= wait

    async def _refresh(self) -> None:
        self._attempted_at = self.clock()
        try:
            metadata = await self.fetch_json(self.metadata_url)
            document = await self.fetch_json(str(metadata["jwks_uri"]))
            keys = {
                str(key["kid"]): dict(key)
                for key in document["keys"]
                if isinstance(key, dict) and key.get("kid") and key.get("kty") == "RSA"
            }
        except Exception as error:  # network, JSON or shape: keep what we had
            logger.warning("Could not refresh the Bot Framework signing keys: %r", error)
            return
        self._keys = keys
        self._fetched_at = self.clock()
        logger.info("Loaded %d Bot Framework signing keys.", len(keys))


@dataclass(frozen=True)
class Identity:
    """What a valid token says: its claims and the endorsements of the key that signed it."""

    claims: dict[str, Any]
    endorsements: tuple[str, ...] | None


@dataclass
class BotFrameworkAuthenticator:
    """Checks the ``Authorization`` header of requests from the Bot Connector.

    ``allowed_service_hosts`` (service URLs or bare host names; none allows any) is kept as
    the set of their hosts.
    """

    app_id: str
    keys: SigningKeys
    issuer: str = BOT_FRAMEWORK_ISSUER
    leeway: float = CLOCK_SKEW_SECONDS
    allowed_service_hosts: Iterable[str] = ()

    def __post_init__(self) -> None:
        self.allowed_service_hosts = frozenset(
            service_url_host(host) for host in self.allowed_service_hosts if host.strip()
        )

    async def verify_token(self, authorization: str | None) -> Identity:
        """Check the bearer token's signature, issuer, audience and lifetime.

        Raises:
            AuthenticationError: when the header is missing or the token is not valid.
        """
        match = _BEARER.match(authorization or "")
        if not match:
            raise AuthenticationError("no bearer token")
        token = match.group(1)
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as error:
            raise AuthenticationError("malformed token") from error
        if header.get("alg") != "RS256":
            raise AuthenticationError("unexpected signing algorithm")
        key_id = header.get("kid")
        if not isinstance(key_id, str) or not key_id:
            raise AuthenticationError("token names no signing key")
        jwk = await self.keys.get(key_id)
        if jwk is None:
            raise AuthenticationError("unknown signing key")
        try:
            public_key = RSAAlgorithm.from_jwk(jwk)
            claims = jwt.decode(
                token,
                key=public_key,  # type: ignore[arg-type]
                algorithms=["RS256"],
                audience=self.app_id,
                issuer=self.issuer,
                leeway=self.leeway,
                options={"require": ["exp", "iss", "aud"]},
            )
        except (jwt.PyJWTError, ValueError, TypeError) as error:
            raise AuthenticationError(f"invalid token ({type(error).__name__})") from error
        endorsements = jwk.get("endorsements")
        return Identity(
            claims=claims,
            endorsements=tuple(map(str, endorsements)) if isinstance(endorsements, list) else None,
        )

    def check_activity(self, identity: Identity, activity: Mapping[str, Any]) -> None:
        """Check the token against the activity it came with.

        Raises:
            AuthenticationError: when the ``serviceUrl`` claim differs from the activity's,
                the signing key is not endorsed for the activity's channel, or the service
                URL's host is not on the allow-list.
        """
        service_url = activity.get("serviceUrl")
        if not isinstance(service_url, str) or not service_url:
            raise AuthenticationError("activity has no serviceUrl")
        claimed = identity.claims.get("serviceurl", identity.claims.get("serviceUrl"))
        if not isinstance(claimed, str) or _normalise_url(claimed) != _normalise_url(service_url):
            raise AuthenticationError("serviceUrl does not match the token")
        channel_id = str(activity.get("channelId") or "msteams")
        if identity.endorsements is not None and channel_id not in identity.endorsements:
            raise AuthenticationError("signing key not endorsed for this channel")
        if (
            self.allowed_service_hosts
            and service_url_host(service_url) not in self.allowed_service_hosts
        ):
            raise AuthenticationError("serviceUrl host is not allowed")
