"""Run docker/nginx's configuration on this machine: a temporary copy, real nginx.

The copy maps the ``rasa`` upstream to a fake Rasa on 127.0.0.1, the ports to free ones,
the web root to a copy of ``web/``, the certificates to a temporary folder, and every path
nginx writes to into the temporary folder. Each replacement is checked, so a change to the
configuration's shape fails loudly here instead of silently testing something else.
"""

from __future__ import annotations

import contextlib
import grp
import json
import os
import shutil
import signal
import socket
import ssl
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from tests.support.harness import free_port, stop_process

ROOT = Path(__file__).resolve().parents[3]
NGINX_DIR = ROOT / "docker" / "nginx"
WEB_DIR = ROOT / "web"
INSTALL_HINT = "apt-get install -y nginx-light"
TEMP_PATHS = ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")


def find_nginx() -> str | None:
    """The nginx binary, if installed."""
    return shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/usr/local/sbin")


@dataclass
class Seen:
    """A request the fake Rasa received."""

    method: str
    path: str
    headers: dict[str, str]


@dataclass
class FakeRasa:
    """A tiny HTTP server that records what reaches it."""

    server: ThreadingHTTPServer
    seen: list[Seen] = field(default_factory=list)

    @property
    def port(self) -> int:
        """Where it listens."""
        return int(self.server.server_address[1])

    def paths(self) -> list[str]:
        """The paths of every request so far."""
        return [request.path for request in self.seen]


@contextlib.contextmanager
def fake_rasa() -> Iterator[FakeRasa]:
    """A fake Rasa answering every request with JSON, in a thread."""
    seen: list[Seen] = []

    class Handler(BaseHTTPRequestHandler):
        def _answer(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            if length:
                self.rfile.read(length)
            seen.append(
                Seen(self.command, self.path, {k.lower(): v for k, v in self.headers.items()})
            )
            body = json.dumps({"status": "ok"}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = do_OPTIONS = _answer

        def log_message(self, format: str, *args: Any) -> None:
            """Quiet."""

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield FakeRasa(server=server, seen=seen)
    finally:
        server.shutdown()
        server.server_close()


def _replace(text: str, old: str, new: str) -> str:
    if old not in text:
        raise AssertionError(f"the nginx configuration no longer contains {old!r}")
    return text.replace(old, new)


def make_certificate(folder: Path) -> None:
    """A self-signed certificate for localhost: fullchain.pem and privkey.pem."""
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
            "-subj", "/CN=localhost",
            "-keyout", str(folder / "privkey.pem"), "-out", str(folder / "fullchain.pem"),
        ],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip


@dataclass
class NginxSite:
    """A prepared copy of the configuration, and where it listens once started."""

    base: Path
    http_port: int
    https_port: int
    mode: str
    process: subprocess.Popen[bytes] | None = None

    @property
    def conf(self) -> Path:
        """The main configuration file."""
        return self.base / "conf" / "nginx.conf"

    @property
    def access_log(self) -> Path:
        """nginx's standard output (its access log)."""
        return self.base / "stdout.log"

    def access_log_once(self, line: str, timeout: float = 5.0) -> str:
        """The access log once it holds ``line`` (nginx writes it after the response is
        sent), or as it is after ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        while True:
            log = self.access_log.read_text(errors="replace")
            if line in log or time.monotonic() > deadline:
                return log
            time.sleep(0.02)

    @property
    def error_log(self) -> Path:
        """nginx's standard error (its error log)."""
        return self.base / "stderr.log"

    def command(self, *extra: str) -> list[str]:
        """An nginx command line for this copy."""
        nginx = find_nginx()
        assert nginx is not None
        return [
            nginx,
            "-p",
            str(self.base),
            "-c",
            str(self.conf),
            "-e",
            str(self.error_log),
            *extra,
        ]

    def test_config(self) -> subprocess.CompletedProcess[str]:
        """``nginx -t`` on the copy."""
        return subprocess.run(
            self.command("-t", "-q"), capture_output=True, text=True, timeout=60, check=False
        )

    def start(self) -> None:
        """Start nginx in the foreground and wait until it accepts connections."""
        with self.access_log.open("wb") as out, self.error_log.open("ab") as err:
            self.process = subprocess.Popen(
                self.command("-g", "daemon off;"), stdout=out, stderr=err, start_new_session=True
            )
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"nginx stopped: {self.error_log.read_text(errors='replace')}")
            with (
                contextlib.suppress(OSError),
                socket.create_connection(("127.0.0.1", self.http_port), timeout=0.5),
            ):
                return
            time.sleep(0.05)
        raise RuntimeError("nginx did not start listening")

    def stop(self) -> None:
        """Stop nginx (SIGQUIT: graceful) and wait."""
        if self.process is not None:
            stop_process(self.process, signal.SIGQUIT, timeout=15)

    def url(self, path: str, https: bool = False) -> str:
        """An address on this site."""
        if https:
            return f"https://127.0.0.1:{self.https_port}{path}"
        return f"http://127.0.0.1:{self.http_port}{path}"


