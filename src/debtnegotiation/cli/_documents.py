"""The document commands' output: each ``--format`` as a document format, documents joined.

Kept apart from :mod:`debtnegotiation.cli._common` because it imports the document
renderer (Jinja2 and the charts), which the commands that print no document do not need.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Final

from debtnegotiation.cli._common import RULE
from debtnegotiation.documents import DocumentKind, OutputFormat, render_documents

if TYPE_CHECKING:
    from debtnegotiation.negotiation import Negotiation
    from debtnegotiation.plugins import PluginHost

__all__ = ["OUTPUTS", "documents_text"]


def documents_text(
    negotiations: Sequence[Negotiation],
    kinds: Sequence[DocumentKind],
    *,
    host: PluginHost,
    locale: str,
    output: OutputFormat,
) -> str:
    """Each document of *kinds* for each negotiation, separated by a rule."""
    separator = f"\n{RULE}\n\n" if output is OutputFormat.TEXT else "\n---\n\n"
    parts = [
        part
        for negotiation in negotiations
        for part in render_documents(kinds, negotiation, locale=locale, output=output, host=host)
    ]
    return separator.join(p if p.endswith("\n") else p + "\n" for p in parts)


#: The document output of each ``--format`` choice.
OUTPUTS: Final = {
    "table": OutputFormat.TEXT,
    "text": OutputFormat.TEXT,
    "markdown": OutputFormat.MARKDOWN,
    "html": OutputFormat.HTML,
}
