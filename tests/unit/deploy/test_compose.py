"""docker-compose.yml keeps its production invariants, and docker-compose accepts it."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[3]
COMPOSE = ROOT / "docker-compose.yml"
ENV_EXAMPLE = ROOT / ".env.example"
MONITORING = {"prometheus", "grafana"}
SERVICES = {"web", "rasa", "actions", "worker", "digest", "postgres", "redis", *MONITORING}
SECRET_KEY = re.compile(r"PASSWORD|SECRET|TOKEN", re.IGNORECASE)
REFERENCE = re.compile(r"^\$\{[A-Z][A-Z0-9_]*(?:(?::?[-?])[^}]*)?\}$")
IMAGE = re.compile(r"^[a-z0-9][a-z0-9./_-]*:(?P<tag>[A-Za-z0-9._${}:-]+)$")


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    """The compose file as written (no interpolation)."""
    return yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def services(compose: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return compose["services"]


def environment(service: dict[str, Any]) -> dict[str, str]:
    """A service's environment as a mapping (it may be written as a list)."""
    env = service.get("environment") or {}
    if isinstance(env, list):
        return dict(item.split("=", 1) if "=" in item else (item, "") for item in env)
    return {str(key): "" if value is None else str(value) for key, value in env.items()}


def test_the_stack_has_every_service(services: dict[str, dict[str, Any]]) -> None:
    assert set(services) == SERVICES


def test_only_web_publishes_ports_and_grafana_only_on_loopback(
    services: dict[str, dict[str, Any]],
) -> None:
    published = {name for name, service in services.items() if service.get("ports")}

    assert published == {"web", "grafana"}
    assert all(str(port).startswith("127.0.0.1:") for port in services["grafana"]["ports"])
    assert not any(service.get("network_mode") == "host" for service in services.values())


@pytest.mark.parametrize("name", sorted(SERVICES))
def test_every_service_has_a_healthcheck_and_a_restart_policy(
    services: dict[str, dict[str, Any]], name: str
) -> None:
    service = services[name]

    test = service.get("healthcheck", {}).get("test")
    assert test and test != ["NONE"] and not service["healthcheck"].get("disable"), name
    assert service.get("restart") in {"always", "unless-stopped", "on-failure"}, name


@pytest.mark.parametrize("name", sorted(SERVICES))
def test_every_image_is_pinned_to_a_version(services: dict[str, dict[str, Any]], name: str) -> None:
    image = services[name].get("image", "")

    assert is_pinned(image), f"{name}: {image!r} is not pinned to a version"


def is_pinned(image: str) -> bool:
    """``name:1.2…`` (at least major.minor), never a bare name or ``latest``."""
    match = IMAGE.match(image)
    return bool(match) and "latest" not in image and bool(re.search(r"\d+\.\d+", image))


@pytest.mark.parametrize(
    ("image", "pinned"),
    [
        ("postgres:15.10", True),
        ("redis:7.2.6-alpine", True),
        ("tsf-assistant/rasa:${TSF_IMAGE_TAG:-0.1.0}", True),
        ("postgres", False),
        ("postgres:latest", False),
        ("postgres:15", False),
        ("nginx:alpine", False),
    ],
)
def test_what_counts_as_pinned(image: str, pinned: bool) -> None:
    assert is_pinned(image) is pinned


def _secret_values(node: Any, path: str = "") -> list[tuple[str, str]]:
    """(path, value) of every scalar under a key that names a secret."""
    found = []
    if isinstance(node, dict):
        for key, value in node.items():
            where = f"{path}.{key}" if path else str(key)
            if isinstance(value, (dict, list)):
                found += _secret_values(value, where)
            elif SECRET_KEY.search(str(key)):
                found.append((where, "" if value is None else str(value)))
    elif isinstance(node, list):
        for index, item in enumerate(node):
            if isinstance(item, str) and "=" in item and SECRET_KEY.search(item.split("=")[0]):
                found.append((f"{path}[{index}]", item.split("=", 1)[1]))
            else:
                found += _secret_values(item, f"{path}[{index}]")
    return found


