"""``-o FILE`` for the document commands: the format taken from the file's suffix."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Final, TypeVar

import click
from click.core import ParameterSource

from debtnegotiation.cli._common import echo

__all__ = ["SUFFIX_FORMATS", "chosen_format", "emit", "output_option"]

_F = TypeVar("_F", bound=Callable[..., object])

#: The format each file suffix stands for.
SUFFIX_FORMATS: Final = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".pdf": "pdf",
    ".csv": "csv",
    ".json": "json",
}

#: ``--format`` choices that mean the same as a suffix's format.
_SAME: Final = {"table": "text"}


def output_option(function: _F) -> _F:
    """``-o/--output FILE``: write there instead of standard output."""
    option = click.option(
        "-o",
        "--output",
        "output",
        type=click.Path(dir_okay=False, path_type=Path),
        metavar="FILE",
        help="Write to FILE instead of standard output, in the format its suffix names "
        "(.txt, .md, .html, .pdf, and .csv or .json where --format offers them); PDF is "
        "printed by headless Chromium.",
    )
    return option(function)


def chosen_format(
    ctx: click.Context, output: Path | None, output_format: str, allowed: Sequence[str]
) -> str:
    """The format to write: ``--format``, or the suffix of ``-o FILE`` when one is given.

    An explicit ``--format`` that names another format than the suffix is a usage error,
    as is a suffix the command cannot write.
    """
    if output is None:
        return output_format
    suffix = output.suffix.lower()
    found = SUFFIX_FORMATS.get(suffix)
    if found is None or found not in allowed:
        known = ", ".join(s for s, f in SUFFIX_FORMATS.items() if f in allowed)
        raise click.BadParameter(
            f"the format is taken from the file's suffix; expected one of {known}, "
            f"got {suffix or 'no suffix'!r}",
            param_hint="'-o' / '--output'",
        )
    explicit = ctx.get_parameter_source("output_format") is ParameterSource.COMMANDLINE
    if explicit and _SAME.get(output_format, output_format) != found:
        raise click.UsageError(
            f"--format {output_format} does not match the suffix of {output.name!r} "
            f"({found}); give one or the other"
        )
    return found


def emit(output: Path | None, output_format: str, text: str) -> None:
    """Write *text* to *output* (printing HTML to PDF for ``pdf``), or echo it."""
    if output is None:
        echo(text)
    elif output_format == "pdf":
        from debtnegotiation.pdf import html_to_pdf  # a browser in a subprocess: only for PDF

        html_to_pdf(text, output)
    else:
        output.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
