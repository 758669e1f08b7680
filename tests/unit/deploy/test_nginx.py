"""nginx: the only way in. It serves the chat page, proxies Rasa's channels (socket.io
websockets included) and nothing else of Rasa, limits request rates and sizes, and puts the
security headers on every response.

The textual checks always run; the others run the real configuration with nginx (skipped,
naming the install command, when nginx is not installed).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from channels.rest import LIVE_STREAM_SECONDS
from tests.unit.deploy.nginx_harness import (
    INSTALL_HINT,
    NGINX_DIR,
    FakeRasa,
    NginxSite,
    fake_rasa,
    find_nginx,
    prepare_site,
    request,
    temporary_base,
)

MAIN = (NGINX_DIR / "nginx.conf").read_text(encoding="utf-8")
LOCATIONS = (NGINX_DIR / "tsf" / "locations.conf").read_text(encoding="utf-8")
HEADERS = (NGINX_DIR / "tsf" / "security-headers.conf").read_text(encoding="utf-8")
HTTPS = (NGINX_DIR / "tsf" / "mode-https.conf").read_text(encoding="utf-8")
HTTP = (NGINX_DIR / "tsf" / "mode-http.conf").read_text(encoding="utf-8")
# The policy of tsf_runtime/web_server.py, with Rasa on the page's own origin.
CSP_DIRECTIVES = (
    "default-src 'self'",
    "img-src 'self' data:",
    "style-src 'self'",
    "script-src 'self'",
    "frame-ancestors 'self'",
)
SECURITY_HEADERS = {
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "SAMEORIGIN",
}


def block(text: str, opening: str) -> str:
    """The body of the ``{ … }`` block that starts with ``opening``."""
    first = text.index("{", text.index(opening))
    depth = 0
    for end in range(first, len(text)):
        depth += {"{": 1, "}": -1}.get(text[end], 0)
        if depth == 0:
            return text[first + 1 : end]
    raise AssertionError(f"unbalanced block {opening!r}")


# --- The configuration as text ---------------------------------------------------------


def test_socketio_is_proxied_with_the_websocket_upgrade() -> None:
    socketio = block(LOCATIONS, "location /socket.io/")

    assert "proxy_pass http://tsf_rasa_socketio;" in socketio
    assert "proxy_http_version 1.1;" in socketio
    assert "proxy_set_header Upgrade $http_upgrade;" in socketio
    assert "proxy_set_header Connection $connection_upgrade;" in socketio
    assert re.search(r"map \$http_upgrade \$connection_upgrade \{\s*default upgrade;", MAIN)
    assert "hash $remote_addr consistent;" in block(MAIN, "upstream tsf_rasa_socketio")


def test_the_webhooks_are_proxied_and_rate_limited() -> None:
    webhooks = block(LOCATIONS, "location /webhooks/")
    staff = block(LOCATIONS, "location ~ ^/webhooks/(slack|teams)/")

    assert "proxy_pass http://tsf_rasa;" in webhooks
    assert "limit_req zone=tsf_chat" in webhooks
    assert "limit_req zone=tsf_staff" in staff
    assert "limit_req zone=tsf_chat" in block(LOCATIONS, "location /socket.io/")
    assert re.search(r"limit_req_zone \$binary_remote_addr zone=tsf_chat:\d+m rate=\d+r/s;", MAIN)
    assert "limit_req_status 429;" in MAIN


def test_nothing_else_of_rasa_is_proxied() -> None:
    openings = re.findall(r"^(location\s+[^{]+?)\s*\{", LOCATIONS, re.MULTILINE)
    proxied = [
        opening.split(None, 1)[1]
        for opening in openings
        if "proxy_pass" in block(LOCATIONS, opening)
    ]

    assert proxied == [
        "/webhooks/",
        "= /webhooks/rest/live",
        "~ ^/webhooks/(slack|teams)/",
        "/socket.io/",
    ]


def test_the_live_chat_stream_is_not_buffered_and_outlives_its_longest_stream() -> None:
    live = block(LOCATIONS, "location = /webhooks/rest/live")

    assert "proxy_buffering off;" in live
    assert "limit_req zone=tsf_chat" in live
    assert "limit_except GET" in live
    timeout = int(re.search(r"proxy_read_timeout (\d+)s;", live).group(1))  # type: ignore[union-attr]
    assert timeout > LIVE_STREAM_SECONDS


def test_request_bodies_are_small_and_the_version_is_hidden() -> None:
    size = re.search(r"client_max_body_size (\d+)([km]);", MAIN)

    assert size is not None
    assert int(size.group(1)) * {"k": 1, "m": 1024}[size.group(2)] <= 1024
    assert "server_tokens off;" in MAIN


def test_the_security_headers_match_the_chat_page_server() -> None:
    csp = re.search(r'add_header Content-Security-Policy "([^"]+)" always;', HEADERS)

    assert csp is not None
    for directive in CSP_DIRECTIVES:
        assert directive in csp.group(1)
    for name, value in SECURITY_HEADERS.items():
        assert re.search(rf'add_header {name} "{value}" always;', HEADERS, re.IGNORECASE)
    assert "include tsf/security-headers.conf;" in HTTP
    assert HTTPS.count("include tsf/security-headers.conf;") == 2


def test_locations_do_not_drop_the_inherited_security_headers() -> None:
    assert "add_header" not in LOCATIONS


def test_hsts_only_with_tls() -> None:
    assert 'add_header Strict-Transport-Security "max-age=' in HTTPS
    assert "Strict-Transport-Security" not in HTTP + HEADERS + LOCATIONS
    assert "ssl_certificate /etc/nginx/certs/fullchain.pem;" in HTTPS
    assert "ssl_protocols TLSv1.2 TLSv1.3;" in HTTPS


def test_the_access_log_leaves_out_query_strings() -> None:
    log_format = re.search(r"log_format tsf (.*?);", MAIN, re.DOTALL)

    assert log_format is not None
    assert "$uri" in log_format.group(1)
    assert "$request " not in log_format.group(1) and "$args" not in log_format.group(1)


@pytest.mark.parametrize("certificates", [True, False])
def test_tls_switches_on_when_certificates_are_mounted(tmp_path: Path, certificates: bool) -> None:
    etc = tmp_path / "etc" / "nginx"
    shutil.copytree(NGINX_DIR / "tsf", etc / "tsf")
    (etc / "certs").mkdir()
    if certificates:
        (etc / "certs" / "fullchain.pem").write_text("cert")
        (etc / "certs" / "privkey.pem").write_text("key")
    script = (NGINX_DIR / "40-tsf-tls.sh").read_text(encoding="utf-8")
    (tmp_path / "tls.sh").write_text(script.replace("/etc/nginx", str(etc)), encoding="utf-8")

    subprocess.run(["sh", str(tmp_path / "tls.sh")], check=True, capture_output=True, timeout=30)

    expected = "mode-https.conf" if certificates else "mode-http.conf"
    assert (etc / "tsf" / "servers.conf").read_text() == (etc / "tsf" / expected).read_text()


# --- The configuration run by nginx ----------------------------------------------------


def _need_nginx() -> None:
    if find_nginx() is None:
        pytest.skip(f"nginx is not installed ({INSTALL_HINT})")


@pytest.fixture(scope="module")
def rasa() -> Iterator[FakeRasa]:
    """The fake Rasa behind nginx."""
    with fake_rasa() as server:
        yield server


@pytest.fixture(scope="module")
def site(rasa: FakeRasa) -> Iterator[NginxSite]:
    """nginx in plain-HTTP mode, in front of the fake Rasa."""
    _need_nginx()
    with temporary_base() as base:
        running = prepare_site(base, rasa.port, mode="http")
        running.start()
        yield running
        running.stop()


@pytest.mark.parametrize("mode", ["http", "https"])
def test_nginx_accepts_the_configuration(mode: str) -> None:
    _need_nginx()
    if mode == "https" and shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make a test certificate")
    with temporary_base() as base:
        result = prepare_site(base, upstream_port=5005, mode=mode).test_config()

    assert result.returncode == 0, result.stderr


def _assert_security_headers(headers: dict[str, str]) -> None:
    for name, value in SECURITY_HEADERS.items():
        assert headers.get(name) == value, name
    for directive in CSP_DIRECTIVES:
        assert directive in headers["content-security-policy"]


def test_the_chat_page_is_served_with_the_security_headers(site: NginxSite) -> None:
    reply = request(site.url("/"))

    assert reply.status == 200
    assert b'<script src="chat.js"' in reply.body
    _assert_security_headers(reply.headers)
    assert f"ws://127.0.0.1:{site.http_port}" in reply.headers["content-security-policy"]
    assert "server" not in reply.headers or "/" not in reply.headers["server"]


def test_the_widget_finds_rasa_on_the_same_origin(site: NginxSite) -> None:
    reply = request(site.url("/config.json"))

    assert (reply.status, reply.json()) == (200, {"server": "/"})
    assert reply.headers["content-type"].startswith("application/json")
    assert reply.headers["cache-control"] == "no-cache"
    _assert_security_headers(reply.headers)


def test_the_rest_webhook_reaches_rasa_with_the_client_address(
    site: NginxSite, rasa: FakeRasa
) -> None:
    reply = request(
        site.url("/webhooks/rest/webhook"),
        method="POST",
        body=b'{"sender": "s1", "message": "hello"}',
        headers={"Content-Type": "application/json"},
    )

    assert reply.status == 200
    _assert_security_headers(reply.headers)
    seen = [r for r in rasa.seen if r.path == "/webhooks/rest/webhook"][-1]
    assert seen.method == "POST"
    assert seen.headers["x-forwarded-for"] == "127.0.0.1"
    assert seen.headers["x-forwarded-proto"] == "http"
    assert seen.headers["host"] == "127.0.0.1"


def test_socketio_websocket_upgrades_reach_rasa(site: NginxSite, rasa: FakeRasa) -> None:
    request(
        site.url("/socket.io/?EIO=4&transport=websocket"),
        headers={"Upgrade": "websocket", "Connection": "Upgrade"},
    )
    request(site.url("/socket.io/?EIO=4&transport=polling"))

    upgrade, polling = [r for r in rasa.seen if r.path.startswith("/socket.io/")][-2:]
    assert upgrade.headers.get("upgrade") == "websocket"
    assert upgrade.headers.get("connection") == "upgrade"
    assert "upgrade" not in polling.headers
    assert polling.headers.get("connection") == "close"


@pytest.mark.parametrize(
    "path", ["/conversations/s1/tracker", "/status", "/model", "/version", "/webhook"]
)
def test_rasas_http_api_is_not_reachable(site: NginxSite, rasa: FakeRasa, path: str) -> None:
    reply = request(site.url(path))

    assert reply.status == 404
    _assert_security_headers(reply.headers)
    assert path not in rasa.paths()


@pytest.mark.parametrize(
    "path",
    ["/metrics", "/metrics/", "/metrics?name=tsf_leads", "/webhooks/metrics/", "/webhooks/metrics"],
)
def test_the_metrics_are_not_served_to_the_public(
    site: NginxSite, rasa: FakeRasa, path: str
) -> None:
    reply = request(site.url(path))

    assert reply.status == 404
    _assert_security_headers(reply.headers)
    assert not [seen for seen in rasa.paths() if "metrics" in seen]


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("DELETE", "/webhooks/rest/webhook", 403),
        ("PUT", "/webhooks/rest/webhook", 403),
        ("POST", "/index.html", 403),
        ("DELETE", "/webhooks/slack/webhook", 403),
    ],
)
def test_unexpected_methods_are_refused(
    site: NginxSite, method: str, path: str, status: int
) -> None:
    assert request(site.url(path), method=method, body=b"").status == status


def test_large_bodies_are_refused(site: NginxSite) -> None:
    reply = request(site.url("/webhooks/rest/webhook"), method="POST", body=b"x" * 200_000)

    assert reply.status == 413


def test_the_access_log_holds_no_query_string(site: NginxSite) -> None:
    request(site.url("/webhooks/rest/?email=jo%40example.org"))

    log = site.access_log_once('"GET /webhooks/rest/ HTTP/1.1" 200')
    assert '"GET /webhooks/rest/ HTTP/1.1" 200' in log
    assert "example.org" not in log


CHAT_BURST_REQUESTS = 40


def test_the_public_chat_is_rate_limited_and_staff_channels_have_their_own_limit(
    rasa: FakeRasa,
) -> None:
    _need_nginx()
    with temporary_base() as base:
        running = prepare_site(base, rasa.port, mode="http")
        running.start()
        try:
            staff = [request(running.url("/webhooks/slack/")).status for _ in range(40)]
            started = time.monotonic()
            with ThreadPoolExecutor(max_workers=CHAT_BURST_REQUESTS) as pool:
                chat = list(
                    pool.map(
                        lambda _: request(running.url("/webhooks/rest/")).status,
                        range(CHAT_BURST_REQUESTS),
                    )
                )
            elapsed = time.monotonic() - started
        finally:
            running.stop()

    assert staff == [200] * 40
    # burst=20 at 5 requests a second: at most 21 at once, then 5 more each second.
    allowed = 21 + 5 * elapsed
    assert 20 <= chat.count(200) <= allowed + 1, (chat, elapsed)
    assert chat.count(200) + chat.count(429) == CHAT_BURST_REQUESTS
    if allowed < CHAT_BURST_REQUESTS - 5:
        assert chat.count(429) >= 5, (chat, elapsed)


def test_with_certificates_https_serves_and_http_redirects(rasa: FakeRasa) -> None:
    _need_nginx()
    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make a test certificate")
    with temporary_base() as base:
        running = prepare_site(base, rasa.port, mode="https")
        running.start()
        try:
            redirect = request(running.url("/chat.js?x=1"))
            health = request(running.url("/healthz"))
            secure = request(running.url("/", https=True))
            webhook = request(running.url("/webhooks/rest/", https=True))
        finally:
            running.stop()

    assert redirect.status == 301
    assert redirect.headers["location"] == "https://127.0.0.1/chat.js?x=1"
    assert health.status == 200
    assert secure.status == 200
    assert secure.headers["strict-transport-security"].startswith("max-age=63072000")
    assert "wss://127.0.0.1:" in secure.headers["content-security-policy"]
    _assert_security_headers(secure.headers)
    assert webhook.status == 200
    assert rasa.seen[-1].headers["x-forwarded-proto"] == "https"
