"""The generated credentials file turns channels on from the environment, secrets as ${VARS}."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from rasa.shared.utils.io import read_config_file

from tsf_config import shared
from tsf_runtime.channel_credentials import (
    REST_CHANNEL_CLASS,
    SLACK_CHANNEL_CLASS,
    TEAMS_CHANNEL_CLASS,
    VARIABLES,
    render_credentials,
    write_credentials,
)

ROOT = Path(__file__).resolve().parents[3]
SLACK = {"SLACK_BOT_TOKEN": "xoxb-secret-token", "SLACK_SIGNING_SECRET": "signing-secret"}
TEAMS = {
    "MICROSOFT_APP_ID": "00000000-0000-0000-0000-00000000a99d",
    "MICROSOFT_APP_PASSWORD": "app-password-secret",
    "MICROSOFT_APP_TENANT_ID": "11111111-1111-1111-1111-111111111111",
}


METRICS = "channels.metrics.MetricsEndpoint"


def channels(environ: dict[str, str]) -> dict:
    return yaml.safe_load(render_credentials(environ))


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({}, set()),
        ({"SLACK_BOT_TOKEN": "x"}, set()),
        ({"SLACK_SIGNING_SECRET": "x"}, set()),
        ({**SLACK, "SLACK_SIGNING_SECRET": "  "}, set()),
        (SLACK, {SLACK_CHANNEL_CLASS}),
        ({k: v for k, v in TEAMS.items() if k != "MICROSOFT_APP_TENANT_ID"}, set()),
        (TEAMS, {TEAMS_CHANNEL_CLASS}),
        ({**SLACK, **TEAMS}, {SLACK_CHANNEL_CLASS, TEAMS_CHANNEL_CLASS}),
    ],
)
def test_channels_are_on_only_when_all_their_secrets_are_set(
    environ: dict[str, str], expected: set[str]
) -> None:
    keys = set(channels(environ))

    always = {REST_CHANNEL_CLASS, "channels.socketio.PersistentSocketIOInput", METRICS}
    assert always <= keys
    assert keys - always == expected


def test_rest_and_socketio_match_the_checked_in_credentials() -> None:
    checked_in = yaml.safe_load((ROOT / "rasa_project/credentials.yml").read_text())

    generated = channels({})

    assert generated == checked_in


def test_secrets_appear_only_as_references() -> None:
    environ = {**SLACK, **TEAMS}

    text = render_credentials(environ)

    for name in ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "MICROSOFT_APP_PASSWORD"):
        assert environ[name] not in text
        assert f"${{{name}}}" in text


def test_defaults_and_overrides_of_the_non_secret_settings() -> None:
    default = channels({**SLACK, **TEAMS})
    overridden = channels(
        {
            **SLACK,
            **TEAMS,
            "TSF_SLACK_API_URL": "http://127.0.0.1:9/api",
            "TSF_SLACK_DEDUP_DB": "/tmp/x y/events.db",
            "TSF_TEAMS_OPENID_METADATA_URL": "http://127.0.0.1:9/openid",
            "TSF_TEAMS_TOKEN_URL": "http://127.0.0.1:9/{tenant}/token",
            "TSF_TEAMS_ALLOWED_SERVICE_URLS": "smba.trafficmanager.net, https://a.example/",
        }
    )

    assert default[SLACK_CHANNEL_CLASS]["slack_api_url"] == "https://slack.com/api"
    assert default[SLACK_CHANNEL_CLASS]["dedup_db"] == "var/slack_events.db"
    assert default[TEAMS_CHANNEL_CLASS]["token_url"] == (
        "https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token"
    )
    assert default[TEAMS_CHANNEL_CLASS]["allowed_service_urls"] == []
    assert overridden[SLACK_CHANNEL_CLASS]["slack_api_url"] == "http://127.0.0.1:9/api"
    assert overridden[SLACK_CHANNEL_CLASS]["dedup_db"] == "/tmp/x y/events.db"
    assert overridden[TEAMS_CHANNEL_CLASS]["openid_metadata_url"] == "http://127.0.0.1:9/openid"
    assert overridden[TEAMS_CHANNEL_CLASS]["token_url"] == "http://127.0.0.1:9/{tenant}/token"
    assert overridden[TEAMS_CHANNEL_CLASS]["allowed_service_urls"] == [
        "smba.trafficmanager.net",
        "https://a.example/",
    ]


def test_a_hostile_override_cannot_inject_yaml() -> None:
    environ = {**SLACK, "TSF_SLACK_API_URL": 'x"\nrest: {evil: 1}\n#'}

    parsed = channels(environ)

    assert parsed[REST_CHANNEL_CLASS] == REST_SETTINGS
    assert "rest" not in parsed
    assert parsed[SLACK_CHANNEL_CLASS]["slack_api_url"] == environ["TSF_SLACK_API_URL"]


# The REST channel's settings, as references the launcher's environment fills in.
REST_SETTINGS = {
    "mode": "${TSF_REST_CHANNEL}",
    "api_token": "${TSF_RASA_TOKEN}",
    "session_secret": "${TSF_SESSION_SECRET}",
}
# What the launcher always puts in Rasa's environment (tsf_runtime.settings).
RUN = {
    "TSF_REST_CHANNEL": "public",
    "TSF_RASA_TOKEN": "run-token",
    "TSF_SESSION_SECRET": "run-session-secret",
}


def test_rasa_reads_the_written_file_and_fills_in_the_secrets(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in {**SLACK, **TEAMS, **RUN}.items():
        monkeypatch.setenv(name, value)
    path = write_credentials({**SLACK, **TEAMS}, tmp_path / "run" / "credentials.yml")

    credentials = read_config_file(path)

    assert credentials[REST_CHANNEL_CLASS] == {
        "mode": "public",
        "api_token": RUN["TSF_RASA_TOKEN"],
        "session_secret": RUN["TSF_SESSION_SECRET"],
    }
    assert credentials[SLACK_CHANNEL_CLASS]["slack_token"] == SLACK["SLACK_BOT_TOKEN"]
    assert credentials[TEAMS_CHANNEL_CLASS]["app_password"] == TEAMS["MICROSOFT_APP_PASSWORD"]
    assert credentials[TEAMS_CHANNEL_CLASS]["tenant_id"] == TEAMS["MICROSOFT_APP_TENANT_ID"]
    assert list(path.parent.iterdir()) == [path]


def test_every_channel_secret_is_documented() -> None:
    declared = {variable.name for variable in (*VARIABLES, *shared.VARIABLES)}
    assert {*SLACK, *TEAMS} <= declared


def test_the_slack_event_record_moves_to_redis_only_when_a_url_is_set() -> None:
    without = channels(SLACK)[SLACK_CHANNEL_CLASS]
    with_redis = channels({**SLACK, "TSF_REDIS_URL": "redis://:pw@redis:6379/2"})[
        SLACK_CHANNEL_CLASS
    ]

    assert "dedup_redis_url" not in without
    assert with_redis["dedup_redis_url"] == "${TSF_REDIS_URL}"  # a reference: it holds a password


def test_teams_remembers_live_chat_activities_in_the_same_event_record_as_slack() -> None:
    default = channels(TEAMS)[TEAMS_CHANNEL_CLASS]
    moved = channels(
        {**TEAMS, "TSF_SLACK_DEDUP_DB": "/srv/events.db", "TSF_REDIS_URL": "redis://r:6379/2"}
    )[TEAMS_CHANNEL_CLASS]

    assert default["dedup_db"] == "var/slack_events.db"
    assert "dedup_redis_url" not in default
    assert moved["dedup_db"] == "/srv/events.db"
    assert moved["dedup_redis_url"] == "${TSF_REDIS_URL}"
