"""The processes that make up a running assistant, as commands to start."""

from __future__ import annotations

import sys
from dataclasses import dataclass

from tsf_runtime.settings import MAX_REQUEST_BYTES, Settings


@dataclass(frozen=True)
class ServiceSpec:
    """A process to start: its name, command, extra environment and readiness URL.

    A service without a readiness URL is ready once it is running.
    """

    name: str
    command: tuple[str, ...]
    ready_url: str | None
    environment: tuple[tuple[str, str], ...] = ()


def _module(python: str, module: str, *arguments: str) -> tuple[str, ...]:
    """The command ``python -m module arguments...``."""
    return (python, "-m", module, *arguments)


def _sdk_log_flags(level: str) -> tuple[str, ...]:
    """rasa-sdk takes flags, not a level name."""
    if level == "DEBUG":
        return ("--debug",)
    if level in {"WARNING", "ERROR", "CRITICAL"}:
        return ("--quiet",)
    return ()


def action_server(settings: Settings, python: str = sys.executable) -> ServiceSpec:
    """The rasa-sdk action server, bound to loopback only."""
    return ServiceSpec(
        name="actions",
        command=_module(
            python,
            "tsf_runtime.actions_main",
            *("--actions", "actions", "--port", str(settings.actions_port)),
            *_sdk_log_flags(settings.log_level),
        ),
        ready_url=f"http://127.0.0.1:{settings.actions_port}/health",
        environment=(("SANIC_HOST", "127.0.0.1"),),
    )


def rasa_server(settings: Settings, python: str = sys.executable) -> ServiceSpec:
    """The Rasa server with the REST and socket.io channels and a token-protected API."""
    return ServiceSpec(
        name="rasa",
        command=_module(
            python,
            "tsf_runtime.rasa_main",
            *("run", "--model", str(settings.model_path)),
            *("--endpoints", str(settings.endpoints_path)),
            *("--credentials", str(settings.credentials_path)),
            *("--interface", settings.rasa_host, "--port", str(settings.rasa_port)),
            *("--enable-api", "--auth-token", settings.rasa_token),
            *("--cors", *settings.cors_origins),
        ),
        ready_url=f"http://127.0.0.1:{settings.rasa_port}/status?token={settings.rasa_token}",
        # Only Rasa's own requests are small: the action server receives whole trackers.
        environment=(
            ("LOG_LEVEL", settings.log_level),
            ("SANIC_REQUEST_MAX_SIZE", str(MAX_REQUEST_BYTES)),
        ),
    )


def web_server(settings: Settings, python: str = sys.executable) -> ServiceSpec:
    """The static server for the chat page."""
    return ServiceSpec(
        name="web",
        command=_module(python, "tsf_runtime.web_server"),
        ready_url=f"http://127.0.0.1:{settings.web_port}/",
    )


def delivery_worker(settings: Settings, python: str = sys.executable) -> ServiceSpec:
    """The worker that delivers stored leads from the outbox to the CRM and the team."""
    return ServiceSpec(
        name="worker", command=_module(python, "tsf_leads.cli", "deliver"), ready_url=None
    )


def all_services(settings: Settings, python: str = sys.executable) -> list[ServiceSpec]:
    """Every process of a running assistant, in start order."""
    return [
        action_server(settings, python),
        rasa_server(settings, python),
        web_server(settings, python),
        delivery_worker(settings, python),
    ]


def migrate_leads_command(python: str = sys.executable) -> tuple[str, ...]:
    """Bring the lead database's schema up to date before anything uses it."""
    return _module(python, "tsf_leads.cli", "migrate")