def _user_line() -> str:
    if os.geteuid() != 0:
        return ""
    group = "nogroup"
    try:
        grp.getgrnam(group)
    except KeyError:
        group = "nobody"
    return f"user nobody {group};"


def prepare_site(base: Path, upstream_port: int, mode: str = "http") -> NginxSite:
    """Copy docker/nginx into ``base`` (world-readable, for nginx's workers) and adapt it."""
    site = NginxSite(base=base, http_port=free_port(), https_port=free_port(), mode=mode)
    conf_dir = base / "conf"
    shutil.copytree(NGINX_DIR, conf_dir)
    shutil.copytree(WEB_DIR, base / "html")
    mime = Path("/etc/nginx/mime.types")
    if mime.exists():
        shutil.copy(mime, conf_dir / "mime.types")
    else:
        (conf_dir / "mime.types").write_text(
            "types { text/html html; text/css css; application/javascript js; }\n"
        )
    for name in TEMP_PATHS:
        (base / "temp" / name).mkdir(parents=True)

    main = conf_dir.joinpath("nginx.conf").read_text(encoding="utf-8")
    main = _replace(main, "user nginx;", _user_line())
    main = _replace(main, "pid /tmp/nginx.pid;", f"pid {base / 'nginx.pid'};")
    main = _replace(main, "server rasa:5005", f"server 127.0.0.1:{upstream_port}")
    temp_paths = "".join(f"    {name}_temp_path {base / 'temp' / name};\n" for name in TEMP_PATHS)
    main = _replace(main, "http {\n", "http {\n" + temp_paths)
    conf_dir.joinpath("nginx.conf").write_text(main, encoding="utf-8")

    locations = conf_dir.joinpath("tsf", "locations.conf").read_text(encoding="utf-8")
    locations = _replace(locations, "root /usr/share/nginx/html;", f"root {base / 'html'};")
    conf_dir.joinpath("tsf", "locations.conf").write_text(locations, encoding="utf-8")

    servers = conf_dir.joinpath("tsf", f"mode-{mode}.conf").read_text(encoding="utf-8")
    servers = _replace(servers, "listen 80 ", f"listen 127.0.0.1:{site.http_port} ")
    if mode == "https":
        servers = _replace(servers, "listen 443 ", f"listen 127.0.0.1:{site.https_port} ")
        servers = _replace(servers, "/etc/nginx/certs/", f"{base / 'certs'}/")
        make_certificate(base / "certs")
    conf_dir.joinpath("tsf", "servers.conf").write_text(servers, encoding="utf-8")

    for path in [base, *base.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    return site


@contextlib.contextmanager
def temporary_base() -> Iterator[Path]:
    """A folder under /tmp that nginx's unprivileged workers can read."""
    base = Path(tempfile.mkdtemp(prefix="tsf-nginx-", dir="/tmp"))
    base.chmod(0o755)
    try:
        yield base
    finally:
        shutil.rmtree(base, ignore_errors=True)


@dataclass
class Reply:
    """An HTTP answer."""

    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        """The body as JSON."""
        return json.loads(self.body)


def request(
    url: str,
    method: str = "GET",
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
) -> Reply:
    """Send a request without following redirects; accept the self-signed certificate."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: Any, **kwargs: Any) -> None:
            return None

    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    opener = urllib.request.build_opener(NoRedirect, urllib.request.HTTPSHandler(context=context))
    prepared = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with opener.open(prepared, timeout=10) as response:
            return Reply(
                response.status,
                {k.lower(): v for k, v in response.headers.items()},
                response.read(),
            )
    except urllib.error.HTTPError as error:
        return Reply(error.code, {k.lower(): v for k, v in error.headers.items()}, error.read())
