"""``python -m tsf_runtime.rasa_main …``: Rasa's command line, hardened for the assistant.

It takes exactly the arguments of ``python -m rasa`` (``run --model … --endpoints …``),
installs :func:`tsf_runtime.log_redaction.install_redaction` (no personal data in logs),
:func:`tsf_runtime.action_outage.install_action_outage_reply` (a polite reply when the
action server is down), and two profiled speed-ups that change no behaviour
(:func:`tsf_runtime.action_response_schema.install_cached_action_response_validation`,
:func:`tsf_runtime.event_types.install_event_type_cache`), then hands over to Rasa's own
``main()``.
"""

from __future__ import annotations

import sys

from tsf_runtime.action_outage import install_action_outage_reply
from tsf_runtime.action_response_schema import install_cached_action_response_validation
from tsf_runtime.event_types import install_event_type_cache
from tsf_runtime.log_redaction import install_redaction


def main() -> None:
    """Install the redaction, outage reply and speed-ups, then run Rasa's command line."""
    install_redaction()
    install_action_outage_reply()
    install_cached_action_response_validation()
    install_event_type_cache()
    from rasa.__main__ import main as rasa_main

    sys.argv[0] = "rasa"
    rasa_main()


if __name__ == "__main__":
    main()
