"""A ``requests`` transport that answers from a function, for tests of the HTTP client."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import requests
from requests.adapters import BaseAdapter

from tsf_leads.crm.base import HttpClient

Answer = Callable[[requests.PreparedRequest], requests.Response]


class Transport(BaseAdapter):
    """Answers every request from a function and records what it was given."""

    def __init__(self, answer: Answer) -> None:
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
    """A response with ``status``, ``body`` and ``headers``."""
    answer = requests.Response()
    answer.status_code = status
    answer._content = body
    answer.headers.update(headers or {})
    answer.reason = "test"
    return answer


def session(answer: Answer) -> tuple[requests.Session, Transport]:
    """A session whose ``https://`` requests ``answer`` answers."""
    transport = Transport(answer)
    http = requests.Session()
    http.mount("https://", transport)
    return http, transport


def client(answer: Answer, **kwargs: Any) -> tuple[HttpClient, Transport]:
    """An ``HttpClient`` (service ``testcrm``) over :func:`session`."""
    http, transport = session(answer)
    return HttpClient("testcrm", http, **kwargs), transport
