"""The shared HTTP helper: timeouts always set, no redirects, statuses mapped to errors."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone

import pytest
import requests

from tests.support.requests_transport import client, response
from tsf_leads.contracts import CrmAuthError, CrmError, CrmRejected, CrmUnavailable
from tsf_leads.crm.base import Timeouts, error_for_response, parse_retry_after

NOW = datetime(2026, 3, 2, 12, 0, 0, tzinfo=timezone.utc)


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
