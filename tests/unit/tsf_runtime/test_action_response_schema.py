"""Action server responses are checked as strictly as Rasa does, with the schema compiled once."""

from __future__ import annotations

from typing import Any

import jsonschema
import pytest
from rasa.core.actions.action import RemoteAction

from tsf_runtime.action_response_schema import (
    FAILURE_HINT,
    action_response_validator,
    install_cached_action_response_validation,
    validate_action_result,
)

SCHEMA = RemoteAction.action_response_format_spec()

VALID: list[dict[str, Any]] = [
    {},
    {"events": [], "responses": []},
    {"events": [{"event": "slot", "name": "x", "value": 1}], "responses": [{"text": "hi"}]},
    {"events": [{"event": "action", "name": "action_listen"}]},
]
INVALID: list[Any] = [
    {"events": [{"name": "no event type"}]},
    {"events": "not a list"},
    {"responses": [{"text": "fine"}], "events": [{"event": 3}]},
]


@pytest.mark.parametrize("result", VALID)
def test_valid_responses_pass_as_they_do_in_rasa(result: dict[str, Any]) -> None:
    jsonschema.validate(result, SCHEMA)

    assert validate_action_result(result) is True


@pytest.mark.parametrize("result", INVALID)
def test_invalid_responses_fail_with_rasas_error_and_hint(result: Any) -> None:
    with pytest.raises(jsonschema.ValidationError) as rasa_way:
        jsonschema.validate(result, SCHEMA)

    with pytest.raises(jsonschema.ValidationError) as our_way:
        validate_action_result(result)

    assert our_way.value.message == rasa_way.value.message + FAILURE_HINT


def test_the_schema_is_compiled_once() -> None:
    assert action_response_validator() is action_response_validator()


def test_installing_replaces_rasas_check_once() -> None:
    original = RemoteAction._validate_action_result
    try:
        install_cached_action_response_validation()
        installed = RemoteAction._validate_action_result
        install_cached_action_response_validation()

        assert RemoteAction._validate_action_result is installed is not original
        assert RemoteAction("action_x", None)._validate_action_result({"events": []})
    finally:
        RemoteAction._validate_action_result = original  # type: ignore[method-assign]
