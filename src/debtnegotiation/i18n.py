"""Gettext catalogs for the library's prose, loaded for an explicit locale.

The library's messages live in the gettext domain :data:`DOMAIN` (``debtnegotiation``),
compiled from the ``.po`` files under ``debtnegotiation/locales/`` when the package is
built (``hatch_build.py``). :func:`translations` returns a
:class:`babel.support.Translations` for one locale, with plugin catalogs merged in.

There is no process-wide "current language" and no system default: every call names its
locale. A catalog that is missing is an error (:class:`CatalogNotFoundError`), never the
silent ``NullTranslations`` that :meth:`babel.support.Translations.load` returns.

Which catalog serves a requested locale (:func:`resolve_locale`), tried in this order:

1. A catalog named exactly like the locale (``zh_Hans_CN``).
2. A catalog that names the same locale once CLDR's likely subtags are added: ``zh``,
   ``zh_CN`` and ``zh_Hans`` all mean ``zh_Hans_CN``; ``en_US`` means ``en``.
3. A catalog named by the language alone serves every territory of that language written
   in the same script: ``en`` serves ``en_GB``, ``en_IN`` and ``en_AU``. (English is the
   source language of every message, so this is safe.)

Nothing else falls back: ``zh_Hant_TW`` or ``zh_Hans_SG`` is not served by the
mainland ``zh_Hans_CN`` catalog (different script; different vocabulary for documents
and institutions), and ``fr_FR`` without a French catalog is an error.

>>> translations("zh_CN").pgettext("strategy", "Longer repayment term")
'延长还款期限'
>>> translations("fr_FR")
Traceback (most recent call last):
...
debtnegotiation.i18n.CatalogNotFoundError: no 'debtnegotiation' catalog for locale 'fr_FR'; ...
"""

from __future__ import annotations

import copy
import functools
import os
from collections.abc import Iterable, Mapping, Sequence
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Final

import attrs
from babel import Locale
from babel.core import get_global
from babel.support import Translations

from debtnegotiation.errors import DebtNegotiationError, ValidationError
from debtnegotiation.formatting import parse_locale

__all__ = [
    "DOMAIN",
    "CatalogNotFoundError",
    "CatalogSource",
    "package_catalogs",
    "resolve_locale",
    "shipped_locales",
    "translations",
]

#: The gettext domain of the library's own messages.
DOMAIN: Final = "debtnegotiation"


class CatalogNotFoundError(DebtNegotiationError, LookupError):
    """No compiled catalog serves the requested locale for a domain.

    The message names the locale, the domain and every directory looked in, with the
    locales each one has, so the fix (add a catalog, install the plugin, rebuild the
    package) is visible without a debugger.
    """

    def __init__(self, locale: str, domain: str, looked_in: Sequence[str]) -> None:
        """Record what was asked for and where it was looked for."""
        self.locale = locale
        self.domain = domain
        self.looked_in = tuple(looked_in)
        super().__init__(
            f"no {domain!r} catalog for locale {locale!r}; looked in "
            + "; ".join(self.looked_in)
            + ". Fallbacks are only the ones documented in debtnegotiation.i18n"
        )


def _to_directory(value: object) -> Traversable:
    if isinstance(value, str | os.PathLike):
        return Path(value)
    if isinstance(value, Traversable):
        return value
    raise ValidationError("directory", "a path or an importlib.resources Traversable", value)


def _check_domain(_instance: object, _attribute: object, value: str) -> None:
    if not isinstance(value, str) or not value or "/" in value or "\\" in value:
        raise ValidationError("domain", "a gettext domain name such as 'debtnegotiation'", value)


@attrs.frozen
class CatalogSource:
    """A directory of compiled catalogs for one gettext domain.

    The layout is the gettext one: ``<directory>/<locale>/LC_MESSAGES/<domain>.mo``. A
    plugin ships its catalogs inside its package and describes them with
    ``CatalogSource(importlib.resources.files("debtnegotiation_x") / "locales",
    "debtnegotiation_x")``.

    :param directory: a path or an ``importlib.resources`` ``Traversable``.
    :param domain: the gettext domain; the library's own is :data:`DOMAIN`.
    """

    directory: Traversable = attrs.field(converter=_to_directory)
    domain: str = attrs.field(validator=_check_domain)

    def _mo(self, locale: str) -> Traversable:
        return self.directory / locale / "LC_MESSAGES" / f"{self.domain}.mo"

    def _po(self, locale: str) -> Traversable:
        return self.directory / locale / "LC_MESSAGES" / f"{self.domain}.po"

    def locales(self) -> frozenset[str]:
        """Return the locales that have a compiled catalog (``.mo``) in this source."""
        if not self.directory.is_dir():
            return frozenset()
        return frozenset(
            entry.name
            for entry in self.directory.iterdir()
            if entry.is_dir() and self._mo(entry.name).is_file()
        )

    def _uncompiled(self) -> list[str]:
        if not self.directory.is_dir():
            return []
        return sorted(
            entry.name
            for entry in self.directory.iterdir()
            if entry.is_dir()
            and self._po(entry.name).is_file()
            and not self._mo(entry.name).is_file()
        )

    def describe(self) -> str:
        """Say where this source is and what it holds, for error messages."""
        where = f"{self.directory} (domain {self.domain!r}"
        if not self.directory.is_dir():
            return where + ": no such directory)"
        have = ", ".join(sorted(self.locales())) or "none"
        text = f"{where}: compiled locales {have}"
        uncompiled = self._uncompiled()
        if uncompiled:
            text += (
                f"; .po without a compiled .mo for {', '.join(uncompiled)}"
                " - rebuild or reinstall the package so the build hook compiles them"
            )
        return text + ")"

    def load(self, locale: str) -> Translations:
        """Load the compiled catalog of exactly *locale* (no fallback) from this source."""
        path = self._mo(locale)
        if not path.is_file():
            raise CatalogNotFoundError(locale, self.domain, [self.describe()])
        if isinstance(path, Path):
            # A file on disk is parsed once per version of it (a command loads the same
            # catalogs for its messages and again for its documents).
            stat = path.stat()
            key = (str(path), self.domain, stat.st_mtime_ns, stat.st_size, stat.st_ino)
            return _fresh_copy(_parsed(*key))
        with path.open("rb") as stream:
            return Translations(stream, domain=self.domain)


