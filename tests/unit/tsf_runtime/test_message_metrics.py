"""Each user message is counted once, by channel and intent, as Rasa stores it."""

from __future__ import annotations

import asyncio

import pytest
import yaml
from rasa.core.brokers.broker import EventBroker
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
from rasa.utils.endpoints import EndpointConfig, read_endpoint_config

from tests.support.harness import ROOT
from tsf_config import metrics as metrics_module
from tsf_config.metrics import Metrics
from tsf_runtime.message_metrics import MessageCounter, counted_message


@pytest.fixture
def fresh_metrics(monkeypatch: pytest.MonkeyPatch) -> Metrics:
    fresh = Metrics()
    monkeypatch.setattr(metrics_module, "metrics", lambda: fresh)
    monkeypatch.setattr("tsf_runtime.message_metrics.metrics", lambda: fresh)
    return fresh


def _user(text: str, intent: str, channel: str | None = "rest") -> dict[str, object]:
    return UserUttered(text, {"name": intent, "confidence": 0.9}, input_channel=channel).as_dict()


def _count(metrics: Metrics, name: str, **labels: str) -> float:
    return metrics.registry.get_sample_value(name, labels) or 0.0


def test_a_user_message_is_counted_by_its_channel_and_intent(fresh_metrics: Metrics) -> None:
    counter = MessageCounter()

    counter.publish({"sender_id": "ann", **_user("how big is the fund?", "ask_fund_size")})
    counter.publish({"sender_id": "bob", **_user("hi", "greet", channel="slack")})

    assert _count(fresh_metrics, "tsf_messages_total", channel="rest") == 1
    assert _count(fresh_metrics, "tsf_messages_total", channel="slack") == 1
    assert _count(fresh_metrics, "tsf_intents_total", intent="ask_fund_size") == 1
    assert _count(fresh_metrics, "tsf_intents_total", intent="greet") == 1


def test_bot_and_action_events_and_rasas_own_messages_are_not_counted(
    fresh_metrics: Metrics,
) -> None:
    counter = MessageCounter()

    counter.publish(BotUttered("Hello").as_dict())
    counter.publish(ActionExecuted("action_listen").as_dict())
    counter.publish(_user("EXTERNAL: EXTERNAL_handover_timeout", "EXTERNAL_handover_timeout"))

    assert fresh_metrics.exposition().count(b"\ntsf_messages_total{") == 0


def test_a_message_without_channel_or_intent_is_counted_as_unknown() -> None:
    assert counted_message({"event": "user", "text": "hm"}) == (None, None)


def test_the_endpoints_files_give_rasa_the_counter(monkeypatch: pytest.MonkeyPatch) -> None:
    for variable in ("TSF_ACTION_ENDPOINT_URL", "TSF_TRACKER_DB_URL"):
        monkeypatch.setenv(variable, "http://127.0.0.1:1")
    config = read_endpoint_config(str(ROOT / "rasa_project/endpoints.yml"), "event_broker")
    assert isinstance(config, EndpointConfig)
    broker = asyncio.run(EventBroker.create(config))
    production = yaml.safe_load((ROOT / "rasa_project/endpoints.production.yml").read_text())

    assert isinstance(broker, MessageCounter)
    assert production["event_broker"] == {"type": config.type}
