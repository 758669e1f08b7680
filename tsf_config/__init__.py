"""The settings machinery every package shares: one ``Variable``, one ``Reader``, one registry.

This is the bottom layer: it imports none of the project's other packages, so any of them
may use it. Each settings table (a ``VARIABLES`` tuple) stays beside the code that reads its
variables, e.g. the CRM's in ``tsf_leads.crm`` and the notifiers' in ``tsf_leads.notify``;
the few variables read by more than one package live here, in :mod:`tsf_config.shared`.
:mod:`tsf_config.registry` collects every table by importing the declaring modules only when
asked (the README and ``.env.example`` tests, the production checks), which keeps one home
per variable without import cycles and without registering anything at import time.
"""

from tsf_config.hosts import LOOPBACK_NAMES, is_loopback_host, is_loopback_url
from tsf_config.reader import TRUE_WORDS, Reader, SettingsError, Variable

__all__ = [
    "LOOPBACK_NAMES",
    "TRUE_WORDS",
    "Reader",
    "SettingsError",
    "Variable",
    "is_loopback_host",
    "is_loopback_url",
]
