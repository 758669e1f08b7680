"""The team status of a lead: what the Social Investment Team did with it.

A new lead has no team status. Someone may then mark it:

- ``claimed``: "I'll take this one" (nobody has spoken to the enquirer yet);
- ``contacted``: the team has been in touch with the enquirer;
- ``not_a_fit``: the team will not take it further; a reason is required.

Allowed moves (forwards only, so a stale card cannot undo a colleague's work)::

    (new) -> claimed | contacted | not_a_fit
    claimed -> contacted | not_a_fit
    contacted -> not_a_fit

``not_a_fit`` is final here; reopening a lead is done in the CRM. Setting the status a lead
already has changes nothing (whoever set it first stays on record).
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from tsf_leads.contracts import TeamStatus
from tsf_leads.crm.mapping import one_line
from tsf_leads.payload import as_utc

__all__ = [
    "ALLOWED_MOVES",
    "CLAIMED",
    "CONTACTED",
    "MAX_REASON_LENGTH",
    "MAX_STAFF_ID_LENGTH",
    "MAX_STAFF_NAME_LENGTH",
    "NOT_A_FIT",
    "STATUS_LABELS",
    "STATUS_PHRASES",
    "TEAM_STATUSES",
    "InvalidTeamStatus",
    "TeamStatusError",
    "TransitionNotAllowed",
    "check_move",
    "clean_change",
    "next_statuses",
    "status_line",
    "when_in",
    "who_did_it",
]

CLAIMED = "claimed"
CONTACTED = "contacted"
NOT_A_FIT = "not_a_fit"
TEAM_STATUSES = (CLAIMED, CONTACTED, NOT_A_FIT)
STATUS_LABELS = {CLAIMED: "Claimed", CONTACTED: "Contacted", NOT_A_FIT: "Not a fit"}
#: How a card says who set the status: "Claimed by Sam Jones".
STATUS_PHRASES = {
    CLAIMED: "Claimed by",
    CONTACTED: "Contacted by",
    NOT_A_FIT: "Marked not a fit by",
}
ALLOWED_MOVES: dict[str | None, frozenset[str]] = {
    None: frozenset(TEAM_STATUSES),
    CLAIMED: frozenset({CONTACTED, NOT_A_FIT}),
    CONTACTED: frozenset({NOT_A_FIT}),
    NOT_A_FIT: frozenset(),
}
UK_TIME = "Europe/London"
MAX_REASON_LENGTH = 500
MAX_STAFF_ID_LENGTH = 128
MAX_STAFF_NAME_LENGTH = 120
MAX_INTERACTION_ID_LENGTH = 128


class TeamStatusError(ValueError):
    """A status change that cannot be made; the message can be shown to the staff member."""


class InvalidTeamStatus(TeamStatusError):
    """An unknown status, a missing or too long reason, or no staff member."""


class TransitionNotAllowed(TeamStatusError):
    """The lead's current status does not allow this one (e.g. contacted -> claimed)."""

    def __init__(self, message: str, current: str | None) -> None:
        """Keep the lead's current status with the message."""
        super().__init__(message)
        self.current = current


def check_move(current: str | None, wanted: str, reference: str) -> None:
    """Raise :class:`TransitionNotAllowed` unless ``current -> wanted`` is allowed."""
    if wanted not in ALLOWED_MOVES.get(current, frozenset()):
        label = STATUS_LABELS.get(current or "", "new").lower()
        raise TransitionNotAllowed(
            f"{reference} is already marked {label!r}, so it cannot be marked "
            f"{STATUS_LABELS[wanted].lower()!r} now",
            current,
        )


def clean_change(
    status: str,
    staff_id: str,
    staff_name: str,
    reason: str | None,
    interaction_id: str | None,
) -> tuple[str, str, str, str | None, str | None]:
    """The change's parts, trimmed and checked: (status, staff id, name, reason, interaction id).

    Raises:
        InvalidTeamStatus: for an unknown status, an empty or too long staff id or name, a
            reason missing for ``not_a_fit`` or longer than :data:`MAX_REASON_LENGTH`, or a too
            long interaction id.
    """
    status = status.strip().lower().replace("-", "_").replace(" ", "_")
    if status not in TEAM_STATUSES:
        raise InvalidTeamStatus(
            f"{status!r} is not a team status (use one of {', '.join(TEAM_STATUSES)})"
        )
    staff_id, staff_name = staff_id.strip(), one_line(staff_name)
    if not staff_id or len(staff_id) > MAX_STAFF_ID_LENGTH:
        raise InvalidTeamStatus(f"a staff id of 1 to {MAX_STAFF_ID_LENGTH} characters is needed")
    if not staff_name or len(staff_name) > MAX_STAFF_NAME_LENGTH:
        raise InvalidTeamStatus(
            f"a staff name of 1 to {MAX_STAFF_NAME_LENGTH} characters is needed"
        )
    reason = (reason or "").strip() or None
    if status == NOT_A_FIT and reason is None:
        raise InvalidTeamStatus("please say why the lead is not a fit")
    if reason is not None and len(reason) > MAX_REASON_LENGTH:
        raise InvalidTeamStatus(
            f"the reason is {len(reason)} characters long; please keep it under "
            f"{MAX_REASON_LENGTH + 1}"
        )
    interaction_id = (interaction_id or "").strip() or None
    if interaction_id is not None and len(interaction_id) > MAX_INTERACTION_ID_LENGTH:
        raise InvalidTeamStatus("the interaction id is too long")
    return status, staff_id, staff_name, reason, interaction_id


def next_statuses(current: str | None) -> tuple[str, ...]:
    """The statuses a lead with ``current`` may move to, in button order."""
    allowed = ALLOWED_MOVES.get(current, frozenset())
    return tuple(status for status in TEAM_STATUSES if status in allowed)


def who_did_it(team: TeamStatus) -> str:
    """``Claimed by Sam Jones`` (the name on one line)."""
    return f"{STATUS_PHRASES.get(team.status, team.status)} {one_line(team.staff_name)}"


def when_in(team: TeamStatus, zone: str = UK_TIME) -> str:
    """``14:05 on 2 Mar 2026``: when the status was set, in ``zone`` (UK time by default)."""
    local = as_utc(team.changed_at).astimezone(ZoneInfo(zone))
    return f"{local:%H:%M} on {local.day} {local:%b %Y}"


def status_line(team: TeamStatus, zone: str = UK_TIME) -> str:
    """One plain line for cards and the CLI: ``Claimed by Sam Jones at 14:05 on 2 Mar 2026``
    (in UK time), with the reason after a colon when there is one."""
    line = f"{who_did_it(team)} at {when_in(team, zone)}"
    return f"{line}: {one_line(team.reason)}" if team.reason else line
