"""The organisations and people the fund's documents name (lower case, regex-ready)."""

from __future__ import annotations

ORGANISATIONS = (
    "local partnerships?",
    "big society capital",
    "bsc",
    "department of health",
    "cabinet office",
    "mutuals information service",
    "mutuals support programme",
    "employee ownership association",
    "technology spin-?out fund",
    "john taylor hospice",
    "inclusion healthcare",
    "social investment team",
    "seif",
    "social enterprise investment fund",
)
PEOPLE = ("nick o'?donohoe", "jon rouse", "andrew lansley", "francis maude", "iain hasdell")


def alternatives(names: tuple[str, ...]) -> str:
    """``names`` as one regex alternation group."""
    return "(?:" + "|".join(names) + ")"
