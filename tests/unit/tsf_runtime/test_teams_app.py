"""The Teams app package: the manifest filled from the environment, valid against its schema."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import jsonschema
import pytest

from tests.support.harness import ROOT
from tsf_runtime.teams_app import PLACEHOLDERS, TeamsAppError, build_package, main

ENVIRON = {
    "MICROSOFT_APP_ID": "5f3b1c1e-0000-4000-8000-0000000000aa",
    "TSF_TEAMS_WEBSITE_URL": "https://tsf.example.org",
    "TSF_TEAMS_PRIVACY_URL": "https://tsf.example.org/privacy",
    "TSF_TEAMS_TERMS_URL": "https://tsf.example.org/terms",
    "TSF_TEAMS_BOT_DOMAIN": "tsf.example.org",
}
SCHEMAS = ROOT / "node_modules/@microsoft/app-manifest/build/json-schemas/teams"


def _manifest(package: Path) -> dict:
    with zipfile.ZipFile(package) as archive:
        return json.loads(archive.read("manifest.json"))


def test_the_package_holds_the_manifest_and_icons_at_its_root(tmp_path: Path) -> None:
    package = build_package(ENVIRON, tmp_path / "build" / "app.zip")

    with zipfile.ZipFile(package) as archive:
        assert sorted(archive.namelist()) == ["color.png", "manifest.json", "outline.png"]
    manifest = _manifest(package)
    assert manifest["id"] == manifest["bots"][0]["botId"] == ENVIRON["MICROSOFT_APP_ID"]
    assert manifest["validDomains"] == ["tsf.example.org"]
    assert "${" not in json.dumps(manifest)


def test_the_manifest_validates_against_the_schema_version_it_declares(tmp_path: Path) -> None:
    manifest = _manifest(build_package(ENVIRON, tmp_path / "app.zip"))
    version = manifest["manifestVersion"]
    schema = json.loads((SCHEMAS / f"v{version}/MicrosoftTeams.schema.json").read_text())

    assert manifest["$schema"].endswith(f"/v{version}/MicrosoftTeams.schema.json")
    jsonschema.Draft4Validator(schema, format_checker=jsonschema.FormatChecker()).validate(manifest)


@pytest.mark.parametrize("name", sorted(PLACEHOLDERS))
def test_a_missing_value_is_named(tmp_path: Path, name: str) -> None:
    environ = {key: value for key, value in ENVIRON.items() if key != name}

    with pytest.raises(TeamsAppError, match=name):
        build_package(environ, tmp_path / "app.zip")
    assert not (tmp_path / "app.zip").exists()


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("MICROSOFT_APP_ID", "not-a-guid"),
        ("TSF_TEAMS_WEBSITE_URL", "http://tsf.example.org"),
        ("TSF_TEAMS_BOT_DOMAIN", "https://tsf.example.org"),
        ("TSF_TEAMS_PRIVACY_URL", 'https://x.org/"injected": 1'),
    ],
)
def test_an_unusable_value_is_refused(tmp_path: Path, name: str, value: str) -> None:
    with pytest.raises(TeamsAppError, match=name):
        build_package({**ENVIRON, name: value}, tmp_path / "app.zip")


def test_the_command_exits_2_with_the_problem(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status = main([str(tmp_path / "app.zip")], environ={})

    assert status == 2
    assert "MICROSOFT_APP_ID must be" in capsys.readouterr().err
