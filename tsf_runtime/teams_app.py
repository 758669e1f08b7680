"""Build the Microsoft Teams app package: ``python -m tsf_runtime.teams_app [ZIP]``.

Fills the placeholders of ``teams/manifest.json`` from the environment (only those: the
manifest's own ``"$schema"`` and any other ``$`` stay as written), checks each value, and
writes the zip Teams accepts: ``manifest.json``, ``color.png`` and ``outline.png`` at its
root. ``make teams-app`` runs it into ``build/tsf-teams-app.zip``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import zipfile
from collections.abc import Mapping
from pathlib import Path

TEAMS_DIR = Path(__file__).resolve().parents[1] / "teams"
DEFAULT_PACKAGE = Path("build/tsf-teams-app.zip")
ICONS = ("color.png", "outline.png")
_GUID = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
_HTTPS_URL = r"https://[^\s\"<>]+"
_DOMAIN = r"(?=.{1,253}$)[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+"
PLACEHOLDERS: dict[str, tuple[str, str]] = {
    "MICROSOFT_APP_ID": (_GUID, "the Azure Bot's Microsoft App ID (a GUID)"),
    "TSF_TEAMS_WEBSITE_URL": (_HTTPS_URL, "an https:// address of the fund's website"),
    "TSF_TEAMS_PRIVACY_URL": (_HTTPS_URL, "an https:// address of the privacy notice"),
    "TSF_TEAMS_TERMS_URL": (_HTTPS_URL, "an https:// address of the terms of use"),
    "TSF_TEAMS_BOT_DOMAIN": (_DOMAIN, "the bot's public host name, without https://"),
}
"""Each placeholder of the manifest: the pattern its value must match, and what it is."""
_PLACEHOLDER = re.compile(r"\$\{(" + "|".join(PLACEHOLDERS) + r")\}")


class TeamsAppError(ValueError):
    """A placeholder's value is missing or unusable."""


def render_manifest(template: str, environ: Mapping[str, str]) -> str:
    """The manifest with every placeholder filled; raises :class:`TeamsAppError` naming
    each missing or unusable value."""
    problems = []
    for name, (pattern, what) in PLACEHOLDERS.items():
        value = environ.get(name, "").strip()
        if not re.fullmatch(pattern, value):
            problems.append(f"{name} must be {what}" + (f", not {value!r}" if value else ""))
    if problems:
        raise TeamsAppError("; ".join(problems))

    def fill(match: re.Match[str]) -> str:
        return json.dumps(environ[match.group(1)].strip())[1:-1]  # JSON-escaped in place

    rendered = _PLACEHOLDER.sub(fill, template)
    json.loads(rendered)  # still JSON
    return rendered


def build_package(environ: Mapping[str, str], target: Path, source: Path = TEAMS_DIR) -> Path:
    """Write the app package to ``target``: the filled manifest and the icons at its root."""
    manifest = render_manifest((source / "manifest.json").read_text(encoding="utf-8"), environ)
    target.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as package:
        package.writestr("manifest.json", manifest)
        for icon in ICONS:
            package.write(source / icon, icon)
    return target


def main(argv: list[str] | None = None, environ: Mapping[str, str] | None = None) -> int:
    """Build the package; 0 when written, 2 with a message when a value is wrong."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("package", nargs="?", type=Path, default=DEFAULT_PACKAGE)
    arguments = parser.parse_args(argv)
    try:
        path = build_package(os.environ if environ is None else environ, arguments.package)
    except TeamsAppError as error:
        print(f"teams app: {error}", file=sys.stderr)
        return 2
    print(f"Teams app package written to {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
