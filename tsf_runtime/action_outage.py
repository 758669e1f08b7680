"""A polite reply, not silence, when the action server cannot run an action.

Rasa 3.6 logs a traceback and answers nothing when a custom action fails to run (the action
server is down, restarting, timing out or answering 5xx), so the person chatting is left
waiting. :func:`install_action_outage_reply` wraps Rasa's ``RemoteAction.run``: on such a
failure it sends :func:`unavailable_reply` once per incoming message, logs one warning line
without a traceback, and re-raises as :class:`ActionServerUnavailable` so that Rasa drops the
action's events exactly as before. Rejections (a form's validation saying "no") are Rasa's
normal control flow and pass through untouched. Once the action server is back, the next
message is handled as usual: an active form asks its question again.

``tsf_runtime.rasa_main`` installs it before Rasa starts.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import aiohttp

from tsf_knowledge.fund_terms import fund_terms

logger = logging.getLogger(__name__)


def unavailable_reply() -> str:
    """What the person hears when an action cannot run."""
    return (
        "Sorry, part of me is temporarily unavailable, so I can't answer that right now. "
        "Please try again in a minute. If it's urgent, call the Local Partnerships Social "
        f"Investment Team on {fund_terms().team_phone}."
    )


_NOTIFIED_MARK = "_tsf_outage_notified"
_PATCHED_MARK = "_tsf_outage_reply"
PROCESSOR_LOGGER = "rasa.core.processor"


class ActionServerUnavailable(Exception):
    """A custom action could not run because the action server failed or was unreachable."""


class OutageTracebackFilter(logging.Filter):
    """Turns Rasa's traceback for an :class:`ActionServerUnavailable` into one plain line."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Drop the traceback of an outage already reported; keep every other record."""
        error = record.exc_info[1] if record.exc_info else None
        if isinstance(error, ActionServerUnavailable):
            record.msg = "Action not run: %s"
            record.args = (error,)
            record.exc_info = None
            record.exc_text = None
            record.levelno, record.levelname = logging.WARNING, "WARNING"
        return True


async def tell_user_once(output_channel: Any, recipient_id: str) -> None:
    """Send :func:`unavailable_reply` unless this message's channel already has."""
    if getattr(output_channel, _NOTIFIED_MARK, False):
        return
    setattr(output_channel, _NOTIFIED_MARK, True)
    try:
        await output_channel.send_text_message(recipient_id, unavailable_reply())
    except Exception as error:
        logger.warning("Could not send the unavailable reply: %s", type(error).__name__)


def install_action_outage_reply() -> None:
    """Wrap ``RemoteAction.run`` (once) and quieten Rasa's traceback for outages."""
    from rasa.core.actions.action import ActionExecutionRejection, RemoteAction
    from rasa.shared.exceptions import RasaException

    if getattr(RemoteAction.run, _PATCHED_MARK, False):
        return
    original_run = RemoteAction.run

    async def run(
        self: RemoteAction, output_channel: Any, nlg: Any, tracker: Any, domain: Any
    ) -> list[Any]:
        try:
            return await original_run(self, output_channel, nlg, tracker, domain)
        except ActionExecutionRejection:
            raise
        except (RasaException, aiohttp.ClientError, asyncio.TimeoutError) as error:
            reason = f"action server failed to run {self.name()!r} ({type(error).__name__})"
            logger.warning("Telling the user the assistant is unavailable: %s", reason)
            await tell_user_once(output_channel, tracker.sender_id)
            raise ActionServerUnavailable(reason) from None

    setattr(run, _PATCHED_MARK, True)
    RemoteAction.run = run  # type: ignore[method-assign]
    logging.getLogger(PROCESSOR_LOGGER).addFilter(OutageTracebackFilter())