@functools.lru_cache(maxsize=64)
def _parsed(path: str, domain: str, *_version: int) -> Translations:
    """The catalog at *path*, parsed; never handed out itself (see :func:`_fresh_copy`)."""
    with Path(path).open("rb") as stream:
        return Translations(stream, domain=domain)


def _fresh_copy(catalog: Translations) -> Translations:
    """A copy of a parsed *catalog* that merging, adding and fallbacks leave it untouched.

    ``Translations.merge`` updates the messages and the file list in place, ``add`` the
    other domains, and ``add`` of another domain sets that catalog's fallback: each of
    those is the copy's own.
    """
    fresh = copy.copy(catalog)
    state = vars(fresh)
    for name in ("_catalog", "_info", "_domains"):
        state[name] = dict(state[name])
    state["files"] = list(state["files"])
    return fresh


def package_catalogs() -> CatalogSource:
    """Return the source of the library's own catalogs, inside the installed package."""
    return CatalogSource(files("debtnegotiation") / "locales", DOMAIN)


def shipped_locales() -> tuple[str, ...]:
    """Return the locales the library ships a compiled catalog for, sorted.

    >>> shipped_locales()
    ('en', 'zh_Hans_CN')
    """
    return tuple(sorted(package_catalogs().locales()))


def _subtags(locale: Locale) -> tuple[str, str | None, str | None]:
    return locale.language, locale.script, locale.territory


def _maximize(locale: Locale) -> tuple[str, str | None, str | None]:
    """Add CLDR likely subtags: ``zh`` → (zh, Hans, CN), ``en_GB`` → (en, Latn, GB)."""
    language, script, territory = _subtags(locale)
    likely: Mapping[str, str] = get_global("likely_subtags")
    keys = [
        "_".join(part for part in (language, script, territory) if part),
        f"{language}_{territory}" if territory else "",
        f"{language}_{script}" if script else "",
        language,
    ]
    for key in keys:
        if key and key in likely:
            full = Locale.parse(likely[key])
            return language, script or full.script, territory or full.territory
    return language, script, territory


def resolve_locale(locale: str | Locale, available: Iterable[str]) -> str | None:
    """Return the catalog among *available* that serves *locale*, or ``None``.

    The rules are the three listed in this module's description, tried in order.

    >>> resolve_locale("zh_CN", ["en", "zh_Hans_CN"])
    'zh_Hans_CN'
    >>> resolve_locale("en_GB", ["en", "zh_Hans_CN"])
    'en'
    >>> resolve_locale("zh_TW", ["en", "zh_Hans_CN"]) is None
    True
    """
    requested = parse_locale(locale)
    candidates: dict[str, Locale] = {}
    for name in sorted(available):
        try:
            candidates[name] = parse_locale(name)
        except ValidationError:
            continue  # a directory that is not a locale (e.g. "__pycache__") serves nothing
    name = str(requested)
    if name in candidates:
        return name
    wanted = _maximize(requested)
    for candidate, parsed in candidates.items():
        if _maximize(parsed) == wanted:
            return candidate
    for candidate, parsed in candidates.items():
        if parsed.script is None and parsed.territory is None and parsed.variant is None:
            language, script, _territory = _maximize(parsed)
            if (language, script) == wanted[:2]:
                return candidate
    return None


def translations(locale: str | Locale, *, extra: Iterable[CatalogSource] = ()) -> Translations:
    """Return the catalogs for *locale*: the library's own, with *extra* merged in.

    Sources are grouped by domain. Within a domain, the first source in order (the
    package's own catalogs, then *extra* as given) that serves the locale is the base,
    and every later one that serves it is merged over it, so a plugin can correct or
    complete the library's translations. A plugin's own domain is added with
    :meth:`babel.support.Translations.add` and read with ``dgettext``/``dpgettext``.

    Every domain must be served by at least one of its sources, or
    :class:`CatalogNotFoundError` names the locale, the domain and where it looked. A
    plugin may therefore also bring the library's domain for a locale the library does not
    ship, by passing a :class:`CatalogSource` with domain :data:`DOMAIN`.

    :param locale: a CLDR identifier such as ``en`` or ``zh_Hans_CN``; unknown ones are a
        ``ValidationError``.
    :param extra: plugin catalog sources.
    """
    requested = str(parse_locale(locale))
    sources = [package_catalogs(), *extra]
    for index, source in enumerate(sources):
        if not isinstance(source, CatalogSource):
            raise ValidationError(f"extra[{index - 1}]", "a CatalogSource", source)
    by_domain: dict[str, list[CatalogSource]] = {}
    for source in sources:
        by_domain.setdefault(source.domain, []).append(source)

    loaded: dict[str, Translations] = {}
    for domain, group in by_domain.items():
        found: Translations | None = None
        for source in group:
            served = resolve_locale(requested, source.locales())
            if served is None:
                continue
            catalog = source.load(served)
            found = catalog if found is None else found.merge(catalog)
        if found is None:
            raise CatalogNotFoundError(requested, domain, [s.describe() for s in group])
        loaded[domain] = found

    result = loaded.pop(DOMAIN)
    for catalog in loaded.values():
        result.add(catalog, merge=True)
    return result
