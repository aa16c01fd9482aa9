"""Built-in batch strategies: the five built-in strategies, vectorised where exact.

A plugin like any other, implementing :func:`~debtnegotiation.hookspecs.debtneg_propose_batch`
only. For each built-in strategy it answers, exactly as the scalar plugin would, the
accounts it can (``handled``); the others run through the scalar path:

* ``extension``: the equal-installment schedule of
  :func:`~debtnegotiation.schedules.equal_installment` in int64 and the term rule of
  :func:`~debtnegotiation.toolkit.choose_term`. Interest frozen: every term costs the
  same, so the rule takes the longest term the policy allows (capped at one minor unit
  per installment), whose annual rate is exactly 0. Interest running (a monthly rate
  whose numerator × denominator stays below 2**61): the rule of
  :mod:`~debtnegotiation.batch.terms`, and the longest term as a second proposal when it
  is longer. The plan fits with headroom, fits the whole budget, or does not fit
  (``not-eligible``); a policy that re-splits only for a fee makes a fitting free
  extension an ask beyond its stated terms.
* ``fee-advance``: the handling fee (half up) paid upfront, withheld or spread, interest
  frozen or running, by the same term rule; with an upfront fee above the monthly
  budget, the ask to spread it when the spread plan fits.
* ``settlement``: handled where the policy lacks a discount (no proposal); a policy with
  one is left to the scalar path.
* ``subsidy`` and ``deferral``: the block's vector rows record no hardship, so a policy
  with the lever gives a not-eligible proposal without a plan (nothing to rank), and one
  without gives none: both handled everywhere.

Annual rates of plans with a rate or a fee come from the certified batch solver
(:func:`~debtnegotiation.batch.kernels.annual_rates`), or the exact solver for a plan the
certificate does not settle; a schedule the builder would re-level (a balloon) sends the
account to the scalar path.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Final, NamedTuple

import numpy as np
import numpy.typing as npt

from debtnegotiation.batch import kernels, terms
from debtnegotiation.batch.block import AccountBlock, BoolArray, Int64Array
from debtnegotiation.batch.proposals import BatchProposals, empty_proposals
from debtnegotiation.plugin import Eligibility, FeeTiming, LenderPolicy, hookimpl, percent

__all__ = ["PLUGIN_NAME", "debtneg_propose_batch", "extension", "fee_advance"]

#: The name this plugin is registered under.
PLUGIN_NAME: Final = "debtnegotiation.batch.builtin"

_PREFIX: Final = "debtnegotiation.strategies."


def _texts(keys: Int64Array, make: Callable[[int], str]) -> tuple[str, ...]:
    """One text per row: ``make(key)`` formatted once per distinct key, the rows sharing it.

    A block has few distinct titles (one per term and kind), so this saves both the
    formatting and a Python string per row.
    """
    if not len(keys):
        return ()
    distinct, where = np.unique(keys, return_inverse=True)
    table = np.array([make(k) for k in distinct.tolist()], dtype=object)
    texts: tuple[str, ...] = tuple(table[where.reshape(-1)].tolist())
    return texts


def _labels(codes: Int64Array, names: Sequence[str]) -> tuple[str, ...]:
    """One eligibility value per row: ``names[code]``, shared."""
    table = np.array(names, dtype=object)
    labels: tuple[str, ...] = tuple(table[codes].tolist())
    return labels


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


class _Plans(NamedTuple):
    """Plans of one strategy, one per proposal, as the engine's columns need them."""

    account: Int64Array
    term: Int64Array
    total: Int64Array
    peak: Int64Array
    first: Int64Array
    late_interest: Int64Array
    flows: list[Int64Array]


def _flows(advance: Int64Array, count: Int64Array, totals: list[Int64Array]) -> list[Int64Array]:
    """Cash-flow columns: the advance, then minus each installment's total (zero after the end)."""
    return [advance, *(-t for t in totals)]


