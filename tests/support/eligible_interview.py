"""One organisation's answers to the eligibility interview, shared by tests and benchmarks.

Each answers the next question in order: name, spun out?, origin, trading?, services,
purpose, amount, repay over 3-5 years. Together they meet every rule.
"""

from __future__ import annotations

ELIGIBLE_ANSWERS: tuple[str, ...] = (
    "Riverside Community Care CIC",
    "/affirm",
    "We were the district nursing team at the local NHS trust",
    "yes, we've been trading for three years",
    "Community nursing for older people",
    "Tablets and mobile software so nurses can update patient records",
    "about 450k",
    "/affirm",
)
