"""The base of the pipeline components that have nothing to configure, train or store."""

from __future__ import annotations

from typing import Any, TypeVar

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage

_Component = TypeVar("_Component", bound="StatelessComponent")


class StatelessComponent(GraphComponent):
    """A graph component built the same way for training and for parsing messages."""

    @classmethod
    def create(
        cls: type[_Component],
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> _Component:
        """The component; it keeps no state, so nothing is read or built."""
        return cls()
