"""Keep email addresses and phone numbers out of the logs.

Rasa and the action server log what people type at DEBUG level, and exceptions can carry it
too. :class:`RedactionFilter` rewrites every log record it sees with
``tsf_knowledge.personal_data.redact`` (each email address becomes ``[email redacted]``, each
phone number ``[phone redacted]``), in the message, its arguments, the traceback and the
extra fields Sanic's access log adds. Sender ids are left alone.

:func:`install_redaction` puts the filter on the root logger's handlers and on Rasa's,
rasa-sdk's and Sanic's loggers, and wraps the log record factory so that records are
redacted when they are created, whichever handler later writes them (Rasa replaces the root
handlers with its own after start-up). ``tsf_runtime.rasa_main`` and
``tsf_runtime.actions_main`` call it before handing over to Rasa and rasa-sdk.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Any

from tsf_knowledge.personal_data import redact

# Loggers that get the filter themselves (their handlers too), besides the root handlers.
LOGGER_NAMES: tuple[str, ...] = (
    "rasa",
    "rasa_sdk",
    "sanic.root",
    "sanic.error",
    "sanic.access",
    "sanic.server",
    "actions",
    "channels",
    "tsf_leads",
    "tsf_knowledge",
    "tsf_runtime",
    "tsf_privacy",
    "tsf_handover",
    "tsf_insight",
)
# Extra attributes some libraries put on records (Sanic's access log) that may hold text.
EXTRA_TEXT_FIELDS: tuple[str, ...] = ("request", "host")


def _redact_value(value: Any) -> Any:
    return redact(value) if isinstance(value, str) else value


def redact_record(record: logging.LogRecord) -> None:
    """Redact a record in place: its message (arguments merged in), traceback and extras."""
    try:
        message = record.getMessage()
    except Exception:  # a bad format string: keep the parts, redacted
        record.msg = redact(str(record.msg))
        if isinstance(record.args, tuple):
            record.args = tuple(_redact_value(arg) for arg in record.args)
    else:
        record.msg = redact(message)
        record.args = ()
    if record.exc_info and not record.exc_text:
        record.exc_text = logging.Formatter().formatException(record.exc_info)
    if record.exc_text:
        record.exc_text = redact(record.exc_text)
    if record.stack_info:
        record.stack_info = redact(record.stack_info)
    for name in EXTRA_TEXT_FIELDS:
        value = record.__dict__.get(name)
        if isinstance(value, str):
            record.__dict__[name] = redact(value)


class RedactionFilter(logging.Filter):
    """A logging filter that redacts email addresses and phone numbers; it drops nothing."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Redact ``record`` in place and let it through."""
        redact_record(record)
        return True


_FILTER = RedactionFilter()
_previous_factory: Callable[..., logging.LogRecord] | None = None


def _redacting_factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
    assert _previous_factory is not None
    record = _previous_factory(*args, **kwargs)
    redact_record(record)
    return record


def _add_filter(target: logging.Filterer, redaction: logging.Filter) -> None:
    if not any(isinstance(existing, RedactionFilter) for existing in target.filters):
        target.addFilter(redaction)


def install_redaction(logger_names: Iterable[str] = LOGGER_NAMES) -> RedactionFilter:
    """Redact personal data from every log record of this process; safe to call twice.

    Adds the filter to the root logger's handlers, to each named logger and its handlers,
    and wraps the log record factory so records made later, for handlers added later, are
    redacted too.

    Returns:
        The filter, e.g. to add it to a handler made afterwards.
    """
    global _previous_factory
    root = logging.getLogger()
    for handler in root.handlers:
        _add_filter(handler, _FILTER)
    for name in logger_names:
        logger = logging.getLogger(name)
        _add_filter(logger, _FILTER)
        for handler in logger.handlers:
            _add_filter(handler, _FILTER)
    if _previous_factory is None:
        _previous_factory = logging.getLogRecordFactory()
        logging.setLogRecordFactory(_redacting_factory)
    return _FILTER


def uninstall_redaction(logger_names: Iterable[str] = LOGGER_NAMES) -> None:
    """Undo :func:`install_redaction` (for tests)."""
    global _previous_factory
    loggers = [logging.getLogger(), *(logging.getLogger(name) for name in logger_names)]
    for logger in loggers:
        logger.removeFilter(_FILTER)
        for handler in logger.handlers:
            handler.removeFilter(_FILTER)
    if _previous_factory is not None:
        logging.setLogRecordFactory(_previous_factory)
        _previous_factory = None
