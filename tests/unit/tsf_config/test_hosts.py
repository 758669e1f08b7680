"""One rule for "this machine", used by the settings reader and the production checks."""

from __future__ import annotations

import pytest

from tsf_config import is_loopback_host, is_loopback_url


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("localhost", True),
        ("LOCALHOST", True),
        ("localhost.localdomain", True),
        ("127.0.0.1", True),
        ("127.8.9.10", True),
        ("::1", True),
        ("[::1]", True),
        ("10.0.0.1", False),
        ("example.org", False),
        ("127.0.0.1.example.org", False),
        ("", False),
    ],
)
def test_only_this_machine_counts_as_loopback(host: str, loopback: bool) -> None:
    assert is_loopback_host(host) is loopback


def test_a_url_is_loopback_by_its_host() -> None:
    assert is_loopback_url("http://127.0.0.1:8080/hook")
    assert is_loopback_url("http://[::1]:8080/hook")
    assert not is_loopback_url("http://localhost.evil.example/hook")
