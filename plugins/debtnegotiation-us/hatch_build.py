"""Hatchling build hook: compile the plugin's gettext catalogs (``.po`` → ``.mo``).

The ``.po`` files are committed; the ``.mo`` files are gitignored build products written
next to them whenever a wheel or an editable install is built, and shipped through
``artifacts`` in ``pyproject.toml``. The same workflow as the library's own
``hatch_build.py``; a plugin cannot import the library at build time, hence the copy.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from hatchling.builders.hooks.plugin.interface import BuildHookInterface

LOCALES = Path("src", "debtnegotiation_us", "locales")


def compile_catalogs(locales_dir: Path) -> list[Path]:
    """Compile each ``*/LC_MESSAGES/<domain>.po`` under *locales_dir*, fuzzy entries left out."""
    written = []
    for po_path in sorted(locales_dir.glob("*/LC_MESSAGES/*.po")):
        with po_path.open("rb") as stream:
            catalog = read_po(
                stream, locale=po_path.parent.parent.name, domain=po_path.stem, abort_invalid=True
            )
        mo_path = po_path.with_suffix(".mo")
        with mo_path.open("wb") as stream:
            write_mo(stream, catalog, use_fuzzy=False)
        written.append(mo_path)
    if not written:
        msg = f"no gettext catalogs (*/LC_MESSAGES/*.po) under {locales_dir}"
        raise FileNotFoundError(msg)
    return written


class CatalogBuildHook(BuildHookInterface):  # type: ignore[type-arg]
    """Compile the catalogs before hatchling collects the files of a wheel."""

    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        """Write the ``.mo`` files; *version* is ``standard`` or ``editable``."""
        del version, build_data
        for mo_path in compile_catalogs(Path(self.root) / LOCALES):
            self.app.display_info(f"compiled {mo_path.relative_to(self.root)}")


if __name__ == "__main__":
    for path in compile_catalogs(Path(__file__).resolve().parent / LOCALES):
        print(f"compiled {path}")
