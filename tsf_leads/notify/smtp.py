"""Email over SMTP: a plain-text and HTML message about each new lead, sent with ``smtplib``.

The connection uses STARTTLS by default (port 587) with certificate checks, logs in when a
user is configured, and has a timeout on every socket operation. Everything the enquirer typed
is escaped in the HTML part and folded onto one line in headers, so it cannot add headers or
markup. The ``Message-ID`` is derived from the lead reference: if a retry sends the email
twice, mail clients can recognise the duplicate.

SMTP replies map to the usual exceptions: 4xx replies, lost connections and timeouts are
temporary (``CrmUnavailable``); 5xx replies are permanent (``CrmRejected``); a refused login
is ``CrmAuthError``.
"""

from __future__ import annotations

import html
import logging
import smtplib
import ssl
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formatdate, parseaddr

from tsf_leads.contracts import (
    CrmAuthError,
    CrmRejected,
    CrmUnavailable,
    StoredLead,
    TeamMessage,
)
from tsf_leads.crm.mapping import criterion_outcome, lead_facts, one_line, subject_line, truncate

__all__ = ["EmailNotifier", "build_email", "build_team_email"]

logger = logging.getLogger(__name__)

SUBJECT_LIMIT = 200


def _facts(lead: StoredLead) -> list[tuple[str, str]]:
    return [("Reference", lead.reference), *lead_facts(lead)]


def _plain(lead: StoredLead) -> str:
    lines = ["A new warm lead from the TSF Assistant.", ""]
    lines += [f"{name}: {value}" for name, value in _facts(lead)]
    lines += ["", lead.markdown.strip(), ""]
    return "\n".join(lines)


def _html(lead: StoredLead) -> str:
    e = html.escape
    rows = "".join(
        f"<tr><th align='left'>{e(name)}</th><td>{e(value)}</td></tr>"
        for name, value in _facts(lead)
    )
    criteria = "".join(
        f"<li><strong>{e(one_line(item.title))}</strong>: {e(criterion_outcome(item))}</li>"
        for item in lead.summary.criteria
    )
    return (
        "<!DOCTYPE html><html><body>"
        f"<h1>New warm lead {e(lead.reference)}</h1>"
        f"<table>{rows}</table>"
        + (f"<h2>Eligibility</h2><ul>{criteria}</ul>" if criteria else "")
        + f"<h2>Summary</h2><pre style='white-space: pre-wrap'>{e(lead.markdown.strip())}</pre>"
        "</body></html>"
    )


def build_email(lead: StoredLead, sender: str, recipients: Sequence[str]) -> EmailMessage:
    """The email for ``lead``: plain text plus an escaped HTML alternative."""
    domain = parseaddr(sender)[1].rpartition("@")[2] or "tsf-assistant.invalid"
    message = EmailMessage()
    message["Subject"] = truncate(one_line(subject_line(lead)), SUBJECT_LIMIT)
    message["From"] = sender
    message["To"] = ", ".join(recipients)
    message["Date"] = formatdate(usegmt=True)
    message["Message-ID"] = f"<lead.{lead.reference}@{domain}>"
    message["Auto-Submitted"] = "auto-generated"
    message["X-TSF-Reference"] = lead.reference
    message.set_content(_plain(lead))
    message.add_alternative(_html(lead), subtype="html")
    return message


def build_team_email(message: TeamMessage, sender: str, recipients: Sequence[str]) -> EmailMessage:
    """The email for a message to the team: plain text plus an escaped HTML alternative
    (fixed-width parts preformatted)."""
    domain = parseaddr(sender)[1].rpartition("@")[2] or "tsf-assistant.invalid"
    email = EmailMessage()
    email["Subject"] = truncate(one_line(message.title), SUBJECT_LIMIT)
    email["From"] = sender
    email["To"] = ", ".join(recipients)
    email["Date"] = formatdate(usegmt=True)
    email["Message-ID"] = f"<{one_line(message.key).replace(' ', '-')}@{domain}>"
    email["Auto-Submitted"] = "auto-generated"
    email.set_content(message.plain_text())
    e = html.escape
    parts = [f"<h1>{e(message.title)}</h1>"]
    for section in message.sections:
        text = e("\n".join(section.lines))
        style = (
            "" if section.fixed_width else " style='white-space: pre-wrap; font-family: inherit'"
        )
        parts.append(f"<h2>{e(section.heading)}</h2><pre{style}>{text}</pre>")
    email.add_alternative(
        "<!DOCTYPE html><html><body>" + "".join(parts) + "</body></html>", subtype="html"
    )
    return email


