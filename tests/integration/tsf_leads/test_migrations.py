"""Migrations bring an empty database to the schema the code expects, at every start."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

from tests.support.leads import make_consent, make_summary
from tsf_leads.db import VERSION_TABLE, make_engine, metadata, migrate
from tsf_leads.repository import LeadStore, open_store
from tsf_leads.service import LeadService


def test_migrating_creates_the_tables_and_records_the_version(db_url: str) -> None:
    migrate(db_url)

    engine = make_engine(db_url)
    try:
        tables = set(inspect(engine).get_table_names())
        with engine.connect() as connection:
            version = connection.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalar()
    finally:
        engine.dispose()
    assert {"leads", "outbox", "lead_sequences", VERSION_TABLE} <= tables
    assert version == "0003"


def test_migrating_again_changes_nothing(store: LeadStore) -> None:
    migrate(store.engine)
    migrate(store.engine)

    with store.engine.connect() as connection:
        versions = connection.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).all()
    assert versions == [("0003",)]


def test_the_migrated_schema_matches_the_tables_in_code(store: LeadStore) -> None:
    with store.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), metadata)

    assert [d for d in differences if VERSION_TABLE not in str(d)] == []


def test_sqlite_connections_enforce_foreign_keys_and_use_wal(sqlite_url: str) -> None:
    engine = make_engine(sqlite_url)
    try:
        with engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30000
    finally:
        engine.dispose()


def test_an_in_memory_store_works_for_quick_tests() -> None:
    store = open_store("sqlite://")
    try:
        lead = LeadService(store, ["crm:webhook"]).submit(make_summary(), make_consent())

        assert LeadService(store).get(lead.reference).lead == lead
    finally:
        store.dispose()


def test_processes_starting_together_migrate_one_at_a_time(db_url: str) -> None:
    barrier = threading.Barrier(4, timeout=30)

    def start() -> None:
        barrier.wait()
        migrate(db_url)

    with ThreadPoolExecutor(max_workers=4) as pool:
        for future in [pool.submit(start) for _ in range(4)]:
            future.result(timeout=60)

    engine = make_engine(db_url)
    try:
        with engine.connect() as connection:
            versions = connection.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).all()
    finally:
        engine.dispose()
    assert versions == [("0003",)]


def test_a_store_from_before_team_statuses_keeps_its_leads_and_deliveries(db_url: str) -> None:
    migrate(db_url, "0001")
    engine = make_engine(db_url)
    try:
        with engine.begin() as connection:
            lead_id = connection.execute(
                text(
                    "INSERT INTO leads (reference, year, sequence, conversation_id, email_hash,"
                    " organisation, verdict, priority, score, status, payload, markdown,"
                    " created_at, consent_given_at, consent_notice_version, consent_purpose)"
                    " VALUES ('TSF-2026-000001', 2026, 1, 'c-1', 'h', 'Org', 'eligible', 'high',"
                    " 90, 'delivered', '{}', '# Lead', '2026-03-02 10:00:00',"
                    " '2026-03-02 10:00:00', '2026-01', 'contact') RETURNING id"
                )
            ).scalar_one()
            connection.execute(
                text(
                    "INSERT INTO outbox (lead_id, destination, idempotency_key, status, attempts,"
                    " next_attempt_at, external_id, created_at, updated_at) VALUES (:lead,"
                    " 'crm:hubspot', 'TSF-2026-000001', 'sent', 1, '2026-03-02 10:00:00', '101',"
                    " '2026-03-02 10:00:00', '2026-03-02 10:00:00')"
                ),
                {"lead": lead_id},
            )
        migrate(engine)
        with engine.connect() as connection:
            row = connection.execute(
                text("SELECT destination, job, external_id, status_change_id FROM outbox")
            ).one()
            team = connection.execute(text("SELECT team_status FROM leads")).scalar_one()
    finally:
        engine.dispose()
    assert tuple(row) == ("crm:hubspot", "lead", "101", None)
    assert team is None
