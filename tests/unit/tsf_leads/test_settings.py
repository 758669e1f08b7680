"""Lead settings come from the environment at call time, with safe defaults."""

from __future__ import annotations

import pytest

from tsf_leads.settings import CRM_KINDS, VARIABLES, LeadSettings, SettingsError, load_settings


def test_defaults_keep_leads_locally_in_sqlite() -> None:
    assert load_settings({}) == LeadSettings(
        db_url="sqlite:///var/leads.db",
        crm="none",
        max_attempts=8,
        base_delay_seconds=30,
        max_delay_seconds=3600,
        poll_seconds=5,
        retention_days=365,
    )


def test_every_variable_is_read() -> None:
    settings = load_settings(
        {
            "TSF_LEADS_DB_URL": "postgresql://db/leads",
            "TSF_CRM": "HubSpot",
            "TSF_DELIVERY_MAX_ATTEMPTS": "3",
            "TSF_DELIVERY_BASE_DELAY_SECONDS": "0.5",
            "TSF_DELIVERY_MAX_DELAY_SECONDS": "60",
            "TSF_DELIVERY_POLL_SECONDS": "1",
            "TSF_LEAD_RETENTION_DAYS": "30",
        }
    )

    assert settings.db_url == "postgresql://db/leads"
    assert settings.crm == "hubspot"
    assert settings.max_attempts == 3
    assert settings.base_delay_seconds == 0.5
    assert settings.max_delay_seconds == 60
    assert settings.poll_seconds == 1
    assert settings.retention_days == 30


def test_settings_are_read_when_called_not_at_import(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TSF_CRM", "webhook")

    assert load_settings().crm == "webhook"


def test_blank_values_fall_back_to_defaults() -> None:
    assert load_settings({"TSF_CRM": " ", "TSF_LEADS_DB_URL": ""}) == load_settings({})


def test_the_environment_is_kept_for_adapters_to_read_their_own_variables() -> None:
    settings = load_settings({"TSF_CRM_WEBHOOK_URL": "http://127.0.0.1:9/leads"})

    assert settings.environ["TSF_CRM_WEBHOOK_URL"] == "http://127.0.0.1:9/leads"
    assert "TSF_CRM_WEBHOOK_URL" not in repr(settings)


@pytest.mark.parametrize("crm", CRM_KINDS)
def test_every_crm_kind_is_accepted(crm: str) -> None:
    assert load_settings({"TSF_CRM": crm}).crm == crm


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("TSF_CRM", "pipedrive"),
        ("TSF_DELIVERY_MAX_ATTEMPTS", "0"),
        ("TSF_DELIVERY_MAX_ATTEMPTS", "many"),
        ("TSF_DELIVERY_BASE_DELAY_SECONDS", "-1"),
        ("TSF_DELIVERY_BASE_DELAY_SECONDS", "nan"),
        ("TSF_DELIVERY_MAX_DELAY_SECONDS", "inf"),
        ("TSF_DELIVERY_POLL_SECONDS", "0"),
        ("TSF_LEAD_RETENTION_DAYS", "1.5"),
    ],
)
def test_unusable_values_are_refused_with_the_variable_named(name: str, value: str) -> None:
    with pytest.raises(SettingsError, match=name):
        load_settings({name: value})


def test_a_max_delay_below_the_base_delay_is_refused() -> None:
    with pytest.raises(SettingsError, match="TSF_DELIVERY_MAX_DELAY_SECONDS"):
        load_settings(
            {"TSF_DELIVERY_BASE_DELAY_SECONDS": "60", "TSF_DELIVERY_MAX_DELAY_SECONDS": "30"}
        )


def test_the_crm_kinds_are_the_documented_ones() -> None:
    [crm] = [variable for variable in VARIABLES if variable.name == "TSF_CRM"]

    assert crm.default == "none"
    assert all(kind in crm.meaning for kind in CRM_KINDS)


def test_every_variable_has_a_default() -> None:
    assert all(variable.default for variable in VARIABLES)
    assert {variable.name for variable in VARIABLES} == {
        "TSF_LEADS_DB_URL",
        "TSF_CRM",
        "TSF_DELIVERY_MAX_ATTEMPTS",
        "TSF_DELIVERY_BASE_DELAY_SECONDS",
        "TSF_DELIVERY_MAX_DELAY_SECONDS",
        "TSF_DELIVERY_POLL_SECONDS",
        "TSF_LEAD_RETENTION_DAYS",
        "TSF_ALERT_AFTER_MINUTES",
        "TSF_WORKER_HEARTBEAT_FILE",
        "TSF_WORKER_HEARTBEAT_MAX_AGE_SECONDS",
        "TSF_WORKER_METRICS_HOST",
        "TSF_WORKER_METRICS_PORT",
    }


def test_alerts_heartbeat_and_metrics_have_their_defaults_and_the_port_may_be_off() -> None:
    from pathlib import Path

    defaults, off = load_settings({}), load_settings({"TSF_WORKER_METRICS_PORT": "0"})

    assert defaults.alert_after_minutes == 30
    assert defaults.heartbeat_file == Path("var/worker-heartbeat")
    assert defaults.heartbeat_max_age_seconds == 120
    assert (defaults.metrics_host, defaults.metrics_port) == ("127.0.0.1", 9102)
    assert off.metrics_port == 0
    with pytest.raises(SettingsError, match="TSF_WORKER_METRICS_PORT"):
        load_settings({"TSF_WORKER_METRICS_PORT": "70000"})
    with pytest.raises(SettingsError, match="TSF_ALERT_AFTER_MINUTES"):
        load_settings({"TSF_ALERT_AFTER_MINUTES": "-5"})
