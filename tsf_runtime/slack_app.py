"""Write the Slack app manifest: ``python -m tsf_runtime.slack_app [FILE]``.

Slack creates an app from one pasted manifest ("Create New App" → "From a manifest"): its
name, the Messages tab, the bot's scopes, the events it receives and where Slack sends them.
The request URLs are the assistant's public address (``TSF_PUBLIC_RASA_URL``, an ``https://``
origin) followed by the Slack channel's webhook path. ``make slack-app`` writes it to
``build/slack-app-manifest.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from tsf_config import Reader, SettingsError
from tsf_runtime.settings import VARIABLES

DEFAULT_MANIFEST = Path("build/slack-app-manifest.json")
WEBHOOK_PATH = "/webhooks/slack/webhook"
"""Where the Slack channel (``channels/slack.py``) takes events and button clicks."""
BOT_EVENTS = ("app_mention", "message.im", "message.channels", "message.groups")
"""A mention in a channel the bot is in, a direct message to it, and the messages of the
public or private team channel it is in (the replies in a live chat's thread)."""
BOT_SCOPES = (
    "app_mentions:read",
    "chat:write",
    "im:history",
    "channels:history",
    "groups:history",
    "users:read",
    "channels:read",
    "groups:read",
    "commands",
)
"""What those events, the replies, staff names (``users.info``), the team channel's members
(``conversations.members``: who may act on leads in a direct message) and the slash command
need, and nothing more."""
SLASH_COMMANDS = (("/handback", "Give the live chat you hold back to the assistant"),)
"""The team's commands: Slack posts them to the same webhook."""
NAME = "TSF Assistant"
DESCRIPTION = "Answers questions about the Technology Spin-Out Fund and checks eligibility."


class SlackAppError(ValueError):
    """The public address is missing or unusable."""


def public_origin(environ: Mapping[str, str]) -> str:
    """``TSF_PUBLIC_RASA_URL`` as an ``https://host[:port]`` origin, without a trailing slash.

    Raises:
        SlackAppError: If it is unset, not https, or carries a path, query or credentials.
    """
    try:
        value = Reader(VARIABLES, environ).url("TSF_PUBLIC_RASA_URL", "the public address")
    except SettingsError:
        value = ""
    parts = urlsplit(value)
    if parts.scheme != "https" or parts.path or parts.query or parts.fragment or parts.username:
        raise SlackAppError(
            "TSF_PUBLIC_RASA_URL must be the assistant's public https:// address, such as "
            "https://tsf.example.org (Slack only calls https)"
        )
    return value


def manifest(origin: str) -> dict[str, Any]:
    """The app manifest for an assistant reachable at ``origin``."""
    request_url = origin + WEBHOOK_PATH
    return {
        "_metadata": {"major_version": 1, "minor_version": 1},
        "display_information": {"name": NAME, "description": DESCRIPTION},
        "features": {
            "app_home": {
                "home_tab_enabled": False,
                "messages_tab_enabled": True,
                "messages_tab_read_only_enabled": False,
            },
            "bot_user": {"display_name": NAME, "always_online": True},
            "slash_commands": [
                {
                    "command": command,
                    "url": request_url,
                    "description": description,
                    "should_escape": False,
                }
                for command, description in SLASH_COMMANDS
            ],
        },
        "oauth_config": {"scopes": {"bot": list(BOT_SCOPES)}},
        "settings": {
            "event_subscriptions": {"request_url": request_url, "bot_events": list(BOT_EVENTS)},
            "interactivity": {"is_enabled": True, "request_url": request_url},
            "org_deploy_enabled": False,
            "socket_mode_enabled": False,
            "token_rotation_enabled": False,
        },
    }


def main(argv: list[str] | None = None, environ: Mapping[str, str] | None = None) -> int:
    """Write the manifest; 0 when written, 2 with a message when the address is wrong."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("manifest", nargs="?", type=Path, default=DEFAULT_MANIFEST)
    arguments = parser.parse_args(argv)
    try:
        origin = public_origin(os.environ if environ is None else environ)
    except SlackAppError as error:
        print(f"slack app: {error}", file=sys.stderr)
        return 2
    arguments.manifest.parent.mkdir(parents=True, exist_ok=True)
    arguments.manifest.write_text(json.dumps(manifest(origin), indent=2) + "\n", encoding="utf-8")
    print(f"Slack app manifest written to {arguments.manifest}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
