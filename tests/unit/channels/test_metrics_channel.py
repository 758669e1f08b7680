"""``GET /webhooks/metrics/`` serves the Rasa process's metrics in the Prometheus format."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from prometheus_client.parser import text_string_to_metric_families

from channels.metrics import MetricsEndpoint
from tsf_config.metrics import Metrics


async def _no_messages(_: Any) -> None:
    raise AssertionError("the metrics endpoint takes no messages")


def test_the_counted_messages_are_served_at_the_channel_root(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fresh = Metrics()
    fresh.message("rest", "greet")
    monkeypatch.setattr("channels.metrics.metrics", lambda: fresh)
    blueprint = MetricsEndpoint().blueprint(_no_messages)
    (route,) = blueprint._future_routes

    reply = asyncio.run(route.handler(None))

    assert (route.uri, route.methods) == ("/", frozenset({"GET"}))
    assert reply.status == 200
    assert reply.content_type.startswith("text/plain")
    samples = {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(reply.body.decode())
        for sample in family.samples
    }
    assert samples[("tsf_messages_total", (("channel", "rest"),))] == 1
    assert MetricsEndpoint.name() == "metrics"
