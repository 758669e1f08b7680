"""The Teams app manifest template and its icons meet the 1.16 schema's rules."""

from __future__ import annotations

import json
import re
from pathlib import Path

from PIL import Image

from tsf_runtime.teams_app import PLACEHOLDERS

TEAMS = Path(__file__).resolve().parents[3] / "teams"


def manifest() -> dict:
    return json.loads((TEAMS / "manifest.json").read_text(encoding="utf-8"))


def test_the_manifest_is_a_1_16_bot_app_keyed_by_the_app_id() -> None:
    app = manifest()

    assert app["manifestVersion"] == "1.16"
    assert app["$schema"].endswith("/v1.16/MicrosoftTeams.schema.json")
    assert app["id"] == "${MICROSOFT_APP_ID}"
    [bot] = app["bots"]
    assert bot["botId"] == "${MICROSOFT_APP_ID}"
    assert bot["scopes"] == ["personal", "team", "groupchat"]
    assert app["icons"] == {"color": "color.png", "outline": "outline.png"}


def test_texts_fit_the_schemas_limits() -> None:
    app = manifest()

    assert len(app["name"]["short"]) <= 30
    assert len(app["name"]["full"]) <= 100
    assert len(app["description"]["short"]) <= 80
    assert len(app["description"]["full"]) <= 4000
    for command in app["bots"][0]["commandLists"][0]["commands"]:
        assert len(command["title"]) <= 32
        assert len(command["description"]) <= 128
    assert re.fullmatch(r"#[0-9A-F]{6}", app["accentColor"])


def test_only_documented_placeholders_are_left_to_fill() -> None:
    text = (TEAMS / "manifest.json").read_text(encoding="utf-8")

    assert set(re.findall(r"\$\{([A-Z_]+)\}", text)) == set(PLACEHOLDERS)


def test_the_colour_icon_is_192_pixels_square() -> None:
    with Image.open(TEAMS / "color.png") as icon:
        assert icon.size == (192, 192)


def test_the_outline_icon_is_32_pixels_white_on_transparent() -> None:
    with Image.open(TEAMS / "outline.png") as icon:
        rgba = icon.convert("RGBA")
    colours = {pixel[:3] for pixel in rgba.getdata() if pixel[3] > 0}

    assert rgba.size == (32, 32)
    assert colours == {(255, 255, 255)}
    assert rgba.getpixel((0, 0))[3] == 0


def test_the_bot_reads_replies_in_its_team_channel_threads_without_a_mention() -> None:
    app = manifest()

    assert "team" in app["bots"][0]["scopes"]
    assert app["authorization"]["permissions"]["resourceSpecific"] == [
        {"name": "ChannelMessage.Read.Group", "type": "Application"}
    ]
    assert app["webApplicationInfo"]["id"] == "${MICROSOFT_APP_ID}"
