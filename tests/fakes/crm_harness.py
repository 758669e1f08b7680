"""A harness per CRM: its fake, started, and the environment that points an adapter at it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

from tests.fakes.dynamics import FakeDynamics
from tests.fakes.http_server import FakeService
from tests.fakes.hubspot import FakeHubSpot
from tests.fakes.salesforce import FakeSalesforce
from tests.fakes.webhook import WebhookReceiver
from tsf_leads.contracts import CrmAdapter
from tsf_leads.crm import build_adapter

WEBHOOK_SECRET = "s3cret-for-tests-only-0123456789"
_Fake = TypeVar("_Fake", bound=FakeService)


@dataclass
class Harness:
    """A fake CRM and the environment that points an adapter at it."""

    name: str
    fake: Any
    environ: dict[str, str]

    def adapter(self, read_timeout: float = 5.0, **overrides: str) -> CrmAdapter:
        """An adapter built by ``build_adapter`` (short timeouts, loopback only)."""
        environ = {
            **self.environ,
            "TSF_CRM_CONNECT_TIMEOUT": "2",
            "TSF_CRM_READ_TIMEOUT": str(read_timeout),
            **overrides,
        }
        adapter = build_adapter(environ)
        assert adapter is not None
        return adapter


def fake_of(kind: type[_Fake]) -> Callable[[Harness], _Fake]:
    """A harness's fake, checked to be a ``kind``: ``fake = fake_of(FakeHubSpot)``."""

    def fake(harness: Harness) -> _Fake:
        assert isinstance(harness.fake, kind)
        return harness.fake

    return fake


def _webhook() -> tuple[FakeService, Callable[[FakeService], dict[str, str]]]:
    fake = WebhookReceiver(WEBHOOK_SECRET)
    return fake, lambda f: {
        "TSF_CRM": "webhook",
        "TSF_CRM_WEBHOOK_URL": f.hook_url,  # type: ignore[attr-defined]
        "TSF_CRM_WEBHOOK_SECRET": WEBHOOK_SECRET,
    }


def _hubspot() -> tuple[FakeService, Callable[[FakeService], dict[str, str]]]:
    fake = FakeHubSpot("pat-test-token")
    return fake, lambda f: {
        "TSF_CRM": "hubspot",
        "TSF_HUBSPOT_TOKEN": "pat-test-token",
        "TSF_HUBSPOT_BASE_URL": f.url,
    }


def _salesforce() -> tuple[FakeService, Callable[[FakeService], dict[str, str]]]:
    fake = FakeSalesforce("client-id", "client-secret")
    return fake, lambda f: {
        "TSF_CRM": "salesforce",
        "TSF_SALESFORCE_LOGIN_URL": f.url,
        "TSF_SALESFORCE_CLIENT_ID": "client-id",
        "TSF_SALESFORCE_CLIENT_SECRET": "client-secret",
    }


def _dynamics() -> tuple[FakeService, Callable[[FakeService], dict[str, str]]]:
    fake = FakeDynamics("tenant-1", "app-1", "app-secret")
    return fake, lambda f: {
        "TSF_CRM": "dynamics",
        "TSF_DYNAMICS_URL": f.url,
        "TSF_DYNAMICS_AUTHORITY": f.url,
        "TSF_DYNAMICS_TENANT_ID": "tenant-1",
        "TSF_DYNAMICS_CLIENT_ID": "app-1",
        "TSF_DYNAMICS_CLIENT_SECRET": "app-secret",
    }


FACTORIES = {
    "webhook": _webhook,
    "hubspot": _hubspot,
    "salesforce": _salesforce,
    "dynamics": _dynamics,
}


@contextmanager
def running(name: str) -> Iterator[Harness]:
    """Start ``name``'s fake and give its harness; stops it afterwards."""
    fake, environ = FACTORIES[name]()
    with fake:
        yield Harness(name, fake, environ(fake))
