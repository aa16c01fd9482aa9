"""Sphinx configuration for the debtnegotiation documentation."""

from __future__ import annotations

import importlib.metadata

project = "debtnegotiation"
author = "debtnegotiation developers"
copyright = "2026, debtnegotiation developers"
release = importlib.metadata.version("debtnegotiation")
version = release

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "sphinx.ext.viewcode",
    "sphinx_click",
]

html_theme = "furo"
html_title = f"debtnegotiation {release}"
nitpicky = True
autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_typehints_format = "short"
autodoc_preserve_defaults = True

# The build machine reaches no documentation hosts, so intersphinx inventories cannot be
# fetched; references to standard-library and third-party types are listed here instead
# of resolved. Each entry is a type that appears in our signatures.
nitpick_ignore_regex = [
    (r"py:.*", r"importlib\.resources\.abc\.Traversable"),
    (
        r"py:.*",
        r"(fractions\.)?Fraction|dt\.date|dt\.datetime"
        r"|debtnegotiation\.(plugins\.T|filereader\._T|serialize\._T)",
    ),
    # Standard library and third-party types shown in signatures (no inventory offline).
    (r"py:.*", r"(datetime|decimal|collections\.abc|typing|enum|pathlib|os|sqlite3|io)\..*"),
    (r"py:.*", r"(Decimal|date|datetime|Path|Sequence|Mapping|Iterable|Iterator|Callable)"),
    (r"py:.*", r"(babel|pluggy|attrs|attr|jinja2|click)\..*"),
    (r"py:.*", r"(Locale|PluginManager|HookimplMarker|Final|Any|Self|Protocol|IntEnum|Enum)"),
    (r"py:.*", r"(Exception|ValueError|TypeError|object|str|int|bool|bytes|float|tuple|list|dict|None)"),
    (r"py:.*", r"(NoneType|frozenset|set|type|BinaryIO|TextIO|Literal|ClassVar|Generic|T)"),
    # The batch extras' types (numpy, pyarrow, pandas, Dask) and the batch path's aliases.
    (
        r"py:.*",
        r"((numpy|np|npt|pyarrow|pa|pandas|pd|dask|distributed)(\..*)?|Client|Sized"
        r"|BoolArray|Int64Array|Floats|Progress|Record|NDArray|ndarray)",
    ),
]
