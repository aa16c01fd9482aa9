"""``debtneg``'s built-in commands are imported on first use, and nothing else changes.

The lazy command table (:mod:`debtnegotiation.cli._lazy`) must name exactly the commands
the package defines, list each in ``--help`` with the short help click makes from the
command itself, and keep a short command such as ``debtneg demo`` from importing the
modules it does not use (asserted on ``sys.modules`` of a fresh interpreter).
"""

from __future__ import annotations

import importlib
import os
import pkgutil
import subprocess
import sys
import textwrap

import click
import pytest

import debtnegotiation.cli
from debtnegotiation.cli import cli
from debtnegotiation.cli._lazy import BUILTIN_COMMANDS, LOG_COMMANDS, LazyCommand, LazyCommands

ISOLATED = {"DEBTNEG_DISABLE_PLUGIN_AUTOLOAD": "1", "DEBTNEG_DISABLE_PLUGINS": ""}
#: Every lazy entry: (group, name) -> where it lives.
LAZY = {
    **{("debtneg", name): entry for name, entry in BUILTIN_COMMANDS.items()},
    **{("debtneg log", name): entry for name, entry in LOG_COMMANDS.items()},
}


def _cli_modules() -> list[str]:
    return [
        info.name
        for info in pkgutil.iter_modules(debtnegotiation.cli.__path__, "debtnegotiation.cli.")
    ]


def _defined_commands() -> dict[str, tuple[str, str]]:
    """The package's top-level commands: name -> (module, attribute), found by scanning.

    Every click command defined at module level in ``debtnegotiation.cli.*``, less the
    subcommands of the groups found there (``log add`` and the like).
    """
    found: dict[tuple[str, str], click.Command] = {}
    for name in _cli_modules():
        module = importlib.import_module(name)
        for attribute, value in vars(module).items():
            defined_here = getattr(getattr(value, "callback", None), "__module__", None)
            if isinstance(value, click.Command) and defined_here == name:
                found[(name, attribute)] = value
    nested = {
        id(sub)
        for command in found.values()
        if isinstance(command, click.Group)
        for sub in command.commands.values()
    }
    return {
        str(command.name): where for where, command in found.items() if id(command) not in nested
    }


def _modules_after(argv: list[str]) -> set[str]:
    """The modules a fresh ``debtneg *argv*`` has loaded when it finishes."""
    script = textwrap.dedent(
        f"""
        import contextlib, io, sys
        from debtnegotiation.cli import main
        with contextlib.redirect_stdout(io.StringIO()):
            status = main({argv!r})
        assert status == 0, status
        print("\\n".join(sorted(sys.modules)))
        """
    )
    env = {**os.environ, **ISOLATED}
    result = subprocess.run(
        [sys.executable, "-c", script], check=True, capture_output=True, text=True, env=env
    )
    return set(result.stdout.split())


def test_the_table_names_exactly_the_commands_the_package_defines():
    defined = _defined_commands()
    assert defined == {name: (e.module, e.attribute) for name, e in BUILTIN_COMMANDS.items()}
    assert list(BUILTIN_COMMANDS) == sorted(BUILTIN_COMMANDS)


def test_each_group_has_its_subcommands_without_importing_the_modules_that_define_them():
    # A subcommand registered on a group from another module (``log agree`` from
    # cli.track) is there although only the group's module was imported.
    groups = {
        (name, attribute): value
        for name in _cli_modules()
        for attribute, value in vars(importlib.import_module(name)).items()
        if isinstance(value, click.Group)
        and getattr(value.callback, "__module__", None) == name
    }
    assert ("debtnegotiation.cli.log", "log") in groups
    for (module, attribute), group in groups.items():
        script = (
            f"import importlib\ngroup = getattr(importlib.import_module({module!r}), "
            f"{attribute!r})\nprint(' '.join(group.commands))"
        )
        fresh = subprocess.run(
            [sys.executable, "-c", script], check=True, capture_output=True, text=True
        ).stdout.split()
        assert sorted(fresh) == sorted(group.commands), (module, attribute)


@pytest.mark.parametrize("where", sorted(LAZY), ids=" ".join)
def test_a_stored_summary_gives_the_commands_own_short_help(where):
    _group, name = where
    entry = LAZY[where]
    command = getattr(importlib.import_module(entry.module), entry.attribute)
    assert command.name == name
    assert not command.hidden
    assert not command.deprecated
    assert command.short_help is None  # click makes it from the help, as from the summary
    stand_in = click.Command(name, help=entry.summary)
    for limit in range(10, 160):
        assert stand_in.get_short_help_str(limit) == command.get_short_help_str(limit), limit
    # The summary is the help's first paragraph, word for word.
    assert entry.summary.split() == command.help.split("\n\n")[0].split()


def _fresh_help(*args: str) -> str:
    """What ``debtneg ARGS`` prints in a fresh interpreter, 72 columns wide, no plugins."""
    return subprocess.run(
        [sys.executable, "-m", "debtnegotiation", *args],
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, **ISOLATED, "COLUMNS": "72"},
    ).stdout


def test_log_help_lists_its_subcommands_as_click_does(monkeypatch):
    from debtnegotiation.cli.log import log

    fresh = _fresh_help("log", "--help")
    ctx = click.Context(log, info_name="log", terminal_width=70)
    formatter = ctx.make_formatter()
    dict(log.commands)  # import every subcommand
    click.Group.format_commands(log, ctx, formatter)
    assert formatter.getvalue() in fresh
    assert "\n  agree " in fresh
    assert "\n  pay " in fresh


