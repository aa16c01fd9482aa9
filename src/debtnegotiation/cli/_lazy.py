"""The built-in subcommands, imported only when one is used.

Importing every command module is most of the start-up of a short command such as
``debtneg demo`` (the ``apr`` command alone pulls in the case-file reader). The group's
command table is therefore a mapping that knows each built-in command by name and imports
its module on first access, click's documented "lazily loading subcommands" pattern done
at the level of :attr:`click.Group.commands`, so that ``get_command``, ``list_commands``,
shell completion and sphinx-click work unchanged.

``debtneg --help`` lists every command with its short help without importing any: each
entry stores the first paragraph of its command's help, the only part of it click's
short help is made from (``tests/test_cli_lazy.py`` checks it against the command's own).
The same goes for subcommands defined in another module than their group's: ``log agree``
and ``log pay`` live with ``debtneg track``, and are imported with it.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Mapping, MutableMapping
from gettext import gettext
from typing import NamedTuple

import click

__all__ = ["BUILTIN_COMMANDS", "LOG_COMMANDS", "LazyCommand", "LazyCommands", "LazyGroup"]


class LazyCommand(NamedTuple):
    """Where a built-in command lives, and what ``--help`` says about it before import.

    :param module: the module defining the command.
    :param attribute: the command's name in that module.
    :param summary: the first paragraph of the command's help.
    """

    module: str
    attribute: str
    summary: str


_CLI = "debtnegotiation.cli."

#: The built-in commands by name, in the order ``--help`` sorts them.
BUILTIN_COMMANDS: Mapping[str, LazyCommand] = {
    "apr": LazyCommand(
        _CLI + "apr",
        "apr",
        "The true annual rate of a loan repaid in equal monthly installments.",
    ),
    "batch": LazyCommand(
        _CLI + "batch",
        "batch",
        "Negotiate every account of ACCOUNTS (Parquet or CSV) and write their options.",
    ),
    "budget": LazyCommand(
        _CLI + "budget",
        "budget",
        "The household budget of CASE: every line, and the surplus for non-priority debts.",
    ),
    "calendar": LazyCommand(
        _CLI + "track",
        "calendar",
        "Write the due dates of the agreed plan in LOG to an iCalendar file, with reminders.",
    ),
    "counter": LazyCommand(
        _CLI + "counter",
        "counter",
        "Judge the lender's counter-offer for a debt in CASE: accept, counter or reject.",
    ),
    "demo": LazyCommand(
        _CLI + "demo",
        "demo",
        "The built-in example: a borrower in Xi'an who lost their job, with two debts.",
    ),
    "dmp": LazyCommand(
        _CLI + "dmp",
        "dmp",
        "A debt management plan for CASE: one monthly payment shared pro rata, a letter each.",
    ),
    "example": LazyCommand(
        _CLI + "starter",
        "example",
        "Print the built-in example case file (the demo's case), or write it with --write.",
    ),
    "init": LazyCommand(
        _CLI + "starter",
        "init",
        "Write a commented starter case file to PATH (default case.toml).",
    ),
    "letter": LazyCommand(
        _CLI + "options",
        "letter",
        "The request letter for each debt in CASE: the hardship, the ask and the fallback.",
    ),
    "log": LazyCommand(
        _CLI + "log",
        "log",
        "Keep the negotiation log: a tamper-evident record of every contact.",
    ),
    "options": LazyCommand(
        _CLI + "options",
        "options",
        "Ranked options for each debt in CASE, with the cost of doing nothing.",
    ),
    "payoff": LazyCommand(
        _CLI + "payoff",
        "payoff",
        "Plan every non-priority debt in CASE month by month with the budget's surplus.",
    ),
    "plan": LazyCommand(
        _CLI + "options",
        "plan",
        "The repayment schedule a strategy proposes for each debt in CASE.",
    ),
    "plugins": LazyCommand(
        _CLI + "plugins",
        "plugins",
        "Installed plugins: name, distribution, version and the hooks each implements.",
    ),
    "script": LazyCommand(
        _CLI + "options",
        "script",
        "The call script for each debt in CASE: the ladder of asks and the four habits.",
    ),
    "track": LazyCommand(
        _CLI + "track",
        "track_command",
        "The agreed plan in LOG: what is due next, what was paid, paid late or missed.",
    ),
}


#: The ``debtneg log`` subcommands defined outside :mod:`debtnegotiation.cli.log`.
LOG_COMMANDS: Mapping[str, LazyCommand] = {
    "agree": LazyCommand(
        _CLI + "track",
        "agree",
        "Record an agreed plan in LOG: its due payments and what happens if one is missed.",
    ),
    "pay": LazyCommand(
        _CLI + "track",
        "pay",
        "Record a payment made under the agreed plan in LOG.",
    ),
}


class LazyCommands(MutableMapping[str, click.Command]):
    """A group's command table whose built-in entries are imported on first access.

    Iteration, ``len`` and ``in`` never import; looking a command up does, once. A
    command added later (``add_command``) is stored as it is and replaces a lazy entry of
    the same name.
    """

    def __init__(self, lazy: Mapping[str, LazyCommand]) -> None:
        """Know the commands of *lazy* by name; import none of them yet."""
        self._lazy = dict(lazy)
        self._loaded: dict[str, click.Command] = {}

    def _load(self, name: str) -> click.Command:
        entry = self._lazy[name]
        command = getattr(importlib.import_module(entry.module), entry.attribute)
        if not isinstance(command, click.Command) or command.name != name:
            msg = (
                f"{entry.module}.{entry.attribute} is {command!r}, expected the click "
                f"command {name!r}"
            )
            raise TypeError(msg)
        self._loaded[name] = command
        self._lazy.pop(name, None)  # importing the module may have added it already
        return command

    def __getitem__(self, name: str) -> click.Command:
        """The command called *name*, its module imported if it was not yet."""
        found = self._loaded.get(name)
        if found is not None:
            return found
        if name in self._lazy:
            return self._load(name)
        raise KeyError(name)

    def __setitem__(self, name: str, command: click.Command) -> None:
        """Store *command* as *name*, replacing a lazy entry of that name."""
        self._lazy.pop(name, None)
        self._loaded[name] = command

    def __delitem__(self, name: str) -> None:
        """Forget the command called *name*, imported or not."""
        if name in self._loaded:
            del self._loaded[name]
        elif name in self._lazy:
            del self._lazy[name]
        else:
            raise KeyError(name)

    def __contains__(self, name: object) -> bool:
        """Whether a command is called *name* (nothing is imported)."""
        return name in self._loaded or name in self._lazy

    def __iter__(self) -> Iterator[str]:
        """The names, imported commands first (nothing is imported)."""
        yield from list(self._loaded)
        yield from list(self._lazy)

    def __len__(self) -> int:
        """How many commands there are, imported or not."""
        return len(self._loaded) + len(self._lazy)

    def listing(self, name: str) -> click.Command | None:
        """What ``--help`` lists for *name*: its command if imported, else a stand-in.

        The stand-in carries the stored first paragraph of the command's help, so click
        makes the same short help from it as from the command; ``None`` for an unknown
        name.
        """
        found = self._loaded.get(name)
        if found is not None:
            return found
        entry = self._lazy.get(name)
        return None if entry is None else click.Command(name, help=entry.summary)


#: click's heading of the command list, translated as click does it (the standard gettext,
#: not the library's catalogs; a name, not a literal, so the catalog extractor skips it).
_CLICK_HEADING = "Commands"


class LazyGroup(click.Group):
    """A group whose ``--help`` lists commands not imported yet from their summaries."""

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """List the commands as click does, without importing the lazy ones.

        A command of the :class:`LazyCommands` table not imported yet is listed from its
        stored summary, from which click makes the same short help as from the command.
        """
        listed: list[tuple[str, click.Command]] = []
        for name in self.list_commands(ctx):
            if isinstance(self.commands, LazyCommands) and name in self.commands:
                command = self.commands.listing(name)
            else:
                command = self.get_command(ctx, name)
            if command is not None and not command.hidden:
                listed.append((name, command))
        if listed:
            # click's own layout: three times the default spacing after the longest name.
            limit = formatter.width - 6 - max(len(name) for name, _command in listed)
            rows = [(name, command.get_short_help_str(limit)) for name, command in listed]
            with formatter.section(gettext(_CLICK_HEADING)):
                formatter.write_dl(rows)
