"""The Slack app manifest: one paste creates an app wired to the assistant's Slack channel."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from channels.slack import HAND_BACK_COMMAND, TsfSlackInput
from tsf_runtime.slack_app import (
    BOT_EVENTS,
    SlackAppError,
    main,
    manifest,
    public_origin,
)

ORIGIN = "https://tsf.example.org"
# The scope each subscribed event needs (Slack's events reference); chat:write to reply,
# users:read for staff names, channels:read and groups:read for the team channel's
# members, and commands for /handback.
SCOPE_OF_EVENT = {
    "app_mention": "app_mentions:read",
    "message.im": "im:history",
    "message.channels": "channels:history",
    "message.groups": "groups:history",
}


def _channel() -> TsfSlackInput:
    return TsfSlackInput("xoxb-test", slack_signing_secret="secret")


def test_slack_sends_events_and_button_clicks_to_the_channels_own_webhook() -> None:
    settings = manifest(ORIGIN)["settings"]
    channel_webhook = f"{ORIGIN}/webhooks/{_channel().url_prefix()}/webhook"

    assert settings["event_subscriptions"]["request_url"] == channel_webhook
    assert settings["interactivity"] == {"is_enabled": True, "request_url": channel_webhook}
    assert settings["socket_mode_enabled"] is False


@pytest.mark.parametrize("event", BOT_EVENTS)
def test_each_subscribed_event_is_one_the_channel_answers(event: str) -> None:
    channel_type = {"channels": "channel", "groups": "group"}.get(event.partition(".")[2], "im")
    slack_event = {
        "type": event.split(".")[0],
        "channel_type": channel_type,
        "text": "hi",
        "user": "U1",
    }

    assert TsfSlackInput._is_user_event(slack_event)


def test_the_handback_command_goes_to_the_webhook_the_channel_answers_it_on() -> None:
    [command] = manifest(ORIGIN)["features"]["slash_commands"]
    assert command["command"] == HAND_BACK_COMMAND
    assert command["url"] == f"{ORIGIN}/webhooks/{_channel().url_prefix()}/webhook"


def test_the_bot_asks_only_for_the_scopes_its_events_and_replies_need() -> None:
    app = manifest(ORIGIN)

    assert set(app["oauth_config"]["scopes"]["bot"]) == {
        *SCOPE_OF_EVENT.values(),
        "chat:write",
        "users:read",
        "channels:read",
        "groups:read",
        "commands",
    }
    assert set(app["settings"]["event_subscriptions"]["bot_events"]) == set(SCOPE_OF_EVENT)
    assert app["features"]["app_home"]["messages_tab_enabled"] is True


@pytest.mark.parametrize(
    "value", ["", "http://tsf.example.org", f"{ORIGIN}/chat", f"{ORIGIN}?x=1", "https://", "tsf"]
)
def test_an_address_slack_cannot_call_is_refused(value: str) -> None:
    with pytest.raises(SlackAppError, match="TSF_PUBLIC_RASA_URL"):
        public_origin({"TSF_PUBLIC_RASA_URL": value})


def test_a_trailing_slash_and_a_port_are_kept_to_the_origin() -> None:
    assert public_origin({"TSF_PUBLIC_RASA_URL": "https://tsf.example.org:8443/"}) == (
        "https://tsf.example.org:8443"
    )


def test_the_command_writes_the_manifest_as_json(tmp_path: Path) -> None:
    target = tmp_path / "build" / "manifest.json"

    status = main([str(target)], environ={"TSF_PUBLIC_RASA_URL": ORIGIN})

    assert status == 0
    assert json.loads(target.read_text(encoding="utf-8")) == manifest(ORIGIN)


def test_the_command_exits_2_with_the_problem(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status = main([str(tmp_path / "manifest.json")], environ={})

    assert status == 2
    assert "TSF_PUBLIC_RASA_URL must be" in capsys.readouterr().err
    assert not (tmp_path / "manifest.json").exists()
