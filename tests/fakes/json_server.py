"""A base for fakes that route requests themselves: JSON replies, served in the background.

For fakes whose shape does not fit :class:`tests.fakes.http_server.FakeService` (its
recording and scripted failures); ``with Fake(...) as fake:`` serves on a free loopback port.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, TypeVar

_Server = TypeVar("_Server", bound="BackgroundServer")
_Item = TypeVar("_Item")


class JsonHandler(BaseHTTPRequestHandler):
    """A quiet request handler; ``fake`` is the :class:`BackgroundServer` it serves."""

    fake: Any

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet."""

    def read_body(self) -> bytes:
        """The request body."""
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def send_json(self, status: int, document: Any) -> None:
        """Answer with ``status`` and ``document`` as JSON."""
        payload = json.dumps(document).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)


class BackgroundServer:
    """Serves ``handler`` (with ``handler.fake`` set to this object) on 127.0.0.1."""

    def __init__(self, handler: type[JsonHandler]) -> None:
        """Bind to a free port; serving starts in ``__enter__``."""
        bound = type(handler.__name__, (handler,), {"fake": self})
        self._condition = threading.Condition()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), bound)
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def root_url(self) -> str:
        """The server's address, e.g. ``http://127.0.0.1:54321``."""
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def wait_until(
        self, read: Callable[[], list[_Item]], count: int, timeout: float, settle: float
    ) -> list[_Item]:
        """Wait until ``read()`` holds ``count`` items (or ``timeout``), then ``settle`` more.

        Handlers ``notify_all`` on ``self._condition`` when they add an item.
        """
        deadline = time.monotonic() + timeout
        with self._condition:
            while len(read()) < count and time.monotonic() < deadline:
                self._condition.wait(timeout=0.2)
        time.sleep(settle)
        return read()

    def __enter__(self: _Server) -> _Server:
        """Serve in a background thread."""
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        """Stop serving and close the socket."""
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=10)
