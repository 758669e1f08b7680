"""Settings come from the environment with safe defaults, and bad values are refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from tsf_config import SettingsError
from tsf_runtime.settings import load_settings


def test_defaults_are_local_and_embedded() -> None:
    settings = load_settings({})

    assert settings.rasa_host == "127.0.0.1"
    assert settings.rasa_port == 5005
    assert settings.actions_port == 5055
    assert settings.web_port == 8080
    assert settings.action_endpoint_url == "http://127.0.0.1:5055/webhook"
    assert settings.tracker_db_url == "sqlite:///var/tracker.db"
    assert settings.public_rasa_url == "http://localhost:5005"
    assert settings.cors_origins == ("http://localhost:8080", "http://127.0.0.1:8080")
    assert settings.model_path == Path("models/tsf.tar.gz")


def test_a_token_is_generated_when_unset_and_differs_each_time() -> None:
    first, second = load_settings({}), load_settings({})

    assert first.rasa_token_generated
    assert len(first.rasa_token) >= 24
    assert first.rasa_token != second.rasa_token


def test_a_configured_token_is_kept() -> None:
    settings = load_settings({"TSF_RASA_TOKEN": "s3cret-token"})

    assert settings.rasa_token == "s3cret-token"
    assert not settings.rasa_token_generated


def test_ports_flow_into_derived_addresses() -> None:
    settings = load_settings(
        {"TSF_RASA_PORT": "6005", "TSF_ACTIONS_PORT": "6055", "TSF_WEB_PORT": "9090"}
    )

    assert settings.action_endpoint_url == "http://127.0.0.1:6055/webhook"
    assert settings.public_rasa_url == "http://localhost:6005"
    assert "http://localhost:9090" in settings.cors_origins


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("TSF_RASA_PORT", "abc"),
        ("TSF_RASA_PORT", "0"),
        ("TSF_ACTIONS_PORT", "70000"),
        ("TSF_WEB_PORT", "-1"),
    ],
)
def test_unusable_ports_are_refused_with_the_variable_named(name: str, value: str) -> None:
    with pytest.raises(SettingsError, match=name):
        load_settings({name: value})


def test_child_environment_carries_every_resolved_value() -> None:
    settings = load_settings({"TSF_RASA_TOKEN": "t"})

    environment = settings.child_environment({"PATH": "/bin"})

    assert environment["PATH"] == "/bin"
    assert environment["TSF_RASA_TOKEN"] == "t"
    assert environment["TSF_ACTION_ENDPOINT_URL"] == "http://127.0.0.1:5055/webhook"
    assert environment["RASA_TELEMETRY_ENABLED"] == "false"
