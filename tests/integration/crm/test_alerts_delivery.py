"""A lead the CRM refuses is dead-lettered, and the team hears about it exactly once: one
Slack message and one email, however many times the worker goes round afterwards."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fakes import serving
from tests.fakes.chat import FakeSlackWebhook, FakeTeamsWebhook
from tests.fakes.crm_harness import Harness
from tests.fakes.smtp import FakeSmtpServer
from tests.support.leads import make_consent, make_contact, make_summary
from tsf_leads.cli import main
from tsf_leads.destinations import configured_destinations
from tsf_leads.repository import open_store
from tsf_leads.service import LeadService
from tsf_leads.settings import load_settings

TEAM = "team@example.gov.uk"
PERSON = ("Grace Hopper", "grace@example.org")


@pytest.fixture
def slack() -> Iterator[FakeSlackWebhook]:
    yield from serving(FakeSlackWebhook())


@pytest.fixture
def teams() -> Iterator[FakeTeamsWebhook]:
    yield from serving(FakeTeamsWebhook())


@pytest.fixture
def smtp() -> Iterator[FakeSmtpServer]:
    yield from serving(FakeSmtpServer())


def _environment(
    hubspot: Harness,
    slack: FakeSlackWebhook,
    teams: FakeTeamsWebhook,
    smtp: FakeSmtpServer,
    tmp_path: Path,
) -> dict[str, str]:
    return {
        **hubspot.environ,
        "TSF_LEADS_DB_URL": f"sqlite:///{tmp_path / 'leads.db'}",
        "TSF_CRM_CONNECT_TIMEOUT": "2",
        "TSF_CRM_READ_TIMEOUT": "5",
        "TSF_NOTIFY_SLACK_WEBHOOK_URL": slack.hook_url,
        "TSF_NOTIFY_TEAMS_WEBHOOK_URL": teams.hook_url,
        "TSF_NOTIFY_SMTP_HOST": smtp.host,
        "TSF_NOTIFY_SMTP_PORT": str(smtp.port),
        "TSF_NOTIFY_SMTP_STARTTLS": "false",
        "TSF_NOTIFY_EMAIL_FROM": "assistant@example.gov.uk",
        "TSF_NOTIFY_EMAIL_TO": TEAM,
        "TSF_WORKER_METRICS_PORT": "0",
    }


def _submit(environ: dict[str, str]) -> str:
    settings = load_settings(environ)
    store = open_store(settings.db_url)
    try:
        summary = make_summary(contact=make_contact(name=PERSON[0], email=PERSON[1]))
        service = LeadService(store, configured_destinations(settings))
        return service.submit(summary, make_consent()).reference
    finally:
        store.dispose()


def _deliver_once(environ: dict[str, str]) -> str:
    out = io.StringIO()
    assert main(["deliver", "--once"], environ=environ, stdout=out, stderr=io.StringIO()) == 0
    return out.getvalue()


def test_a_lead_the_crm_refuses_alerts_slack_teams_and_email_exactly_once(
    hubspot: Harness,
    slack: FakeSlackWebhook,
    teams: FakeTeamsWebhook,
    smtp: FakeSmtpServer,
    tmp_path: Path,
) -> None:
    environ = _environment(hubspot, slack, teams, smtp, tmp_path)
    reference = _submit(environ)
    hubspot.fake.fail_next(400, times=10)

    first = _deliver_once(environ)
    for _ in range(4):
        _deliver_once(environ)

    alerts = [m for m in slack.messages if "could not be delivered" in m.get("text", "")]
    alert_emails = [m for m in smtp.messages if m["Subject"].startswith("Alert:")]
    alert_cards = [c for c in teams.cards if "could not be delivered" in str(c)]
    assert "1 dead-lettered" in first
    assert len(alerts) == 1 and len(alert_emails) == 1 and len(alert_cards) == 1
    text, email = json.dumps(alerts[0]), alert_emails[0]
    assert reference in text and "crm:hubspot" in text and "HTTP 400" in text
    body = email.get_body(("plain",)).get_content()
    assert reference in email["Subject"] and "crm:hubspot" in body and "HTTP 400" in body
    for said in (text, email.as_string(), str(alert_cards[0])):
        assert PERSON[0] not in said and PERSON[1] not in said
    # The new-lead messages went out once too, beside the alert.
    assert slack.delivery_count(reference) == 2 and teams.delivery_count(reference) == 2
