"""The images: pinned bases that match the project's pins, never root, complete contexts,
and entry points that refuse an unsafe production configuration."""

from __future__ import annotations

import fnmatch
import http.server
import importlib.metadata
import importlib.util
import json
import os
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[3]
DOCKER = ROOT / "docker"
DOCKERFILES = {
    "rasa": DOCKER / "rasa.Dockerfile",
    "actions": DOCKER / "actions.Dockerfile",
    "web": DOCKER / "web.Dockerfile",
}
PYPROJECT = (ROOT / "pyproject.toml").read_text(encoding="utf-8")


def _load(name: str) -> ModuleType:
    """A script from docker/, imported under a name of its own."""
    spec = importlib.util.spec_from_file_location(f"tsf_docker_{name}", DOCKER / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


healthcheck = _load("healthcheck")
requirements = _load("requirements")


def instructions(dockerfile: Path) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, continuation lines joined, comments dropped."""
    text = re.sub(r"\\\n", " ", dockerfile.read_text(encoding="utf-8"))
    pairs = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            word, _, rest = line.partition(" ")
            pairs.append((word.upper(), rest.strip()))
    return pairs


def pin(name: str) -> str:
    """The exact version pyproject.toml pins ``name`` to."""
    match = re.search(rf'"{re.escape(name)}(?:\[[^\]]*\])?==([^"]+)"', PYPROJECT)
    assert match, f"{name} is not pinned with == in pyproject.toml"
    return match.group(1)


@pytest.mark.parametrize(
    ("image", "expected"),
    [
        ("rasa", f"rasa/rasa:{pin('rasa')}"),
        ("actions", f"rasa/rasa-sdk:{pin('rasa-sdk')}"),
    ],
)
def test_base_images_match_the_project_pins(image: str, expected: str) -> None:
    bases = [args for word, args in instructions(DOCKERFILES[image]) if word == "FROM"]

    assert bases == [expected]


@pytest.mark.parametrize("image", sorted(DOCKERFILES))
def test_every_base_image_is_pinned(image: str) -> None:
    for word, args in instructions(DOCKERFILES[image]):
        if word == "FROM":
            name = args.split()[0]
            assert ":" in name and "latest" not in name, name
            assert re.search(r":\d+\.\d+", name), name


@pytest.mark.parametrize("image", ["rasa", "actions"])
def test_our_python_images_never_run_as_root(image: str) -> None:
    users = [args for word, args in instructions(DOCKERFILES[image]) if word == "USER"]

    assert users, "no USER instruction"
    assert users[-1].split(":")[0] not in {"root", "0"}


def _dockerignore() -> list[tuple[bool, str]]:
    rules = []
    for line in (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            rules.append((line.startswith("!"), line.lstrip("!").rstrip("/")))
    return rules


def ignored(path: str) -> bool:
    """Whether .dockerignore keeps ``path`` out of the build context (last match wins)."""
    parts = path.split("/")
    candidates = ["/".join(parts[: i + 1]) for i in range(len(parts))]
    verdict = False
    for negated, pattern in _dockerignore():
        for candidate in candidates:
            if fnmatch.fnmatch(candidate, pattern) or fnmatch.fnmatch(
                candidate, pattern.removeprefix("**/")
            ):
                verdict = not negated
    return verdict


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("models/tsf.tar.gz", False),
        ("models/other.tar.gz", True),
        (".venv/bin/python", True),
        ("tests/unit/x.py", True),
        ("tsf_leads/cli.py", False),
        ("tsf_leads/__pycache__/cli.cpython-310.pyc", True),
        (".env", True),
        ("var/tracker.db", True),
    ],
)
def test_the_build_context_keeps_the_model_and_drops_the_rest(path: str, expected: bool) -> None:
    assert ignored(path) is expected


@pytest.mark.parametrize("image", sorted(DOCKERFILES))
def test_everything_the_images_copy_is_in_the_build_context(image: str) -> None:
    for word, args in instructions(DOCKERFILES[image]):
        if word != "COPY" or args.startswith("--from"):
            continue
        for source in args.split()[:-1]:
            assert not ignored(source.rstrip("/")), f"{source} is excluded by .dockerignore"
            if source != "models/tsf.tar.gz":  # made by `make model`
                assert (ROOT / source).exists(), source


def test_the_actions_image_installs_every_pin_but_rasa_plus_spacy() -> None:
    wanted = requirements.actions_requirements(PYPROJECT)
    names = [requirements.requirement_name(item) for item in wanted]
    project = requirements.project_dependencies(PYPROJECT)

    assert "rasa" not in names and "rasa-sdk" not in names
    assert set(project) - set(wanted) == {r for r in project if r.startswith(("rasa[", "rasa-"))}
    assert names.count("spacy") == 1
    assert "spacy-lookups-data" in names and "sqlalchemy" in names


def test_the_actions_image_has_what_the_digest_groups_content_gaps_with() -> None:
    # The digest service runs in the actions image, which has no Rasa to bring scikit-learn.
    names = [requirements.requirement_name(r) for r in requirements.actions_requirements(PYPROJECT)]

    assert "scikit-learn" in names


def test_the_actions_image_uses_rasas_own_spacy_requirement() -> None:
    from packaging.requirements import Requirement

    rasa = [Requirement(r) for r in importlib.metadata.requires("rasa") or []]
    linux = {"sys_platform": "linux", "platform_machine": "x86_64", "extra": "spacy"}
    spacy = [
        r for r in rasa if r.name == "spacy" and (r.marker is None or r.marker.evaluate(linux))
    ]

    assert len(spacy) == 1
    assert Requirement(requirements.SPACY).specifier == spacy[0].specifier


@pytest.mark.parametrize("script", sorted(DOCKER.rglob("*.sh")), ids=lambda p: p.name)
def test_shell_scripts_are_valid_and_executable(script: Path) -> None:
    subprocess.run(["sh", "-n", str(script)], check=True, timeout=30)
    assert os.access(script, os.X_OK)


def _entrypoint(script: str, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["sh", str(DOCKER / script), *args],
        cwd=ROOT,
        env={"PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin", **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize(
    ("script", "args", "expected"),
    [
        ("rasa-entrypoint.sh", (), "TSF_RASA_TOKEN is not set"),
        ("actions-entrypoint.sh", ("actions",), "TSF_LEADS_DB_URL is SQLite"),
        ("actions-entrypoint.sh", ("worker",), "TSF_LEADS_DB_URL is SQLite"),
    ],
)
def test_entry_points_refuse_an_unsafe_production_configuration(
    script: str, args: tuple[str, ...], expected: str
) -> None:
    result = _entrypoint(script, *args, TSF_ENV="production")

    assert result.returncode == 2
    assert "Refusing to start in production:" in result.stderr
    assert expected in result.stderr


def test_the_actions_image_runs_the_privacy_lead_and_insight_tools(tmp_path: Path) -> None:
    environ = {
        "TSF_TRACKER_DB_URL": f"sqlite:///{tmp_path / 'tracker.db'}",
        "TSF_LEADS_DB_URL": f"sqlite:///{tmp_path / 'leads.db'}",
    }
    privacy = _entrypoint("actions-entrypoint.sh", "privacy", "purge", **environ)
    migrated = _entrypoint("actions-entrypoint.sh", "leads", "migrate", **environ)
    leads = _entrypoint("actions-entrypoint.sh", "leads", "list", **environ)

    assert (privacy.returncode, privacy.stdout) == (
        0,
        "Deleted 0 conversation(s) (0 event(s)) older than 90 days and 0 lead(s) older than "
        "365 days.\nDeleted 0 content gap and feedback record(s) older than 90 days.\n",
    )
    assert migrated.returncode == 0
    assert (leads.returncode, leads.stdout) == (0, "No leads yet.\n")
    (tmp_path / "tracker.db").touch()  # as Rasa leaves it before the first conversation
    funnel = _entrypoint("actions-entrypoint.sh", "insight", "funnel", "--json", **environ)
    assert funnel.returncode == 0, funnel.stderr
    assert json.loads(funnel.stdout)["total"]["conversations"] == 0


@pytest.fixture
def http_server() -> Iterator[str]:
    """A local server: / answers 200, /broken 500."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(500 if self.path == "/broken" else 200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            """Quiet."""

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_the_http_health_check(http_server: str) -> None:
    assert healthcheck.check_http(f"{http_server}/") is None
    assert healthcheck.check_http(f"{http_server}/broken") == "HTTP 500"
    assert healthcheck.check_http("http://127.0.0.1:9/") in {"URLError", "ConnectionRefusedError"}


def test_the_sql_health_check(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DB_URL", f"sqlite:///{tmp_path / 'x.db'}")
    monkeypatch.setenv("BAD_URL", "postgresql://u:hunter2@127.0.0.1:9/x?connect_timeout=2")
    monkeypatch.delenv("UNSET_URL", raising=False)

    assert healthcheck.check_sql("DB_URL") is None
    assert healthcheck.check_sql("BAD_URL") == "BAD_URL: OperationalError"
    assert healthcheck.check_sql("UNSET_URL") == "UNSET_URL is not set"
    assert healthcheck.main(["tsf-healthcheck", "nonsense"]) == 2