def test_help_lists_the_commands_as_click_does_with_every_command_imported(monkeypatch):
    for name, value in ISOLATED.items():
        monkeypatch.setenv(name, value)
    fresh = _fresh_help("--help")
    # click formats help 2 columns narrower than the terminal (COLUMNS=72).
    ctx = click.Context(cli, info_name="debtneg", terminal_width=70)
    formatter = ctx.make_formatter()
    dict(cli.commands)  # import every command
    click.Group.format_commands(cli, ctx, formatter)
    expected = formatter.getvalue()
    assert expected.startswith("Commands:\n")
    assert expected in fresh
    for name in BUILTIN_COMMANDS:
        assert f"\n  {name} " in fresh


def test_help_and_version_import_no_command_module():
    for argv in (["--help"], ["--version"]):
        loaded = _modules_after(argv)
        commands = {m for m in loaded if m.startswith("debtnegotiation.cli.")}
        assert commands <= {"debtnegotiation.cli._common", "debtnegotiation.cli._lazy"}, argv
        assert "debtnegotiation.casefile" not in loaded
        assert "jinja2" not in loaded


def test_the_demo_imports_only_what_it_runs():
    loaded = _modules_after(["demo"])
    assert "debtnegotiation.cli.demo" in loaded
    assert "jinja2" in loaded  # it does render documents
    others = {e.module for name, e in BUILTIN_COMMANDS.items() if name != "demo"}
    assert not others & loaded
    for unused in (
        "debtnegotiation.casefile",
        "debtnegotiation.serialize",
        "debtnegotiation.negotiation_log",
        "debtnegotiation.pdf",
        "debtnegotiation.charts",  # drawn in HTML only
        "cattrs",
        "sqlite3",
        "subprocess",
        "tomllib",  # the file reader's parser: the demo reads no file
        "difflib",  # its suggestions for a misspelt key
    ):
        assert unused not in loaded, unused


def test_the_demo_as_json_imports_the_serialiser_it_needs():
    loaded = _modules_after(["demo", "--format", "json"])
    assert "debtnegotiation.serialize" in loaded
    # The serialiser hooks the log's and the loan quote's types without importing them.
    for unused in (
        "debtnegotiation.casefile",
        "debtnegotiation.negotiation_log",
        "debtnegotiation.loan_quote",
        "sqlite3",
    ):
        assert unused not in loaded, unused


def test_the_demo_as_html_draws_its_charts(tmp_path):
    page = tmp_path / "demo.html"
    loaded = _modules_after(["demo", "-o", str(page)])
    assert "debtnegotiation.charts" in loaded
    assert page.read_text(encoding="utf-8").count("<svg") >= 4  # two charts per debt


# --- the mapping itself -----------------------------------------------------------------


@pytest.fixture
def command_module(tmp_path, monkeypatch):
    """A module on sys.path defining one click command ``hi``, not yet imported."""
    name = "debtneg_lazy_test_commands"
    (tmp_path / f"{name}.py").write_text(
        "import click\n\n@click.command()\ndef hi():\n    '''Say hi.'''\n\nnot_a_command = 1\n",
        encoding="utf-8",
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, name, raising=False)
    yield name
    sys.modules.pop(name, None)


def test_looking_up_imports_once_and_nothing_else_does(command_module):
    commands = LazyCommands({"hi": LazyCommand(command_module, "hi", "Say hi.")})
    assert "hi" in commands
    assert "bye" not in commands
    assert list(commands) == ["hi"]
    assert len(commands) == 1
    listed = commands.listing("hi")
    assert listed is not None
    assert listed.get_short_help_str() == "Say hi."
    assert command_module not in sys.modules
    command = commands["hi"]
    assert command_module in sys.modules
    assert command.name == "hi"
    assert commands["hi"] is command
    assert commands.listing("hi") is command
    assert commands.listing("bye") is None
    with pytest.raises(KeyError):
        commands["bye"]


def test_an_entry_that_is_not_its_command_is_a_type_error_naming_it(command_module):
    commands = LazyCommands(
        {
            "hi": LazyCommand(command_module, "not_a_command", "Say hi."),
            "hello": LazyCommand(command_module, "hi", "Say hi."),
        }
    )
    with pytest.raises(TypeError, match=r"not_a_command is 1, expected the click command 'hi'"):
        commands["hi"]
    with pytest.raises(TypeError, match=r"hi is <Command hi>, expected the click command 'hello'"):
        commands["hello"]


def test_an_added_command_replaces_a_lazy_one_and_can_be_removed(command_module):
    commands = LazyCommands({"hi": LazyCommand(command_module, "hi", "Say hi.")})
    other = click.Command("hi", help="Another hi.")
    commands["hi"] = other
    assert commands["hi"] is other
    assert len(commands) == 1
    assert command_module not in sys.modules
    del commands["hi"]
    assert "hi" not in commands
    with pytest.raises(KeyError):
        del commands["hi"]
    lazy = LazyCommands({"hi": LazyCommand(command_module, "hi", "Say hi.")})
    del lazy["hi"]
    assert not lazy
    assert command_module not in sys.modules


def test_the_example_seam_is_the_demo_module_function():
    from debtnegotiation.demo import example_portfolio

    assert debtnegotiation.cli.example_portfolio is example_portfolio
    with pytest.raises(AttributeError, match="no_such_name"):
        _ = debtnegotiation.cli.no_such_name
