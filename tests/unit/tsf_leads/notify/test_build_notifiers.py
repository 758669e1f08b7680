"""``build_notifiers`` switches each notifier on from its variables, and names what is wrong."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import tsf_leads.notify as notify_package
from tsf_config import SettingsError, shared
from tsf_leads.notify import (
    VARIABLES,
    EmailNotifier,
    SlackNotifier,
    TeamsNotifier,
    build_notifiers,
)

SLACK = {"TSF_NOTIFY_SLACK_WEBHOOK_URL": "https://hooks.slack.com/services/T0/B0/x"}
TEAMS = {"TSF_NOTIFY_TEAMS_WEBHOOK_URL": "https://prod.westeurope.logic.azure.com/workflows/1"}
EMAIL = {
    "TSF_NOTIFY_SMTP_HOST": "smtp.office365.com",
    "TSF_NOTIFY_SMTP_USER": "bot@example.gov.uk",
    "TSF_NOTIFY_SMTP_PASSWORD": "pw",
    "TSF_NOTIFY_EMAIL_FROM": "bot@example.gov.uk",
    "TSF_NOTIFY_EMAIL_TO": "team@example.gov.uk, duty@example.gov.uk",
}


def test_nothing_configured_means_no_notifiers() -> None:
    assert build_notifiers({}) == []


def test_each_notifier_is_switched_on_by_its_variables() -> None:
    notifiers = build_notifiers({**EMAIL, **TEAMS, **SLACK})

    assert [type(n) for n in notifiers] == [SlackNotifier, TeamsNotifier, EmailNotifier]
    assert [n.name for n in notifiers] == ["slack", "teams", "email"]


def test_email_defaults_are_port_587_with_starttls() -> None:
    [email] = build_notifiers(EMAIL)

    assert isinstance(email, EmailNotifier)
    assert email.port == 587
    assert email.starttls is True
    assert email.recipients == ("team@example.gov.uk", "duty@example.gov.uk")


@pytest.mark.parametrize("variable", ["TSF_NOTIFY_EMAIL_FROM", "TSF_NOTIFY_EMAIL_TO"])
def test_missing_email_variables_are_named(variable: str) -> None:
    environ = {key: value for key, value in EMAIL.items() if key != variable}

    with pytest.raises(ValueError, match=variable):
        build_notifiers(environ)


@pytest.mark.parametrize(
    ("overrides", "variable"),
    [
        ({"TSF_NOTIFY_SMTP_PASSWORD": ""}, "TSF_NOTIFY_SMTP_PASSWORD"),
        ({"TSF_NOTIFY_SMTP_PORT": "smtp"}, "TSF_NOTIFY_SMTP_PORT"),
        ({"TSF_NOTIFY_SMTP_PORT": "70000"}, "TSF_NOTIFY_SMTP_PORT"),
        ({"TSF_NOTIFY_SMTP_STARTTLS": "maybe"}, "TSF_NOTIFY_SMTP_STARTTLS"),
        ({"TSF_NOTIFY_SMTP_STARTTLS": "false"}, "TSF_NOTIFY_SMTP_STARTTLS"),
        ({"TSF_NOTIFY_EMAIL_TO": "team"}, "TSF_NOTIFY_EMAIL_TO"),
        ({"TSF_NOTIFY_EMAIL_TO": "a@b.org\r\nBcc: c@d.org"}, "TSF_NOTIFY_EMAIL_TO"),
        ({"TSF_NOTIFY_TIMEOUT": "-1"}, "TSF_NOTIFY_TIMEOUT"),
    ],
)
def test_unusable_email_settings_are_refused(overrides: dict[str, str], variable: str) -> None:
    with pytest.raises(SettingsError, match=variable):
        build_notifiers({**EMAIL, **overrides})


def test_a_password_is_never_sent_unencrypted_except_to_localhost() -> None:
    local = {**EMAIL, "TSF_NOTIFY_SMTP_HOST": "localhost", "TSF_NOTIFY_SMTP_STARTTLS": "off"}

    [email] = build_notifiers(local)

    assert isinstance(email, EmailNotifier)


@pytest.mark.parametrize(
    "environ",
    [
        {"TSF_NOTIFY_SLACK_WEBHOOK_URL": "http://hooks.slack.com/services/x"},
        {"TSF_NOTIFY_TEAMS_WEBHOOK_URL": "not a url"},
    ],
)
def test_webhook_urls_must_be_https(environ: dict[str, str]) -> None:
    [variable] = environ

    with pytest.raises(SettingsError, match=variable):
        build_notifiers(environ)


def test_every_variable_read_is_documented() -> None:
    source = "".join(path.read_text() for path in Path(notify_package.__file__).parent.glob("*.py"))

    declared = {variable.name for variable in (*VARIABLES, *shared.VARIABLES)}
    assert set(re.findall(r'"(TSF_[A-Z_]+)"', source)) <= declared
    assert {variable.name for variable in VARIABLES} <= set(re.findall(r'"(TSF_[A-Z_]+)"', source))
    assert {v.name: v.default for v in VARIABLES if v.default} == {
        "TSF_NOTIFY_TIMEOUT": "10",
        "TSF_NOTIFY_SMTP_PORT": "587",
        "TSF_NOTIFY_SMTP_STARTTLS": "true",
    }
