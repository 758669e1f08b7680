"""What the chat notifiers share: one JSON message about each new lead (or another message to
the team), posted to a webhook."""

from __future__ import annotations

from typing import Any

import requests

from tsf_leads.contracts import StoredLead, TeamMessage
from tsf_leads.crm.base import HttpClient, Timeouts

__all__ = ["WebhookNotifier"]


class WebhookNotifier:
    """Post :meth:`message` about each new lead to a webhook URL.

    Args:
        webhook_url: the webhook; it is a secret.
        session: an injectable ``requests.Session``.
        timeouts: connect/read timeouts.
    """

    name: str

    def __init__(
        self,
        webhook_url: str,
        *,
        session: requests.Session | None = None,
        timeouts: Timeouts | None = None,
    ) -> None:
        """Keep the webhook; nothing is sent yet."""
        self._url = webhook_url
        self._http = HttpClient(self.name, session, timeouts)

    def message(self, lead: StoredLead) -> dict[str, Any]:
        """The JSON body about ``lead``."""
        raise NotImplementedError

    def team_message(self, message: TeamMessage) -> dict[str, Any]:
        """The JSON body of a message to the team."""
        raise NotImplementedError

    def check(self, response: requests.Response) -> None:
        """Raise if a 2xx answer still reports a failure (nothing to check by default)."""

    def notify(self, lead: StoredLead) -> None:
        """Post the message; raises ``CrmUnavailable``/``CrmRejected`` on failure."""
        self.check(self._http.request("POST", self._url, json_body=self.message(lead)))

    def send_message(self, message: TeamMessage) -> None:
        """Post a message to the team; the same failures as :meth:`notify`."""
        self.check(self._http.request("POST", self._url, json_body=self.team_message(message)))
