"""Built-in batch strategies: the five built-in strategies, vectorised where exact.

A plugin like any other, implementing :func:`~debtnegotiation.hookspecs.debtneg_propose_batch`
only. For each built-in strategy it answers, exactly as the scalar plugin would, the
accounts it can (``handled``); the others run through the scalar path:

* ``extension`` with interest frozen (``plan_rate`` none or zero): the equal-installment
  schedule of :func:`~debtnegotiation.schedules.equal_installment` in int64, and the term
  rule of :func:`~debtnegotiation.toolkit.choose_term` — with no goals and interest
  frozen every term costs the same, so the rule takes the longest term the policy allows
  (capped at one minor unit per installment); the plan fits with headroom, fits the whole
  budget, or does not fit (``not-eligible``). A frozen plan's annual rate is exactly 0 under
  every convention. A policy with interest running: not handled yet.
* ``fee-advance`` and ``settlement``: handled where the policy lacks the lever (no
  proposal); a policy with a fee or a discount is left to the scalar path.
* ``subsidy`` and ``deferral``: the block's vector rows record no hardship, so a policy
  with the lever gives a not-eligible proposal without a plan (nothing to rank), and one
  without gives none: both handled everywhere.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

import numpy as np

from debtnegotiation.batch.block import AccountBlock
from debtnegotiation.batch.proposals import BatchProposals, empty_proposals
from debtnegotiation.plugin import Eligibility, LenderPolicy, hookimpl

__all__ = ["PLUGIN_NAME", "debtneg_propose_batch", "extension"]

#: The name this plugin is registered under.
PLUGIN_NAME: Final = "debtnegotiation.batch.builtin"

_PREFIX: Final = "debtnegotiation.strategies."


def _frozen(policy: LenderPolicy | None) -> bool:
    return policy is not None and (policy.plan_rate is None or policy.plan_rate.value == 0)


def _lever_only(
    accounts: AccountBlock, strategy: str, module: str, offers: Sequence[bool], *, plan: bool
) -> BatchProposals:
    """A strategy answered without plans: *offers* per policy says whether it proposes.

    With ``plan`` true an offered lever would come with a plan: those accounts are not
    handled. Otherwise the proposal has no plan (not eligible), and all are handled.
    """
    offered = accounts.flags(offers)
    handled = accounts.vector & ~offered if plan else accounts.vector.copy()
    return empty_proposals(strategy, _PREFIX + module, handled, accounts.vector & offered)


def extension(accounts: AccountBlock) -> BatchProposals:
    """The extension strategy for every account whose policy freezes interest."""
    policies = accounts.policies
    offers = accounts.flags([p is not None and p.max_months > 0 for p in policies])
    frozen = accounts.flags([_frozen(p) for p in policies])
    max_months = accounts.counts([0 if p is None else p.max_months for p in policies])
    live = accounts.vector & offers & frozen
    index = np.flatnonzero(live)
    owed = accounts.owed[index]
    # choose_term caps the term at one minor unit per installment (most_installments).
    count = np.maximum(np.minimum(max_months[index], owed), 1)
    # equal_installment at rate 0: the payment is owed ÷ count rounded half up, one unit
    # less when it would repay the balance before the last installment.
    payment = (2 * owed + count) // (2 * count)
    early = (count - 1) * payment >= owed
    payment = np.where(early, payment - 1, payment)
    last = owed - (count - 1) * payment
    # A balloon (not possible at rate 0, but checked as the builder does) is left alone.
    regular = (last > 0) & (payment > 0) & ~((last > 2 * payment) & (last - payment > count))
    peak = np.maximum(payment, last)
    limit = accounts.limit[index]
    budget = accounts.budget[index]
    fits = ((limit > 0) & (peak <= limit)) | ((budget > 0) & (peak <= budget))
    handled = accounts.vector & ~offers
    handled[index[regular]] = True
    keep = regular
    index, count, peak, fits, owed = index[keep], count[keep], peak[keep], fits[keep], owed[keep]
    size = len(index)
    zeros = np.zeros(size, dtype=np.int64)
    eligible, not_eligible = Eligibility.ELIGIBLE.value, Eligibility.NOT_ELIGIBLE.value
    return BatchProposals(
        strategy="extension",
        replaces=_PREFIX + "extension",
        handled=handled,
        proposed=accounts.vector & offers,
        account=index,
        title=tuple(f"Longer term: {c} months, interest frozen" for c in count.tolist()),
        eligibility=tuple(eligible if f else not_eligible for f in fits.tolist()),
        installments=count,
        months=count.copy(),
        total_paid=owed,
        peak=peak,
        first_outlay=zeros,
        total_waived=zeros.copy(),
        annual_rate=("0.00",) * size,
        readiness=np.ones(size, dtype=np.float64),
        # Interest frozen: the plan pays what is owed today, never more than the status
        # quo (which only grows); no fee, no interest after the first year.
        costs_more=np.zeros(size, dtype=np.bool_),
        advance_fee=np.zeros(size, dtype=np.bool_),
        interest_after_year=np.zeros(size, dtype=np.bool_),
    )


@hookimpl
def debtneg_propose_batch(accounts: AccountBlock) -> Sequence[BatchProposals] | None:
    """The built-in strategies, vectorised where exact (see the module docstring)."""
    policies = accounts.policies
    return (
        extension(accounts),
        _lever_only(
            accounts,
            "fee-advance",
            "fee_advance",
            [p is not None and bool(p.fee_rate) and p.max_months > 0 for p in policies],
            plan=True,
        ),
        _lever_only(
            accounts,
            "settlement",
            "settlement",
            [p is not None and bool(p.settlement_discount_max) for p in policies],
            plan=True,
        ),
        _lever_only(
            accounts,
            "subsidy",
            "subsidy",
            [
                p is not None
                and any((p.interest_waiver_max, p.penalty_waiver_max, p.principal_waiver_max))
                for p in policies
            ],
            plan=False,
        ),
        _lever_only(
            accounts,
            "deferral",
            "deferral",
            [p is not None and p.deferral_max_months > 0 for p in policies],
            plan=False,
        ),
    )
