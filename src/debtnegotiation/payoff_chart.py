"""The payoff timeline as a chart: what is owed on each debt, month by month, until debt-free.

:func:`payoff_chart_data` turns a :class:`~debtnegotiation.payoff.PayoffResult` into the
:class:`~debtnegotiation.charts.ChartData` of the balance chart: one line per debt and one
for all of them together (drawn like the doing-nothing line, dashed, so it is told apart
without colour), from the plan's exact monthly balances. :func:`payoff_svg` draws it with
the same renderer as the options comparison (:func:`~debtnegotiation.charts.balance_svg`):
the same case gives the same bytes, a ``<title>`` and a ``<desc>`` sentence per line serve
screen readers, and no plotting library is needed.

>>> import datetime as dt
>>> from debtnegotiation.money import Money
>>> from debtnegotiation.payoff import PayoffDebt, PayoffMethod, plan_payoff
>>> from fractions import Fraction
>>> card = PayoffDebt(name="Card", balance=Money("1000.00", "USD"),
...                   monthly_rate=Fraction(15, 1000), minimum=Money("50.00", "USD"))
>>> result = plan_payoff([card], Money("200.00", "USD"), method=PayoffMethod.AVALANCHE,
...                      on=dt.date(2026, 12, 1))
>>> data = payoff_chart_data(result, total_label="All debts")
>>> [s.label for s in data.series], data.series[0].points[0][1]
(['All debts', 'Card'], Money(amount=Decimal('1000.00'), currency='USD'))
>>> data.series[0].points[-1][1]
Money(amount=Decimal('0.00'), currency='USD')
"""

from __future__ import annotations

from debtnegotiation._context import in_library_context
from debtnegotiation.charts import Bar, ChartData, ChartText, Series, balance_svg
from debtnegotiation.formatting import LocaleFormatter
from debtnegotiation.money import Money
from debtnegotiation.payoff import PayoffResult

__all__ = ["payoff_chart_data", "payoff_svg"]


@in_library_context
def payoff_chart_data(result: PayoffResult, *, total_label: str) -> ChartData:
    """The balance of every debt and of all of them, on the plan's start and each due date.

    :param result: a planned payoff (:func:`~debtnegotiation.payoff.plan_payoff`).
    :param total_label: the name of the all-debts line in the reader's language.
    """
    currency = result.currency
    opening = [debt.balance for debt in result.debts]
    dates = [result.on, *(month.due for month in result.months)]
    balances = [opening, *(list(month.balances) for month in result.months)]
    total = Series(
        label=total_label,
        points=tuple(
            (on, sum(row, Money(0, currency))) for on, row in zip(dates, balances, strict=True)
        ),
        status_quo=True,
    )
    lines = tuple(
        Series(
            label=debt.name,
            points=tuple((on, row[i]) for on, row in zip(dates, balances, strict=True)),
        )
        for i, debt in enumerate(result.debts)
    )
    bars = tuple(Bar(label=debt.name, amount=debt.balance) for debt in result.debts)
    return ChartData(currency=currency, start=result.on, series=(total, *lines), bars=bars)


def payoff_svg(
    result: PayoffResult, formatter: LocaleFormatter, *, title: str, total_label: str
) -> str:
    """The payoff timeline as a standalone SVG document, in *formatter*'s locale.

    :param result: a planned payoff.
    :param formatter: the locale's money, number and date formats.
    :param title: the chart's title (also its SVG ``<title>``).
    :param total_label: the name of the all-debts line.
    """
    text = ChartText(
        title=title,
        money=formatter.money,
        number=formatter.number,
        date=formatter.date,
    )
    return balance_svg(payoff_chart_data(result, total_label=total_label), text, ident="payoff")
