"""The per-user cache of compiled templates: used when private, never trusted otherwise."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import jinja2
import pytest
from jinja2.bccache import bc_magic

from debtnegotiation import _template_cache
from debtnegotiation._template_cache import CACHE_DIR_ENV, NO_CACHE_ENV, bytecode_cache
from debtnegotiation.demo import example_portfolio
from debtnegotiation.documents import DocumentKind, render_document, template_environment
from debtnegotiation.plugins import get_plugin_host


@pytest.fixture(autouse=True)
def _fresh(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    monkeypatch.setenv(CACHE_DIR_ENV, str(tmp_path / "cache"))
    monkeypatch.delenv(NO_CACHE_ENV, raising=False)
    _template_cache._cache.cache_clear()
    yield
    _template_cache._cache.cache_clear()


def _files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*.cache"))


def test_rendering_fills_a_private_cache_that_the_next_render_reads(tmp_path: Path):
    host = get_plugin_host(load_entry_points=False, environ={})
    negotiation = example_portfolio(host=host).negotiation(0)
    first = render_document(DocumentKind.LETTER, negotiation, locale="en", host=host)
    cached = _files(tmp_path / "cache")
    assert cached, "no compiled template was written"
    directory = cached[0].parent
    assert directory.name == "documents"
    if hasattr(os, "getuid"):
        assert stat.S_IMODE(directory.stat().st_mode) == 0o700
    # A new environment (another process, in effect) loads the compiled code: it
    # renders the same without compiling anything.
    env = template_environment("en", host=host)

    def no_compile(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("compiled again although the cache holds the template")

    env.compile = no_compile  # type: ignore[method-assign,assignment]
    assert env.get_template("letter.txt.j2") is not None
    again = render_document(DocumentKind.LETTER, negotiation, locale="en", host=host)
    assert again == first


def test_each_kind_and_version_has_its_own_directory(tmp_path: Path):
    documents, report = bytecode_cache("documents"), bytecode_cache("log-report")
    assert isinstance(documents, jinja2.FileSystemBytecodeCache)
    assert isinstance(report, jinja2.FileSystemBytecodeCache)
    assert documents.directory != report.directory
    version = f"py{sys.version_info[0]}.{sys.version_info[1]}"
    assert version in documents.directory
    assert jinja2.__version__ in documents.directory


def test_no_cache_when_turned_off(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv(NO_CACHE_ENV, "1")
    assert bytecode_cache("documents") is None


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX permissions")
def test_a_directory_others_can_write_is_not_trusted(tmp_path: Path):
    shared = tmp_path / "cache"
    version = f"jinja2-{jinja2.__version__}-py{sys.version_info[0]}.{sys.version_info[1]}"
    directory = shared / version / "documents"
    directory.mkdir(parents=True)
    directory.chmod(0o777)
    assert bytecode_cache("documents") is None


def test_no_cache_where_the_directory_cannot_be_made(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory", encoding="utf-8")
    monkeypatch.setenv(CACHE_DIR_ENV, str(blocker / "cache"))
    assert bytecode_cache("documents") is None


def _render_letter() -> str:
    host = get_plugin_host(load_entry_points=False, environ={})
    negotiation = example_portfolio(host=host).negotiation(0)
    return render_document(DocumentKind.LETTER, negotiation, locale="en", host=host)


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda good: b"", id="empty"),
        pytest.param(lambda good: good[: len(good) // 3], id="truncated-code"),
        # Jinja2's header intact, then a checksum cut short or not a pickle at all: Jinja2
        # lets these escape (UnpicklingError, EOFError).
        pytest.param(lambda good: good[: len(bc_magic) + 10], id="truncated-checksum"),
        pytest.param(lambda good: bc_magic + b"garbage" * 40, id="garbage-after-header"),
        pytest.param(lambda good: bytes(255 - b for b in good), id="inverted"),
    ],
)
def test_a_damaged_cache_file_is_compiled_afresh_and_replaced(tmp_path: Path, damage):
    expected = _render_letter()
    cached = _files(tmp_path / "cache")
    assert cached
    good = {path: path.read_bytes() for path in cached}
    for path, content in good.items():
        path.write_bytes(damage(content))
    _template_cache._cache.cache_clear()
    # A fresh environment, as in the next process: it must read the damaged files.
    host = get_plugin_host(load_entry_points=False, environ={})
    env = template_environment("en", host=host)
    assert env.get_template("letter.txt.j2") is not None
    assert _render_letter() == expected
    for path, content in good.items():
        assert path.read_bytes() == content, f"{path.name} was not rewritten"


def test_a_cache_directory_removed_while_running_only_costs_a_compile(tmp_path: Path):
    cache = bytecode_cache("documents")
    assert isinstance(cache, jinja2.FileSystemBytecodeCache)
    # The directory was checked and made; now it disappears (``rm -rf ~/.cache``).
    for path in sorted(Path(cache.directory).parents[1].rglob("*"), reverse=True):
        path.rmdir() if path.is_dir() else path.unlink()
    Path(cache.directory).parents[1].rmdir()
    host = get_plugin_host(load_entry_points=False, environ={})
    env = template_environment("en", host=host)
    assert env.get_template("script.txt.j2") is not None
    assert not Path(cache.directory).exists()
    assert _render_letter()
