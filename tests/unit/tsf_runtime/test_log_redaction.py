"""Email addresses and phone numbers never reach the logs; everything else is left alone."""

from __future__ import annotations

import io
import logging
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.harness import run_python
from tsf_knowledge.personal_data import EMAIL_REDACTED, PHONE_REDACTED
from tsf_runtime.log_redaction import (
    RedactionFilter,
    install_redaction,
    uninstall_redaction,
)

ROOT = Path(__file__).resolve().parents[3]
E, P = EMAIL_REDACTED, PHONE_REDACTED


@pytest.fixture
def captured() -> Iterator[tuple[logging.Logger, io.StringIO]]:
    """A logger writing to a string through a handler with the redaction filter."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
    handler.addFilter(RedactionFilter())
    logger = logging.getLogger("tests.redaction.captured")
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    logger.propagate = False
    yield logger, stream
    logger.removeHandler(handler)


def test_a_real_logger_writes_redacted_arguments(
    captured: tuple[logging.Logger, io.StringIO],
) -> None:
    logger, stream = captured

    logger.info("Lead from %s (%s), %d answers", "jo@example.org", "07700 900123", 8)

    assert stream.getvalue() == f"INFO Lead from {E} ({P}), 8 answers\n"


def test_tracebacks_are_redacted(captured: tuple[logging.Logger, io.StringIO]) -> None:
    logger, stream = captured

    try:
        raise ValueError("cannot parse jo@example.org")
    except ValueError:
        logger.exception("failed for %s", "020 7187 7379")

    output = stream.getvalue()
    assert f"failed for {P}" in output
    assert f"ValueError: cannot parse {E}" in output
    assert "jo@example.org" not in output
    assert "7187" not in output


def test_a_bad_format_string_is_still_redacted_and_not_dropped(
    captured: tuple[logging.Logger, io.StringIO],
) -> None:
    logger, _ = captured
    record = logger.makeRecord(
        logger.name, logging.INFO, __file__, 1, "mail %s %s", ("jo@example.org",), None
    )

    assert RedactionFilter().filter(record) is True
    assert record.msg == "mail %s %s"
    assert record.args == (E,)


def test_sanic_access_log_fields_are_redacted() -> None:
    record = logging.LogRecord("sanic.access", logging.INFO, __file__, 1, "", (), None)
    record.request = "GET http://x/conversations?email=jo%40example.org"
    record.host = "10.0.0.1:5005"

    RedactionFilter().filter(record)

    assert record.request == f"GET http://x/conversations?email={E}"
    assert record.host == "10.0.0.1:5005"


@pytest.fixture
def installed() -> Iterator[None]:
    """install_redaction() for one test, undone afterwards."""
    install_redaction()
    yield
    uninstall_redaction()


@pytest.mark.usefixtures("installed")
def test_install_covers_handlers_and_loggers_added_later() -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)  # made after install, without any filter
    logger = logging.getLogger("rasa.core.processor.test")
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        logger.debug("Received user message 'I am jo@example.org, call 07700 900123'")
    finally:
        logger.removeHandler(handler)

    assert stream.getvalue() == f"Received user message 'I am {E}, call {P}'\n"


@pytest.mark.usefixtures("installed")
def test_install_puts_the_filter_on_rasa_and_sanic_loggers_once() -> None:
    install_redaction()  # a second call adds nothing

    for name in ("rasa", "rasa_sdk", "sanic.access", "sanic.error"):
        filters = logging.getLogger(name).filters
        assert sum(isinstance(f, RedactionFilter) for f in filters) == 1, name


def test_uninstall_restores_the_record_factory() -> None:
    before = logging.getLogRecordFactory()
    install_redaction()
    uninstall_redaction()

    assert logging.getLogRecordFactory() is before


def test_a_process_that_installs_it_logs_no_personal_data() -> None:
    script = (
        "import logging\n"
        "from tsf_runtime.log_redaction import install_redaction\n"
        "install_redaction()\n"
        "logging.basicConfig(level=logging.INFO, format='%(name)s %(message)s')\n"
        "logging.getLogger('sanic.error').error('bad request from %s', 'jo@example.org')\n"
        "logging.getLogger('rasa.core').info('phone: +44 20 7187 7379')\n"
    )

    result = run_python(script, timeout=60)

    assert result.stderr.splitlines() == [
        f"sanic.error bad request from {E}",
        f"rasa.core phone: {P}",
    ]


@pytest.mark.parametrize(
    ("module", "arguments", "expected"),
    [
        ("tsf_runtime.rasa_main", ["--version"], "3.6.21"),
        ("tsf_runtime.actions_main", ["--help"], "--actions"),
    ],
)
def test_the_wrappers_hand_over_to_rasas_own_command_lines(
    module: str, arguments: list[str], expected: str
) -> None:
    result = subprocess.run(
        [sys.executable, "-m", module, *arguments],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={"PATH": "/usr/bin:/bin", "RASA_TELEMETRY_ENABLED": "false"},
    )

    assert result.returncode == 0, result.stderr[-2000:]
    assert expected in result.stdout
