"""``python -m tsf_runtime.rasa_main …``: Rasa's command line, hardened for the assistant.

It takes exactly the arguments of ``python -m rasa`` (``run --model … --endpoints …``),
installs every patch listed in :mod:`tsf_runtime.rasa_patches` (no personal data in logs,
a polite reply when the action server is down, profiled speed-ups that change no
behaviour), then hands over to Rasa's own ``main()``.
"""

from __future__ import annotations

import sys

from tsf_runtime.rasa_patches import install_rasa_patches


def main() -> None:
    """Install the patches, then run Rasa's command line."""
    install_rasa_patches()
    from rasa.__main__ import main as rasa_main

    sys.argv[0] = "rasa"
    rasa_main()


if __name__ == "__main__":
    main()
