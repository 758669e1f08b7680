"""The dialogue's gateway stores a lead with an outbox row per configured destination."""

from __future__ import annotations

from pathlib import Path

from tests.fakes.leads import make_lead
from tsf_leads.gateway import database_gateway
from tsf_leads.service import get_lead
from tsf_leads.settings import load_settings


def test_a_submitted_lead_is_stored_and_queued_for_the_configured_crm(tmp_path: Path) -> None:
    settings = load_settings(
        {
            "TSF_LEADS_DB_URL": f"sqlite:///{tmp_path / 'leads.db'}",
            "TSF_CRM": "webhook",
            "TSF_CRM_WEBHOOK_URL": "http://127.0.0.1:9/hook",
            "TSF_CRM_WEBHOOK_SECRET": "0123456789abcdef0123",
        }
    )
    gateway = database_gateway(settings)
    lead = make_lead()

    stored = gateway.submit(lead.summary, lead.consent)

    record = get_lead(gateway.store.unit_of_work(), stored.reference)
    assert record.lead.summary.organisation == lead.summary.organisation
    assert [delivery.destination for delivery in record.deliveries] == ["crm:webhook"]
