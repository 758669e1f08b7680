"""The email notifier against a real local SMTP server (aiosmtpd), with and without TLS."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest

from tests.fakes import serving
from tests.fakes.leads import REFERENCE, make_lead
from tests.fakes.smtp import FakeSmtpServer
from tsf_leads.contracts import CrmAuthError, CrmRejected, CrmUnavailable
from tsf_leads.notify import EmailNotifier, build_notifiers

TEAM = ["investments@example.gov.uk", "duty@example.gov.uk"]


@pytest.fixture
def smtp() -> Iterator[FakeSmtpServer]:
    yield from serving(FakeSmtpServer())


@pytest.fixture
def secure_smtp() -> Iterator[FakeSmtpServer]:
    yield from serving(FakeSmtpServer(tls=True, users={"tsf-bot": "correct horse"}))


def plain_notifier(server: FakeSmtpServer, timeout: float = 5.0) -> EmailNotifier:
    return EmailNotifier(
        host=server.host,
        port=server.port,
        sender="TSF Assistant <assistant@example.gov.uk>",
        recipients=TEAM,
        starttls=False,
        timeout=timeout,
    )


def secure_notifier(server: FakeSmtpServer, password: str = "correct horse") -> EmailNotifier:
    return EmailNotifier(
        host=server.host,
        port=server.port,
        sender="assistant@example.gov.uk",
        recipients=TEAM[:1],
        username="tsf-bot",
        password=password,
        starttls=True,
        timeout=5.0,
        ssl_context=server.client_ssl_context,
    )


def test_the_team_receives_a_text_and_html_email(smtp: FakeSmtpServer) -> None:
    plain_notifier(smtp).notify(make_lead(REFERENCE))

    [envelope] = smtp.envelopes
    assert envelope.mail_from == "assistant@example.gov.uk"
    assert envelope.rcpt_tos == tuple(TEAM)
    message = envelope.message()
    assert message["From"] == "TSF Assistant <assistant@example.gov.uk>"
    assert message["Subject"] == (
        f"TSF lead {REFERENCE}: Northshire Health Tech CIC (Eligible, high priority)"
    )
    assert message["To"] == ", ".join(TEAM)
    assert message["Message-ID"] == f"<lead.{REFERENCE}@example.gov.uk>"
    assert message["X-TSF-Reference"] == REFERENCE
    assert message["Auto-Submitted"] == "auto-generated"
    assert message.get_content_type() == "multipart/alternative"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "Amount: £500,000" in text
    assert f"New warm lead {REFERENCE}" in html


def test_user_text_is_escaped_in_html_and_cannot_add_headers(smtp: FakeSmtpServer) -> None:
    lead = make_lead(
        REFERENCE,
        organisation="<img src=x onerror=alert(1)> & Co\r\nBcc: victim@example.com",
        markdown="<script>steal()</script>",
    )

    plain_notifier(smtp).notify(lead)

    message = smtp.messages[0]
    assert message["Bcc"] is None
    assert "\n" not in message["Subject"]
    assert smtp.envelopes[0].rcpt_tos == tuple(TEAM)
    html = message.get_body(("html",)).get_content()
    assert "<img" not in html and "<script>" not in html
    assert "&lt;img src=x onerror=alert(1)&gt; &amp; Co Bcc: victim@example.com" in html
    assert "&lt;script&gt;steal()&lt;/script&gt;" in html


def test_starttls_and_login_are_used(secure_smtp: FakeSmtpServer) -> None:
    secure_notifier(secure_smtp).notify(make_lead(REFERENCE))

    assert secure_smtp.logins == ["tsf-bot"]
    assert len(secure_smtp.envelopes) == 1


def test_a_wrong_password_is_an_auth_error(secure_smtp: FakeSmtpServer) -> None:
    with pytest.raises(CrmAuthError) as raised:
        secure_notifier(secure_smtp, password="wrong").notify(make_lead(REFERENCE))

    assert raised.value.status_code == 535
    assert secure_smtp.envelopes == []


def test_an_untrusted_certificate_is_refused(secure_smtp: FakeSmtpServer) -> None:
    notifier = EmailNotifier(
        host=secure_smtp.host,
        port=secure_smtp.port,
        sender="assistant@example.gov.uk",
        recipients=TEAM,
        starttls=True,
        timeout=5.0,
    )

    with pytest.raises(CrmRejected, match="certificate"):
        notifier.notify(make_lead(REFERENCE))


def test_starttls_on_a_server_without_it_is_refused(smtp: FakeSmtpServer) -> None:
    notifier = EmailNotifier(
        host=smtp.host, port=smtp.port, sender="a@example.org", recipients=TEAM, timeout=5.0
    )

    with pytest.raises(CrmRejected, match="STARTTLS"):
        notifier.notify(make_lead(REFERENCE))


@pytest.mark.parametrize(("code", "error"), [(451, CrmUnavailable), (554, CrmRejected)])
def test_smtp_replies_map_to_temporary_or_permanent(
    smtp: FakeSmtpServer, code: int, error: type[Exception]
) -> None:
    smtp.fail_next(code)

    with pytest.raises(error, match=str(code)):
        plain_notifier(smtp).notify(make_lead(REFERENCE))

    plain_notifier(smtp).notify(make_lead(REFERENCE))
    assert len(smtp.envelopes) == 1


def test_every_recipient_refused_is_a_rejection(smtp: FakeSmtpServer) -> None:
    for address in TEAM:
        smtp.refuse_recipient(address)

    with pytest.raises(CrmRejected, match="550"):
        plain_notifier(smtp).notify(make_lead(REFERENCE))


def test_one_refused_recipient_does_not_fail_the_others(smtp: FakeSmtpServer) -> None:
    smtp.refuse_recipient(TEAM[1])

    plain_notifier(smtp).notify(make_lead(REFERENCE))

    assert smtp.envelopes[0].rcpt_tos == (TEAM[0],)


def test_a_slow_server_times_out_as_temporary(smtp: FakeSmtpServer) -> None:
    smtp.stall_next(1.5)

    with pytest.raises(CrmUnavailable):
        plain_notifier(smtp, timeout=0.3).notify(make_lead(REFERENCE))


def test_a_server_that_is_down_is_temporary() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    notifier = EmailNotifier(
        host="127.0.0.1", port=port, sender="a@example.org", recipients=TEAM, starttls=False
    )

    with pytest.raises(CrmUnavailable, match="could not be reached"):
        notifier.notify(make_lead(REFERENCE))


def test_build_notifiers_configures_email_from_the_environment(smtp: FakeSmtpServer) -> None:
    [notifier] = build_notifiers(
        {
            "TSF_NOTIFY_SMTP_HOST": smtp.host,
            "TSF_NOTIFY_SMTP_PORT": str(smtp.port),
            "TSF_NOTIFY_SMTP_STARTTLS": "false",
            "TSF_NOTIFY_EMAIL_FROM": "assistant@example.gov.uk",
            "TSF_NOTIFY_EMAIL_TO": " investments@example.gov.uk , duty@example.gov.uk ",
        }
    )

    notifier.notify(make_lead(REFERENCE))

    assert notifier.name == "email"
    assert smtp.envelopes[0].rcpt_tos == tuple(TEAM)