def _reply_error(code: int, what: str) -> CrmUnavailable | CrmRejected:
    if 400 <= code < 500:
        return CrmUnavailable(f"smtp server deferred the email ({code}): {what}")
    return CrmRejected(f"smtp server refused the email ({code}): {what}", code)


def _text(reply: bytes | str) -> str:
    return reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)


@dataclass(kw_only=True, eq=False)
class EmailNotifier:
    """Email each new lead to the team.

    Args:
        host: the SMTP server (``TSF_NOTIFY_SMTP_HOST``).
        port: its port (``TSF_NOTIFY_SMTP_PORT``).
        sender: the From address (``TSF_NOTIFY_EMAIL_FROM``).
        recipients: the To addresses (``TSF_NOTIFY_EMAIL_TO``).
        username: login user, or ``None`` for no login.
        password: login password.
        starttls: upgrade the connection with STARTTLS before anything else.
        timeout: seconds for the connection and every reply.
        ssl_context: the TLS settings (certificate checks on by default); injectable for tests.
        smtp_factory: makes the ``smtplib.SMTP`` connection; injectable for tests.
    """

    name = "email"

    host: str
    port: int
    sender: str
    recipients: Sequence[str]
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    starttls: bool = True
    timeout: float = 20.0
    ssl_context: ssl.SSLContext | None = None
    smtp_factory: Callable[..., smtplib.SMTP] = smtplib.SMTP

    def __post_init__(self) -> None:
        """Refuse settings that cannot work; nothing is sent yet."""
        if not self.recipients:
            raise ValueError("at least one recipient is needed")
        if self.timeout <= 0:
            raise ValueError("the SMTP timeout must be positive")
        self.recipients = tuple(self.recipients)

    def notify(self, lead: StoredLead) -> None:
        """Send the email; raises ``CrmUnavailable``/``CrmRejected``/``CrmAuthError``."""
        self._send(build_email(lead, self.sender, self.recipients), lead.reference)

    def send_message(self, message: TeamMessage) -> None:
        """Email a message to the team; the same failures as :meth:`notify`."""
        self._send(build_team_email(message, self.sender, self.recipients), message.key)

    def _send(self, message: EmailMessage, what: str) -> None:
        try:
            with self.smtp_factory(self.host, self.port, timeout=self.timeout) as smtp:
                smtp.ehlo()
                if self.starttls:
                    smtp.starttls(context=self.ssl_context or ssl.create_default_context())
                    smtp.ehlo()
                if self.username:
                    smtp.login(self.username, self.password or "")
                refused = smtp.send_message(message, self.sender, list(self.recipients))
        except smtplib.SMTPAuthenticationError as error:
            raise CrmAuthError(
                f"smtp server refused the login ({error.smtp_code})", error.smtp_code
            ) from error
        except smtplib.SMTPNotSupportedError as error:
            raise CrmRejected(
                f"smtp server does not support a required feature: {error}"
            ) from error
        except smtplib.SMTPRecipientsRefused as error:
            codes = [code for code, _ in error.recipients.values()]
            if codes and all(400 <= code < 500 for code in codes):
                raise CrmUnavailable(f"smtp server deferred every recipient: {codes}") from error
            raise CrmRejected(f"smtp server refused every recipient: {codes}") from error
        except smtplib.SMTPResponseException as error:
            raise _reply_error(error.smtp_code, _text(error.smtp_error)) from error
        except ssl.SSLCertVerificationError as error:
            raise CrmRejected(f"smtp server certificate is not trusted: {error}") from error
        except (smtplib.SMTPException, OSError) as error:
            raise CrmUnavailable(f"smtp server could not be reached: {error}") from error
        if refused:
            logger.warning(
                "smtp server refused %d of %d recipients for %s",
                len(refused),
                len(self.recipients),
                what,
            )
