"""Bot Framework token checks, the lazy signing-key cache and the bot's own token cache."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs

import jwt
import pytest
import requests

from channels.teams_auth import (
    AuthenticationError,
    BotFrameworkAuthenticator,
    Identity,
    SigningKeys,
)
from tests.fakes.bot_connector import mint, new_key, public_jwk
from tests.support.requests_transport import Transport, response, session
from tsf_leads.contracts import CrmAuthError, CrmError, CrmUnavailable
from tsf_leads.oauth import bot_token_cache

APP_ID = "0f1e2d3c-aaaa-bbbb-cccc-123456789abc"
SERVICE_URL = "https://smba.trafficmanager.net/uk/"
KEY = new_key()
OTHER_KEY = new_key()
KID = "key-1"
METADATA_URL = "https://login.example/openid"
JWKS_URL = "https://login.example/keys"


class FakeDirectory:
    """``fetch_json`` for the key cache: the metadata and JWKS documents, counted."""

    def __init__(self, keys: list[dict[str, Any]]) -> None:
        self.keys = keys
        self.fetched: list[str] = []
        self.fail = False

    async def __call__(self, url: str) -> Any:
        self.fetched.append(url)
        if self.fail:
            raise OSError("offline")
        if url == METADATA_URL:
            return {"issuer": "https://api.botframework.com", "jwks_uri": JWKS_URL}
        if url == JWKS_URL:
            return {"keys": self.keys}
        raise AssertionError(url)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def claims(**overrides: Any) -> dict[str, Any]:
    now = int(time.time())
    body = {
        "iss": "https://api.botframework.com",
        "aud": APP_ID,
        "nbf": now - 10,
        "exp": now + 3600,
        "serviceurl": SERVICE_URL,
    }
    body.update(overrides)
    return {key: value for key, value in body.items() if value is not None}


def authenticator(
    endorsements: list[str] | None = None, **kwargs: Any
) -> BotFrameworkAuthenticator:
    directory = FakeDirectory(
        [public_jwk(KEY, KID, ["msteams"] if endorsements is None else endorsements)]
    )
    return BotFrameworkAuthenticator(APP_ID, SigningKeys(METADATA_URL, directory), **kwargs)


def now() -> int:
    return int(time.time())


@pytest.mark.parametrize(
    ("make_header", "problem"),
    [
        (lambda: f"Bearer {mint(KEY, KID, claims())}", None),
        (lambda: f"bearer   {mint(KEY, KID, claims())}", None),
        (lambda: f"Bearer {mint(KEY, KID, claims(exp=now() - 60))}", None),
        (
            lambda: f"Bearer {mint(KEY, KID, claims(iss='https://sts.windows.net/x/'))}",
            "InvalidIssuer",
        ),
        (lambda: f"Bearer {mint(KEY, KID, claims(aud='someone-else'))}", "InvalidAudience"),
        (lambda: f"Bearer {mint(KEY, KID, claims(exp=now() - 600))}", "ExpiredSignature"),
        (lambda: f"Bearer {mint(KEY, KID, claims(nbf=now() + 900))}", "ImmatureSignature"),
        (lambda: f"Bearer {mint(KEY, KID, claims(exp=None))}", "MissingRequiredClaim"),
        (lambda: f"Bearer {mint(KEY, KID, claims(aud=None))}", "MissingRequiredClaim"),
        (lambda: f"Bearer {mint(OTHER_KEY, KID, claims())}", "InvalidSignature"),
        (lambda: f"Bearer {mint(OTHER_KEY, 'key-2', claims())}", "unknown signing key"),
        (
            lambda: (
                f"Bearer {jwt.encode(claims(), 's' * 32, algorithm='HS256', headers={'kid': KID})}"
            ),
            "algorithm",
        ),
        (
            lambda: f"Bearer {jwt.encode(claims(), None, algorithm='none', headers={'kid': KID})}",
            "algorithm",
        ),
        (lambda: f"Bearer {jwt.encode(claims(), KEY, algorithm='RS256')}", "no signing key"),
        (lambda: "Bearer not.a.token", "malformed"),
        (lambda: "Basic dXNlcjpwYXNz", "no bearer token"),
        (lambda: "Bearer", "no bearer token"),
        (lambda: "", "no bearer token"),
        (lambda: None, "no bearer token"),
    ],
)
async def test_tokens_are_checked(
    make_header: Callable[[], str | None], problem: str | None
) -> None:
    """Each token is minted when its case runs, so its times are relative to the check."""
    checker = authenticator()
    header = make_header()

    if problem is None:
        identity = await checker.verify_token(header)
        assert identity.claims["aud"] == APP_ID
        assert identity.endorsements == ("msteams",)
    else:
        with pytest.raises(AuthenticationError, match=problem):
            await checker.verify_token(header)


IDENTITY = Identity(claims={"serviceurl": SERVICE_URL}, endorsements=("msteams",))


@pytest.mark.parametrize(
    ("identity", "activity", "allowed", "problem"),
    [
        (IDENTITY, {"serviceUrl": SERVICE_URL, "channelId": "msteams"}, (), None),
        (IDENTITY, {"serviceUrl": SERVICE_URL.rstrip("/"), "channelId": "msteams"}, (), None),
        (
            IDENTITY,
            {"serviceUrl": "https://evil.example/", "channelId": "msteams"},
            (),
            "serviceUrl",
        ),
        (IDENTITY, {"channelId": "msteams"}, (), "no serviceUrl"),
        (Identity({}, ("msteams",)), {"serviceUrl": SERVICE_URL}, (), "serviceUrl"),
        (IDENTITY, {"serviceUrl": SERVICE_URL, "channelId": "webchat"}, (), "endorsed"),
        (
            Identity({"serviceurl": SERVICE_URL}, None),
            {"serviceUrl": SERVICE_URL, "channelId": "webchat"},
            (),
            None,
        ),
        (IDENTITY, {"serviceUrl": SERVICE_URL}, ("smba.trafficmanager.net",), None),
        (IDENTITY, {"serviceUrl": SERVICE_URL}, ("https://smba.trafficmanager.net/",), None),
        (
            IDENTITY,
            {"serviceUrl": SERVICE_URL},
            ("smba.infra.gov.teams.microsoft.us",),
            "not allowed",
        ),
    ],
)
def test_the_token_must_fit_the_activity(
    identity: Identity, activity: dict[str, Any], allowed: tuple[str, ...], problem: str | None
) -> None:
    checker = authenticator(allowed_service_hosts=allowed)

    if problem is None:
        checker.check_activity(identity, activity)
    else:
        with pytest.raises(AuthenticationError, match=problem):
            checker.check_activity(identity, activity)


async def test_keys_are_fetched_on_first_use_not_at_construction() -> None:
    directory = FakeDirectory([public_jwk(KEY, KID, None)])
    keys = SigningKeys(METADATA_URL, directory)
    assert directory.fetched == []

    assert await keys.get(KID) is not None
    assert await keys.get(KID) is not None

    assert directory.fetched == [METADATA_URL, JWKS_URL]


async def test_an_unknown_key_id_refreshes_at_most_once_per_interval() -> None:
    clock = Clock()
    directory = FakeDirectory([public_jwk(KEY, KID, None)])
    keys = SigningKeys(METADATA_URL, directory, clock=clock, refresh_interval=300)
    await keys.get(KID)

    assert await keys.get("rotated") is None
    assert await keys.get("rotated") is None
    assert len(directory.fetched) == 2

    clock.now += 301
    directory.keys = [*directory.keys, public_jwk(OTHER_KEY, "rotated", None)]
    assert await keys.get("rotated") is not None
    assert len(directory.fetched) == 4


async def test_a_failed_refresh_keeps_the_keys_it_had() -> None:
    clock = Clock()
    directory = FakeDirectory([public_jwk(KEY, KID, None)])
    keys = SigningKeys(METADATA_URL, directory, clock=clock, max_age=3600)
    await keys.get(KID)
    directory.fail = True
    clock.now += 4000

    assert await keys.get(KID) is not None
    assert keys.key_ids == (KID,)


async def test_with_no_keys_a_failed_fetch_is_retried_after_a_short_pause() -> None:
    clock = Clock()
    directory = FakeDirectory([public_jwk(KEY, KID, None)])
    directory.fail = True
    keys = SigningKeys(METADATA_URL, directory, clock=clock)

    assert await keys.get(KID) is None
    assert await keys.get(KID) is None
    assert len(directory.fetched) == 1

    directory.fail = False
    clock.now += 11
    assert await keys.get(KID) is not None


def login(answers: list[tuple[int, bytes]]) -> tuple[requests.Session, Transport]:
    """A token endpoint giving ``answers`` in turn."""
    return session(lambda request: response(*answers.pop(0)))


def test_the_bot_token_is_fetched_with_client_credentials_and_cached() -> None:
    clock = Clock()
    token = b'{"access_token": "token-%d", "expires_in": 3600}'
    http, transport = login([(200, token % 1), (200, token % 2)])
    cache = bot_token_cache("https://login/t1/token", "app", "pw", session=http, clock=clock)

    first = cache.get().value
    clock.now += 3000
    second = cache.get().value
    clock.now += 400
    third = cache.get().value

    assert (first, second, third) == ("token-1", "token-1", "token-2")
    request = transport.calls[0]["request"]
    assert request.url == "https://login/t1/token"
    assert parse_qs(request.body) == {
        "grant_type": ["client_credentials"],
        "client_id": ["app"],
        "client_secret": ["pw"],
        "scope": ["https://api.botframework.com/.default"],
    }


@pytest.mark.parametrize(
    ("answer", "error"),
    [((401, b'{"error": "invalid_client"}'), CrmAuthError), ((200, b"{}"), CrmUnavailable)],
)
def test_a_refused_token_request_raises(answer: tuple[int, bytes], error: type[CrmError]) -> None:
    http, _ = login([answer])

    with pytest.raises(error):
        bot_token_cache("https://login/token", "app", "pw", session=http).get()
