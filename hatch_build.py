"""Hatchling build hook: compile the gettext catalogs (``.po`` → ``.mo``) at build time.

The ``.po`` files are committed; the ``.mo`` files are build products (gitignored) that
this hook writes next to them, under ``src/debtnegotiation/locales/``, whenever a wheel or
an editable install is built. ``pyproject.toml`` lists them as ``artifacts`` so the wheel
ships them although git ignores them; an editable install imports the package from
``src/``, where the hook has just written them.

Fuzzy messages are left out of the ``.mo`` (as ``pybabel compile`` does without
``--use-fuzzy``); ``python -m debtnegotiation._catalog_check`` fails on them anyway.

Run ``python hatch_build.py`` to compile the catalogs in place without building.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from hatchling.builders.hooks.plugin.interface import BuildHookInterface

LOCALES = Path("src", "debtnegotiation", "locales")


def compile_catalogs(locales_dir: Path) -> list[Path]:
    """Compile each ``*/LC_MESSAGES/<domain>.po`` under *locales_dir*; return the .mo files."""
    written = []
    for po_path in sorted(locales_dir.glob("*/LC_MESSAGES/*.po")):
        locale = po_path.parent.parent.name
        with po_path.open("rb") as stream:
            catalog = read_po(stream, locale=locale, domain=po_path.stem, abort_invalid=True)
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
