"""The metrics: one registry per process, counted by label, exposed in Prometheus's format."""

from __future__ import annotations

from prometheus_client.parser import text_string_to_metric_families

from tsf_config.metrics import Metrics, metrics


def samples(registry_metrics: Metrics) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Every sample of the exposition, by name and labels."""
    text = registry_metrics.exposition().decode()
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def test_a_message_is_counted_by_channel_and_by_intent() -> None:
    counted = Metrics()

    counted.message("rest", "greet")
    counted.message("rest", "ask_amount")
    counted.message(None, None)

    values = samples(counted)
    assert values[("tsf_messages_total", (("channel", "rest"),))] == 2
    assert values[("tsf_messages_total", (("channel", "unknown"),))] == 1
    assert values[("tsf_intents_total", (("intent", "greet"),))] == 1
    assert values[("tsf_intents_total", (("intent", "unknown"),))] == 1


def test_answers_are_counted_per_fact_and_checks_per_verdict() -> None:
    counted = Metrics()

    counted.answered(["loan_amount", "loan_term", "loan_amount"])
    counted.checked("eligible")

    values = samples(counted)
    assert values[("tsf_answers_total", (("fact", "loan_amount"),))] == 2
    assert values[("tsf_answers_total", (("fact", "loan_term"),))] == 1
    assert values[("tsf_eligibility_checks_total", (("verdict", "eligible"),))] == 1


def test_the_leads_gauge_shows_zero_for_statuses_with_no_lead() -> None:
    counted = Metrics()

    counted.lead_counts({"pending": 3}, ["pending", "delivered", "dead"])
    counted.lead_counts({"delivered": 3}, ["pending", "delivered", "dead"])

    values = samples(counted)
    assert values[("tsf_leads", (("status", "pending"),))] == 0
    assert values[("tsf_leads", (("status", "delivered"),))] == 3
    assert values[("tsf_leads", (("status", "dead"),))] == 0


def test_each_set_of_metrics_has_its_own_registry_and_the_process_has_one() -> None:
    first, second = Metrics(), Metrics()
    first.fallbacks.inc()

    assert samples(first)[("tsf_fallbacks_total", ())] == 1
    assert samples(second)[("tsf_fallbacks_total", ())] == 0
    assert metrics() is metrics()
