"""Print the pip requirements of the action server and worker image, from pyproject.toml.

The project's pins live only in pyproject.toml. The actions image (``rasa/rasa-sdk``) needs
them all except Rasa and rasa-sdk themselves (the base image provides rasa-sdk), plus spaCy,
which the Rasa image gets through ``rasa[spacy]`` and ``tsf_knowledge`` needs for retrieval.

Usage: ``python docker/requirements.py pyproject.toml > requirements.txt``. Standard library
only, and Python 3.8+ (no ``tomllib``), because it runs inside the base image.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

# Rasa 3.6.21's own requirement for its `spacy` extra (checked by tests/unit/deploy).
SPACY = "spacy>=3.1,<3.5"
PROVIDED_BY_BASE_IMAGE = ("rasa", "rasa-sdk")
_ARRAY = re.compile(r"^dependencies\s*=\s*\[(.*?)^\]", re.MULTILINE | re.DOTALL)
_STRING = re.compile(r"\"([^\"]+)\"")
_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")


def project_dependencies(pyproject: str) -> list[str]:
    """The ``[project] dependencies`` strings of a pyproject.toml text."""
    project = pyproject.split("[project]", 1)[-1].split("\n[", 1)[0]
    match = _ARRAY.search(project)
    if match is None:
        raise ValueError("no [project] dependencies array in pyproject.toml")
    lines = [line.split("#", 1)[0] for line in match.group(1).splitlines()]
    return _STRING.findall("\n".join(lines))


def requirement_name(requirement: str) -> str:
    """The normalised distribution name of a requirement (``rasa[spacy]==1`` -> ``rasa``)."""
    match = _NAME.match(requirement)
    if match is None:
        raise ValueError(f"not a requirement: {requirement!r}")
    return re.sub(r"[-_.]+", "-", match.group(1)).lower()


def actions_requirements(pyproject: str) -> list[str]:
    """What to pip install into the actions image."""
    kept = [
        requirement
        for requirement in project_dependencies(pyproject)
        if requirement_name(requirement) not in PROVIDED_BY_BASE_IMAGE
    ]
    return [*kept, SPACY]


def main(argv: list[str]) -> int:
    """Print one requirement per line."""
    path = Path(argv[1] if len(argv) > 1 else "pyproject.toml")
    print("\n".join(actions_requirements(path.read_text(encoding="utf-8"))))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
