"""Check the shipped gettext catalogs: complete, not fuzzy, and current with the sources.

CI runs ``python -m debtnegotiation._catalog_check --compiled``; tests call
:func:`check_catalogs`. A problem is reported when:

* the template ``debtnegotiation.pot`` differs from the messages extracted from the
  package sources now (``stale-template``: run ``pybabel extract``);
* a ``.po`` file lacks a message of the template or keeps one the template no longer has
  (``stale-catalog``: run ``pybabel update``);
* a message is untranslated (``untranslated``) or marked fuzzy (``fuzzy``), or the
  catalog header itself is fuzzy (``fuzzy``: ``pybabel compile`` would skip it);
* Babel's own checks fail, e.g. mismatched ``%(name)s`` placeholders (``invalid``);
* with ``compiled=True``: the ``.mo`` next to a ``.po`` is missing or does not hold the
  ``.po``'s translations (``stale-compiled``: rebuild or reinstall the package).

Messages are compared by (context, id, plural id); source locations and dates are ignored,
so moving code does not make a catalog stale.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Final

import attrs
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from debtnegotiation.i18n import DOMAIN

__all__ = [
    "COMMENT_TAGS",
    "KEYWORDS",
    "METHOD_MAP",
    "OPTIONS_MAP",
    "CatalogProblem",
    "check_catalogs",
    "extract",
    "main",
]

#: Extraction keywords: Babel's defaults, with ``N_`` and ``Text`` taking a context first
#: (``N_:1c,2``, ``Text:1c,2``), as :func:`debtnegotiation.messages.N_` and
#: :class:`debtnegotiation.text.Text` do.
KEYWORDS: Final = {**DEFAULT_KEYWORDS, "N_": ((1, "c"), 2), "Text": ((1, "c"), 2)}
#: Which files are scanned, and how: the Python sources, and the templates of the documents
#: (:mod:`debtnegotiation.documents`) and of the log report
#: (:mod:`debtnegotiation.negotiation_log.report`) with Jinja2's Babel extractor.
#: ``locales/babel.cfg`` says the same for ``pybabel extract -F``; a test keeps the two equal.
METHOD_MAP: Final = [
    ("**.py", "python"),
    ("templates/**.j2", "jinja2"),
    ("negotiation_log/templates/**.j2", "jinja2"),
]
#: Extractor options per pattern: the templates' environment settings
#: (:func:`debtnegotiation.documents.template_environment`; the report's are the same), and
#: ``silent = false`` so a template with a syntax error fails extraction instead of being
#: skipped.
_TEMPLATE_OPTIONS: Final = {
    "trimmed": "true",
    "newstyle_gettext": "true",
    "trim_blocks": "true",
    "lstrip_blocks": "true",
    "keep_trailing_newline": "true",
    "silent": "false",
}
OPTIONS_MAP: Final = {
    "templates/**.j2": dict(_TEMPLATE_OPTIONS),
    "negotiation_log/templates/**.j2": dict(_TEMPLATE_OPTIONS),
}
#: Comments starting with these tags are copied to translators.
COMMENT_TAGS: Final = ("TRANSLATORS:",)

_PACKAGE_DIR: Final = Path(__file__).resolve().parent

_MessageKey = tuple[str | None, str, str | None]


@attrs.frozen
class CatalogProblem:
    """One reason a catalog cannot ship, with the file and the message concerned."""

    path: Path
    kind: str
    detail: str

    def __str__(self) -> str:
        """Render as ``path: kind: detail``, one problem per line."""
        return f"{self.path}: {self.kind}: {self.detail}"


def _key(message_id: str | Sequence[str], context: str | None) -> _MessageKey:
    if isinstance(message_id, str):
        return context, message_id, None
    return context, message_id[0], message_id[1]


def _show(key: _MessageKey) -> str:
    context, singular, plural = key
    text = repr(singular) if plural is None else f"{singular!r}/{plural!r}"
    return text if context is None else f"{text} (context {context!r})"


def extract(source_dir: Path = _PACKAGE_DIR) -> Catalog:
    """Extract the translatable messages of the sources and templates under *source_dir*.

    This is what ``pybabel extract`` does with the keywords in
    ``src/debtnegotiation/locales/README.md``; the two are kept equal by a test.
    """
    catalog = Catalog(project="debtnegotiation", domain=DOMAIN, fuzzy=False)
    for filename, lineno, message, comments, context in extract_from_dir(
        source_dir,
        method_map=METHOD_MAP,
        options_map=OPTIONS_MAP,
        keywords=KEYWORDS,
        comment_tags=COMMENT_TAGS,
        strip_comment_tags=True,
    ):
        catalog.add(
            message,
            None,
            [(Path(filename).as_posix(), lineno)],
            auto_comments=comments,
            context=context,
        )
    return catalog


def _keys(catalog: Catalog) -> set[_MessageKey]:
    return {_key(m.id, m.context) for m in catalog if m.id}


def _read(path: Path) -> Catalog:
    with path.open("rb") as stream:
        return read_po(stream, domain=path.stem)


def _compare(
    path: Path, expected: set[_MessageKey], actual: set[_MessageKey], kind: str, how: str
) -> Iterator[CatalogProblem]:
    for key in sorted(expected - actual, key=str):
        yield CatalogProblem(path, kind, f"missing {_show(key)}; {how}")
    for key in sorted(actual - expected, key=str):
        yield CatalogProblem(path, kind, f"no longer in the sources: {_show(key)}; {how}")


def _check_po(
    path: Path, template: set[_MessageKey], *, compiled: bool
) -> Iterator[CatalogProblem]:
    catalog = _read(path)
    yield from _compare(
        path,
        template,
        _keys(catalog),
        "stale-catalog",
        "run pybabel update (see locales/README.md)",
    )
    if catalog.fuzzy:
        yield CatalogProblem(path, "fuzzy", "the header is fuzzy; review it and remove the flag")
    for message in catalog:
        if not message.id:
            continue
        shown = _show(_key(message.id, message.context))
        if message.fuzzy:
            yield CatalogProblem(path, "fuzzy", f"{shown} needs review")
        strings = [message.string] if isinstance(message.string, str) else message.string
        if not strings or not all(strings):
            yield CatalogProblem(path, "untranslated", shown)
    yield from _check_braces(path, catalog)
    for message, errors in catalog.check():
        for error in errors:
            shown = _show(_key(message.id, message.context))
            yield CatalogProblem(path, "invalid", f"{shown}: {error}")
    if compiled:
        yield from _check_compiled(path, catalog)


#: A ``{name}`` placeholder of a :class:`debtnegotiation.text.Text` message.
_BRACE: Final = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


def _check_braces(path: Path, catalog: Catalog) -> Iterator[CatalogProblem]:
    # Babel checks %-placeholders only; a Text translation must keep the {name} ones, or
    # the library falls back to English at run time.
    for message in catalog:
        if not message.id or not isinstance(message.id, str) or not message.string:
            continue
        expected = set(_BRACE.findall(message.id))
        if not expected:
            continue
        strings = [message.string] if isinstance(message.string, str) else message.string
        for text in strings:
            if set(_BRACE.findall(text)) != expected:
                shown = _show(_key(message.id, message.context))
                yield CatalogProblem(
                    path, "invalid", f"{shown}: placeholders {sorted(expected)} expected"
                )


def _translations(catalog: Catalog) -> dict[_MessageKey, object]:
    # Plural translations are a tuple when read from a .po and a list from a .mo.
    return {
        _key(m.id, m.context): m.string if isinstance(m.string, str) else tuple(m.string)
        for m in catalog
        if m.id and not m.fuzzy and m.string
    }


def _check_compiled(path: Path, catalog: Catalog) -> Iterator[CatalogProblem]:
    mo_path = path.with_suffix(".mo")
    if not mo_path.is_file():
        yield CatalogProblem(mo_path, "stale-compiled", "missing; rebuild or reinstall the package")
        return
    with mo_path.open("rb") as stream:
        compiled = read_mo(stream)
    if _translations(compiled) != _translations(catalog):
        yield CatalogProblem(
            mo_path, "stale-compiled", f"differs from {path.name}; rebuild or reinstall"
        )


def check_catalogs(
    locales_dir: Path = _PACKAGE_DIR / "locales",
    source_dir: Path = _PACKAGE_DIR,
    *,
    domain: str = DOMAIN,
    compiled: bool = False,
) -> list[CatalogProblem]:
    """Return every problem found in the catalogs under *locales_dir*; empty means fine.

    :param locales_dir: holds ``<domain>.pot`` and ``<locale>/LC_MESSAGES/<domain>.po``.
    :param source_dir: the Python sources whose messages the template must hold.
    :param domain: the gettext domain.
    :param compiled: also require each ``.mo`` to match its ``.po``.
    """
    problems: list[CatalogProblem] = []
    pot_path = locales_dir / f"{domain}.pot"
    extracted = _keys(extract(source_dir))
    if not pot_path.is_file():
        problems.append(CatalogProblem(pot_path, "stale-template", "missing; run pybabel extract"))
        template = extracted
    else:
        template = _keys(_read(pot_path))
        problems.extend(
            _compare(
                pot_path,
                extracted,
                template,
                "stale-template",
                "run pybabel extract (see locales/README.md)",
            )
        )
    po_paths = sorted(locales_dir.glob(f"*/LC_MESSAGES/{domain}.po"))
    if not po_paths:
        problems.append(CatalogProblem(locales_dir, "stale-catalog", "no .po catalogs found"))
    for po_path in po_paths:
        problems.extend(_check_po(po_path, template, compiled=compiled))
    return problems


def main(argv: Sequence[str] | None = None) -> int:
    """Run the check from the command line; return the process exit status.

    ``python -m debtnegotiation._catalog_check [--compiled]`` prints one problem per line
    and exits 1 if there is any.
    """
    parser = argparse.ArgumentParser(
        prog="python -m debtnegotiation._catalog_check",
        description="Check the shipped gettext catalogs.",
    )
    parser.add_argument("--compiled", action="store_true", help="also check the .mo files")
    parser.add_argument("--locales", type=Path, default=_PACKAGE_DIR / "locales")
    parser.add_argument("--sources", type=Path, default=_PACKAGE_DIR)
    args = parser.parse_args(argv)
    problems = check_catalogs(args.locales, args.sources, compiled=args.compiled)
    for problem in problems:
        sys.stdout.write(f"{problem}\n")
    if problems:
        sys.stdout.write(f"{len(problems)} catalog problem(s)\n")
        return 1
    sys.stdout.write("catalogs complete and current\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
