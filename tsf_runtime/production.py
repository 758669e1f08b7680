"""Secure by default: the checks that must pass before the assistant starts in production.

``TSF_ENV=production`` switches them on. :func:`check_production` returns the problems, each
a sentence naming the variable and what to do (never a secret's value); the launcher and
the container entry points refuse to start while there are any. ``python -m
tsf_runtime.production [--service rasa|actions|worker|all]`` runs them from a shell and
exits with status 2 when something is wrong.

What is refused in production:

- no ``TSF_RASA_TOKEN`` or ``TSF_SESSION_SECRET`` (a generated one would differ between
  replicas and restarts), or one shorter than 24 characters;
- an action server that is not internal: ``TSF_ACTION_ENDPOINT_URL`` must name a loopback
  address, a private address or an internal service name (``actions``, ``*.internal``,
  ``*.local``, ``*.svc``), never a public address or domain, and carry no credentials;
- ``TSF_CORS_ORIGINS`` unset, ``*``, or naming a plain-HTTP origin other than localhost;
- a plain-HTTP ``TSF_PUBLIC_RASA_URL`` other than localhost;
- SQLite for the conversations (``TSF_TRACKER_DB_URL``) or the leads (``TSF_LEADS_DB_URL``),
  the default: one file cannot be shared by several Rasa replicas or containers. For a
  deliberately single-machine deployment ``TSF_ALLOW_SQLITE_IN_PRODUCTION=true`` accepts it;
- ``TSF_LOG_LEVEL=DEBUG`` (debug logs hold what people type);
- a secret still set to a ``change-me`` placeholder from ``.env.example``;
- a secret written literally into the endpoints file (``TSF_ENDPOINTS_PATH``) instead of
  a ``${VARIABLE}`` reference, or a Redis lock store reached without a password;
- Slack or Microsoft Teams half configured (some of their variables set, not all).

An unknown ``TSF_ENV`` value is refused too, so a typo cannot switch the checks off.
"""

from __future__ import annotations

import argparse
import ipaddress
import os
import re
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from tsf_config import LOOPBACK_NAMES, TRUE_WORDS, Reader, Variable, is_loopback_host
from tsf_config.registry import all_variables
from tsf_runtime.channel_credentials import SLACK_SECRETS, TEAMS_SECRETS

PRODUCTION = "production"
DEVELOPMENT = "development"
SERVICES = ("rasa", "actions", "worker", "all")
MIN_TOKEN_LENGTH = 24

VARIABLES: tuple[Variable, ...] = (
    Variable(
        "TSF_ENV",
        DEVELOPMENT,
        "development or production; production refuses to start with an unsafe setting.",
    ),
    Variable(
        "TSF_ALLOW_SQLITE_IN_PRODUCTION",
        "false",
        "true accepts SQLite databases in production (one machine, one Rasa process only).",
    ),
)

_INTERNAL_SUFFIXES = (".internal", ".local", ".svc", ".cluster.local")
_PRIVATE_NETWORKS = tuple(
    ipaddress.ip_network(network)
    for network in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7")
)
_SECRET_NAME = re.compile(r"(TOKEN|SECRET|PASSWORD|PASSWD|API_KEY|PRIVATE_KEY)", re.IGNORECASE)
_PLACEHOLDER = re.compile(r"^\s*(change[-_ ]?me|changeme|replace[-_ ]?me|todo|xxx+)", re.I)
_ENV_REFERENCE = re.compile(r"^\$\{[A-Za-z_][A-Za-z0-9_]*\}$")

# Rasa's own Redis lock store and ours with atomic tickets (tsf_runtime/redis_lock_store.py).
REDIS_LOCK_STORES = frozenset({"redis", "tsf_runtime.redis_lock_store.AtomicRedisLockStore"})


def _value(environ: Mapping[str, str], name: str) -> str:
    return (environ.get(name) or "").strip()


def _setting(environ: Mapping[str, str], name: str) -> str:
    """The value, or its default from the settings registry."""
    return Reader(all_variables(), environ).text(name)


def _is_internal_host(host: str) -> bool:
    """Loopback, an RFC 1918 or unique-local address, or a name only an internal network
    resolves."""
    host = host.lower().rstrip(".")
    if not host:
        return False
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        if "." not in host:
            return True  # a compose / Kubernetes service name such as "actions"
        return host in LOOPBACK_NAMES or host.endswith(_INTERNAL_SUFFIXES)
    return address.is_loopback or any(address in network for network in _PRIVATE_NETWORKS)


