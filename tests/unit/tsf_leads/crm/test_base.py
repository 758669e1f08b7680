"""The shared HTTP helper: timeouts always set, no redirects, statuses mapped to errors."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any

import pytest
import requests
from requests.adapters import BaseAdapter

from tsf_leads.contracts import CrmAuthError, CrmError, CrmRejected, CrmUnavailable
from tsf_leads.crm.base import (
    AccessToken,
    HttpClient,
    Timeouts,
    TokenCache,
    authorized_request,
    error_for_response,
    parse_retry_after,
)

NOW = datetime(2026, 3, 2, 12, 0, 0, tzinfo=timezone.utc)


class Transport(BaseAdapter):
    """A requests transport that answers from a function and records what it was given."""

    def __init__(self, answer: Callable[[requests.PreparedRequest], requests.Response]) -> None:
        super().__init__()
        self.answer = answer
        self.calls: list[dict[str, Any]] = []

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
        self.calls.append({"request": request, **kwargs})
        answer = self.answer(request)
        answer.request = request
        answer.url = request.url or ""
        return answer

    def close(self) -> None:
        return


def response(
    status: int, body: bytes = b"", headers: dict[str, str] | None = None
) -> requests.Response:
    answer = requests.Response()
    answer.status_code = status
    answer._content = body
    answer.headers.update(headers or {})
    answer.reason = "test"
    return answer


def client(
    answer: Callable[[requests.PreparedRequest], requests.Response], **kwargs: Any
) -> tuple[HttpClient, Transport]:
    transport = Transport(answer)
    session = requests.Session()
    session.mount("https://", transport)
    return HttpClient("testcrm", session, **kwargs), transport


def raising(error: Exception) -> Callable[[requests.PreparedRequest], requests.Response]:
    def answer(request: requests.PreparedRequest) -> requests.Response:
        raise error

    return answer


@pytest.mark.parametrize(
    ("header", "seconds"),
    [
        ("120", 120.0),
        ("0", 0.0),
        (" 5 ", 5.0),
        ("1.5", 1.5),
        ("Mon, 02 Mar 2026 12:00:30 GMT", 30.0),
        ("Mon, 02 Mar 2026 11:00:00 GMT", 0.0),
        ("-3", None),
        ("soon", None),
        ("inf", None),
        ("", None),
        (None, None),
    ],
)
def test_retry_after_is_read_as_seconds_or_an_http_date(
    header: str | None, seconds: float | None
) -> None:
    assert parse_retry_after(header, now=NOW) == seconds


@pytest.mark.parametrize(
    ("status", "error"),
    [
        (408, CrmUnavailable),
        (409, CrmUnavailable),
        (425, CrmUnavailable),
        (429, CrmUnavailable),
        (500, CrmUnavailable),
        (503, CrmUnavailable),
        (599, CrmUnavailable),
        (400, CrmRejected),
        (404, CrmRejected),
        (410, CrmRejected),
        (422, CrmRejected),
        (401, CrmAuthError),
        (403, CrmAuthError),
        (301, CrmRejected),
    ],
)
def test_statuses_map_to_the_exception_tree(status: int, error: type[CrmError]) -> None:
    mapped = error_for_response(response(status, b'{"message": "nope"}'), "testcrm")

    assert type(mapped) is error
    assert str(status) in str(mapped) or "redirected" in str(mapped)
    if isinstance(mapped, CrmRejected):
        assert mapped.status_code == status


def test_the_reason_is_short_and_single_line() -> None:
    mapped = error_for_response(response(400, b"line one\nline two " + b"x" * 1000), "testcrm")

    assert "\n" not in str(mapped)
    assert len(str(mapped)) < 400


def test_every_call_has_connect_and_read_timeouts_and_no_redirects() -> None:
    http, transport = client(lambda request: response(204), timeouts=Timeouts(2.0, 9.0))

    http.request("POST", "https://crm.example/leads", json_body={"a": 1})

    [call] = transport.calls
    assert call["timeout"] == (2.0, 9.0)
    assert call["request"].headers["User-Agent"].startswith("tsf-assistant/")
    assert call["request"].body == b'{"a": 1}'


def test_a_redirect_is_not_followed() -> None:
    http, transport = client(lambda r: response(302, headers={"Location": "https://x.example/"}))

    with pytest.raises(CrmRejected, match="redirected"):
        http.request("POST", "https://crm.example/leads")

    assert len(transport.calls) == 1


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (requests.ConnectTimeout("slow"), CrmUnavailable),
        (requests.ReadTimeout("slow"), CrmUnavailable),
        (requests.ConnectionError("refused"), CrmUnavailable),
        (requests.exceptions.ChunkedEncodingError("cut"), CrmUnavailable),
        (requests.exceptions.InvalidURL("bad"), CrmRejected),
    ],
)
def test_transport_errors_map_to_the_exception_tree(
    error: Exception, expected: type[CrmError]
) -> None:
    http, _ = client(raising(error))

    with pytest.raises(expected):
        http.request("GET", "https://crm.example/")


def test_a_classifier_can_override_the_default_mapping() -> None:
    def classify(answer: requests.Response) -> CrmError | None:
        return CrmUnavailable("limit") if answer.status_code == 403 else None

    http, _ = client(lambda r: response(403), classify=classify)

    with pytest.raises(CrmUnavailable, match="limit"):
        http.request("GET", "https://crm.example/")


@pytest.mark.parametrize(("connect", "read"), [(0, 5), (5, 0), (-1, 5)])
def test_timeouts_must_be_positive(connect: float, read: float) -> None:
    with pytest.raises(ValueError):
        Timeouts(connect, read)


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
    cache = TokenCache(http, "https://login.example/token", {"grant_type": "x"}, clock=clock)

    assert cache.get().value == "one"
    clock.now += 3600 - 61
    assert cache.get().value == "one"
    clock.now += 2
    assert cache.get().value == "two"
    assert len(transport.calls) == 2
    assert transport.calls[0]["request"].body == "grant_type=x"


def test_a_token_without_expiry_is_kept_until_invalidated() -> None:
    http, _ = token_client(["one", "two"], lifetime=None)
    cache = TokenCache(http, "https://login.example/token", {})

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
        TokenCache(http, "https://login.example/token", {}).get()


def test_a_token_answer_without_a_token_is_temporary() -> None:
    http, _ = client(lambda r: response(200, b"<html>proxy</html>"))

    with pytest.raises(CrmUnavailable, match="no access_token"):
        TokenCache(http, "https://login.example/token", {}).get()


def test_authorized_request_refreshes_once_then_gives_up() -> None:
    statuses = [401, 401, 204]

    def answer(request: requests.PreparedRequest) -> requests.Response:
        if request.url and request.url.endswith("/token"):
            return response(200, b'{"access_token": "t", "expires_in": 3600}')
        return response(statuses.pop(0))

    http, transport = client(answer)
    cache = TokenCache(http, "https://login.example/token", {})

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
    cache = TokenCache(http, "https://login.example/token", {})

    def url(token: AccessToken) -> str:
        return f"{token.extra['instance_url']}/lead"

    authorized_request(http, cache, "PATCH", url)

    assert transport.calls[-1]["request"].url == "https://eu1.crm.example/lead"


@pytest.mark.parametrize(
    "error",
    [
        requests.ConnectionError(
            "HTTPSConnectionPool(host='hooks.slack.com', port=443): Max retries exceeded with "
            "url: /services/T0/B0/SECRET (Caused by NewConnectionError('refused'))"
        ),
        requests.ReadTimeout("https://prod.logic.azure.com/workflows/1?sig=SECRET timed out"),
        requests.exceptions.InvalidURL("Invalid URL 'https://h.example/SECRET': No host"),
    ],
)
def test_errors_never_repeat_the_secret_part_of_a_url(error: Exception) -> None:
    http, _ = client(raising(error))

    with pytest.raises(CrmError) as raised:
        http.request("POST", "https://hooks.slack.com/services/T0/B0/SECRET")

    assert "SECRET" not in str(raised.value)
