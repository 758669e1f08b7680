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
_NAME_ENDINGS = """
    health healthcare care carers therapies therapy nursing nurses physio physiotherapy
    wellbeing well-being services service partnership partners dental dentistry clinic clinics
    community trust mutual cic ltd limited llp group network solutions support practice
    practices hospice homecare living sight vision hearing audiology foundation alliance
    collaborative medical pharmacy rehab rehabilitation counselling minds mind psychology
    podiatry optometry telehealth telecare cooperative co-op enterprise enterprises consortium
    centre center lodge companions futures pathways recovery outreach respite lifeline
    independence connect midwifery diagnostics radiology screening co-operative collective
    company
"""
ORGANISATION_NAME_ENDINGS = frozenset(_NAME_ENDINGS.split())
"""Words an applicant organisation's name usually ends with ("Kestrel Community Health")."""
PEOPLE = ("nick o'?donohoe", "jon rouse", "andrew lansley", "francis maude", "iain hasdell")


def alternatives(names: tuple[str, ...]) -> str:
    """``names`` as one regex alternation group."""
    return "(?:" + "|".join(names) + ")"