# Secrets every Rasa replica must share, and what each protects.
_FIXED_SECRETS = {
    "TSF_RASA_TOKEN": "a fixed secret token for Rasa's HTTP API",
    "TSF_SESSION_SECRET": "a fixed key for the chat widget's session ids (shared by replicas)",
}


def _check_token(environ: Mapping[str, str]) -> list[str]:
    problems = []
    for name, purpose in _FIXED_SECRETS.items():
        value = _value(environ, name)
        if not value:
            problems.append(
                f"{name} is not set: production needs {purpose} (none is generated in "
                "production), e.g. `openssl rand -hex 32`."
            )
        elif len(value) < MIN_TOKEN_LENGTH:
            problems.append(
                f"{name} is too short: use at least {MIN_TOKEN_LENGTH} random characters."
            )
    return problems


def _check_action_endpoint(environ: Mapping[str, str]) -> list[str]:
    url = _value(environ, "TSF_ACTION_ENDPOINT_URL")
    if not url:
        return []  # the default is http://127.0.0.1:$TSF_ACTIONS_PORT/webhook
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
    except ValueError:
        return ["TSF_ACTION_ENDPOINT_URL is not a URL (e.g. http://actions:5055/webhook)."]
    if parts.scheme not in ("http", "https") or not host:
        return ["TSF_ACTION_ENDPOINT_URL must be an http(s) URL, e.g. http://actions:5055/webhook."]
    problems = []
    if parts.username or parts.password:
        problems.append("TSF_ACTION_ENDPOINT_URL must not carry a user name or password.")
    if not _is_internal_host(host):
        problems.append(
            f"TSF_ACTION_ENDPOINT_URL points at {host!r}: the action server must never be "
            "public. Use a loopback address, a private address or an internal service name "
            "such as http://actions:5055/webhook."
        )
    return problems


def _check_cors(environ: Mapping[str, str]) -> list[str]:
    origins = _value(environ, "TSF_CORS_ORIGINS").split()
    if not origins:
        return [
            "TSF_CORS_ORIGINS is not set: list the https:// origins of the sites that embed "
            "the chat widget, separated by spaces."
        ]
    problems = []
    for origin in origins:
        if "*" in origin:
            problems.append(
                "TSF_CORS_ORIGINS must not contain '*': name each site's https:// origin."
            )
            continue
        parts = urlsplit(origin)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            problems.append(
                f"TSF_CORS_ORIGINS has {origin!r}, which is not an origin like https://example.org."
            )
        elif parts.scheme == "http" and not is_loopback_host(parts.hostname):
            problems.append(f"TSF_CORS_ORIGINS has the plain-HTTP origin {origin!r}: use https.")
    return problems


def _check_public_url(environ: Mapping[str, str]) -> list[str]:
    url = _value(environ, "TSF_PUBLIC_RASA_URL")
    if not url:
        return []
    parts = urlsplit(url)
    if parts.scheme == "http" and not is_loopback_host(parts.hostname or ""):
        return ["TSF_PUBLIC_RASA_URL uses plain HTTP: browsers must reach Rasa over https."]
    return []


def _check_database(environ: Mapping[str, str], name: str, what: str) -> list[str]:
    url = _setting(environ, name)
    if not url.lower().startswith("sqlite"):
        return []
    if _value(environ, "TSF_ALLOW_SQLITE_IN_PRODUCTION").lower() in TRUE_WORDS:
        return []
    return [
        f"{name} is SQLite ({'the default' if not _value(environ, name) else 'as set'}): "
        f"production keeps {what} in PostgreSQL (postgresql://…), which every replica and "
        "container can share. Set TSF_ALLOW_SQLITE_IN_PRODUCTION=true only for a "
        "single-machine deployment with one Rasa process."
    ]


def _check_log_level(environ: Mapping[str, str]) -> list[str]:
    if _value(environ, "TSF_LOG_LEVEL").upper() == "DEBUG":
        return ["TSF_LOG_LEVEL is DEBUG: debug logs hold what people type; use INFO."]
    return []


def _url_password(value: str) -> str:
    try:
        return urlsplit(value).password or ""
    except ValueError:
        return ""


def _check_placeholders(environ: Mapping[str, str]) -> list[str]:
    problems = []
    for name in sorted(environ):
        value = environ[name] or ""
        if _SECRET_NAME.search(name) and _PLACEHOLDER.match(value):
            problems.append(f"{name} is still a placeholder from .env.example: set a real secret.")
        elif name.endswith("_URL") and _PLACEHOLDER.match(_url_password(value)):
            problems.append(
                f"{name} holds a placeholder password from .env.example: set a real secret."
            )
    return problems


