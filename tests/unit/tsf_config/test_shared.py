"""The variables several packages read: the conversations' retention and tracker store."""

from __future__ import annotations

import pytest

from tsf_config import SettingsError
from tsf_config.shared import conversation_retention_days


def test_conversations_are_kept_90_days_unless_set() -> None:
    assert conversation_retention_days({}) == 90
    assert conversation_retention_days({"TSF_CONVERSATION_RETENTION_DAYS": "30"}) == 30


@pytest.mark.parametrize("value", ["0", "ninety", "1.5"])
def test_an_unusable_retention_is_refused(value: str) -> None:
    with pytest.raises(SettingsError, match="TSF_CONVERSATION_RETENTION_DAYS"):
        conversation_retention_days({"TSF_CONVERSATION_RETENTION_DAYS": value})
