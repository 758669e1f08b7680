"""The lead gateway the dialogue uses: store a confirmed lead with its outbox rows."""

from __future__ import annotations

from dataclasses import dataclass

from tsf_leads.contracts import Consent, LeadSummary, StoredLead
from tsf_leads.destinations import configured_destinations
from tsf_leads.service import submit_lead
from tsf_leads.settings import LeadSettings, load_settings
from tsf_leads.unit_of_work import LeadStore, store_from_settings


@dataclass
class DatabaseLeadGateway:
    """Submits leads to the configured database, queued for the configured destinations."""

    store: LeadStore
    settings: LeadSettings

    def submit(self, summary: LeadSummary, consent: Consent) -> StoredLead:
        """Write the lead and its outbox rows in one transaction; return it with its reference."""
        return submit_lead(
            self.store.unit_of_work(), summary, consent, configured_destinations(self.settings)
        )


def database_gateway(settings: LeadSettings | None = None) -> DatabaseLeadGateway:
    """Open (and migrate) the store named by ``TSF_LEADS_DB_URL``."""
    settings = settings or load_settings()
    return DatabaseLeadGateway(store=store_from_settings(settings), settings=settings)