def _check_channels(environ: Mapping[str, str]) -> list[str]:
    problems = []
    for channel, names in (("Slack", SLACK_SECRETS), ("Microsoft Teams", TEAMS_SECRETS)):
        present = [name for name in names if _value(environ, name)]
        if present and len(present) < len(names):
            missing = ", ".join(name for name in names if name not in present)
            problems.append(f"{channel} is half configured: {missing} not set.")
    return problems


def _literal_secrets(node: Any, path: str = "") -> list[str]:
    found = []
    if isinstance(node, Mapping):
        for key, value in node.items():
            where = f"{path}.{key}" if path else str(key)
            if isinstance(value, (Mapping, list)):
                found += _literal_secrets(value, where)
            elif (
                _SECRET_NAME.search(str(key))
                and value not in (None, "")
                and not _ENV_REFERENCE.match(str(value).strip())
            ):
                found.append(where)
    elif isinstance(node, list):
        for index, item in enumerate(node):
            found += _literal_secrets(item, f"{path}[{index}]")
    return found


def _check_endpoints(environ: Mapping[str, str], root: Path) -> list[str]:
    name = _setting(environ, "TSF_ENDPOINTS_PATH")
    path = Path(name) if Path(name).is_absolute() else root / name
    try:
        config = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except OSError:
        return [f"The endpoints file {name} (TSF_ENDPOINTS_PATH) cannot be read."]
    except yaml.YAMLError:
        return [f"The endpoints file {name} (TSF_ENDPOINTS_PATH) is not valid YAML."]
    problems = [
        f"The endpoints file {name} has a literal secret at {where}: use a ${{VARIABLE}}."
        for where in _literal_secrets(config)
    ]
    lock_store = config.get("lock_store") if isinstance(config, Mapping) else None
    if isinstance(lock_store, Mapping) and str(lock_store.get("type", "")) in REDIS_LOCK_STORES:
        host = _value(environ, "TSF_REDIS_HOST")
        if not _value(environ, "TSF_REDIS_PASSWORD") and not is_loopback_host(host):
            problems.append(
                "TSF_REDIS_PASSWORD is not set: the Redis lock store must need a password "
                "unless it runs on this machine."
            )
    return problems


def check_production(
    environ: Mapping[str, str], *, service: str = "all", root: Path | None = None
) -> list[str]:
    """The reasons not to start, when ``TSF_ENV=production``; an empty list otherwise.

    Args:
        environ: The environment the assistant will run with.
        service: Which process is starting: ``rasa``, ``actions``, ``worker`` or ``all``
            (the launcher, which starts every one). Only the checks that concern it run.
        root: Where relative paths (the endpoints file) are resolved; the current folder
            by default.

    Returns:
        One sentence per problem, naming the variable and never a secret's value.

    Raises:
        ValueError: for an unknown ``service``.
    """
    if service not in SERVICES:
        raise ValueError(f"service must be one of {', '.join(SERVICES)}, not {service!r}")
    mode = _value(environ, "TSF_ENV").lower()
    if mode not in ("", DEVELOPMENT, PRODUCTION):
        return [f"TSF_ENV must be {DEVELOPMENT} or {PRODUCTION}, not {mode!r}."]
    if mode != PRODUCTION:
        return []
    root = Path.cwd() if root is None else root
    problems = _check_log_level(environ) + _check_placeholders(environ)
    if service in ("rasa", "all"):
        problems += _check_token(environ)
        problems += _check_action_endpoint(environ)
        problems += _check_cors(environ)
        problems += _check_public_url(environ)
        problems += _check_database(environ, "TSF_TRACKER_DB_URL", "conversations")
        problems += _check_endpoints(environ, root)
        problems += _check_channels(environ)
    if service in ("actions", "worker", "all"):
        problems += _check_database(environ, "TSF_LEADS_DB_URL", "leads")
    return problems


def main(argv: Sequence[str] | None = None, environ: Mapping[str, str] | None = None) -> int:
    """Print the problems on stderr; 0 when there are none, 2 otherwise."""
    parser = argparse.ArgumentParser(
        prog="python -m tsf_runtime.production",
        description="Check the production settings before starting.",
    )
    parser.add_argument("--service", choices=SERVICES, default="all")
    arguments = parser.parse_args(argv)
    problems = check_production(
        os.environ if environ is None else environ, service=arguments.service
    )
    if problems:
        print("Refusing to start in production:", file=sys.stderr)
        for problem in problems:
            print(f"  - {problem}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
