"""``python -m tsf_runtime.rasa_main …``: Rasa's command line, with personal data kept out of logs.

It takes exactly the arguments of ``python -m rasa`` (``run --model … --endpoints …``),
installs :func:`tsf_runtime.log_redaction.install_redaction` and hands over to Rasa's own
``main()``.
"""

from __future__ import annotations

import sys

from tsf_runtime.log_redaction import install_redaction


def main() -> None:
    """Install log redaction, then run Rasa's command line with ``sys.argv``."""
    install_redaction()
    from rasa.__main__ import main as rasa_main

    sys.argv[0] = "rasa"
    rasa_main()


if __name__ == "__main__":
    main()
