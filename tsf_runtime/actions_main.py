"""``python -m tsf_runtime.actions_main …``: the rasa-sdk action server, lean and redacted.

It takes exactly the arguments of ``python -m rasa_sdk`` (``--actions actions --port …``),
installs :func:`tsf_runtime.log_redaction.install_redaction` and
:func:`tsf_runtime.request_json.install_orjson_for_requests` (Rasa's calls read faster), keeps
TensorFlow out of the process (:func:`keep_tensorflow_out`) and hands over to rasa-sdk's own
``main()``. Bind it to loopback (or an internal network) with ``SANIC_HOST``. It also serves
``/metrics`` (:mod:`tsf_config.metrics`) for Prometheus on the same port, and builds the
actions' services (the facts, retrieval and its spaCy pipeline) before it starts serving:
otherwise the first conversations wait seconds for them, and a burst of first calls can stall
the server long enough for Rasa's pooled connections to it to break.
"""

from __future__ import annotations

import sys
from typing import Any

import pluggy

hookimpl = pluggy.HookimplMarker("rasa_sdk")


def keep_tensorflow_out() -> None:
    """Make ``import tensorflow`` fail in this process, as if it were not installed.

    Nothing the actions do needs TensorFlow, but it is installed (Rasa needs it) and
    thinc, spaCy's maths library, imports it when it can. ``make bench`` found that the
    first question answered by retrieval then loaded TensorFlow: about 4 seconds and
    450 MB more memory in the action server. thinc treats the failed import as "not
    installed" and works without it.
    """
    sys.modules.setdefault("tensorflow", None)  # type: ignore[arg-type]


WARM_UP_QUESTION = "How long do we have to repay the loan?"


def warm_up_services() -> None:
    """Build the actions' services and run one retrieval, so spaCy is loaded."""
    from actions.services import get_services

    get_services().retriever.search(WARM_UP_QUESTION, k=1)


class ActionServerExtensions:
    """A rasa-sdk plugin: ``GET /metrics`` on the action server's Sanic app."""

    @hookimpl
    def attach_sanic_app_extensions(self, app: Any) -> None:
        """Add the route (rasa-sdk calls this before it starts serving)."""
        from sanic import response

        from tsf_config.metrics import CONTENT_TYPE, metrics

        async def serve_metrics(_request: Any) -> Any:
            return response.raw(metrics().exposition(), content_type=CONTENT_TYPE)

        app.add_route(serve_metrics, "/metrics", methods=["GET"], name="metrics")


def add_extensions() -> None:
    """Register :class:`ActionServerExtensions` with rasa-sdk's plugin manager (once)."""
    from rasa_sdk.plugin import plugin_manager

    manager = plugin_manager()
    if manager.get_plugin("tsf-metrics") is None:
        manager.register(ActionServerExtensions(), name="tsf-metrics")


def main() -> None:
    """Keep TensorFlow out, install log redaction and the request reader, add ``/metrics``,
    build the services, then run the action server's CLI."""
    keep_tensorflow_out()
    from tsf_runtime.log_redaction import install_redaction
    from tsf_runtime.request_json import install_orjson_for_requests

    install_redaction()
    install_orjson_for_requests()
    add_extensions()
    warm_up_services()
    from rasa_sdk.__main__ import main as sdk_main

    sys.argv[0] = "rasa_sdk"
    sdk_main()


if __name__ == "__main__":
    main()
