"""The one registry of settings: every ``VARIABLES`` table, from the module declaring it.

The modules are imported when the registry is read, not when ``tsf_config`` is, so the
packages above may import ``tsf_config`` without a cycle.
"""

from __future__ import annotations

import importlib

from tsf_config.reader import Variable

TABLE_MODULES = (
    "tsf_config.shared",
    "tsf_runtime.settings",
    "tsf_runtime.channel_credentials",
    "tsf_runtime.production",
    "tsf_handover.settings",
    "tsf_leads.settings",
    "tsf_leads.crm",
    "tsf_leads.notify",
    "tsf_insight.settings",
)


def tables() -> dict[str, tuple[Variable, ...]]:
    """Each declaring module's ``VARIABLES``, by module name."""
    return {name: importlib.import_module(name).VARIABLES for name in TABLE_MODULES}


def all_variables() -> tuple[Variable, ...]:
    """Every variable the assistant reads."""
    return tuple(variable for table in tables().values() for variable in table)
