"""Destinations come from the settings; the adapters behind them are built to deliver."""

from __future__ import annotations

from collections.abc import Mapping

import pytest

from tests.support.fake_adapters import CountingAdapter, CountingNotifier
from tsf_leads import destinations
from tsf_leads.destinations import (
    DeliveryConfigError,
    build_registry,
    configured_destinations,
    crm_destination,
)
from tsf_leads.settings import load_settings


@pytest.fixture
def built(monkeypatch: pytest.MonkeyPatch) -> dict[str, object]:
    """Stand-in builders for the CRM adapter and the notifiers; what they built."""
    built: dict[str, object] = {}

    def build_adapter(environ: Mapping[str, str]) -> CountingAdapter:
        built["crm"] = CountingAdapter(environ.get("TSF_CRM", "none"))
        return built["crm"]  # type: ignore[return-value]

    def build_notifiers(environ: Mapping[str, str]) -> list[CountingNotifier]:
        built["notify"] = CountingNotifier("slack")
        return [built["notify"]]  # type: ignore[list-item]

    monkeypatch.setattr(destinations, "build_adapter", build_adapter)
    monkeypatch.setattr(destinations, "build_notifiers", build_notifiers)
    return built


def _failing(error: Exception) -> object:
    def build(environ: Mapping[str, str]) -> None:
        raise error

    return build


@pytest.mark.parametrize(("crm", "destination"), [("none", None), ("hubspot", "crm:hubspot")])
def test_crm_destination(crm: str, destination: str | None) -> None:
    assert crm_destination(load_settings({"TSF_CRM": crm})) == destination


def test_registry_keys_adapters_by_destination(built: dict[str, object]) -> None:
    registry = build_registry(load_settings({"TSF_CRM": "webhook"}))

    assert registry == {"crm:webhook": built["crm"], "notify:slack": built["notify"]}


def test_configured_destinations_match_the_registry(built: dict[str, object]) -> None:
    settings = load_settings({"TSF_CRM": "salesforce"})

    assert configured_destinations(settings) == sorted(build_registry(settings))


def test_no_crm_means_no_crm_adapter_is_built(
    monkeypatch: pytest.MonkeyPatch, built: dict[str, object]
) -> None:
    monkeypatch.setattr(destinations, "build_adapter", _failing(AssertionError("built")))

    assert list(build_registry(load_settings({}))) == ["notify:slack"]


def test_an_adapter_that_cannot_be_built_fails_clearly(
    monkeypatch: pytest.MonkeyPatch, built: dict[str, object]
) -> None:
    monkeypatch.setattr(destinations, "build_adapter", _failing(KeyError("TSF_HUBSPOT_TOKEN")))

    with pytest.raises(DeliveryConfigError, match=r"hubspot CRM adapter.*TSF_HUBSPOT_TOKEN"):
        build_registry(load_settings({"TSF_CRM": "hubspot"}))


def test_notifiers_that_cannot_be_built_fail_clearly_when_delivering(
    monkeypatch: pytest.MonkeyPatch, built: dict[str, object]
) -> None:
    monkeypatch.setattr(destinations, "build_notifiers", _failing(ValueError("TSF_NOTIFY_X")))

    with pytest.raises(DeliveryConfigError, match=r"cannot build the notifiers: TSF_NOTIFY_X"):
        build_registry(load_settings({}))


def test_storing_a_lead_never_depends_on_the_notifiers(
    monkeypatch: pytest.MonkeyPatch, built: dict[str, object]
) -> None:
    monkeypatch.setattr(destinations, "build_notifiers", _failing(ValueError("TSF_NOTIFY_X")))

    assert configured_destinations(load_settings({"TSF_CRM": "dynamics"})) == ["crm:dynamics"]
