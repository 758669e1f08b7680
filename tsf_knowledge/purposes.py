"""What a loan would pay for: technology, other costs, or both (one vocabulary for the
facts an applicant states and the eligibility rules)."""

from __future__ import annotations

import re

TECH = re.compile(
    r"\b(?:software|systems?|records?|digital|digitis\w*|digitiz\w*|technology|technologies|tech"
    r"|computers?|computing|laptops?|tablets?|ipads?|mobile|smartphones?|phones?|devices?"
    r"|servers?|hardware|e-?rostering|rostering|scheduling|apps?|platforms?|telehealth|telecare"
    r"|telemedicine|remote monitoring|sensors?|wearables?|electronic|online|network(?:s|ing)?"
    r"|broadband|wi-?fi|cloud|databases?|data|cyber|ict|i\.t\.?|websites?|portals?|video"
    r"|ai|artificial intelligence|machine learning|automation|robotics?|crm|erp|it system"
    r"|booking system|emis|systmone)\b",
    re.IGNORECASE,
)
IT_WORD = re.compile(r"\bIT\b")
NON_TECH = re.compile(
    r"\b(?:buildings?|property|properties|premises|refurbish\w*|renovat\w*|construction"
    r"|extension|office space|offices?|land|rent|mortgage|vehicles?|vans?|cars?|minibus(?:es)?"
    r"|fleet|salary|salaries|wages?|payroll|staff costs|staffing|(?:more|new|extra|additional)"
    r" staff|hir(?:e|ing)|recruit\w*"
    r"|working capital|cash ?flow|running costs|overheads|refinanc\w*|pay off|debts?"
    r"|marketing|furniture|heating|boiler|roof|kitchen|ventilation|plumbing)\b"
    r"|\bbuild(?:ing)? (?:a |an |the |our )?(?:new )?(?:[\w-]+ ){0,2}(?:centre|center|clinic|hub"
    r"|unit|home|facility|site|hospital|surgery|wing)\b",
    re.IGNORECASE,
)
NON_TECH_SYSTEMS = re.compile(
    r"\b(?:heating|ventilation|plumbing|drainage|boiler|water|sprinkler|air conditioning)"
    r" systems?\b",
    re.IGNORECASE,
)


def mentions(purpose: str) -> tuple[bool, bool]:
    """Whether ``purpose`` names technology, and whether it names other costs. Upper-case
    "IT" is information technology, unless the whole text is shouted."""
    lowered = NON_TECH_SYSTEMS.sub(" heating ", purpose.lower())
    tech = bool(TECH.search(lowered)) or (not purpose.isupper() and bool(IT_WORD.search(purpose)))
    return tech, bool(NON_TECH.search(lowered))
