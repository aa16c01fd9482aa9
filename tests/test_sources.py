"""Nothing the library ships cites a file its readers do not have.

Code, findings, documents and docs cite the primary source — the regulation, the
announcement, the article — by its own name (``docs/sources.rst`` lists them all), never
the project's private research notes or a path outside the repository.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

#: The trees that reach users: the library, its docs, the plugin distributions and the
#: example files.
SHIPPED = ("src", "docs", "plugins", "examples")

#: Single files that reach users (the README is the package's long description).
SHIPPED_FILES = ("README.md", "CHANGELOG.md")  # the changelog is rendered into the docs

#: Generated or installed trees, not part of the sources.
SKIPPED_DIRS = frozenset({"__pycache__", ".venv", "_build", "build", "dist", ".mypy_cache"})

#: The project's private notes by file name (any case) — the research notes, the design and
#: style notes, the vectors README — and any path that leaves the repository.
FORBIDDEN = re.compile(
    rb"domain\.md|\.\./shared|shared/vectors|/work/|\b(?:design|style)\.md\b|style-anchors"
    rb"|vectors[ /]readme",
    re.IGNORECASE,
)


def shipped_files() -> list[Path]:
    """Every file under the shipped trees, generated directories left out."""
    files = []
    for top in SHIPPED:
        for path in sorted((ROOT / top).rglob("*")):
            parts = path.relative_to(ROOT).parts
            if any(part in SKIPPED_DIRS or part.endswith(".egg-info") for part in parts):
                continue
            if path.is_file():
                files.append(path)
    files.extend(ROOT / name for name in SHIPPED_FILES)
    return files


def offending_lines(path: Path, root: Path = ROOT) -> list[str]:
    """``file:line: text`` for each line of *path* that cites the research notes.

    Read as bytes, so compiled catalogs and other binary files are scanned too.
    """
    found = []
    for number, line in enumerate(path.read_bytes().splitlines(), start=1):
        if FORBIDDEN.search(line):
            text = line.decode("utf-8", errors="replace").strip()
            found.append(f"{path.relative_to(root)}:{number}: {text}")
    return found


def test_the_scan_sees_the_shipped_trees():
    names = {path.relative_to(ROOT).as_posix() for path in shipped_files()}
    assert "docs/sources.rst" in names
    assert "src/debtnegotiation/__init__.py" in names
    assert "plugins/debtnegotiation-cn/src/debtnegotiation_cn/ceilings.py" in names
    assert "examples/xian.toml" in names
    assert "README.md" in names
    assert not any("__pycache__" in name or "/_build/" in name for name in names)


def test_the_pattern_catches_every_private_note_in_any_case(tmp_path: Path):
    sample = tmp_path / "sample.py"
    lines = [
        '"""See Domain.md §1.1."""',
        'X = "../shared/vectors/x.json"',
        "Y = 1  # the README of shared/vectors",
        '# DESIGN.md "Strategies"',
        "# as Style.md says",
        "# see style-anchors",
        "# (Vectors README, pitfall 5)",
        "# read /work/notes first",
        "Z = 2  # design and style, a README, vectors: fine on their own",
    ]
    sample.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert offending_lines(sample, tmp_path) == [
        f"sample.py:{number}: {line}" for number, line in enumerate(lines[:-1], start=1)
    ]


def test_no_shipped_file_cites_the_research_notes():
    found = [line for path in shipped_files() for line in offending_lines(path)]
    assert not found, "cite the primary source (docs/sources.rst) instead:\n" + "\n".join(found)