def _installments(
    count: Int64Array,
    payment: Int64Array,
    last: Int64Array,
    spread: Int64Array | None = None,
    spread_on: BoolArray | None = None,
) -> Int64Array:
    """Every installment's total, one row per plan, one column per month (zero after the end).

    Level *payment* until the *last* installment, plus each month's share of a *spread*
    fee where *spread_on* (``Money.allocate(count)``: every share has the same remainder,
    so the leftover units go to the first ones). Built at once, by broadcasting.
    """
    longest = int(count.max()) if len(count) else 0
    k = np.arange(1, longest + 1, dtype=np.int64)[None, :]
    n = count[:, None]
    totals: Int64Array = np.where(k < n, payment[:, None], np.where(k == n, last[:, None], 0))
    if spread is not None:
        on = k <= n if spread_on is None else (k <= n) & spread_on[:, None]
        share = spread[:, None] // n + (k <= (spread % count)[:, None])
        totals += np.where(on, share, 0)
    return totals


def _frozen_fee_plans(
    accounts: AccountBlock,
    index: Int64Array,
    fee: Int64Array,
    count: Int64Array,
    timing: npt.NDArray[np.int64],
) -> tuple[_Plans, BoolArray]:
    """The interest-free fee-advance plans of *count* installments, and which are exact.

    *timing* per proposal: 0 upfront, 1 withheld, 2 spread (the fee timings).
    """
    owed = accounts.owed[index]
    withheld = timing == 1
    spread = timing == 2
    financed = np.where(withheld, owed + fee, owed)
    payment, last, regular = kernels.frozen_schedule(financed, count)
    totals = _installments(count, payment, last, fee, spread)
    peak = totals.max(axis=1) if totals.shape[1] else np.zeros(len(count), dtype=np.int64)
    upfront = timing == 0
    first = np.where(upfront, fee, 0)
    advance = np.where(upfront, owed - fee, owed)
    exact = regular & (advance > 0)
    plans = _Plans(
        account=index,
        term=count,
        total=owed + fee,
        peak=peak,
        first=first,
        late_interest=np.zeros(len(index), dtype=np.int64),
        flows=_flows(advance, count, list(totals.T)),
    )
    return plans, exact


_TIMINGS: Final = {FeeTiming.UPFRONT: 0, FeeTiming.WITHHELD: 1, FeeTiming.SPREAD: 2}


def _fee_of(policy: LenderPolicy | None) -> Fraction:
    if policy is None or not policy.fee_rate:
        return Fraction(0)
    return Fraction(policy.fee_rate)


def _columns(  # noqa: PLR0917 - private helper, one call per strategy
    accounts: AccountBlock,
    strategy: str,
    handled: BoolArray,
    proposed: BoolArray,
    plans: _Plans,
    titles: Sequence[str],
    eligibility: Sequence[str],
    rates: Sequence[str],
) -> BatchProposals:
    size = len(plans.account)
    months = plans.term
    return BatchProposals(
        strategy=strategy,
        replaces=_PREFIX + strategy.replace("-", "_"),
        handled=handled,
        proposed=proposed,
        account=plans.account,
        title=tuple(titles),
        eligibility=tuple(eligibility),
        installments=plans.term,
        months=months.copy(),
        total_paid=plans.total,
        peak=plans.peak,
        first_outlay=plans.first,
        total_waived=np.zeros(size, dtype=np.int64),
        annual_rate=tuple(rates),
        readiness=np.ones(size, dtype=np.float64),
        costs_more=kernels.costs_more(accounts, plans.account, plans.total, months),
        advance_fee=plans.first > 0,
        interest_after_year=plans.late_interest > 0,
    )


def _select(plans: _Plans, keep: BoolArray) -> _Plans:
    return _Plans(
        account=plans.account[keep],
        term=plans.term[keep],
        total=plans.total[keep],
        peak=plans.peak[keep],
        first=plans.first[keep],
        late_interest=plans.late_interest[keep],
        flows=[f[keep] for f in plans.flows],
    )


