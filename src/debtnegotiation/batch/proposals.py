"""What a batch strategy returns: its proposals for a block of accounts, as columns."""

from __future__ import annotations

from collections.abc import Sequence, Sized

import attrs
import numpy as np
import numpy.typing as npt

from debtnegotiation.batch.block import BoolArray, Int64Array

__all__ = ["BatchProposals", "empty_proposals"]


@attrs.frozen(kw_only=True, eq=False)
class BatchProposals:
    """One batch strategy's answer for an :class:`~debtnegotiation.batch.block.AccountBlock`.

    The account-level masks have one entry per account of the block; the proposal
    columns have one entry per proposal *with a plan* (``account`` says whose).

    :param strategy: the strategy's stable name (``Proposal.strategy``).
    :param replaces: the name of the scalar strategy plugin these results stand for, as
        registered with the plugin host (``debtnegotiation.strategies.extension``).
    :param handled: accounts answered exactly as the scalar plugin would; every other
        account runs through the scalar path.
    :param proposed: accounts for which the strategy made any proposal, with or without
        a plan (the engine needs it to tell which levers a stated policy offers).
    :param account: the block index of each proposal's account.
    :param title: the proposal's title.
    :param eligibility: ``Eligibility`` values.
    :param installments: number of installments.
    :param months: the plan's months (``Plan.months``).
    :param total_paid: ``Plan.total_paid`` in minor units.
    :param peak: ``Plan.peak_installment`` in minor units.
    :param first_outlay: ``Plan.cash_at_start`` in minor units.
    :param total_waived: ``Plan.total_waived`` in minor units.
    :param annual_rate: the annual rate in percent, 2 places, as text (empty: no unique
        rate), under the regime of the account.
    :param readiness: the share of required evidence on hand (the ranking's
        ``evidence_readiness``).
    :param costs_more: whether total paid exceeds the status quo at the plan's end.
    :param advance_fee: whether a fee is paid before any payment reduces the debt.
    :param interest_after_year: whether interest falls due after the first 12 months.
    """

    strategy: str
    replaces: str
    handled: BoolArray
    proposed: BoolArray
    account: Int64Array
    title: tuple[str, ...]
    eligibility: tuple[str, ...]
    installments: Int64Array
    months: Int64Array
    total_paid: Int64Array
    peak: Int64Array
    first_outlay: Int64Array
    total_waived: Int64Array
    annual_rate: tuple[str, ...]
    readiness: npt.NDArray[np.float64]
    costs_more: BoolArray
    advance_fee: BoolArray
    interest_after_year: BoolArray

    def __attrs_post_init__(self) -> None:
        """Every proposal column has one entry per proposal."""
        size = len(self.account)
        columns: Sequence[Sized] = (
            self.title, self.eligibility, self.installments, self.months, self.total_paid,
            self.peak, self.first_outlay, self.total_waived, self.annual_rate,
            self.readiness, self.costs_more, self.advance_fee, self.interest_after_year,
        )  # fmt: skip
        if any(len(c) != size for c in columns):
            raise ValueError(f"{self.strategy}: proposal columns of unequal lengths")


def empty_proposals(
    strategy: str, replaces: str, handled: BoolArray, proposed: BoolArray
) -> BatchProposals:
    """A result with no plans: *handled* accounts get no proposal with a plan."""
    ints = np.zeros(0, dtype=np.int64)
    flags = np.zeros(0, dtype=np.bool_)
    return BatchProposals(
        strategy=strategy,
        replaces=replaces,
        handled=handled,
        proposed=proposed,
        account=ints,
        title=(),
        eligibility=(),
        installments=ints,
        months=ints,
        total_paid=ints,
        peak=ints,
        first_outlay=ints,
        total_waived=ints,
        annual_rate=(),
        readiness=np.zeros(0, dtype=np.float64),
        costs_more=flags,
        advance_fee=flags,
        interest_after_year=flags,
    )
