"""Run Rasa's prediction graph without the work whose result cannot change the prediction.

Profiling a 25-turn interview and lead hand-off (``python -m benchmarks.profile_turns``)
put two costs of Rasa 3.6's graph runner high in every turn:

- **the graph re-derived on each run**: ``DaskGraphRunner.run`` recomputes the minimal graph
  for its targets (a recursive walk of every node's needs) for every NLU parse and every
  action prediction, although the schema never changes once loaded;
- **TED run when it cannot win**: the ensemble picks the prediction with the highest
  ``(confidence, priority)``. When a higher-priority policy (the RulePolicy or the
  MemoizationPolicy) already predicts an action with confidence 1.0, TED's prediction
  (at most 1.0, lower priority) cannot be picked, yet its featurisation and TensorFlow
  inference were about a quarter of each turn.

:func:`install_lean_prediction_graph` makes ``DaskGraphRunner.run`` build each target's
graph once per runner, and gives each TED node the other policies' predictions as extra
inputs: it runs TED unless :func:`decided_without` says that one of them wins whatever TED
predicts, in which case it returns TED's "no prediction" (all zeros) as TED does when it has
no model. The action chosen, its policy and its events are the same as before.

``tsf_runtime.rasa_patches`` installs it before Rasa starts.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

_PATCHED_MARK = "_tsf_lean_prediction_graph"
FULL_CONFIDENCE = 1.0

logger = logging.getLogger("rasa.engine.runner.dask")


def _rejected_last(tracker: Any) -> bool:
    """Whether the tracker's latest action event is a rejection (the ensemble then zeroes
    the rejected action in every prediction, so TED might win)."""
    from rasa.shared.core.events import ActionExecuted, ActionExecutionRejected

    for event in reversed(tracker.events):
        if isinstance(event, ActionExecutionRejected):
            return True
        if isinstance(event, ActionExecuted):
            return False
    return False


def decided_without(predictions: Sequence[Any], priority: int, tracker: Any) -> bool:
    """Whether ``predictions`` (of other policies) make a prediction at ``priority`` moot.

    True when one of them is a no-user or end-to-end prediction (which overrule predictions
    from intents), or when one of higher priority is fully confident and the last action was
    not rejected.
    """
    if any(p.is_no_user_prediction or p.is_end_to_end_prediction for p in predictions):
        return True
    return not _rejected_last(tracker) and any(
        p.policy_priority > priority and p.max_confidence >= FULL_CONFIDENCE for p in predictions
    )


class PolicyUnlessDecided:
    """A graph node for a policy that is run only when other policies leave it a chance.

    Called by dask with the policy node's own inputs followed by the deciding policies'
    outputs, each a ``(node name, output)`` pair as Rasa's ``GraphNode`` passes them.
    """

    def __init__(self, node: Any, own_inputs: int, policy: Any) -> None:
        """Wrap ``node`` (a ``GraphNode``) whose first ``own_inputs`` inputs are its own."""
        self.node = node
        self.own_inputs = own_inputs
        self.policy = policy

    def __call__(self, *inputs: Any) -> tuple[str, Any]:
        """The policy's prediction, or its empty prediction when it cannot be chosen."""
        own, deciding = inputs[: self.own_inputs], inputs[self.own_inputs :]
        received = dict(item for item in own if isinstance(item, tuple))
        providers = getattr(self.node, "_inputs", {})
        tracker = received.get(providers.get("tracker", ""))
        domain = received.get(providers.get("domain", ""))
        others = [output for _, output in deciding]
        if (
            tracker is None
            or domain is None
            or not decided_without(others, self.policy.priority, tracker)
        ):
            return self.node(*inputs[: self.own_inputs])
        return self.node._node_name, self.policy._prediction(
            self.policy._default_predictions(domain)
        )


def _can_be_skipped(node: Any) -> bool:
    """A loaded TED node that never predicts from text (so never end-to-end)."""
    from rasa.core.policies.ted_policy import TEDPolicy
    from rasa.shared.nlu.constants import TEXT

    component = getattr(node, "_component", None)
    return (
        isinstance(component, TEDPolicy)
        and getattr(node, "_fn_name", "") == "predict_action_probabilities"
        and TEXT not in getattr(component, "fake_features", {TEXT: None})
        and not getattr(component, "only_e2e", True)
    )


def lean_graph(graph: dict[str, Any]) -> dict[str, Any]:
    """``graph`` (a dask graph of Rasa nodes) with each skippable TED node wrapped in
    :class:`PolicyUnlessDecided`, fed by the graph's other policy nodes."""
    from rasa.core.policies.policy import Policy

    def policy_of(task: Any) -> Any:
        component = getattr(task[0], "_component", None) if isinstance(task, tuple) else None
        return component if isinstance(component, Policy) else None

    policies = {name: policy_of(task) for name, task in graph.items() if policy_of(task)}
    lean = dict(graph)
    for name, policy in policies.items():
        node, *needs = graph[name]
        if not _can_be_skipped(node):
            continue
        deciders = [other for other in policies if other != name]
        lean[name] = (PolicyUnlessDecided(node, len(needs), policy), *needs, *deciders)
    return lean


def install_lean_prediction_graph() -> None:
    """Make ``DaskGraphRunner.run`` reuse each target's graph and skip moot TED runs (once)."""
    import dask
    from rasa.engine.exceptions import GraphRunError
    from rasa.engine.runner.dask import DaskGraphRunner

    if getattr(DaskGraphRunner.run, _PATCHED_MARK, False):
        return

    def run(
        self: DaskGraphRunner,
        inputs: dict[str, Any] | None = None,
        targets: list[str] | None = None,
    ) -> dict[str, Any]:
        run_targets = targets if targets else self._graph_schema.target_names
        graphs = self.__dict__.setdefault("_tsf_graphs", {})
        key = tuple(run_targets)
        if key not in graphs:
            minimal_schema = self._graph_schema.minimal_graph_schema(run_targets)
            graphs[key] = lean_graph(self._build_dask_graph(minimal_schema))
        run_graph = dict(graphs[key])
        if inputs:
            self._add_inputs_to_graph(inputs, run_graph)
        if logger.isEnabledFor(logging.DEBUG):
            logger.debug(
                f"Running graph with inputs: {inputs}, targets: {targets} "
                f"and {self._execution_context}."
            )
        try:
            return dict(dask.get(run_graph, run_targets))
        except RuntimeError as e:
            raise GraphRunError("Error running runner.") from e

    setattr(run, _PATCHED_MARK, True)
    DaskGraphRunner.run = run  # type: ignore[method-assign]
