"""A base for fake HTTP services: a real ``ThreadingHTTPServer`` on 127.0.0.1, scriptable.

Subclasses implement :meth:`FakeService.handle`. Every fake:

- runs on a free loopback port inside ``with Fake(...) as fake:`` (``fake.url`` is its root);
- records every request (``fake.requests``);
- can be told to fail: ``fake.fail_next(503, times=2, retry_after="7")`` answers the next
  matching requests with that status (and the API's usual error body) instead of handling
  them; ``fake.delay_next(1.0)`` stalls the next request past the client's read timeout,
  then (by default) still processes it, like a server that did the work but answered late;
  ``fake.wait_until_idle()`` waits for that late processing to finish.

Failures apply to requests whose path contains ``path`` (default: the fake's
``scripted_path``, usually its API prefix, so token endpoints are not affected unless asked).
"""

from __future__ import annotations

import json
import threading
import urllib.parse
from collections import Counter, deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, TypeVar

__all__ = ["CountingFake", "FakeService", "Recorded", "Reply"]


@dataclass(frozen=True)
class Recorded:
    """One request as the fake received it."""

    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes

    def header(self, name: str) -> str | None:
        """A header by case-insensitive name."""
        return self.headers.get(name.lower())

    @property
    def content_type(self) -> str:
        """The media type of ``Content-Type``, without parameters (``""`` when absent)."""
        return (self.header("Content-Type") or "").split(";")[0].strip()

    @property
    def bearer_token(self) -> str:
        """The token of an ``Authorization: Bearer`` header (``""`` when there is none)."""
        authorization = self.header("Authorization") or ""
        return authorization[7:] if authorization.startswith("Bearer ") else ""

    def json(self) -> Any:
        """The body parsed as JSON."""
        return json.loads(self.body.decode("utf-8"))

    def form(self) -> dict[str, str]:
        """The body parsed as an ``application/x-www-form-urlencoded`` form."""
        return dict(urllib.parse.parse_qsl(self.body.decode("utf-8"), keep_blank_values=True))


@dataclass
class Reply:
    """What the fake answers: status, body (JSON-encoded unless bytes/str) and headers."""

    status: int
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class _Script:
    remaining: int
    status: int | None = None
    retry_after: str | None = None
    body: Any = None
    delay: float = 0.0
    process: bool = True
    path: str | None = None


_Fake = TypeVar("_Fake", bound="FakeService")


