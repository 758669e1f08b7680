"""A real SMTP server on 127.0.0.1 (aiosmtpd), optionally with STARTTLS and AUTH.

``with FakeSmtpServer(tls=True, users={"bot": "pw"}) as smtp:`` starts a server on a free
port with a fresh self-signed certificate for 127.0.0.1 (``smtp.client_ssl_context`` trusts
it), requires STARTTLS before AUTH/MAIL when ``tls`` is set, and checks logins against
``users``. Received emails are in ``smtp.messages`` (parsed) and ``smtp.envelopes``.

Scripting: ``fail_next(451)`` answers the next DATA with that code; ``refuse_recipient(addr)``
answers RCPT for that address with 550; ``stall_next(seconds)`` delays the next DATA reply.
"""

from __future__ import annotations

import asyncio
import datetime
import email
import email.policy
import ipaddress
import socket
import ssl
import tempfile
import threading
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


@dataclass(frozen=True)
class Envelope:
    """What the server received: envelope sender, recipients and raw content."""

    mail_from: str
    rcpt_tos: tuple[str, ...]
    content: bytes

    def message(self) -> EmailMessage:
        """The content parsed as an email."""
        parsed = email.message_from_bytes(self.content, policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        return parsed


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _self_signed(directory: Path) -> tuple[Path, Path]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.timezone.utc)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(hours=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost")]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "cert.pem", directory / "key.pem"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


class FakeSmtpServer:
    """A loopback SMTP server for tests (see the module docstring).

    Args:
        tls: offer and require STARTTLS with a fresh self-signed certificate.
        users: accepted logins (user -> password); ``None`` means AUTH is not offered.
    """

    def __init__(self, *, tls: bool = False, users: dict[str, str] | None = None) -> None:
        """Not started yet."""
        self.tls = tls
        self.users = users
        self.host = "127.0.0.1"
        self.port = 0
        self.envelopes: list[Envelope] = []
        self.logins: list[str] = []
        self.client_ssl_context: ssl.SSLContext | None = None
        self._lock = threading.Lock()
        self._failures: list[tuple[int, str]] = []
        self._stalls: list[float] = []
        self._refused: set[str] = set()
        self._controller: Controller | None = None
        self._tmp: tempfile.TemporaryDirectory[str] | None = None

    @property
    def messages(self) -> list[EmailMessage]:
        """The received emails, parsed."""
        with self._lock:
            return [envelope.message() for envelope in self.envelopes]

    def fail_next(self, code: int = 451, message: str = "Try again later", times: int = 1) -> None:
        """Answer the next ``times`` DATA commands with ``code``."""
        with self._lock:
            self._failures.extend([(code, message)] * times)

    def stall_next(self, seconds: float) -> None:
        """Delay the next DATA reply by ``seconds``."""
        with self._lock:
            self._stalls.append(seconds)

    def refuse_recipient(self, address: str) -> None:
        """Answer RCPT TO for ``address`` with 550."""
        with self._lock:
            self._refused.add(address.lower())

    def __enter__(self) -> FakeSmtpServer:
        """Start the server on a free port."""
        kwargs: dict[str, Any] = {}
        if self.tls:
            self._tmp = tempfile.TemporaryDirectory()
            cert, key = _self_signed(Path(self._tmp.name))
            server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            server_context.load_cert_chain(cert, key)
            kwargs.update(tls_context=server_context, require_starttls=True)
            self.client_ssl_context = ssl.create_default_context(cafile=str(cert))
        if self.users is not None:
            kwargs.update(authenticator=self._authenticate, auth_require_tls=self.tls)
        self.port = _free_port()
        self._controller = Controller(
            _Handler(self), hostname=self.host, port=self.port, ready_timeout=10, **kwargs
        )
        self._controller.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        """Stop the server."""
        if self._controller is not None:
            self._controller.stop()
        if self._tmp is not None:
            self._tmp.cleanup()

    def _authenticate(
        self, server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any
    ) -> AuthResult:
        if not isinstance(auth_data, LoginPassword) or self.users is None:
            return AuthResult(success=False, handled=False)
        user = auth_data.login.decode("utf-8")
        ok = self.users.get(user) == auth_data.password.decode("utf-8")
        if ok:
            with self._lock:
                self.logins.append(user)
        return AuthResult(success=ok, handled=False)

    def _take(self) -> tuple[float, tuple[int, str] | None]:
        with self._lock:
            stall = self._stalls.pop(0) if self._stalls else 0.0
            failure = self._failures.pop(0) if self._failures else None
        return stall, failure


class _Handler:
    def __init__(self, server: FakeSmtpServer) -> None:
        self.server = server

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: list[str]
    ) -> str:
        with self.server._lock:
            refused = address.lower() in self.server._refused
        if refused:
            return "550 5.1.1 Mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        stall, failure = self.server._take()
        if stall:
            await asyncio.sleep(stall)
        if failure is not None:
            code, message = failure
            return f"{code} {message}"
        with self.server._lock:
            self.server.envelopes.append(
                Envelope(
                    mail_from=envelope.mail_from,
                    rcpt_tos=tuple(envelope.rcpt_tos),
                    content=bytes(envelope.original_content or envelope.content),
                )
            )
        return "250 Message accepted for delivery"
