"""Client-credentials tokens: cached until shortly before expiry, refreshed once when refused."""

from __future__ import annotations

import pytest
import requests

from tests.support.requests_transport import Transport, client, response
from tsf_leads.contracts import CrmAuthError, CrmError, CrmUnavailable
from tsf_leads.crm.base import HttpClient
from tsf_leads.oauth import AccessToken, TokenCache, authorized_request


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def token_client(tokens: list[str], lifetime: int | None = 3600) -> tuple[HttpClient, Transport]:
    def answer(request: requests.PreparedRequest) -> requests.Response:
        body = f'{{"access_token": "{tokens.pop(0)}"'
        body += f', "expires_in": {lifetime}}}' if lifetime is not None else "}"
        return response(200, body.encode())

    return client(answer)


def test_a_token_is_cached_until_shortly_before_it_expires() -> None:
    http, transport = token_client(["one", "two"])
    clock = Clock()
    cache = TokenCache(http, "https://login.example/token", "app", "pw", clock=clock)

    assert cache.get().value == "one"
    clock.now += 3600 - 61
    assert cache.get().value == "one"
    clock.now += 2
    assert cache.get().value == "two"
    assert len(transport.calls) == 2
    assert transport.calls[0]["request"].body == (
        "grant_type=client_credentials&client_id=app&client_secret=pw"
    )


def test_the_scope_is_sent_when_given() -> None:
    http, transport = token_client(["one"])

    TokenCache(http, "https://login.example/token", "app", "pw", scope="api/.default").get()

    assert transport.calls[0]["request"].body.endswith("&scope=api%2F.default")


def test_a_token_without_expiry_is_kept_until_invalidated() -> None:
    http, _ = token_client(["one", "two"], lifetime=None)
    cache = TokenCache(http, "https://login.example/token", "app", "pw")

    first = cache.get()
    assert cache.get() is first
    cache.invalidate(first)
    assert cache.get().value == "two"


@pytest.mark.parametrize(
    ("status", "error"), [(400, CrmAuthError), (401, CrmAuthError), (503, CrmUnavailable)]
)
def test_token_endpoint_failures(status: int, error: type[CrmError]) -> None:
    http, _ = client(lambda r: response(status, b'{"error": "invalid_client"}'))

    with pytest.raises(error):
        TokenCache(http, "https://login.example/token", "app", "pw").get()


def test_a_token_answer_without_a_token_is_temporary() -> None:
    http, _ = client(lambda r: response(200, b"<html>proxy</html>"))

    with pytest.raises(CrmUnavailable, match="no access_token"):
        TokenCache(http, "https://login.example/token", "app", "pw").get()


def test_authorized_request_refreshes_once_then_gives_up() -> None:
    statuses = [401, 401, 204]

    def answer(request: requests.PreparedRequest) -> requests.Response:
        if request.url and request.url.endswith("/token"):
            return response(200, b'{"access_token": "t", "expires_in": 3600}')
        return response(statuses.pop(0))

    http, transport = client(answer)
    cache = TokenCache(http, "https://login.example/token", "app", "pw")

    with pytest.raises(CrmAuthError):
        authorized_request(http, cache, "PATCH", "https://crm.example/lead")

    assert cache.fetches == 2
    assert authorized_request(http, cache, "PATCH", "https://crm.example/lead").status_code == 204
    api_calls = [c for c in transport.calls if not c["request"].url.endswith("/token")]
    assert all(c["request"].headers["Authorization"] == "Bearer t" for c in api_calls)


def test_authorized_request_can_build_the_url_from_the_token() -> None:
    def answer(request: requests.PreparedRequest) -> requests.Response:
        if request.url and request.url.endswith("/token"):
            return response(
                200, b'{"access_token": "t", "instance_url": "https://eu1.crm.example"}'
            )
        return response(204)

    http, transport = client(answer)
    cache = TokenCache(http, "https://login.example/token", "app", "pw")

    def url(token: AccessToken) -> str:
        return f"{token.extra['instance_url']}/lead"

    authorized_request(http, cache, "PATCH", url)

    assert transport.calls[-1]["request"].url == "https://eu1.crm.example/lead"
