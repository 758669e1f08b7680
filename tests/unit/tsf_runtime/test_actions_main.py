"""The action server process runs without TensorFlow, which nothing in it needs."""

from __future__ import annotations

from tests.support.harness import run_python

PROBE = """
import sys
from tsf_runtime.actions_main import keep_tensorflow_out
keep_tensorflow_out()
import actions.enquiries, actions.fallback, actions.lead_handoff, actions.eligibility_form
from actions.services import get_services
match = get_services().retriever.best_match("how long do we have to repay the loan")
print(match.fact.id if match else None)
print(sys.modules["tensorflow"])
"""


def test_retrieval_and_every_action_module_work_with_tensorflow_kept_out() -> None:
    result = run_python(PROBE)

    fact_id, tensorflow = result.stdout.split()
    assert fact_id == "loan_term"
    assert tensorflow == "None"


def test_the_action_server_gets_a_metrics_route_once() -> None:
    import uuid

    from rasa_sdk.plugin import plugin_manager
    from sanic import Sanic

    from tsf_runtime.actions_main import add_extensions

    add_extensions()
    add_extensions()
    app = Sanic(f"metrics_{uuid.uuid4().hex[:8]}")
    plugin_manager().hook.attach_sanic_app_extensions(app=app)

    assert [name for name, _ in plugin_manager().list_name_plugin()].count("tsf-metrics") == 1
    assert [route.path for route in app.router.routes] == ["metrics"]


WARM_UP_PROBE = """
from tsf_runtime.actions_main import keep_tensorflow_out, warm_up_services
keep_tensorflow_out()
from actions.services import _default_services
from tsf_knowledge.language import shared_pipeline
print(_default_services.cache_info().currsize, shared_pipeline.cache_info().currsize)
warm_up_services()
print(_default_services.cache_info().currsize, shared_pipeline.cache_info().currsize)
"""


def test_the_warm_up_builds_the_services_and_loads_spacy() -> None:
    result = run_python(WARM_UP_PROBE)

    assert result.stdout.split() == ["0", "0", "1", "1"]
