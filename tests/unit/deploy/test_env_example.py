""".env.example lists every variable the assistant reads, and holds no secret."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tsf_config.registry import tables
from tsf_runtime.production import check_production

ROOT = Path(__file__).resolve().parents[3]
TEXT = (ROOT / ".env.example").read_text(encoding="utf-8")
ASSIGNMENT = re.compile(r"^(#\s)?([A-Z][A-Z0-9_]*)=(.*)$")
SECRET = re.compile(r"PASSWORD|SECRET|TOKEN", re.IGNORECASE)
TABLES = tables()
POSTGRES = ("POSTGRES_USER", "POSTGRES_PASSWORD", "POSTGRES_DB", "POSTGRES_LEADS_DB")


def entries() -> dict[str, tuple[bool, str]]:
    """NAME -> (commented out, value), first occurrence."""
    found: dict[str, tuple[bool, str]] = {}
    for line in TEXT.splitlines():
        match = ASSIGNMENT.match(line)
        if match:
            found.setdefault(match.group(2), (bool(match.group(1)), match.group(3)))
    return found


def test_every_line_is_a_comment_a_blank_or_an_assignment() -> None:
    for line in TEXT.splitlines():
        assert not line or line.startswith("#") or ASSIGNMENT.match(line), line


def test_no_variable_is_listed_twice() -> None:
    names = [m.group(2) for m in map(ASSIGNMENT.match, TEXT.splitlines()) if m]

    assert sorted({n for n in names if names.count(n) > 1}) == []


@pytest.mark.parametrize("table", sorted(TABLES))
def test_every_variable_of_every_settings_table_is_listed(table: str) -> None:
    listed = entries()

    assert [v.name for v in TABLES[table] if v.name not in listed] == []


def test_the_postgres_variables_are_listed() -> None:
    assert [name for name in POSTGRES if name not in entries()] == []


def test_optional_lines_show_the_real_defaults() -> None:
    listed = entries()
    wrong = [
        (variable.name, listed[variable.name][1], variable.default)
        for table in TABLES.values()
        for variable in table
        if variable.default is not None
        and listed[variable.name][0]
        and listed[variable.name][1] != variable.default
    ]

    assert wrong == []


def test_secrets_are_empty_or_placeholders() -> None:
    for name, (_, value) in entries().items():
        if SECRET.search(name) and not name.endswith("_URL"):
            assert value == "" or value.startswith("change-me"), name
        elif "://" in value and "@" in value.split("://", 1)[1].split("/", 1)[0]:
            pytest.fail(f"{name} carries credentials")


def test_production_refuses_the_placeholders_until_they_are_replaced() -> None:
    listed = {name: value for name, (commented, value) in entries().items() if not commented}
    environ = {
        **listed,
        "TSF_ENV": "production",
        "TSF_TRACKER_DB_URL": "postgresql://tsf:{POSTGRES_PASSWORD}@postgres/tsf".format(**listed),
        "TSF_LEADS_DB_URL": "postgresql://tsf:{POSTGRES_PASSWORD}@postgres/tsf_leads".format(
            **listed
        ),
        "TSF_REDIS_HOST": "redis",
    }

    problems = check_production(environ, root=ROOT)

    flagged = {problem.split()[0] for problem in problems}
    assert {
        "TSF_RASA_TOKEN",
        "TSF_REDIS_PASSWORD",
        "POSTGRES_PASSWORD",
        "TSF_TRACKER_DB_URL",
        "TSF_LEADS_DB_URL",
    } <= flagged
