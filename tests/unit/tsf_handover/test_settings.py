"""Hand-over settings: off without a team channel, office hours checked when read."""

from __future__ import annotations

import pytest

from tsf_config import SettingsError
from tsf_handover.settings import HandoverSettings


def test_without_a_team_channel_live_chat_is_off() -> None:
    settings = HandoverSettings.from_environ({})
    assert not settings.enabled
    assert settings.wait_seconds == 180
    assert settings.office_hours.describe().startswith("Monday to Friday, 09:00 to 17:00")


def test_a_slack_or_teams_team_channel_switches_it_on() -> None:
    assert HandoverSettings.from_environ({"TSF_TEAM_SLACK_CHANNEL": "C0TEAM"}).enabled
    assert HandoverSettings.from_environ({"TSF_TEAM_TEAMS_CHANNEL": "19:x@thread.tacv2"}).enabled


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("TSF_OFFICE_HOURS", "weekdays", "TSF_OFFICE_HOURS"),
        ("TSF_OFFICE_HOURS", "Mon 17:00-09:00", "closes before it opens"),
        ("TSF_HANDOVER_WAIT_SECONDS", "0", "positive number of seconds"),
        ("TSF_TEAMS_SERVICE_URL", "http://teams.example.org", "https://"),
    ],
)
def test_wrong_values_are_refused_with_the_variable_named(
    name: str, value: str, message: str
) -> None:
    with pytest.raises(SettingsError, match=message):
        HandoverSettings.from_environ({name: value})
