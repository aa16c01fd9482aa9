"""Strategy plugins whose ``debtneg_propose_plans`` returns garbage, raises or exits.

"Smuggled" values are written with ``object.__setattr__`` after a valid construction,
which is how a value the constructor refuses can still reach the host.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from decimal import Decimal

from debtnegotiation.case import Case
from debtnegotiation.money import Money
from debtnegotiation.plan import Plan
from debtnegotiation.plugin import hookimpl
from debtnegotiation.proposal import Eligibility, Proposal
from debtnegotiation.rates import InterestRate
from debtnegotiation.schedules import equal_installment

_set = object.__setattr__


def valid(case: Case, strategy: str = "garbage") -> Proposal:
    """A proposal the host would accept: 12 equal payments of the amount owed, no interest."""
    plan = equal_installment(case.owed, InterestRate.zero(), 12, start=case.on)
    return Proposal(
        strategy=strategy,
        title="Twelve equal payments",
        plan=plan,
        eligibility=Eligibility.ELIGIBLE,
        reasons=("a test fixture",),
    )


class Returns:
    """A strategy whose ``debtneg_propose_plans`` returns ``make(case)``."""

    def __init__(self, make: Callable[[Case], object]) -> None:
        self.make = make

    @hookimpl
    def debtneg_propose_plans(self, case: Case) -> Sequence[Proposal] | None:
        """Return whatever ``make`` builds."""
        return self.make(case)  # type: ignore[return-value]


def _title_smuggled(case: Case) -> list[Proposal]:
    proposal = valid(case, "fee-advance")  # same strategy as a built-in: titles are compared
    _set(proposal, "title", None)
    return [proposal]


def _with_plan(case: Case, change: Callable[[Plan], None]) -> list[Proposal]:
    proposal = valid(case)
    assert proposal.plan is not None
    change(proposal.plan)
    return [proposal]


def _smuggled(currency: str, amount: object) -> Money:
    # A Money of its own: the builders share one zero amount between installments.
    money = Money.zero(currency)
    _set(money, "amount", amount)
    return money


def _float_amount(plan: Plan) -> None:
    _set(plan.installments[3], "interest", _smuggled(plan.currency, 0.5))


def _negative_amount(plan: Plan) -> None:
    _set(plan.installments[0], "fee", _smuggled(plan.currency, Decimal("-10.00")))


def _other_currency(case: Case) -> list[Proposal]:
    owed = Money(case.owed.amount, "USD")
    plan = equal_installment(owed, InterestRate.zero(), 12, start=case.on)
    return [
        Proposal(
            strategy="garbage",
            title="Pay in dollars",
            plan=plan,
            eligibility=Eligibility.ELIGIBLE,
        )
    ]


def _mutates_case(case: Case) -> list[Proposal]:
    # As if "adjusting" the debt for its own arithmetic instead of using attrs.evolve.
    _set(case.debt, "principal", Money("1.00", case.debt.currency))
    _set(case.debt.fees, "amount", Decimal("99999.00"))
    return [valid(case)]


def _raises(case: Case) -> list[Proposal]:
    raise RuntimeError(f"debtneg-garbage-plugin raises on purpose for {case.debt.creditor.name}")


def _exits(case: Case) -> list[Proposal]:
    del case
    sys.exit(0)


WRONG_STR = Returns(lambda case: "fee-advance")
LIST_OF_INTS = Returns(lambda case: [1, 2, 3])
TITLE_NONE = Returns(
    lambda case: [
        Proposal(
            strategy="fee-advance",
            title=None,  # type: ignore[arg-type]
            plan=None,
            eligibility=Eligibility.NOT_ELIGIBLE,
        )
    ]
)
TITLE_SMUGGLED = Returns(_title_smuggled)
FLOAT_AMOUNT = Returns(lambda case: _with_plan(case, _float_amount))
NEGATIVE_AMOUNT = Returns(lambda case: _with_plan(case, _negative_amount))
OTHER_CURRENCY = Returns(_other_currency)
MUTATES_CASE = Returns(_mutates_case)
RAISES = Returns(_raises)
EXITS = Returns(_exits)
