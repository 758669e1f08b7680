"""``GET /webhooks/metrics/``: the Rasa process's Prometheus metrics (user messages by
channel and intent, counted by :class:`tsf_runtime.message_metrics.MessageCounter`).

Like the action server's and the worker's ``/metrics``, it is for Prometheus on the internal
network: nginx does not serve it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from tsf_config.metrics import CONTENT_TYPE, metrics


class MetricsEndpoint(InputChannel):
    """Serves this process's metrics; takes no messages."""

    @classmethod
    def name(cls) -> str:
        """The channel's name, and its path under ``/webhooks/``."""
        return "metrics"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        """``GET /`` answers the metrics in the Prometheus text format."""
        metrics_blueprint = Blueprint("tsf_metrics", __name__)

        @metrics_blueprint.route("/", methods=["GET"])
        async def serve(_: Request) -> HTTPResponse:
            return response.raw(metrics().exposition(), content_type=CONTENT_TYPE)

        return metrics_blueprint
