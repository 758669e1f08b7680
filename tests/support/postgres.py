"""A throwaway PostgreSQL server for a test session.

``start_postgres()`` runs ``initdb`` into a fresh directory under /tmp owned by the
``postgres`` user (the server refuses to run as root, so as root every command goes through
``runuser -u postgres --``), starts it listening only on 127.0.0.1 on a free port with its
unix socket in that directory; ``stop()`` stops it (``pg_ctl stop -m fast``) and deletes
it. Missing binaries raise :class:`PostgresUnavailable` with the command that installs them.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import signal
import subprocess
import tempfile
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import psycopg2

from tests.support.harness import free_port

BIN_DIRS = (Path("/usr/local/bin"), Path("/usr/lib/postgresql/15/bin"))
INSTALL_HINT = "apt-get install -y postgresql-15"
SERVER_USER = "postgres"
COMMAND_TIMEOUT = 120
START_ATTEMPTS = 3


class PostgresUnavailable(RuntimeError):
    """A PostgreSQL server cannot be started for the tests."""


def find_bin_dir() -> Path:
    """The first directory holding both ``initdb`` and ``pg_ctl``.

    ``TSF_TEST_PG_BIN`` names another directory to use first.

    Raises:
        PostgresUnavailable: naming the install command when neither is found.
    """
    override = os.environ.get("TSF_TEST_PG_BIN")
    candidates = ([Path(override)] if override else []) + list(BIN_DIRS)
    for directory in candidates:
        if all(os.access(directory / name, os.X_OK) for name in ("initdb", "pg_ctl")):
            return directory
    searched = ", ".join(str(path) for path in candidates)
    raise PostgresUnavailable(
        f"PostgreSQL 15 server binaries (initdb, pg_ctl) not found in {searched}. "
        f"Install them with `{INSTALL_HINT}` (make test does this)."
    )


def _as_server_user(command: Sequence[str]) -> list[str]:
    if os.geteuid() != 0:
        return list(command)
    return ["runuser", "-u", SERVER_USER, "--", *command]


def _run(command: Sequence[str]) -> None:
    result = subprocess.run(
        _as_server_user(command),
        capture_output=True,
        text=True,
        timeout=COMMAND_TIMEOUT,
        env={**os.environ, "LC_ALL": "C", "LANG": "C"},
        check=False,
    )
    if result.returncode != 0:
        raise PostgresUnavailable(
            f"{Path(command[0]).name} failed ({result.returncode}): "
            f"{(result.stderr or result.stdout).strip()[-2000:]}"
        )


@dataclass
class PostgresServer:
    """A running throwaway server."""

    bin_dir: Path
    base_dir: Path
    port: int

    @property
    def data_dir(self) -> Path:
        """The cluster's data directory."""
        return self.base_dir / "data"

    @property
    def socket_dir(self) -> Path:
        """Where the server's unix socket lives."""
        return self.base_dir / "socket"

    @property
    def log_file(self) -> Path:
        """The server log."""
        return self.base_dir / "server.log"

    def url(self, database: str = "postgres") -> str:
        """A SQLAlchemy URL for ``database`` over TCP on 127.0.0.1."""
        return f"postgresql+psycopg2://{SERVER_USER}@127.0.0.1:{self.port}/{database}"

    def _admin(self, statement: str) -> None:
        connection = psycopg2.connect(
            host="127.0.0.1",
            port=self.port,
            user=SERVER_USER,
            dbname="postgres",
            connect_timeout=10,
        )
        try:
            connection.autocommit = True
            with connection.cursor() as cursor:
                cursor.execute(statement)
        finally:
            connection.close()

    def create_database(self, name: str | None = None) -> str:
        """Create an empty database and return its URL (FILE_COPY: quicker for small ones)."""
        name = name or f"tsf_{uuid.uuid4().hex[:12]}"
        self._admin(f'CREATE DATABASE "{name}" STRATEGY FILE_COPY')
        return self.url(name)

    def drop_database(self, name: str) -> None:
        """Drop a database, disconnecting whoever is still in it."""
        self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def stop(self) -> None:
        """Stop the server (fast shutdown) and delete its directory."""
        pg_ctl = str(self.bin_dir / "pg_ctl")
        try:
            _run([pg_ctl, "-D", str(self.data_dir), "-m", "fast", "-w", "-t", "60", "stop"])
        except (PostgresUnavailable, subprocess.TimeoutExpired):
            _kill_postmaster(self.data_dir)
        finally:
            shutil.rmtree(self.base_dir, ignore_errors=True)


def _kill_postmaster(data_dir: Path) -> None:
    with contextlib.suppress(OSError, ValueError, IndexError):
        pid = int((data_dir / "postmaster.pid").read_text().splitlines()[0])
        os.kill(pid, signal.SIGQUIT)


def _prepare_base_dir() -> Path:
    base_dir = Path(tempfile.mkdtemp(prefix="tsf-pg-", dir="/tmp"))
    (base_dir / "socket").mkdir()
    if os.geteuid() == 0:
        try:
            user = pwd.getpwnam(SERVER_USER)
        except KeyError:
            shutil.rmtree(base_dir, ignore_errors=True)
            raise PostgresUnavailable(
                f"there is no {SERVER_USER!r} user to run PostgreSQL as (it refuses root); "
                f"`{INSTALL_HINT}` creates it"
            ) from None
        for path in (base_dir, base_dir / "socket"):
            os.chown(path, user.pw_uid, user.pw_gid)
    return base_dir


def start_postgres() -> PostgresServer:
    """Initialise and start a server; the caller must ``stop()`` it.

    Raises:
        PostgresUnavailable: when the binaries are missing or the server does not start.
    """
    bin_dir = find_bin_dir()
    base_dir = _prepare_base_dir()
    data_dir = base_dir / "data"
    initdb = [str(bin_dir / "initdb"), "-D", str(data_dir), "-U", SERVER_USER]
    try:
        _run([*initdb, "--auth=trust", "--encoding=UTF8", "--locale=C", "--no-sync"])
        errors = []
        for _ in range(START_ATTEMPTS):  # another process may take the free port first
            server = PostgresServer(bin_dir=bin_dir, base_dir=base_dir, port=free_port())
            options = (
                f"-c listen_addresses=127.0.0.1 -p {server.port} "
                f"-c unix_socket_directories={server.socket_dir} "
                "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
            )
            pg_ctl = [str(bin_dir / "pg_ctl"), "-D", str(data_dir), "-l", str(server.log_file)]
            try:
                _run([*pg_ctl, "-w", "-t", "60", "-o", options, "start"])
                return server
            except PostgresUnavailable as error:
                errors.append(str(error))
        log = server.log_file.read_text(errors="replace") if server.log_file.exists() else ""
        raise PostgresUnavailable(f"PostgreSQL did not start: {errors[-1]}\n{log[-2000:]}")
    except BaseException:
        _kill_postmaster(data_dir)
        shutil.rmtree(base_dir, ignore_errors=True)
        raise
