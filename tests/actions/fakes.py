"""Lead services for action tests: a store in memory, or one whose database refuses."""

from __future__ import annotations

from sqlalchemy import text

from actions.services import Services, get_services
from tsf_leads.repository import open_store
from tsf_leads.service import LeadService


def memory_leads() -> LeadService:
    """The lead service on a fresh store in memory, queueing leads for a webhook CRM."""
    return LeadService(open_store("sqlite://"), ["crm:webhook"])


def refusing_leads() -> LeadService:
    """A lead service whose database refuses every new lead, quoting what it was given."""
    service = memory_leads()
    with service.store.engine.begin() as connection:
        connection.execute(
            text(
                "CREATE TRIGGER refuse BEFORE INSERT ON leads "
                "BEGIN SELECT RAISE(ABORT, 'database is down'); END"
            )
        )
    return service


def services_with(leads: LeadService) -> Services:
    """The real knowledge services with ``leads`` in place of the configured database."""
    real = get_services()
    return Services(knowledge=real.knowledge, retriever=real.retriever, leads=lambda: leads)