def test_literal_secrets_would_be_found() -> None:
    example = {
        "services": {
            "a": {"environment": {"DB_PASSWORD": "hunter2", "API_TOKEN": "${API_TOKEN}"}},
            "b": {"environment": ["SLACK_SECRET=abc", "LEVEL=INFO"]},
        }
    }

    values = dict(_secret_values(example))

    assert values == {
        "services.a.environment.DB_PASSWORD": "hunter2",
        "services.a.environment.API_TOKEN": "${API_TOKEN}",
        "services.b.environment[0]": "abc",
    }
    assert [v for v in values.values() if REFERENCE.match(v)] == ["${API_TOKEN}"]


def test_no_secret_is_written_in_the_compose_file(compose: dict[str, Any]) -> None:
    secrets = _secret_values(compose)

    assert secrets, "expected secret variables (passwords, tokens) to be passed on"
    literal = [(where, value) for where, value in secrets if not REFERENCE.match(value)]
    assert literal == []


def test_database_urls_take_their_password_from_the_environment(
    services: dict[str, dict[str, Any]],
) -> None:
    for name in ("rasa", "actions", "worker"):
        for key, value in environment(services[name]).items():
            if key.endswith("_DB_URL"):
                assert "${POSTGRES_PASSWORD}" in value, (name, key)


def test_the_action_server_is_internal_and_not_root(
    services: dict[str, dict[str, Any]], compose: dict[str, Any]
) -> None:
    actions = services["actions"]

    assert not actions.get("ports")
    assert str(actions.get("user", "")).split(":")[0] not in {"", "0", "root"}
    # No way in; out only to post the live chat's request card to Slack and Teams.
    assert actions["networks"] == ["backend", "egress"]
    assert compose["networks"]["backend"].get("internal") is True
    assert not compose["networks"]["egress"].get("internal")
    assert environment(services["rasa"])["TSF_ACTION_ENDPOINT_URL"] == (
        "http://actions:5055/webhook"
    )


@pytest.mark.parametrize("name", ["rasa", "actions", "worker", "digest"])
def test_our_containers_run_unprivileged(services: dict[str, dict[str, Any]], name: str) -> None:
    service = services[name]

    assert str(service.get("user", "")).split(":")[0] not in {"", "0", "root"}
    assert service.get("cap_drop") == ["ALL"]
    assert "no-new-privileges:true" in service.get("security_opt", [])


def test_postgres_keeps_its_data_in_a_named_volume(
    services: dict[str, dict[str, Any]], compose: dict[str, Any]
) -> None:
    volumes = services["postgres"]["volumes"]
    data = [v for v in volumes if str(v).endswith(":/var/lib/postgresql/data")]

    assert len(data) == 1
    source = str(data[0]).split(":")[0]
    assert not source.startswith((".", "/")), "a named volume, not a bind mount"
    assert source in compose["volumes"]


def test_rasa_uses_postgresql_and_redis_through_the_production_endpoints(
    services: dict[str, dict[str, Any]],
) -> None:
    env = environment(services["rasa"])

    assert env["TSF_ENDPOINTS_PATH"] == "rasa_project/endpoints.production.yml"
    assert env["TSF_TRACKER_DB_URL"].startswith("postgresql://")
    assert env["TSF_REDIS_HOST"] == "redis"
    assert env["TSF_ENV"] == "production"
    assert (ROOT / env["TSF_ENDPOINTS_PATH"]).exists()


def test_production_endpoints_use_sql_and_redis_from_the_environment() -> None:
    endpoints = yaml.safe_load(
        (ROOT / "rasa_project" / "endpoints.production.yml").read_text(encoding="utf-8")
    )

    assert endpoints["tracker_store"] == {
        "type": "tsf_runtime.tracker_store.LeanSQLTrackerStore",
        "url": "${TSF_TRACKER_DB_URL}",
    }
    assert endpoints["lock_store"]["type"] == "tsf_runtime.redis_lock_store.AtomicRedisLockStore"
    for key in ("url", "port", "password", "db"):
        assert REFERENCE.match(str(endpoints["lock_store"][key])), key
    assert endpoints["action_endpoint"] == {
        "url": "${TSF_ACTION_ENDPOINT_URL}",
        "enable_selective_domain": True,
    }


