"""What the live-chat and lead-button end-to-end tests share: polling, and a lead stored now."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import TypeVar

from tests.support.leads import make_consent, make_contact, make_summary
from tsf_leads.repository import open_store
from tsf_leads.service import LeadService

T = TypeVar("T")


def wait_for(read: Callable[[], T], timeout: float = 30.0) -> T:
    """Poll ``read()`` until it returns something truthy; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = read()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError("timed out waiting")


def store_lead(workdir: Path, destinations: Sequence[str] = ("crm:webhook",)) -> str:
    """A lead created now, stored in the assistant's lead database at ``workdir`` as the
    dialogue stores it, for ``destinations``; its reference."""
    store = open_store(f"sqlite:///{workdir / 'leads.db'}")
    try:
        now = datetime.now(timezone.utc)
        summary = make_summary(
            conversation_id=f"rest:{uuid.uuid4().hex[:8]}",
            contact=make_contact(email=f"{uuid.uuid4().hex[:6]}@example.org"),
            created_at=now,
        )
        consent = make_consent(given_at=now - timedelta(minutes=1))
        return LeadService(store, list(destinations)).submit(summary, consent).reference
    finally:
        store.dispose()
