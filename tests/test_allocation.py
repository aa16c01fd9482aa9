from decimal import Decimal

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from debtnegotiation import Money, ValidationError
from debtnegotiation.allocation import AllocationMethod, Claim, allocate_budget
from debtnegotiation.example import example_debts


def _debt(amount: str, currency: str = "CNY"):
    platform = example_debts()[0]
    return attrs.evolve(
        platform,
        currency=currency,
        principal=Money(amount, currency),
        accrued_interest=Money.zero(currency),
        penalty_interest=Money.zero(currency),
        fees=Money.zero(currency),
    )


def test_pro_rata_by_total_owed():
    debts = [_debt("3000.00"), _debt("1000.00")]
    shares = allocate_budget(Money("1000", "CNY"), debts, method=AllocationMethod.PRO_RATA)
    assert [m.amount for m in shares] == [Decimal("750.00"), Decimal("250.00")]


def test_priority_first_then_pro_rata():
    claims = [
        Claim(debt=_debt("5000.00"), priority=True, minimum=Money("400.00", "CNY")),
        Claim(debt=_debt("3000.00")),
        Claim(debt=_debt("1000.00")),
    ]
    shares = allocate_budget(Money("1000.00", "CNY"), claims)
    assert [m.amount for m in shares] == [Decimal("400.00"), Decimal("450.00"), Decimal("150.00")]


def test_priority_minimum_larger_than_budget_takes_everything():
    claims = [
        Claim(debt=_debt("5000.00"), priority=True, minimum=Money("900.00", "CNY")),
        Claim(debt=_debt("3000.00")),
    ]
    shares = allocate_budget(Money("500.00", "CNY"), claims)
    assert [m.amount for m in shares] == [Decimal("500.00"), Decimal("0")]


def test_equal_split_sums_exactly():
    shares = allocate_budget(
        Money("100.00", "CNY"),
        [_debt("1.00"), _debt("2.00"), _debt("3.00")],
        method=AllocationMethod.EQUAL,
    )
    assert sum(shares) == Money("100.00", "CNY")
    assert max(shares).amount - min(shares).amount == Decimal("0.01")


def test_bad_inputs():
    with pytest.raises(ValidationError, match="claims"):
        allocate_budget(Money("1", "CNY"), [])
    with pytest.raises(ValidationError, match=r"claims\[0\]"):
        allocate_budget(Money("1", "USD"), [_debt("10.00")])
    with pytest.raises(ValidationError, match="budget"):
        allocate_budget(Money("-1", "CNY"), [_debt("10.00")])


@given(
    budget=st.decimals(min_value=0, max_value=10**7, places=2),
    balances=st.lists(st.decimals(min_value=1, max_value=10**6, places=2), min_size=1, max_size=8),
    priority=st.lists(st.booleans(), min_size=8, max_size=8),
    method=st.sampled_from(list(AllocationMethod)),
)
def test_allocation_always_sums_to_the_budget(budget, balances, priority, method):
    claims = [
        Claim(
            debt=_debt(str(b)),
            priority=p,
            minimum=Money(str(b / 10), "CNY").rounded() if p else None,
        )
        for b, p in zip(balances, priority, strict=False)
    ]
    shares = allocate_budget(Money(budget, "CNY"), claims, method=method)
    assert len(shares) == len(claims)
    assert sum(shares) == Money(budget, "CNY")
    assert all(s.amount >= 0 and s.is_rounded() for s in shares)
