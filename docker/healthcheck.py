"""Container health checks: ``tsf-healthcheck http URL`` or ``tsf-healthcheck sql VARIABLE``.

``http``: the URL answers 2xx within 5 seconds. ``sql``: the database whose SQLAlchemy URL is
in the environment variable answers ``SELECT 1``. Exit status 0 when healthy, 1 otherwise;
the one-line message never holds the URL (it may carry a password).
"""

from __future__ import annotations

import os
import sys
import urllib.error
import urllib.request

TIMEOUT_SECONDS = 5


def check_http(url: str) -> str | None:
    """``None`` when ``url`` answers 2xx, else what went wrong."""
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT_SECONDS) as response:
            if 200 <= response.status < 300:
                return None
            return f"HTTP {response.status}"
    except urllib.error.HTTPError as error:
        return f"HTTP {error.code}"
    except (urllib.error.URLError, OSError, ValueError) as error:
        return type(error).__name__


def check_sql(variable: str) -> str | None:
    """``None`` when the database named by ``$variable`` answers, else what went wrong."""
    url = os.environ.get(variable, "")
    if not url:
        return f"{variable} is not set"
    from sqlalchemy import create_engine, text
    from sqlalchemy.exc import SQLAlchemyError

    try:
        engine = create_engine(url, future=True)
    except (SQLAlchemyError, ValueError) as error:
        return f"{variable}: {type(error).__name__}"
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except SQLAlchemyError as error:
        return f"{variable}: {type(error).__name__}"
    finally:
        engine.dispose()
    return None


def main(argv: list[str]) -> int:
    """Run one check; print the problem, if any."""
    if len(argv) != 3 or argv[1] not in ("http", "sql"):
        print("usage: tsf-healthcheck http URL | sql VARIABLE", file=sys.stderr)
        return 2
    problem = check_http(argv[2]) if argv[1] == "http" else check_sql(argv[2])
    if problem:
        print(f"unhealthy: {problem}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
