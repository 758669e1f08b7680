"""``python -m tsf_runtime.actions_main …``: the rasa-sdk action server, with log redaction.

It takes exactly the arguments of ``python -m rasa_sdk`` (``--actions actions --port …``),
installs :func:`tsf_runtime.log_redaction.install_redaction` and hands over to rasa-sdk's
own ``main()``. Bind it to loopback (or an internal network) with ``SANIC_HOST``.
"""

from __future__ import annotations

import sys

from tsf_runtime.log_redaction import install_redaction


def main() -> None:
    """Install log redaction, then run the action server's command line with ``sys.argv``."""
    install_redaction()
    from rasa_sdk.__main__ import main as sdk_main

    sys.argv[0] = "rasa_sdk"
    sdk_main()


if __name__ == "__main__":
    main()
