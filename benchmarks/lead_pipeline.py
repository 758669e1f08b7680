"""Lead pipeline figures: leads per second the worker sustains, and submit-to-CRM latency.

Stores leads through the same lead service the dialogue uses, then lets the real delivery worker
send them to a local signed-webhook receiver on 127.0.0.1 (the test fake of the contract).

Usage: ``python -m benchmarks.lead_pipeline [--leads 200] [--db sqlite|URL]``.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy

from tests.fakes.leads import make_lead
from tests.fakes.webhook import WebhookReceiver
from tsf_leads.destinations import build_registry
from tsf_leads.service import LeadService
from tsf_leads.settings import load_settings
from tsf_leads.worker import DeliveryWorker

SECRET = "benchmark-webhook-secret-0123"
POLL_SECONDS = 0.05
"""How often the worker looks for new leads during the latency measurement."""


@dataclass(frozen=True)
class PipelineFigures:
    """What the run measured."""

    leads: int
    submit_ms_median: float
    worker_leads_per_second: float
    submit_to_receipt_ms_median: float
    submit_to_receipt_ms_p95: float


def _settings(db_url: str, hook_url: str, poll: float) -> dict[str, str]:
    return {
        "TSF_LEADS_DB_URL": db_url,
        "TSF_CRM": "webhook",
        "TSF_CRM_WEBHOOK_URL": hook_url,
        "TSF_CRM_WEBHOOK_SECRET": SECRET,
        "TSF_DELIVERY_POLL_SECONDS": str(poll),
    }


def measure(db_url: str, leads: int) -> PipelineFigures:
    """Throughput on a backlog of ``leads``, then latency one lead at a time (20 leads)."""
    with WebhookReceiver(SECRET) as receiver:
        settings = load_settings(_settings(db_url, receiver.hook_url, poll=POLL_SECONDS))
        service = LeadService.from_settings(settings)
        submit_times = []
        references = []
        for index in range(leads):
            lead = make_lead(conversation_id=f"bench-{index}")
            started = time.perf_counter()
            stored = service.submit(lead.summary, lead.consent)
            submit_times.append(time.perf_counter() - started)
            references.append(stored.reference)
        worker = DeliveryWorker.from_settings(settings, service.store, build_registry(settings))
        started = time.perf_counter()
        while any(receiver.delivery_count(reference) == 0 for reference in references):
            worker.deliver_once()
        throughput = leads / (time.perf_counter() - started)

        stop = threading.Event()
        runner = threading.Thread(target=worker.run_forever, args=(stop,), daemon=True)
        runner.start()
        latencies = []
        for index in range(20):
            lead = make_lead(conversation_id=f"bench-latency-{index}")
            started = time.perf_counter()
            stored = service.submit(lead.summary, lead.consent)
            while receiver.delivery_count(stored.reference) == 0:
                time.sleep(0.005)
            latencies.append(time.perf_counter() - started)
        stop.set()
        runner.join(timeout=10)
    return PipelineFigures(
        leads=leads,
        submit_ms_median=statistics.median(submit_times) * 1000,
        worker_leads_per_second=throughput,
        submit_to_receipt_ms_median=statistics.median(latencies) * 1000,
        submit_to_receipt_ms_p95=float(numpy.quantile(latencies, 0.95, method="lower")) * 1000,
    )


def main(argv: Sequence[str] | None = None) -> None:
    """Measure on a fresh SQLite file (or the given database URL) and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--leads", type=int, default=200)
    parser.add_argument("--db", default="sqlite")
    arguments = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as workdir:
        url = arguments.db if arguments.db != "sqlite" else f"sqlite:///{Path(workdir) / 'l.db'}"
        figures = measure(url, arguments.leads)
    print(
        f"Leads: {figures.leads}; submit (lead + outbox, one transaction) median "
        f"{figures.submit_ms_median:.1f} ms; worker {figures.worker_leads_per_second:.0f} "
        f"leads/s; submit to CRM receipt median {figures.submit_to_receipt_ms_median:.0f} ms, "
        f"p95 {figures.submit_to_receipt_ms_p95:.0f} ms (worker polling every 50 ms)"
    )


if __name__ == "__main__":
    main()