class FakeService:
    """Base class: start/stop, recording and scripted failures; subclasses answer requests."""

    #: Default substring a request path must contain for scripted failures to apply to it.
    scripted_path: str | None = None

    def __init__(self) -> None:
        """Set up empty state; the server starts in ``__enter__``."""
        self.lock = threading.RLock()
        self.requests: list[Recorded] = []
        self._scripts: deque[_Script] = deque()
        self._closing = threading.Event()
        self._stalled = 0
        self._idle = threading.Condition(self.lock)
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle -------------------------------------------------------------------------

    def __enter__(self: _Fake) -> _Fake:
        """Start serving on a free loopback port."""
        fake = self

        class Handler(_Handler):
            service = fake

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        """Stop serving and wake any stalled request."""
        self._closing.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    @property
    def url(self) -> str:
        """The root URL, e.g. ``http://127.0.0.1:54321``."""
        assert self._server is not None, "use the fake inside a with block"
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    # -- scripting ---------------------------------------------------------------------------

    def fail_next(
        self,
        status: int,
        times: int = 1,
        retry_after: str | int | None = None,
        *,
        body: Any = None,
        path: str | None = None,
    ) -> None:
        """Answer the next ``times`` matching requests with ``status`` instead of handling them.

        Args:
            status: the HTTP status (409, 429, 500, 503, 401...).
            times: how many requests fail.
            retry_after: a ``Retry-After`` value (seconds or an HTTP date).
            body: the error body; the API's usual error body for ``status`` when omitted.
            path: a substring the path must contain; the fake's ``scripted_path`` by default.
        """
        with self.lock:
            self._scripts.append(
                _Script(
                    remaining=times,
                    status=status,
                    retry_after=None if retry_after is None else str(retry_after),
                    body=body,
                    path=path,
                )
            )

    def delay_next(
        self, seconds: float, times: int = 1, *, process: bool = True, path: str | None = None
    ) -> None:
        """Stall the next ``times`` matching requests (to trip the client's read timeout).

        Args:
            seconds: how long to stall before answering.
            times: how many requests stall.
            process: handle the request after the stall (the work is done, the answer lost);
                when false it is dropped unprocessed.
            path: as for :meth:`fail_next`.
        """
        with self.lock:
            self._scripts.append(
                _Script(remaining=times, delay=seconds, process=process, path=path)
            )

    def wait_until_idle(self, timeout: float = 5.0) -> None:
        """Wait until every stalled request has been processed (or dropped)."""
        with self._idle:
            if not self._idle.wait_for(lambda: self._stalled == 0, timeout):
                raise TimeoutError("a stalled request is still being processed")

    def error_body(self, status: int) -> Any:
        """The API's usual error body for ``status`` (subclasses override)."""
        return {"error": f"scripted failure {status}"}

    # -- to implement ------------------------------------------------------------------------

    def handle(self, request: Recorded) -> Reply:
        """Answer one request (called under no lock; take ``self.lock`` for shared state)."""
        raise NotImplementedError

    # -- internals ---------------------------------------------------------------------------

    def _take_script(self, path: str) -> _Script | None:
        with self.lock:
            for script in self._scripts:
                wanted = script.path if script.path is not None else self.scripted_path
                if wanted is None or wanted in path:
                    script.remaining -= 1
                    if script.remaining <= 0:
                        self._scripts.remove(script)
                    return script
        return None

    def dispatch(self, request: Recorded) -> Reply | None:
        """Record, apply any script, then handle; ``None`` means drop without answering."""
        with self.lock:
            self.requests.append(request)
        script = self._take_script(request.path)
        if script is not None and script.delay:
            with self._idle:
                self._stalled += 1
            try:
                self._closing.wait(script.delay)
                return self.handle(request) if script.process else None
            finally:
                with self._idle:
                    self._stalled -= 1
                    self._idle.notify_all()
        if script is not None and script.status is not None:
            headers = {} if script.retry_after is None else {"Retry-After": script.retry_after}
            body = script.body if script.body is not None else self.error_body(script.status)
            return Reply(script.status, body, headers)
        return self.handle(request)


class CountingFake(FakeService):
    """A fake CRM that counts, per lead reference, records created and requests accepted.

    Subclasses add to ``created`` when a record is made and to ``accepted`` for every
    request they accept (creates and updates).
    """

    def __init__(self) -> None:
        """No leads counted yet."""
        super().__init__()
        self.created: Counter[str] = Counter()
        self.accepted: Counter[str] = Counter()

    def delivery_count(self, reference: str) -> int:
        """How many records were created for ``reference`` (1 = exactly once)."""
        with self.lock:
            return self.created[reference]

    def request_count(self, reference: str) -> int:
        """How many requests were accepted for ``reference`` (retries included)."""
        with self.lock:
            return self.accepted[reference]


class _Handler(BaseHTTPRequestHandler):
    service: FakeService
    protocol_version = "HTTP/1.1"
    timeout = 10  # idle keep-alive connections close after this
    wbufsize = 1 << 16  # headers and body leave in one write (no Nagle/delayed-ACK stall)
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: Any) -> None:
        return

    def _serve(self) -> None:
        parts = urllib.parse.urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        request = Recorded(
            method=self.command,
            path=urllib.parse.unquote(parts.path),
            query=urllib.parse.parse_qs(parts.query),
            headers={name.lower(): value for name, value in self.headers.items()},
            body=body,
        )
        reply = self.service.dispatch(request)
        if reply is None:
            self.close_connection = True
            return
        if isinstance(reply.body, bytes):
            payload, content_type = reply.body, "application/octet-stream"
        elif isinstance(reply.body, str):
            payload, content_type = reply.body.encode("utf-8"), "text/plain; charset=utf-8"
        elif reply.body is None:
            payload, content_type = b"", None
        else:
            payload, content_type = json.dumps(reply.body).encode("utf-8"), "application/json"
        try:
            self.send_response(reply.status)
            headers = dict(reply.headers)
            if content_type and "Content-Type" not in headers:
                headers["Content-Type"] = content_type
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            if payload:
                self.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = _serve