def test_every_interpolated_variable_is_in_env_example() -> None:
    used = set(re.findall(r"\$\{([A-Z][A-Z0-9_]*)", COMPOSE.read_text(encoding="utf-8")))
    listed = set(
        re.findall(r"^(?:# )?([A-Z][A-Z0-9_]*)=", ENV_EXAMPLE.read_text(encoding="utf-8"), re.M)
    )

    assert sorted(used - listed) == []


def compose_config(
    env_file: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """``docker-compose config -q`` on the compose file read with ``env_file`` and ``env``."""
    binary = shutil.which("docker-compose")
    if binary is None:
        pytest.fail(
            "docker-compose is needed to validate docker-compose.yml: "
            "apt-get install -y docker-compose (make test installs it)",
            pytrace=False,
        )
    return subprocess.run(
        [binary, "--env-file", str(env_file), "-f", str(COMPOSE), "config", "-q"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env=env,
    )


def test_docker_compose_accepts_the_file() -> None:
    result = compose_config(ENV_EXAMPLE)

    assert result.returncode == 0, result.stderr


def test_docker_compose_refuses_to_run_without_the_secrets(tmp_path: Path) -> None:
    empty = tmp_path / "empty.env"
    empty.write_text("", encoding="utf-8")

    result = compose_config(empty, env={"PATH": "/usr/local/bin:/usr/bin:/bin"})

    assert result.returncode != 0
    assert "in .env" in result.stderr


def test_docker_compose_accepts_the_monitoring_profile() -> None:
    binary = shutil.which("docker-compose") or "docker-compose"
    profile = ["--profile", "monitoring", "config", "--services"]
    result = subprocess.run(
        [binary, "--env-file", str(ENV_EXAMPLE), "-f", str(COMPOSE), *profile],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    assert set(result.stdout.split()) >= MONITORING


def test_the_monitoring_services_are_only_in_their_profile_and_scrape_internally(
    services: dict[str, dict[str, Any]],
) -> None:
    prometheus = yaml.safe_load((ROOT / "docker/prometheus/prometheus.yml").read_text())
    targets = [
        target
        for job in prometheus["scrape_configs"]
        for config in job.get("static_configs", [])
        for target in config["targets"]
    ] + [
        f"{name}:{config['port']}"
        for job in prometheus["scrape_configs"]
        for config in job.get("dns_sd_configs", [])
        for name in config["names"]
    ]
    worker = environment(services["worker"])

    for name in MONITORING:
        assert services[name]["profiles"] == ["monitoring"], name
    assert services["prometheus"]["networks"] == ["backend"]
    assert sorted(targets) == [
        "actions:5055",
        "rasa:5005",
        f"worker:{worker['TSF_WORKER_METRICS_PORT']}",
    ]
    assert worker["TSF_WORKER_METRICS_HOST"] == "0.0.0.0"


def test_the_grafana_dashboard_charts_every_metric() -> None:
    from tsf_config.metrics import Metrics

    dashboard = json.loads((ROOT / "docker/grafana/dashboards/tsf-assistant.json").read_text())
    expressions = " ".join(
        target["expr"] for panel in dashboard["panels"] for target in panel["targets"]
    )
    names = {family.name for family in Metrics().registry.collect()}

    assert names and [name for name in sorted(names) if name not in expressions] == []


def test_the_workers_healthcheck_reads_its_heartbeat(
    services: dict[str, dict[str, Any]],
) -> None:
    worker = services["worker"]

    assert worker["healthcheck"]["test"] == ["CMD", "python", "-m", "tsf_leads.heartbeat"]
    assert environment(worker)["TSF_WORKER_HEARTBEAT_FILE"].startswith("/tmp/")


def test_rasa_reads_bodies_no_larger_than_the_launcher_allows(
    services: dict[str, dict[str, Any]],
) -> None:
    from tsf_runtime.settings import MAX_REQUEST_BYTES

    assert environment(services["rasa"])["SANIC_REQUEST_MAX_SIZE"] == str(MAX_REQUEST_BYTES)


def test_rasa_gets_the_session_secret_and_the_rest_channel_mode(
    services: dict[str, dict[str, Any]],
) -> None:
    rasa = environment(services["rasa"])

    assert rasa["TSF_SESSION_SECRET"].startswith("${TSF_SESSION_SECRET:?")
    assert rasa["TSF_REST_CHANNEL"] == "${TSF_REST_CHANNEL:-public}"
