"""The launcher keeps a generated API token out of logs."""

from __future__ import annotations

import stat
from pathlib import Path

from tsf_runtime.launcher import keep_generated_token

TOKEN = "generated-token-value-0123456789"


def test_a_generated_token_is_kept_in_a_file_only_its_owner_can_read(tmp_path: Path) -> None:
    path = tmp_path / "var" / "rasa-token"

    keep_generated_token(TOKEN, path, terminal=False)

    assert path.read_text() == TOKEN + "\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_output_to_a_log_says_where_the_token_is_but_not_what_it_is(tmp_path: Path) -> None:
    line = keep_generated_token(TOKEN, tmp_path / "rasa-token", terminal=False)

    assert TOKEN not in line
    assert str(tmp_path / "rasa-token") in line


def test_a_terminal_is_shown_the_token(tmp_path: Path) -> None:
    assert TOKEN in keep_generated_token(TOKEN, tmp_path / "rasa-token", terminal=True)


def test_a_second_run_replaces_the_file_and_keeps_it_private(tmp_path: Path) -> None:
    path = tmp_path / "rasa-token"
    path.write_text("old")
    path.chmod(0o644)

    keep_generated_token(TOKEN, path, terminal=False)

    assert path.read_text() == TOKEN + "\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
