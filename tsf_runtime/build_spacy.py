"""Build the offline spaCy pipeline that Rasa's ``SpacyNLP`` loads.

Usage: ``python -m tsf_runtime.build_spacy DIR``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from tsf_knowledge.language import save_english_pipeline


def main(argv: list[str] | None = None) -> None:
    """Write the pipeline to the folder named on the command line."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("directory", type=Path)
    arguments = parser.parse_args(argv)
    print(f"spaCy pipeline written to {save_english_pipeline(arguments.directory)}")


if __name__ == "__main__":
    main()