def _concat(parts: Sequence[_Plans]) -> _Plans:
    width = max((len(p.flows) for p in parts), default=0)

    def column(p: _Plans, k: int) -> Int64Array:
        return p.flows[k] if k < len(p.flows) else np.zeros(len(p.account), dtype=np.int64)

    return _Plans(
        account=np.concatenate([p.account for p in parts]),
        term=np.concatenate([p.term for p in parts]),
        total=np.concatenate([p.total for p in parts]),
        peak=np.concatenate([p.peak for p in parts]),
        first=np.concatenate([p.first for p in parts]),
        late_interest=np.concatenate([p.late_interest for p in parts]),
        flows=[np.concatenate([column(p, k) for p in parts]) for k in range(width)],
    )


def _rate_table(policies: Sequence[LenderPolicy | None]) -> tuple[list[Fraction], list[int]]:
    """The distinct monthly plan rates int64 rows hold, and each policy's index (or -1)."""
    monthly = [_monthly(p) for p in policies]
    table = sorted({r for r in monthly if r is not None})
    where = {r: i for i, r in enumerate(table)}
    return table, [-1 if r is None else where[r] for r in monthly]


def _running_fee_plans(  # noqa: PLR0917 - private helper, one call per fee timing
    accounts: AccountBlock,
    index: Int64Array,
    fee: Int64Array,
    timing: Int64Array,
    rate: Int64Array,
    table: Sequence[Fraction],
) -> tuple[_Plans, BoolArray, BoolArray]:
    """Fee-advance plans at a running rate, whether each fits, and which are exact.

    Upfront: the installments repay what is owed and the fee is cash on the start date
    (in the largest payment); withheld: they repay owed + fee; spread: the fee's shares
    are added to the installments. The term by
    :func:`~debtnegotiation.batch.terms.search_terms`.
    """
    owed = accounts.owed[index]
    upfront, withheld, spread = timing == 0, timing == 1, timing == 2
    cash = np.where(upfront, fee, 0)
    parts = np.where(spread, fee, 0)
    financed = np.where(withheld, owed + fee, owed)
    months = accounts.counts([0 if p is None else p.max_months for p in accounts.policies])
    cap = np.maximum(np.minimum(months[index], owed), 1)
    found = terms.search_terms(
        financed, cash, cap, accounts.limit[index], accounts.budget[index], rate, table, parts
    )
    s = found.chosen
    advance = np.where(upfront, owed - fee, owed)
    plans = _Plans(
        account=index,
        term=s.term,
        total=s.total + cash,
        peak=s.peak,
        first=cash,
        late_interest=s.late_interest,
        flows=_level_flows(advance, s, parts),
    )
    return plans, found.fits, found.exact & (advance > 0)


def _fees(accounts: AccountBlock, index: Int64Array) -> tuple[Int64Array, BoolArray]:
    """The handling fee of each account (``handling_fee``), and where int64 holds it."""
    owed = accounts.owed[index]
    fee = np.zeros(len(index), dtype=np.int64)
    fine = np.ones(len(index), dtype=np.bool_)
    positions = accounts.policy_index[index]
    for position in np.unique(positions).tolist():
        rows = positions == position
        value, held = kernels.share_half_up(owed[rows], _fee_of(accounts.policies[position]))
        fee[rows] = value
        fine[rows] = held
    return fee, fine


