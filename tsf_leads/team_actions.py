"""What a button press on a lead card asks for: Slack and Teams interaction payloads, read.

Pure functions over the parsed JSON the platforms send. Each returns ``None`` for anything
that is not one of our lead actions or is malformed (wrong types, unknown action, a value
that is not a lead reference), and never raises: the endpoint answers such requests politely
and does nothing.

- Slack ``block_actions`` (a button of :func:`tsf_leads.notify.slack.slack_message`):
  :func:`parse_slack_block_action`. For "Not a fit" the reason is ``None``: open
  :func:`tsf_leads.notify.slack.not_a_fit_modal`, then read its ``view_submission`` with
  :func:`parse_slack_view_submission`.
- Teams ``Action.Submit`` (a card of :func:`tsf_leads.notify.teams.teams_message`): the
  activity's ``value`` (or the whole activity) with :func:`parse_teams_submit`.

Who pressed is read with :func:`slack_actor` and :func:`teams_actor`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, NamedTuple

from tsf_leads.notify.slack import (
    ACTION_IDS,
    NOT_A_FIT_CALLBACK_ID,
    REASON_ACTION_ID,
    REASON_BLOCK_ID,
)
from tsf_leads.notify.teams import ACTION_NAMES, REASON_INPUT_ID
from tsf_leads.service import InvalidReference, normalise_reference

__all__ = [
    "TeamAction",
    "parse_slack_block_action",
    "parse_slack_view_submission",
    "parse_teams_submit",
    "slack_actor",
    "teams_actor",
]

_SLACK_STATUSES = {action_id: status for status, action_id in ACTION_IDS.items()}
_TEAMS_STATUSES = {name: status for status, name in ACTION_NAMES.items()}
_MAX_TEXT = 10_000


class TeamAction(NamedTuple):
    """A lead action: the reference, the team status to set, and the reason (if given)."""

    reference: str
    status: str
    reason: str | None


def _reference(value: Any) -> str | None:
    if not isinstance(value, str) or len(value) > 64:
        return None
    try:
        return normalise_reference(value)
    except InvalidReference:
        return None


def _text(value: Any) -> str | None:
    """Trimmed text, or ``None`` for anything else (empty, not a string, absurdly long)."""
    if not isinstance(value, str) or len(value) > _MAX_TEXT:
        return None
    return value.strip() or None


def _get(document: Any, *path: str) -> Any:
    for key in path:
        if not isinstance(document, Mapping):
            return None
        document = document.get(key)
    return document


def parse_slack_block_action(payload: Any) -> TeamAction | None:
    """The lead action of a Slack ``block_actions`` payload (the first of our buttons in it).

    For ``tsf_lead_not_a_fit`` the reason is ``None``: ask for it with the modal.
    """
    if _get(payload, "type") != "block_actions":
        return None
    actions = _get(payload, "actions")
    if not isinstance(actions, list):
        return None
    for action in actions:
        status = _SLACK_STATUSES.get(_get(action, "action_id"))  # type: ignore[arg-type]
        if status is None:
            continue
        reference = _reference(_get(action, "value"))
        return None if reference is None else TeamAction(reference, status, None)
    return None


def modal_metadata(payload: Any) -> tuple[str | None, str | None]:
    """``(reference, response_url)`` the "Not a fit" modal carries in ``private_metadata``:
    the bare reference, or JSON with the card's ``response_url`` too."""
    metadata = _get(payload, "view", "private_metadata")
    if isinstance(metadata, str) and metadata.startswith("{"):
        try:
            decoded = json.loads(metadata)
        except ValueError:
            return None, None
        return _reference(_get(decoded, "reference")), _text(_get(decoded, "response_url"))
    return _reference(metadata), None


def parse_slack_view_submission(payload: Any) -> tuple[str, str] | None:
    """``(reference, reason)`` from the "Not a fit" modal's ``view_submission``; ``None`` for
    another view, a missing reference or an empty reason."""
    if _get(payload, "type") != "view_submission":
        return None
    view = _get(payload, "view")
    if _get(view, "callback_id") != NOT_A_FIT_CALLBACK_ID:
        return None
    reference, _ = modal_metadata(payload)
    reason = _text(_get(view, "state", "values", REASON_BLOCK_ID, REASON_ACTION_ID, "value"))
    if reference is None or reason is None:
        return None
    return reference, reason


def parse_teams_submit(value: Any) -> TeamAction | None:
    """The lead action of a Teams ``Action.Submit``: the activity's ``value``, or the whole
    message activity. A "Not a fit" without a reason gives ``reason=None`` (ask again)."""
    if _get(value, "type") == "message" and isinstance(_get(value, "value"), Mapping):
        value = _get(value, "value")
    if not isinstance(value, Mapping):
        return None
    action = value.get("action")
    status = _TEAMS_STATUSES.get(action) if isinstance(action, str) else None
    reference = _reference(value.get("tsf_lead"))
    if status is None or reference is None:
        return None
    return TeamAction(reference, status, _text(value.get(REASON_INPUT_ID)))


def slack_actor(payload: Any) -> tuple[str, str] | None:
    """``(user id, display name)`` of who pressed, from a Slack interaction payload."""
    user = _get(payload, "user")
    user_id = _text(_get(user, "id"))
    name = _text(_get(user, "name")) or _text(_get(user, "username")) or user_id
    return None if user_id is None or name is None else (user_id, name)


def teams_actor(activity: Any) -> tuple[str, str] | None:
    """``(AAD object id, name)`` of who pressed, from a Teams message activity's ``from``."""
    sender = _get(activity, "from")
    staff_id = _text(_get(sender, "aadObjectId")) or _text(_get(sender, "id"))
    name = _text(_get(sender, "name")) or staff_id
    return None if staff_id is None or name is None else (staff_id, name)
