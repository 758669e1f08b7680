"""Settings of the live hand-over, read from the environment when asked (never at import)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from tsf_config import Reader, SettingsError, Variable, shared
from tsf_knowledge.office_hours import OfficeHours, OfficeHoursError

VARIABLES: tuple[Variable, ...] = (
    Variable(
        "TSF_OFFICE_HOURS",
        "Mon-Fri 09:00-17:00",
        "When the team can join a chat, in UK time ('Mon-Fri 09:00-17:00; Sat 10:00-12:00');"
        " England's bank holidays are closed; 'always' means at any time.",
    ),
    Variable(
        "TSF_HANDOVER_WAIT_SECONDS",
        "180",
        "How long an applicant waits for someone to take a hand-over before the lead form"
        " is offered instead.",
    ),
    Variable(
        "TSF_TEAM_SLACK_CHANNEL",
        "",
        "Slack channel id (C…) of the team: hand-over requests are posted there and only"
        " its members may take them; empty, no hand-over to Slack.",
    ),
)


@dataclass(frozen=True)
class HandoverSettings:
    """Where hand-over requests go, when the team is in and how long an applicant waits."""

    office_hours: OfficeHours
    wait_seconds: float
    slack_channel: str
    teams_channel: str
    teams_service_url: str

    @property
    def enabled(self) -> bool:
        """Whether any team channel is configured."""
        return bool(self.slack_channel or self.teams_channel)

    @classmethod
    def from_environ(cls, environ: Mapping[str, str] | None = None) -> HandoverSettings:
        """Read and check the variables (``os.environ`` unless given)."""
        env = Reader((*VARIABLES, *shared.VARIABLES), environ)
        try:
            hours = OfficeHours.parse(env.text("TSF_OFFICE_HOURS"))
        except OfficeHoursError as error:
            raise SettingsError(f"TSF_OFFICE_HOURS: {error}") from error
        return cls(
            office_hours=hours,
            wait_seconds=env.seconds("TSF_HANDOVER_WAIT_SECONDS"),
            slack_channel=env.text("TSF_TEAM_SLACK_CHANNEL"),
            teams_channel=env.text("TSF_TEAM_TEAMS_CHANNEL"),
            teams_service_url=env.url("TSF_TEAMS_SERVICE_URL", "the Teams service URL"),
        )