def _fee_texts(
    accounts: AccountBlock, plans: _Plans, is_ask: BoolArray, fits: BoolArray
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The titles and eligibility of fee-advance proposals (the plan, or the spread ask)."""
    policies = accounts.policies
    positions = accounts.policy_index[plans.account]
    shares = {
        p: percent(Decimal(policies[p].fee_rate or 0)) for p in np.unique(positions).tolist()
    }
    # key: (term × policies + policy) × 2 + ask
    width = len(policies)

    def title(key: int) -> str:
        rest, ask = divmod(key, 2)
        count, position = divmod(rest, width)
        if ask:
            return (
                f"Ask the lender to spread the fee: re-split over {count} months with the "
                f"{shares[position]} handling fee spread over the installments"
            )
        return f"Re-split over {count} months for a {shares[position]} handling fee"

    titles = _texts((plans.term * width + positions) * 2 + is_ask, title)
    names = (
        Eligibility.NOT_ELIGIBLE.value,
        Eligibility.ELIGIBLE.value,
        Eligibility.BEYOND_STATED_TERMS.value,
    )
    labels = _labels(np.where(is_ask, 2, fits.astype(np.int64)), names)
    return titles, labels


def fee_advance(accounts: AccountBlock) -> BatchProposals:
    """The fee-advance strategy: the fee upfront, withheld or spread, interest frozen or running.

    The handling fee is the policy's share of the amount owed, rounded half up. With
    interest frozen every term costs the same (owed + fee), so ``choose_term`` takes the
    longest the policy allows (capped at one minor unit per installment); with interest
    running, the term rule of :mod:`debtnegotiation.batch.terms`. The plan fits with
    headroom, fits the whole budget, or does not fit (``not-eligible``). With an upfront
    fee above the monthly budget, the ask to spread it (beyond the stated terms) is
    added when the spread plan fits the budget. Each plan's annual rate comes from the
    certified batch solver (or the exact one); a fee that rounds to nothing, or a plan
    the vectorised builders do not reproduce leaves the account to the scalar path.
    """
    policies = accounts.policies
    offers = accounts.flags(
        [p is not None and bool(p.fee_rate) and p.max_months > 0 for p in policies]
    )
    frozen_of = accounts.flags([_frozen(p) for p in policies])
    max_months = accounts.counts([0 if p is None else p.max_months for p in policies])
    timing_of = accounts.counts([0 if p is None else _TIMINGS[p.fee_timing] for p in policies])
    table, rates_of = _rate_table(policies)
    rate_of = accounts.counts(rates_of)
    needed = accounts.needed("fee-advance")
    every = np.flatnonzero(needed & offers)
    fee_all, fine_all = _fees(accounts, every)
    cap_all = np.maximum(np.minimum(max_months[every], accounts.owed[every]), 1)
    fine_all &= (fee_all > 0) & (cap_all <= _LONGEST)
    # Interest frozen.
    pick = frozen_of[every] & fine_all
    index, fee, count = every[pick], fee_all[pick], cap_all[pick]
    timing = timing_of[index]
    plans, exact = _frozen_fee_plans(accounts, index, fee, count, timing)
    budget = accounts.budget[index]
    fits = np.maximum(plans.peak, plans.first) <= budget
    # The ask to spread an upfront fee the budget cannot carry, when spread it fits.
    ask = (timing == 0) & (fee > budget)
    spread, spread_exact = _frozen_fee_plans(
        accounts, index, fee, count, np.full(len(index), 2, dtype=np.int64)
    )
    ask_made = ask & (spread.peak <= budget)
    exact &= ~ask_made | spread_exact
    # Interest running.
    pick = ~frozen_of[every] & fine_all & (rate_of[every] >= 0)
    r_index, r_fee = every[pick], fee_all[pick]
    r_timing, r_rate = timing_of[r_index], rate_of[r_index]
    running, r_fits, r_exact = _running_fee_plans(accounts, r_index, r_fee, r_timing, r_rate, table)
    r_ask = (r_timing == 0) & (r_fee > accounts.budget[r_index])
    r_spread, r_spread_fits, r_spread_exact = _running_fee_plans(
        accounts, r_index, r_fee, np.full(len(r_index), 2, dtype=np.int64), r_rate, table
    )
    r_ask_made = r_ask & r_spread_fits
    r_exact &= ~r_ask_made | r_spread_exact
    asks = _select(spread, ask_made)
    r_asks = _select(r_spread, r_ask_made)
    both = _concat([plans, asks, running, r_asks])
    rates, certified = kernels.annual_rates(accounts, both.account, both.flows)
    n_plans, n_asks, n_running = len(index), len(asks.account), len(r_index)
    ok = exact & certified[:n_plans]
    ok[ask_made] &= certified[n_plans : n_plans + n_asks]
    r_ok = r_exact & certified[n_plans + n_asks : n_plans + n_asks + n_running]
    r_ok[r_ask_made] &= certified[n_plans + n_asks + n_running :]
    handled = accounts.vector & (~offers | ~needed)
    handled[index[ok]] = True
    handled[r_index[r_ok]] = True
    keep = np.concatenate([ok, ok[ask_made], r_ok, r_ok[r_ask_made]])
    kept = _select(both, keep)
    n_r_asks = len(r_asks.account)
    is_ask = np.concatenate(
        [
            np.zeros(n_plans, np.bool_),
            np.ones(n_asks, np.bool_),
            np.zeros(n_running, np.bool_),
            np.ones(n_r_asks, np.bool_),
        ]
    )[keep]
    fits_all = np.concatenate(
        [fits, np.ones(n_asks, np.bool_), r_fits, np.ones(n_r_asks, np.bool_)]
    )[keep]
    titles, labels = _fee_texts(accounts, kept, is_ask, fits_all)
    return _columns(
        accounts,
        "fee-advance",
        handled,
        accounts.vector & offers,
        kept,
        titles,
        labels,
        [r for r, k in zip(rates, keep.tolist(), strict=True) if k],
    )


#: The longest term the vectorised builders take (the int64 guard's bound, see block).
_LONGEST: Final = 600


def _monthly(policy: LenderPolicy | None) -> Fraction | None:
    """The plan's monthly rate when int64 rows hold it exactly (num × den < 2**61)."""
    if policy is None or policy.plan_rate is None:
        return None
    rate = policy.plan_rate.periodic(12)
    if rate <= 0 or rate.numerator * rate.denominator >= 2**61:
        return None
    return rate


def _level_flows(
    advance: Int64Array, s: terms.Schedules, spread: Int64Array | None = None
) -> list[Int64Array]:
    paid = _installments(s.term, s.payment, s.last, spread)
    return _flows(advance, s.term, list(paid.T))


def _from_schedules(index: Int64Array, owed: Int64Array, s: terms.Schedules) -> _Plans:
    return _Plans(
        account=index,
        term=s.term,
        total=s.total,
        peak=s.peak,
        first=np.zeros(len(index), dtype=np.int64),
        late_interest=s.late_interest,
        flows=_level_flows(owed, s),
    )


def _extension_texts(
    accounts: AccountBlock,
    plans: _Plans,
    running: Int64Array,
    fitting: BoolArray,
    with_fee: BoolArray,
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Titles and eligibility of extension plans: the frozen ones, then those of *running*.

    The title names the interest: frozen, the contract rate's, or reduced.
    """
    policies = accounts.policies
    n_rates = len(accounts.rates)
    pairs = accounts.policy_index[running] * n_rates + accounts.rate_index[running]

    def at_contract(pair: int) -> bool:
        policy = policies[pair // n_rates]
        return policy is not None and policy.plan_rate == accounts.rates[pair % n_rates]

    distinct, where = np.unique(pairs, return_inverse=True)
    contract = np.array([at_contract(p) for p in distinct.tolist()], dtype=np.bool_)
    at_rate = contract[where.reshape(-1)]
    frozen = len(plans.account) - len(running)
    kind = np.concatenate([np.zeros(frozen, np.int64), np.where(at_rate, 1, 2)])
    kinds = ("interest frozen", "interest at the contract rate", "reduced interest")
    titles = _texts(
        plans.term * 3 + kind, lambda key: f"Longer term: {key // 3} months, {kinds[key % 3]}"
    )
    names = (
        Eligibility.NOT_ELIGIBLE.value,
        Eligibility.ELIGIBLE.value,
        Eligibility.BEYOND_STATED_TERMS.value,
    )
    labels = _labels(
        np.where(fitting, np.where(with_fee[plans.account], 2, 1), 0).astype(np.int64), names
    )
    return titles, labels


def extension(accounts: AccountBlock) -> BatchProposals:
    """The extension strategy, interest frozen or running.

    Frozen: every term costs the same, so ``choose_term`` takes the longest the policy
    allows (capped at one minor unit per installment), a frozen plan's annual rate is
    exactly 0. Running: the term rule of :mod:`debtnegotiation.batch.terms`, and the
    longest term as a second proposal when it is longer than the chosen one; rates from
    the certified batch solver. The plan fits with headroom, fits the whole budget, or
    does not fit (``not-eligible``); with a policy that re-splits only for a fee, a
    fitting free extension is an ask beyond the stated terms.
    """
    policies = accounts.policies
    offers = accounts.flags([p is not None and p.max_months > 0 for p in policies])
    frozen = accounts.flags([_frozen(p) for p in policies])
    max_months = accounts.counts([0 if p is None else p.max_months for p in policies])
    with_fee = accounts.flags([p is not None and bool(p.fee_rate) for p in policies])
    needed = accounts.needed("extension")
    handled = accounts.vector & (~offers | ~needed)
    cap_all = np.maximum(np.minimum(max_months, accounts.owed), 1)
    # Frozen interest.
    index = np.flatnonzero(needed & offers & frozen)
    owed = accounts.owed[index]
    count = cap_all[index]
    payment, last, regular = kernels.frozen_schedule(owed, count)
    handled[index[regular]] = True
    index, count, owed = index[regular], count[regular], owed[regular]
    payment, last = payment[regular], last[regular]
    frozen_plans = _Plans(
        account=index,
        term=count,
        total=owed,
        peak=np.where(count > 1, np.maximum(payment, last), last),
        first=np.zeros(len(index), dtype=np.int64),
        late_interest=np.zeros(len(index), dtype=np.int64),
        flows=[],
    )
    frozen_fits = frozen_plans.peak <= accounts.budget[index]
    # Interest running.
    table, rates_of = _rate_table(policies)
    rate_of = accounts.counts(rates_of)
    running = needed & offers & ~frozen & (rate_of >= 0) & (cap_all <= _LONGEST)
    index = np.flatnonzero(running)
    owed = accounts.owed[index]
    found = terms.search_terms(
        owed,
        np.zeros(len(index), dtype=np.int64),
        cap_all[index],
        accounts.limit[index],
        accounts.budget[index],
        rate_of[index],
        table,
    )
    second = found.fits & (found.longest.term > found.chosen.term)
    chosen = _from_schedules(index, owed, found.chosen)
    longer = _select(_from_schedules(index, owed, found.longest), second)
    both = _concat([chosen, longer])
    rates, certified = kernels.annual_rates(accounts, both.account, both.flows)
    ok = found.exact & certified[: len(index)]
    ok[second] &= certified[len(index) :]
    handled[index[ok]] = True
    keep = np.concatenate([ok, ok[second]])
    kept = _select(both, keep)
    fits = np.concatenate([found.fits, np.ones(int(second.sum()), np.bool_)])[keep]
    plans = _concat([frozen_plans, kept])
    fitting = np.concatenate([frozen_fits, fits])
    rate_texts = ["0.00"] * len(frozen_plans.account) + [
        r for r, k in zip(rates, keep.tolist(), strict=True) if k
    ]
    titles, labels = _extension_texts(accounts, plans, kept.account, fitting, with_fee)
    return _columns(
        accounts,
        "extension",
        handled,
        accounts.vector & offers,
        plans,
        titles,
        labels,
        rate_texts,
    )


@hookimpl
def debtneg_propose_batch(accounts: AccountBlock) -> Sequence[BatchProposals] | None:
    """The built-in strategies, vectorised where exact (see the module docstring)."""
    policies = accounts.policies
    return (
        extension(accounts),
        fee_advance(accounts),
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
