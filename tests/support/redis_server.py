"""A throwaway Redis server for a test session, like ``tests.support.postgres``.

``start_redis()`` starts ``redis-server`` on 127.0.0.1 on a free port, with a password,
no persistence and its files in a fresh directory under /tmp, as a non-root user (``redis``
if it exists, else ``nobody``) when the tests run as root; ``stop()`` stops it. A
missing binary raises :class:`RedisUnavailable` with the command that installs it.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from tests.support.harness import free_port, stop_process

INSTALL_HINT = "apt-get install -y redis-server"
SERVER_USERS = ("redis", "nobody")
START_TIMEOUT = 20.0
STOP_TIMEOUT = 10.0
START_ATTEMPTS = 3


class RedisUnavailable(RuntimeError):
    """A Redis server cannot be started for the tests."""


def find_redis_server() -> str:
    """The ``redis-server`` binary (``TSF_TEST_REDIS_SERVER`` names another one first).

    Raises:
        RedisUnavailable: naming the install command when there is none.
    """
    override = os.environ.get("TSF_TEST_REDIS_SERVER")
    found = override if override and os.access(override, os.X_OK) else None
    found = found or shutil.which("redis-server") or shutil.which("redis-server", path="/usr/bin")
    if not found:
        raise RedisUnavailable(
            f"redis-server not found. Install it with `{INSTALL_HINT}` (make test does this)."
        )
    return found


def _server_user() -> pwd.struct_passwd | None:
    """The user to run as when we are root; ``None`` when not root."""
    if os.geteuid() != 0:
        return None
    for name in SERVER_USERS:
        with contextlib.suppress(KeyError):
            return pwd.getpwnam(name)
    raise RedisUnavailable(f"no non-root user ({', '.join(SERVER_USERS)}) to run Redis as")


def _ping(port: int, password: str, timeout: float = 1.0) -> bool:
    """Whether the server answers AUTH and PING (raw RESP, no client library needed)."""
    command = (
        f"*2\r\n$4\r\nAUTH\r\n${len(password)}\r\n{password}\r\n*1\r\n$4\r\nPING\r\n"
    ).encode()
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout) as connection:
            connection.sendall(command)
            reply = b""
            deadline = time.monotonic() + timeout
            while b"PONG" not in reply and time.monotonic() < deadline:
                chunk = connection.recv(256)
                if not chunk:
                    break
                reply += chunk
            return b"+OK\r\n+PONG" in reply
    except OSError:
        return False


@dataclass
class RedisServer:
    """A running throwaway server."""

    process: subprocess.Popen[bytes]
    base_dir: Path
    port: int
    password: str
    host: str = "127.0.0.1"

    @property
    def log_file(self) -> Path:
        """The server log."""
        return self.base_dir / "redis.log"

    def url(self, db: int = 0) -> str:
        """A ``redis://`` URL with the password."""
        return f"redis://:{self.password}@{self.host}:{self.port}/{db}"

    def ping(self) -> bool:
        """Whether the server answers."""
        return _ping(self.port, self.password)

    def stop(self) -> None:
        """Stop the server (SIGTERM, then SIGKILL) and delete its directory."""
        try:
            stop_process(self.process, signal.SIGTERM, timeout=STOP_TIMEOUT)
        finally:
            shutil.rmtree(self.base_dir, ignore_errors=True)


def _write_config(base_dir: Path, port: int, password: str) -> Path:
    config = base_dir / "redis.conf"
    config.write_text(
        "\n".join(
            [
                "bind 127.0.0.1",
                f"port {port}",
                "protected-mode yes",
                f'dir "{base_dir}"',
                f'logfile "{base_dir / "redis.log"}"',
                'save ""',
                "appendonly no",
                "daemonize no",
                f'requirepass "{password}"',
                "",
            ]
        ),
        encoding="utf-8",
    )
    config.chmod(0o600)
    return config


def start_redis() -> RedisServer:
    """Start a server and wait until it answers; the caller must ``stop()`` it.

    Raises:
        RedisUnavailable: when the binary is missing or the server does not start.
    """
    binary = find_redis_server()
    user = _server_user()
    password = secrets.token_hex(16)
    errors: list[str] = []
    for _ in range(START_ATTEMPTS):  # another process may take the free port first
        base_dir = Path(tempfile.mkdtemp(prefix="tsf-redis-", dir="/tmp"))
        port = free_port()
        config = _write_config(base_dir, port, password)
        if user is not None:
            for path in (base_dir, config):
                os.chown(path, user.pw_uid, user.pw_gid)
        process = subprocess.Popen(
            [binary, str(config)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            user=None if user is None else user.pw_uid,
            group=None if user is None else user.pw_gid,
            extra_groups=None if user is None else [],
            start_new_session=True,
        )
        server = RedisServer(process=process, base_dir=base_dir, port=port, password=password)
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline and process.poll() is None:
            if server.ping():
                return server
            time.sleep(0.1)
        log = server.log_file.read_text(errors="replace") if server.log_file.exists() else ""
        errors.append(f"exit status {process.poll()}: {log.strip()[-1500:]}")
        server.stop()
    raise RedisUnavailable(f"Redis did not start: {errors[-1]}")
