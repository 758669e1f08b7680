"""Check action server responses against a schema compiled once, not once per action.

Rasa 3.6 checks every action server response with ``jsonschema.validate``, which first
re-checks the (constant) schema itself against the JSON Schema meta-schema. Profiling the
assistant under load showed that re-check taking about 45% of the Rasa server's CPU time
(``make bench``). :func:`install_cached_action_response_validation` replaces
``RemoteAction._validate_action_result`` with the same check against a validator built once:
the same schema, the same errors, the same message on failure.

``tsf_runtime.rasa_main`` installs it before Rasa starts.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from jsonschema.exceptions import best_match
from jsonschema.protocols import Validator
from jsonschema.validators import validator_for

_PATCHED_MARK = "_tsf_cached_schema"
FAILURE_HINT = (
    ". Failed to validate Action server response from API, make sure your response from "
    "the Action endpoint is valid. For more information about the format visit "
    "https://rasa.com/docs/rasa/custom-actions"
)


@cache
def action_response_validator() -> Validator:
    """A validator for Rasa's action response schema, its schema checked once."""
    from rasa.core.actions.action import RemoteAction

    schema = RemoteAction.action_response_format_spec()
    validator_class = validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


def validate_action_result(result: Any) -> bool:
    """True if ``result`` is a valid action server response.

    Raises:
        jsonschema.ValidationError: The most relevant error, as ``jsonschema.validate``
            would raise it, with Rasa's hint appended.
    """
    error = best_match(action_response_validator().iter_errors(result))
    if error is not None:
        error.message += FAILURE_HINT
        raise error
    return True


def install_cached_action_response_validation() -> None:
    """Make ``RemoteAction`` validate responses with :func:`validate_action_result` (once)."""
    from rasa.core.actions.action import RemoteAction

    if getattr(RemoteAction._validate_action_result, _PATCHED_MARK, False):
        return

    def _validate_action_result(self: RemoteAction, result: dict[str, Any]) -> bool:
        return validate_action_result(result)

    setattr(_validate_action_result, _PATCHED_MARK, True)
    RemoteAction._validate_action_result = _validate_action_result  # type: ignore[method-assign]
