"""Settings of the weekly digest, read from the environment at call time.

Every variable is listed in ``VARIABLES`` with its default and meaning (collected by
``tsf_config.registry``). Nothing is read at import time.
"""

from __future__ import annotations

from tsf_config import Variable

VARIABLES: tuple[Variable, ...] = (
    Variable(
        "TSF_DIGEST_SCHEDULE",
        "mon 09:00",
        "When the digest service sends the weekly digest (UK time): a day and a time, e.g."
        " 'mon 09:00'; 'off' never sends it. Sent once a week, however many run.",
    ),
)
