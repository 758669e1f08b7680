"""The launcher starts the action server on loopback and Rasa with its API protected."""

from __future__ import annotations

from tsf_runtime.services import (
    action_server,
    all_services,
    delivery_worker,
    rasa_server,
    web_server,
)
from tsf_runtime.settings import MAX_REQUEST_BYTES, load_settings

SETTINGS = load_settings({"TSF_RASA_TOKEN": "token-123", "TSF_LOG_LEVEL": "debug"})


def test_action_server_binds_loopback_only() -> None:
    spec = action_server(SETTINGS, python="py")

    assert dict(spec.environment)["SANIC_HOST"] == "127.0.0.1"
    assert spec.command[:5] == ("py", "-m", "tsf_runtime.actions_main", "--actions", "actions")
    assert "--debug" in spec.command
    assert spec.ready_url == "http://127.0.0.1:5055/health"


def test_rasa_server_enables_the_api_only_with_a_token_and_limits_cors() -> None:
    command = rasa_server(SETTINGS, python="py").command

    assert command[command.index("--auth-token") + 1] == "token-123"
    assert "--enable-api" in command
    cors = command[command.index("--cors") + 1 :]
    assert cors == ("http://localhost:8080", "http://127.0.0.1:8080")
    assert command[command.index("--interface") + 1] == "127.0.0.1"


def test_services_start_actions_first_and_servers_have_readiness_urls() -> None:
    specs = all_services(SETTINGS, python="py")

    assert [spec.name for spec in specs] == ["actions", "rasa", "web", "worker"]
    assert all(str(spec.ready_url).startswith("http://127.0.0.1:") for spec in specs[:3])
    assert web_server(SETTINGS).ready_url == "http://127.0.0.1:8080/"


def test_the_delivery_worker_runs_the_lead_cli() -> None:
    worker = delivery_worker(SETTINGS, python="py")

    assert worker.command == ("py", "-m", "tsf_leads.cli", "deliver")
    assert worker.ready_url is None


def test_rasa_reads_the_generated_channel_credentials() -> None:
    command = rasa_server(SETTINGS, python="py").command

    assert command[command.index("--credentials") + 1] == "var/credentials.yml"


def test_rasa_runs_behind_the_log_redaction_wrapper_with_the_chosen_endpoints() -> None:
    settings = load_settings({"TSF_ENDPOINTS_PATH": "rasa_project/endpoints.production.yml"})

    command = rasa_server(settings, python="py").command

    assert command[:4] == ("py", "-m", "tsf_runtime.rasa_main", "run")
    assert command[command.index("--endpoints") + 1] == "rasa_project/endpoints.production.yml"


def test_only_rasa_limits_request_bodies_the_action_server_reads_whole_trackers() -> None:
    rasa = dict(rasa_server(SETTINGS, python="py").environment)
    actions = dict(action_server(SETTINGS, python="py").environment)

    assert rasa["SANIC_REQUEST_MAX_SIZE"] == str(MAX_REQUEST_BYTES)
    assert "SANIC_REQUEST_MAX_SIZE" not in actions
    assert "SANIC_REQUEST_MAX_SIZE" not in SETTINGS.child_environment({})
