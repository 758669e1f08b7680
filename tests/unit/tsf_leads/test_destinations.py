"""Destinations come from the settings; adapters are imported only to deliver."""

from __future__ import annotations

import sys
import types
from collections.abc import Mapping

import pytest

from tests.support.fake_adapters import CountingAdapter, CountingNotifier
from tsf_leads.destinations import (
    DeliveryConfigError,
    build_registry,
    configured_destinations,
    crm_destination,
)
from tsf_leads.settings import load_settings


def _module(name: str, **attributes: object) -> types.ModuleType:
    module = types.ModuleType(name)
    for key, value in attributes.items():
        setattr(module, key, value)
    return module


@pytest.fixture
def fake_modules(monkeypatch: pytest.MonkeyPatch) -> dict[str, object]:
    """Stand-in ``tsf_leads.crm`` and ``tsf_leads.notify`` modules."""
    built: dict[str, object] = {}

    def build_adapter(environ: Mapping[str, str]) -> CountingAdapter:
        built["crm"] = CountingAdapter(environ["TSF_CRM"])
        return built["crm"]  # type: ignore[return-value]

    def build_notifiers(environ: Mapping[str, str]) -> list[CountingNotifier]:
        built["notify"] = CountingNotifier("slack")
        return [built["notify"]]  # type: ignore[list-item]

    monkeypatch.setitem(
        sys.modules, "tsf_leads.crm", _module("tsf_leads.crm", build_adapter=build_adapter)
    )
    monkeypatch.setitem(
        sys.modules,
        "tsf_leads.notify",
        _module("tsf_leads.notify", build_notifiers=build_notifiers),
    )
    return built


@pytest.mark.parametrize(("crm", "destination"), [("none", None), ("hubspot", "crm:hubspot")])
def test_crm_destination(crm: str, destination: str | None) -> None:
    assert crm_destination(load_settings({"TSF_CRM": crm})) == destination


def test_registry_keys_adapters_by_destination(fake_modules: dict[str, object]) -> None:
    registry = build_registry(load_settings({"TSF_CRM": "webhook"}))

    assert registry == {"crm:webhook": fake_modules["crm"], "notify:slack": fake_modules["notify"]}


def test_configured_destinations_match_the_registry(fake_modules: dict[str, object]) -> None:
    settings = load_settings({"TSF_CRM": "salesforce"})

    assert configured_destinations(settings) == sorted(build_registry(settings))


def test_no_crm_means_no_crm_adapter_is_imported(
    monkeypatch: pytest.MonkeyPatch, fake_modules: dict[str, object]
) -> None:
    monkeypatch.setitem(sys.modules, "tsf_leads.crm", None)

    assert list(build_registry(load_settings({}))) == ["notify:slack"]


def test_a_missing_crm_package_fails_clearly_when_delivering(
    monkeypatch: pytest.MonkeyPatch, fake_modules: dict[str, object]
) -> None:
    monkeypatch.setitem(sys.modules, "tsf_leads.crm", None)

    with pytest.raises(DeliveryConfigError, match=r"tsf_leads\.crm\.build_adapter"):
        build_registry(load_settings({"TSF_CRM": "hubspot"}))


def test_a_missing_notify_package_fails_clearly_when_delivering(
    monkeypatch: pytest.MonkeyPatch, fake_modules: dict[str, object]
) -> None:
    monkeypatch.setitem(sys.modules, "tsf_leads.notify", None)

    with pytest.raises(DeliveryConfigError, match=r"tsf_leads\.notify\.build_notifiers"):
        build_registry(load_settings({}))


def test_an_adapter_that_cannot_be_built_fails_clearly(monkeypatch: pytest.MonkeyPatch) -> None:
    def build_adapter(environ: Mapping[str, str]) -> None:
        raise KeyError("TSF_HUBSPOT_TOKEN")

    monkeypatch.setitem(
        sys.modules, "tsf_leads.crm", _module("tsf_leads.crm", build_adapter=build_adapter)
    )

    with pytest.raises(DeliveryConfigError, match=r"hubspot CRM adapter.*TSF_HUBSPOT_TOKEN"):
        build_registry(load_settings({"TSF_CRM": "hubspot"}))


def test_storing_a_lead_never_depends_on_the_notifiers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "tsf_leads.notify", None)

    assert configured_destinations(load_settings({"TSF_CRM": "dynamics"})) == ["crm:dynamics"]
