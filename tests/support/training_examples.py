"""The assistant's training examples, as checks on held-out and blind sets compare them."""

from __future__ import annotations

import yaml

from tests.support.harness import ROOT
from tsf_knowledge.loader import default_knowledge, normalise_example


def training_examples() -> set[str]:
    """Every NLU example, normalised: the facts' and any other training file under data/nlu/."""
    facts = default_knowledge().facts
    examples = {normalise_example(example) for fact in facts for example in fact.examples}
    for path in sorted((ROOT / "data" / "nlu").glob("*.yml")):
        for block in yaml.safe_load(path.read_text(encoding="utf-8")).get("nlu") or []:
            for line in str(block.get("examples", "")).splitlines():
                if line.strip().startswith("- "):
                    examples.add(normalise_example(line.strip()[2:]))
    return examples
