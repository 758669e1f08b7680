"""Production refuses to start with an unsafe setting; development is never blocked."""

from __future__ import annotations

import io
from contextlib import redirect_stderr
from pathlib import Path

import pytest

from tsf_runtime.production import check_production, main

ROOT = Path(__file__).resolve().parents[3]
TOKEN = "k3Jx9q-2vLm8sP0wRt7yUe4iOa1dFg6h"
SAFE = {
    "TSF_ENV": "production",
    "TSF_RASA_TOKEN": TOKEN,
    "TSF_SESSION_SECRET": "Zq8-wN3vB7xK1mP5rT9yL2cH6jD4fG0s",
    "TSF_ACTION_ENDPOINT_URL": "http://actions:5055/webhook",
    "TSF_CORS_ORIGINS": "https://tsf.example.org https://www.example.org",
    "TSF_TRACKER_DB_URL": "postgresql://tsf:${POSTGRES_PASSWORD}@postgres:5432/tsf",
    "TSF_LEADS_DB_URL": "postgresql://tsf:pw@postgres:5432/tsf_leads",
    "TSF_ENDPOINTS_PATH": "rasa_project/endpoints.production.yml",
    "TSF_REDIS_HOST": "redis",
    "TSF_REDIS_PORT": "6379",
    "TSF_REDIS_PASSWORD": "8f2b7c1d9e3a4f5b6c7d8e9f0a1b2c3d",
    "TSF_REDIS_DB": "1",
    "TSF_LOG_LEVEL": "INFO",
}


def check(changes: dict[str, str | None], service: str = "all") -> list[str]:
    environ = {**SAFE, **changes}
    return check_production(
        {k: v for k, v in environ.items() if v is not None}, service=service, root=ROOT
    )


def test_the_compose_like_configuration_passes() -> None:
    assert check({}) == []


@pytest.mark.parametrize("mode", [None, "", "development", "Development"])
def test_development_is_never_blocked(mode: str | None) -> None:
    environ = {"TSF_CORS_ORIGINS": "*", "TSF_LOG_LEVEL": "DEBUG"}
    if mode is not None:
        environ["TSF_ENV"] = mode

    assert check_production(environ, root=ROOT) == []


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"TSF_RASA_TOKEN": None}, "TSF_RASA_TOKEN is not set"),
        ({"TSF_RASA_TOKEN": "  "}, "TSF_RASA_TOKEN is not set"),
        ({"TSF_RASA_TOKEN": "short-token"}, "TSF_RASA_TOKEN is too short"),
        ({"TSF_SESSION_SECRET": None}, "TSF_SESSION_SECRET is not set"),
        ({"TSF_SESSION_SECRET": "short"}, "TSF_SESSION_SECRET is too short"),
        (
            {"TSF_RASA_TOKEN": "change-me-to-a-long-random-token-value"},
            "TSF_RASA_TOKEN is still a placeholder",
        ),
        (
            {"TSF_ACTION_ENDPOINT_URL": "http://203.0.113.7:5055/webhook"},
            "the action server must never be public",
        ),
        (
            {"TSF_ACTION_ENDPOINT_URL": "https://actions.example.org/webhook"},
            "the action server must never be public",
        ),
        ({"TSF_ACTION_ENDPOINT_URL": "http://0.0.0.0:5055/webhook"}, "must never be public"),
        ({"TSF_ACTION_ENDPOINT_URL": "ftp://actions/webhook"}, "must be an http(s) URL"),
        ({"TSF_ACTION_ENDPOINT_URL": "http://u:p@actions:5055/webhook"}, "user name or password"),
        ({"TSF_CORS_ORIGINS": None}, "TSF_CORS_ORIGINS is not set"),
        ({"TSF_CORS_ORIGINS": "*"}, "must not contain '*'"),
        ({"TSF_CORS_ORIGINS": "https://tsf.example.org *"}, "must not contain '*'"),
        ({"TSF_CORS_ORIGINS": "http://tsf.example.org"}, "plain-HTTP origin"),
        ({"TSF_CORS_ORIGINS": "tsf.example.org"}, "not an origin"),
        ({"TSF_PUBLIC_RASA_URL": "http://chat.example.org"}, "TSF_PUBLIC_RASA_URL uses plain"),
        ({"TSF_TRACKER_DB_URL": None}, "TSF_TRACKER_DB_URL is SQLite (the default)"),
        ({"TSF_TRACKER_DB_URL": "sqlite:////data/tracker.db"}, "TSF_TRACKER_DB_URL is SQLite"),
        ({"TSF_LEADS_DB_URL": None}, "TSF_LEADS_DB_URL is SQLite (the default)"),
        ({"TSF_LOG_LEVEL": "debug"}, "TSF_LOG_LEVEL is DEBUG"),
        ({"TSF_REDIS_PASSWORD": ""}, "TSF_REDIS_PASSWORD is not set"),
        ({"TSF_CRM_WEBHOOK_SECRET": "change-me"}, "TSF_CRM_WEBHOOK_SECRET is still a placeholder"),
        (
            {"TSF_LEADS_DB_URL": "postgresql://tsf:change-me-db@postgres/tsf_leads"},
            "TSF_LEADS_DB_URL holds a placeholder password",
        ),
        ({"SLACK_BOT_TOKEN": "xoxb-1-2-3"}, "Slack is half configured: SLACK_SIGNING_SECRET"),
        ({"MICROSOFT_APP_ID": "an-id"}, "Microsoft Teams is half configured"),
        ({"TSF_ENDPOINTS_PATH": "no/such/endpoints.yml"}, "cannot be read"),
        ({"TSF_ENV": "prod"}, "TSF_ENV must be development or production, not 'prod'"),
    ],
)
def test_each_unsafe_setting_is_refused_with_its_variable_named(
    changes: dict[str, str | None], expected: str
) -> None:
    problems = check(changes)

    assert any(expected in problem for problem in problems), problems


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:5055/webhook",
        "http://localhost:5055/webhook",
        "http://[::1]:5055/webhook",
        "http://actions:5055/webhook",
        "http://tsf-actions.internal:5055/webhook",
        "http://actions.tsf.svc.cluster.local:5055/webhook",
        "http://10.0.3.4:5055/webhook",
        "http://172.20.0.5:5055/webhook",
        "http://192.168.1.20:5055/webhook",
    ],
)
def test_internal_action_servers_are_accepted(url: str) -> None:
    assert check({"TSF_ACTION_ENDPOINT_URL": url}) == []


