"""Alembic migrations of the lead store (run with ``tsf_leads.db.migrate``)."""
