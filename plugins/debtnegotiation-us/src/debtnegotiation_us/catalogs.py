"""Entry point ``us-catalogs``: the pack's translations, for readers of other languages.

A US debt's borrower may read Chinese (or another language the library speaks): the
pack's findings and rule names are :class:`~debtnegotiation.plugin.Text`, and this plugin
ships their translations as a catalog of the library's own domain (hook
``debtneg_catalogs``), merged over the library's catalog. Statutes, forms and state names
stay as they are written (``16 CFR 310.4(a)(5)``, ``Form 1099-C``, ``California``).

The ``.po`` files are committed; ``hatch_build.py`` compiles them to ``.mo`` when the
plugin is built (the README says how to extract and update them). Blocking this plugin
(``DEBTNEG_DISABLE_PLUGINS=us-catalogs``) leaves the pack's sentences in English.
"""

from __future__ import annotations

from collections.abc import Sequence
from importlib.resources import files

from debtnegotiation.plugin import DOMAIN, CatalogSource, hookimpl

__all__ = ["debtneg_catalogs"]


@hookimpl
def debtneg_catalogs() -> Sequence[CatalogSource]:
    """The pack's translations of its findings and rule names, in the library's domain."""
    return (CatalogSource(files("debtnegotiation_us") / "locales", DOMAIN),)