def test_the_default_action_server_address_is_loopback_and_accepted() -> None:
    assert check({"TSF_ACTION_ENDPOINT_URL": None}) == []


def test_sqlite_can_be_accepted_deliberately_for_one_machine() -> None:
    changes = {
        "TSF_TRACKER_DB_URL": None,
        "TSF_LEADS_DB_URL": None,
        "TSF_ALLOW_SQLITE_IN_PRODUCTION": "true",
    }

    assert check(changes) == []


def test_secret_values_never_appear_in_the_problems() -> None:
    secret = "change-me-but-secret-value-123456"
    problems = check(
        {"TSF_RASA_TOKEN": secret, "TSF_ACTION_ENDPOINT_URL": "http://u:hunter2@1.2.3.4/w"}
    )

    assert problems
    assert not any(secret in problem or "hunter2" in problem for problem in problems)


def test_a_literal_secret_in_the_endpoints_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "endpoints.yml").write_text(
        "tracker_store:\n  type: SQL\n  url: ${TSF_TRACKER_DB_URL}\n"
        "lock_store:\n  type: redis\n  url: redis\n  password: hunter2hunter2\n"
        "event_broker:\n  token: ${BROKER_TOKEN}\n",
        encoding="utf-8",
    )
    environ = {**SAFE, "TSF_ENDPOINTS_PATH": str(tmp_path / "endpoints.yml")}

    problems = check_production(environ, root=ROOT)

    assert problems == [
        f"The endpoints file {tmp_path / 'endpoints.yml'} has a literal secret at "
        "lock_store.password: use a ${VARIABLE}."
    ]


def test_the_shipped_endpoint_files_hold_no_literal_secret() -> None:
    for name in ("rasa_project/endpoints.yml", "rasa_project/endpoints.production.yml"):
        assert check({"TSF_ENDPOINTS_PATH": name}) == [], name


@pytest.mark.parametrize(
    ("service", "changes", "expected"),
    [
        ("rasa", {"TSF_LEADS_DB_URL": None}, []),
        ("actions", {"TSF_RASA_TOKEN": None, "TSF_CORS_ORIGINS": None}, []),
        ("worker", {"TSF_TRACKER_DB_URL": None}, []),
        ("worker", {"TSF_LEADS_DB_URL": None}, ["TSF_LEADS_DB_URL is SQLite"]),
        ("rasa", {"TSF_RASA_TOKEN": None}, ["TSF_RASA_TOKEN is not set"]),
        ("actions", {"TSF_LOG_LEVEL": "DEBUG"}, ["TSF_LOG_LEVEL is DEBUG"]),
    ],
)
def test_each_service_is_checked_for_what_concerns_it(
    service: str, changes: dict[str, str | None], expected: list[str]
) -> None:
    problems = check(changes, service=service)

    assert [p.split(":")[0].split(" (")[0] for p in problems] == [
        e.split(":")[0].split(" (")[0] for e in expected
    ]


def test_an_unknown_service_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="service must be one of"):
        check_production(SAFE, service="web")


def test_the_command_line_lists_the_problems_and_exits_2() -> None:
    stderr = io.StringIO()
    with redirect_stderr(stderr):
        status = main(["--service", "rasa"], environ={"TSF_ENV": "production"})

    assert status == 2
    lines = stderr.getvalue().splitlines()
    assert lines[0] == "Refusing to start in production:"
    assert any(line.startswith("  - TSF_RASA_TOKEN is not set") for line in lines)


def test_the_command_line_is_silent_when_all_is_well() -> None:
    stderr = io.StringIO()
    with redirect_stderr(stderr):
        status = main([], environ={})

    assert (status, stderr.getvalue()) == (0, "")
