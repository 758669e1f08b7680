"""Generate Rasa's enquiry training data from the knowledge base.

One intent per fact, or per question group of facts that share an intent (trained on the
examples of all its facts), one rule per intent that answers it with
``action_answer_enquiry``, and the domain's list of those intents. Run it after editing facts.yml::

    python -m tsf_knowledge.nlu_export           # write the three generated files
    python -m tsf_knowledge.nlu_export --check   # exit 1 if any of them is out of date

Default paths are relative to the repository root (the folder holding ``tsf_knowledge``).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

from tsf_knowledge.facts import KnowledgeBase
from tsf_knowledge.loader import KnowledgeError, load_knowledge

REPO_ROOT = Path(__file__).resolve().parent.parent
NLU_PATH = Path("data/nlu/enquiries.yml")
RULES_PATH = Path("data/rules/enquiries.yml")
DOMAIN_PATH = Path("rasa_project/domain/enquiry_intents.yml")
ANSWER_ACTION = "action_answer_enquiry"
RASA_DATA_VERSION = "3.1"
HEADER = (
    "# Generated from tsf_knowledge/data/facts.yml by `python -m tsf_knowledge.nlu_export`; "
    "do not edit."
)
COMMAND = "python -m tsf_knowledge.nlu_export"


def render_nlu(kb: KnowledgeBase) -> str:
    """Rasa NLU YAML: each fact intent, trained on the examples of every fact in its group."""
    lines = [HEADER, f'version: "{RASA_DATA_VERSION}"', "", "nlu:"]
    for intent in kb.intents:
        lines += [f"  - intent: {intent}", "    examples: |"]
        for fact in kb.group(intent):
            lines += [f"      - {example}" for example in fact.examples]
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def render_rules(kb: KnowledgeBase) -> str:
    """Rasa rules YAML: each fact intent is answered by ``action_answer_enquiry``."""
    lines = [HEADER, f'version: "{RASA_DATA_VERSION}"', "", "rules:"]
    for intent in kb.intents:
        lines += [
            f"  - rule: answer {intent}",
            "    steps:",
            f"      - intent: {intent}",
            f"      - action: {ANSWER_ACTION}",
            "",
        ]
    return "\n".join(lines).rstrip("\n") + "\n"


def render_domain(kb: KnowledgeBase) -> str:
    """A Rasa domain file declaring every fact intent."""
    lines = [HEADER, f'version: "{RASA_DATA_VERSION}"', "", "intents:"]
    lines += [f"  - {intent}" for intent in kb.intents]
    return "\n".join(lines) + "\n"


def generated_files(
    kb: KnowledgeBase, nlu_path: Path, rules_path: Path, domain_path: Path | None = None
) -> dict[Path, str]:
    """What each generated file should contain, keyed by its path."""
    files = {nlu_path: render_nlu(kb), rules_path: render_rules(kb)}
    if domain_path is not None:
        files[domain_path] = render_domain(kb)
    return files


def stale_files(files: Mapping[Path, str]) -> list[Path]:
    """The paths whose content on disk is missing or differs from ``files``."""
    stale = []
    for path, expected in files.items():
        try:
            actual = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            actual = None
        if actual != expected:
            stale.append(path)
    return stale


def write_files(files: Mapping[Path, str]) -> list[Path]:
    """Write the files that changed (leaving others untouched) and return their paths."""
    written = stale_files(files)
    for path in written:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(files[path], encoding="utf-8", newline="\n")
    return written


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=COMMAND, description="Generate Rasa enquiry intents and rules from facts.yml."
    )
    parser.add_argument("--facts", type=Path, help="knowledge base (default: packaged facts.yml)")
    parser.add_argument("--nlu", type=Path, default=REPO_ROOT / NLU_PATH, help="NLU output")
    parser.add_argument("--rules", type=Path, default=REPO_ROOT / RULES_PATH, help="rules output")
    parser.add_argument(
        "--domain", type=Path, default=REPO_ROOT / DOMAIN_PATH, help="domain intents output"
    )
    parser.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 if a file is out of date"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (0 ok, 1 out of date, 2 bad facts)."""
    args = _parser().parse_args(argv)
    try:
        kb = load_knowledge(args.facts)
    except KnowledgeError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    files = generated_files(kb, args.nlu, args.rules, args.domain)
    return check_or_write(files, args.check, COMMAND, "the knowledge base", "enquiry training data")


def check_or_write(
    files: Mapping[Path, str], check: bool, command: str, source: str, what: str
) -> int:
    """Write the generated ``files`` or, with ``check``, name those out of date with their
    ``source``; returns the exit status (1 when a checked file is out of date)."""
    if check:
        stale = stale_files(files)
        for path in stale:
            print(f"{path} is out of date with {source}; run `{command}`", file=sys.stderr)
        if not stale:
            print(f"Generated {what} is up to date.")
        return 1 if stale else 0
    written = write_files(files)
    for path in files:
        print(f"{'wrote' if path in written else 'unchanged'} {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
