"""``debtneg init`` and ``debtneg example``: a first case file without reading the reference.

``init`` asks a few questions when someone is at the terminal (or with ``--interactive``)
and writes a commented starter file (:mod:`debtnegotiation.starter`); without a terminal it
writes the template. ``example`` prints or writes the built-in example case, which ships in
the package, so it works from an installed wheel as well as from a checkout.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from importlib.resources import files
from pathlib import Path
from typing import Final

import attrs
import click

from debtnegotiation.apr import Regime
from debtnegotiation.borrower import ExpenseCategory
from debtnegotiation.casefile import loads_case
from debtnegotiation.cli._common import InputError, echo, locale_option, parse_date, today
from debtnegotiation.debt import CreditorKind
from debtnegotiation.errors import DebtNegotiationError
from debtnegotiation.i18n import translations
from debtnegotiation.money import currency_code, minor_units
from debtnegotiation.rates import RateUnit
from debtnegotiation.starter import (
    EXPENSE_KEYS,
    TEMPLATE,
    StarterCase,
    default_regime,
    starter_case_text,
)

__all__ = ["EXAMPLES", "example", "init"]

#: The example cases shipped in the package, by name.
EXAMPLES: Final = ("xian",)


def _example_text(name: str) -> str:
    return files("debtnegotiation").joinpath("examples", f"{name}.toml").read_text("utf-8")


def _write_new(path: Path, text: str, *, force: bool) -> None:
    """Write *text* to *path* atomically; never overwrite unless *force*."""
    if path.exists() and not force:
        raise InputError(f"{path}: the file exists; choose another name or pass --force")
    directory = path.parent if str(path.parent) else Path()
    if not directory.is_dir():
        raise InputError(f"{path}: the folder {directory} does not exist")
    descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=directory)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        Path(temporary).replace(path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


class _AmountType(click.ParamType):  # type: ignore[type-arg]
    """A non-negative decimal amount typed at a prompt, in whole minor units."""

    name = "amount"

    def __init__(self, places: int) -> None:
        self.places = places

    def convert(
        self, value: object, param: click.Parameter | None, ctx: click.Context | None
    ) -> Decimal:
        if isinstance(value, Decimal):
            return value
        text = str(value).strip().replace(",", "")
        try:
            amount = Decimal(text) if text.isascii() else None
        except InvalidOperation:
            amount = None
        if amount is None or not amount.is_finite() or amount < 0 or "e" in text.lower():
            self.fail(f"expected an amount such as 1234.50, got {value!r}", param, ctx)
        if amount != amount.quantize(Decimal(1).scaleb(-self.places)):
            self.fail(f"expected at most {self.places} decimals, got {value!r}", param, ctx)
        return amount


class _CurrencyType(click.ParamType):  # type: ignore[type-arg]
    name = "currency"

    def convert(
        self, value: object, param: click.Parameter | None, ctx: click.Context | None
    ) -> str:
        try:
            return currency_code("currency", str(value).strip())
        except DebtNegotiationError:
            self.fail(f"expected an ISO 4217 code such as CNY or USD, got {value!r}", param, ctx)


def _spending_questions(_: Callable[[str], str]) -> dict[ExpenseCategory, str]:
    questions = {
        ExpenseCategory.HOUSING: _("Rent or mortgage a month"),
        ExpenseCategory.FOOD: _("Food a month"),
        ExpenseCategory.UTILITIES: _("Energy, water and phone a month"),
        ExpenseCategory.TRANSPORT: _("Transport a month"),
        ExpenseCategory.HEALTH: _("Health a month"),
    }
    assert tuple(questions) == EXPENSE_KEYS  # noqa: S101 - one question per starter category
    return questions


def _ask(locale: str, on: dt.date) -> StarterCase:
    _ = translations(locale).gettext
    currency = click.prompt(_("Currency (ISO 4217 code)"), type=_CurrencyType(), default="USD")
    money = _AmountType(minor_units(currency))
    regime = click.prompt(
        _("Annual-rate convention"),
        type=click.Choice([regime.value for regime in Regime], case_sensitive=False),
        default=default_regime(currency).value,
    )
    name = click.prompt(
        _("Your name (for letters; leave empty to skip)"), default="", show_default=False
    )
    income = click.prompt(_("Take-home income a month"), type=money)
    expenses = tuple(
        (category, click.prompt(question, type=money, default=Decimal(0)))
        for category, question in _spending_questions(_).items()
    )
    creditor = click.prompt(_("The lender's name"))
    kind = click.prompt(
        _("Kind of debt"),
        type=click.Choice([kind.value for kind in CreditorKind]),
        default=CreditorKind.CREDIT_CARD.value,
    )
    principal = click.prompt(_("What you still owe"), type=money)
    unit = click.prompt(
        _("How the contract states the rate"),
        type=click.Choice([unit.value for unit in RateUnit]),
        default=RateUnit.ANNUAL_NOMINAL.value,
    )
    rate = click.prompt(_("The rate, in percent (24.99 for 24.99 %)"), type=_AmountType(6))
    overdue = click.prompt(
        _("Days since the first missed payment (0 if none)"),
        type=click.IntRange(0, 36_500),
        default=0,
    )
    return StarterCase(
        on=on,
        currency=currency,
        regime=Regime(next(r for r in Regime if r.value.lower() == regime.lower())),
        name=name,
        monthly_income=income,
        expenses=expenses,
        creditor=creditor,
        creditor_kind=CreditorKind(kind),
        principal=principal,
        rate_percent=rate,
        rate_unit=RateUnit(unit),
        days_overdue=overdue,
    )


@click.command()
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path), default="case.toml")
@click.option(
    "--interactive/--no-input",
    default=None,
    help="Ask the questions (default when standard input is a terminal), or write the "
    "template without asking.",
)
@click.option("--force", is_flag=True, help="Overwrite PATH if it exists.")
@click.option("--on", "on", metavar="DATE", help="The case date (default: today).")
@locale_option
def init(*, path: Path, interactive: bool | None, force: bool, on: str | None, locale: str) -> None:
    """Write a commented starter case file to PATH (default case.toml).

    At a terminal it asks for your income, your spending and one debt; otherwise it
    writes a template whose every figure is a placeholder. Either way the file is ready for
    `debtneg options PATH`.
    """
    case_date = parse_date(on, "--on") or today()
    if path.exists() and not force:
        raise InputError(f"{path}: the file exists; choose another name or pass --force")
    ask = sys.stdin.isatty() if interactive is None else interactive
    case = _ask(locale, case_date) if ask else attrs.evolve(TEMPLATE, on=case_date)
    text = starter_case_text(case, locale=locale)
    loads_case(text, suffix=".toml", origin=str(path))  # what we write must read back
    _write_new(path, text, force=force)
    _ = translations(locale).gettext
    echo(_("Wrote {path}. Next: debtneg options {path}").format(path=path))


@click.command()
@click.argument("name", type=click.Choice(EXAMPLES), default="xian")
@click.option(
    "--write",
    "target",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the case file to this path instead of printing it.",
)
@click.option("--force", is_flag=True, help="Overwrite the --write path if it exists.")
@locale_option
def example(*, name: str, target: Path | None, force: bool, locale: str) -> None:
    """Print the built-in example case file (the demo's case), or write it with --write.

    `debtneg example --write xian.toml` gives a case file to edit and run with
    `debtneg options xian.toml`.
    """
    text = _example_text(name)
    if target is None:
        echo(text)
        return
    _write_new(target, text, force=force)
    _ = translations(locale).gettext
    echo(_("Wrote {path}. Next: debtneg options {path}").format(path=target))
