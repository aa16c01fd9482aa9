"""A testing kit for plugin authors: an isolated host and ready-made cases.

Test a plugin on its own, without whatever else happens to be installed::

    from debtnegotiation.testing import assert_no_failures, plugin_host, sample_case

    import my_plugin

    def test_my_strategy_proposes_something():
        host = plugin_host(my_plugin)
        proposals = assert_no_failures(host.propose(case=sample_case()))
        assert [p.strategy for p in proposals] == ["my-strategy"]

:func:`plugin_host` registers only the plugins under test and the essential built-in
formatter: no entry points, no built-in strategies or reviews, no environment switches,
and strict mode on, so a plugin that raises or returns the wrong type fails the test
with :class:`~debtnegotiation.plugins.PluginError` instead of being reported quietly.

:func:`sample_case` is the built-in example's installment-platform debt (the source
article's situation, :mod:`debtnegotiation.example`): a borrower in Xi'an who lost their
job, 38 days overdue, with the platform's policy (a 5 % handling fee, 24 months, relief
for unemployment or illness with documents).

>>> from debtnegotiation.testing import plugin_host, sample_case
>>> case = sample_case()
>>> case.debt.creditor.name, str(case.owed)
('Example Installment Platform', '19198.75 CNY')
>>> host = plugin_host()
>>> [info.name for info in host.plugins()]
['debtnegotiation.default_formatter']
>>> host.propose(case=case).items
()
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Final, Literal

from debtnegotiation.borrower import Borrower
from debtnegotiation.case import Case, Goals
from debtnegotiation.debt import Debt
from debtnegotiation.errors import ValidationError
from debtnegotiation.example import (
    EXAMPLE_DATE,
    example_borrower,
    example_debts,
    example_policies,
)
from debtnegotiation.plugins import Collected, PluginHost, get_plugin_host
from debtnegotiation.policy import LenderPolicy

__all__ = [
    "SAMPLE_LENDER",
    "assert_no_failures",
    "plugin_host",
    "sample_borrower",
    "sample_case",
    "sample_debt",
    "sample_policy",
]

#: The creditor of :func:`sample_debt` (the source article's installment platform).
SAMPLE_LENDER: Final = "Example Installment Platform"


def plugin_host(*plugins: object, strict: bool = True) -> PluginHost:
    """A plugin host holding only *plugins* and the essential built-in formatter.

    No entry points are loaded, no built-in strategy or review is registered, and the
    process environment is ignored (``DEBTNEG_DISABLE_PLUGINS`` and friends), so the
    results come from the plugins under test alone.

    :param plugins: plugin modules or instances, registered in this order.
    :param strict: re-raise a plugin's exception or wrong return type as
        :class:`~debtnegotiation.plugins.PluginError` (the default, right for tests);
        ``False`` reports them in ``failures`` as production does.
    :raises ~debtnegotiation.plugins.PluginError: when a plugin implements an unknown
        (misspelt) hook or a hook wrapper.
    """
    return get_plugin_host(
        plugins=plugins,
        load_entry_points=False,
        builtins=False,
        strict=strict,
        environ={},
    )


def sample_debt() -> Debt:
    """The example's installment-platform debt: CNY 18,600 principal, 38 days overdue."""
    return example_debts()[0]


def sample_borrower() -> Borrower:
    """The example borrower: laid off in August 2026, part-time income, two documents."""
    return example_borrower()


def sample_policy() -> LenderPolicy:
    """The platform's policy from the example: 5 % fee, 24 months, relief for hardship."""
    return example_policies()[SAMPLE_LENDER]


def sample_case(
    *,
    debt: Debt | None = None,
    borrower: Borrower | None = None,
    goals: Goals | None = None,
    policy: LenderPolicy | Literal["example"] | None = "example",
    on: dt.date = EXAMPLE_DATE,
) -> Case:
    """A ready-made :class:`~debtnegotiation.case.Case` from the built-in example.

    Every part can be replaced; what is not given comes from the example.

    :param debt: the debt; the platform debt of :func:`sample_debt` by default. Pass
        ``debtnegotiation.example.example_debts()[1]`` for the example credit card.
    :param borrower: the borrower; :func:`sample_borrower` by default.
    :param goals: the borrower's goals; none by default.
    :param policy: the lender's policy. ``"example"`` (the default): the example's policy
        for the debt's creditor when the example has one; ``None`` for a case without a
        policy (as the engine sees it before asking ``debtneg_lender_policies``).
    :param on: the case date; the example's date (2 Nov 2026) by default.
    """
    the_debt = sample_debt() if debt is None else debt
    chosen: LenderPolicy | None
    if isinstance(policy, str):
        if policy != "example":
            raise ValidationError("policy", "a LenderPolicy, None or 'example'", policy)
        chosen = example_policies().get(the_debt.creditor.name)
    else:
        chosen = policy
    return Case(
        debt=the_debt,
        borrower=sample_borrower() if borrower is None else borrower,
        goals=Goals() if goals is None else goals,
        policy=chosen,
        on=on,
    )


def assert_no_failures(result: Collected[Any]) -> tuple[Any, ...]:
    """Return the items of a collected hook result, or fail listing every plugin failure.

    For hosts built with ``strict=False``, where failures are reported, not raised::

        proposals = assert_no_failures(host.propose(case=case))

    :raises AssertionError: naming each failing plugin, its hook and its error.
    """
    if result.failures:
        details = "\n".join(f"  {failure}" for failure in result.failures)
        raise AssertionError(f"{len(result.failures)} plugin failure(s):\n{details}")
    return result.items
