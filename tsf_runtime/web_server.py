"""A small static server for the chat page, with the Rasa address in ``/config.json``."""

from __future__ import annotations

import contextlib
import json
import logging
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from tsf_runtime.settings import Settings, load_settings

WEB_ROOT = Path(__file__).resolve().parent.parent / "web"
logger = logging.getLogger(__name__)


class ChatPageHandler(SimpleHTTPRequestHandler):
    """Serves ``web/`` read-only, plus ``/config.json``; never lists folders."""

    settings: Settings

    def __init__(self, *args: object, settings: Settings, **kwargs: object) -> None:
        self.settings = settings
        super().__init__(*args, directory=str(WEB_ROOT), **kwargs)  # type: ignore[arg-type]

    def end_headers(self) -> None:
        """Add security headers to every response."""
        rasa = self.settings.public_rasa_url
        websocket = rasa.replace("http", "ws", 1)
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        self.send_header("X-Frame-Options", "SAMEORIGIN")
        self.send_header(
            "Content-Security-Policy",
            f"default-src 'self'; connect-src 'self' {rasa} {websocket}; "
            "img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'self'",
        )
        super().end_headers()

    def do_GET(self) -> None:
        """Serve the config document or a static file."""
        if self.path.split("?", 1)[0] == "/config.json":
            body = json.dumps({"server": self.settings.public_rasa_url}).encode()
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)
            return
        super().do_GET()

    def list_directory(self, path: str) -> None:  # type: ignore[override]
        """Refuse folder listings."""
        self.send_error(HTTPStatus.NOT_FOUND, "Not found")

    def log_message(self, format: str, *args: object) -> None:
        """Log the request line only (no client address)."""
        logger.debug("web %s", args[0] if args else "")


def serve(settings: Settings) -> None:
    """Serve the chat page until interrupted."""
    handler = partial(ChatPageHandler, settings=settings)
    with (
        ThreadingHTTPServer((settings.web_host, settings.web_port), handler) as server,
        contextlib.suppress(KeyboardInterrupt),
    ):
        server.serve_forever()


if __name__ == "__main__":
    serve(load_settings())
