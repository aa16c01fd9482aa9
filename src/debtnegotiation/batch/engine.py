"""The batch engine: a block of accounts through the batch strategies, or the scalar path.

For each block the engine decides, account by account, which path gives the answer:

* the **vector path** when every strategy plugin on the host has a batch implementation
  (:func:`~debtnegotiation.hookspecs.debtneg_propose_batch`) that handles the account, and
  the host's review and policy plugins are the built-in ones the engine reproduces (the
  core reviews, the generic assumed terms). The engine then adds the assumed terms the
  scalar engine adds (options beyond a stated policy, or on assumed terms when there is
  none), applies the core reviews to the columns and ranks each account's options by the
  documented key;
* the **scalar path** for every other account: :class:`~debtnegotiation.negotiation.Negotiation`.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from typing import Final, cast

import attrs
import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from debtnegotiation import assumed_terms
from debtnegotiation.batch import builtin
from debtnegotiation.batch.block import AccountBlock, BoolArray, Int64Array
from debtnegotiation.batch.columnar import block_from_table
from debtnegotiation.batch.proposals import BatchProposals
from debtnegotiation.batch.scalar import Record, scalar_records
from debtnegotiation.debt import Debt
from debtnegotiation.plugins import PluginHost
from debtnegotiation.policy import LenderPolicy
from debtnegotiation.proposal import Eligibility
from debtnegotiation.ranking import _ELIGIBILITY_ORDER
from debtnegotiation.rates import InterestRate
from debtnegotiation.reviews import (
    ADVANCE_FEE,
    COSTS_MORE_THAN_STATUS_QUO,
    LONGER_TERM_COSTS_MORE,
    NO_UNIQUE_RATE,
    UNAFFORDABLE,
)

__all__ = ["BlockResult", "negotiate_block", "vector_gate"]

_REVIEWS: Final = "debtnegotiation.reviews"
_ASSUMED: Final = "debtnegotiation.assumed_terms"
#: Plugins whose answers the vector path reproduces, by hook.
_REPRODUCED: Final = {
    "debtneg_review_proposal": frozenset({_REVIEWS}),
    "debtneg_review_case": frozenset(),
    "debtneg_lender_policies": frozenset({_ASSUMED}),
}
_ORDER: Final = {e.value: rank for e, rank in _ELIGIBILITY_ORDER.items()}
_NOT_ELIGIBLE: Final = Eligibility.NOT_ELIGIBLE.value
_BEYOND: Final = Eligibility.BEYOND_STATED_TERMS.value
_ASSUMED_TERMS: Final = Eligibility.ASSUMED_TERMS.value


def _names(host: PluginHost, hook: str) -> frozenset[str]:
    caller = getattr(host.manager.hook, hook)
    return frozenset(impl.plugin_name for impl in caller.get_hookimpls())


def ensure_builtin(host: PluginHost) -> None:
    """Register the built-in batch strategies on *host*, unless blocked or registered."""
    manager = host.manager
    name = builtin.PLUGIN_NAME
    if manager.get_plugin(name) is None and not manager.is_blocked(name):
        manager.register(builtin, name=name)


def vector_gate(host: PluginHost) -> str | None:
    """Why the vector path is off for *host*, or ``None`` when it may be used."""
    ensure_builtin(host)
    for hook, allowed in _REPRODUCED.items():
        extra = sorted(_names(host, hook) - allowed)
        if extra:
            return f"plugin {extra[0]} implements {hook}, which has no batch form"
    return None


@attrs.frozen(kw_only=True, eq=False)
class BlockResult:
    """The option rows of one block: vector columns and scalar records.

    :param vector: the options of the accounts the vector path answered, as columns.
    :param scalar: block index and option rows of every other account.
    :param vector_accounts: how many accounts the vector path answered.
    :param reason: why accounts went to the scalar path, when the whole host did.
    """

    vector: dict[str, npt.NDArray[np.generic]]
    scalar: list[tuple[int, list[Record]]]
    vector_accounts: int
    reason: str | None = None


class _RateOnly:
    """The one debt field the generic assumed policy reads (``contract_rate``)."""

    def __init__(self, rate: InterestRate) -> None:
        self.contract_rate = rate


@functools.lru_cache(maxsize=4096)
def _generic_for(rate: InterestRate) -> LenderPolicy:
    # generic_policy reads only the debt's contract rate.
    return assumed_terms.generic_policy(cast("Debt", _RateOnly(rate)))


def _generic(block: AccountBlock) -> list[LenderPolicy | None]:
    """The generic assumed policy of each distinct contract rate of *block*."""
    return [None if rate is None else _generic_for(rate) for rate in block.rates]


def _call(host: PluginHost, block: AccountBlock) -> list[BatchProposals] | None:
    """Every batch implementation's results; ``None`` if one fails (all go scalar)."""
    results: list[BatchProposals] = []
    for impl in host.manager.hook.debtneg_propose_batch.get_hookimpls():
        try:
            answer = impl.function(accounts=block)
        except Exception:  # noqa: BLE001 - the scalar path reports the plugin by name
            return None
        if answer is None:
            continue
        items = list(answer) if isinstance(answer, list | tuple) else [answer]
        for item in items:
            if not isinstance(item, BatchProposals) or len(item.handled) != block.size:
                return None
            results.append(item)
    return results


def _masks(
    results: Sequence[BatchProposals], size: int
) -> tuple[dict[str, BoolArray], dict[str, BoolArray]]:
    """Handled accounts per replaced plugin, proposed accounts per strategy."""
    handled: dict[str, BoolArray] = {}
    proposed: dict[str, BoolArray] = {}
    for r in results:
        handled[r.replaces] = handled.get(r.replaces, np.ones(size, np.bool_)) & r.handled
        proposed[r.strategy] = proposed.get(r.strategy, np.zeros(size, np.bool_)) | r.proposed
    return handled, proposed


def _columns(
    results: Sequence[BatchProposals],
    keep: Sequence[BoolArray],
    eligibility: Sequence[npt.NDArray[np.object_]],
) -> dict[str, npt.NDArray[np.generic]]:
    def cat(name: str) -> npt.NDArray[np.generic]:
        parts = [np.asarray(getattr(r, name))[k] for r, k in zip(results, keep, strict=True)]
        return np.concatenate(parts) if parts else np.zeros(0)

    columns = {
        name: cat(name)
        for name in (
            "account", "installments", "months", "total_paid", "peak", "first_outlay",
            "total_waived", "readiness", "costs_more", "advance_fee", "interest_after_year",
        )
    }  # fmt: skip
    for name in ("title", "annual_rate"):
        parts = [
            np.asarray(getattr(r, name), dtype=object)[k]
            for r, k in zip(results, keep, strict=True)
        ]
        columns[name] = np.concatenate(parts) if parts else np.zeros(0, dtype=object)
    strategies = [
        np.full(int(k.sum()), r.strategy, dtype=object) for r, k in zip(results, keep, strict=True)
    ]
    columns["strategy"] = np.concatenate(strategies) if strategies else np.zeros(0, dtype=object)
    labels = [np.asarray(e, dtype=object)[k] for e, k in zip(eligibility, keep, strict=True)]
    columns["eligibility"] = np.concatenate(labels) if labels else np.zeros(0, dtype=object)
    return columns


#: The finding codes the vector path reproduces, sorted: bit k of a row's mask is code k.
_CODES: Final = (
    ADVANCE_FEE, COSTS_MORE_THAN_STATUS_QUO, LONGER_TERM_COSTS_MORE, NO_UNIQUE_RATE, UNAFFORDABLE
)  # fmt: skip
#: The findings text of every mask: the codes of its bits, in sorted order, joined by ";".
_FINDINGS: Final = np.array(
    [";".join(c for k, c in enumerate(sorted(_CODES)) if m >> k & 1) for m in range(32)],
    dtype=object,
)


def _string_ranks(values: npt.NDArray[np.generic]) -> Int64Array:
    """Each string's rank among the distinct strings (code point order), for sort keys.

    Dictionary-encoded and sorted by Arrow: far cheaper than sorting Python strings.
    """
    encoded = pa.array(values, pa.string()).dictionary_encode()
    order = pc.array_sort_indices(encoded.dictionary).to_numpy()
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order), dtype=np.int64)
    indices = encoded.indices.to_numpy(zero_copy_only=False)
    ranks: Int64Array = rank[indices]
    return ranks


def _review_and_rank(
    block: AccountBlock, c: dict[str, npt.NDArray[np.generic]], *, reviews: bool
) -> dict[str, npt.NDArray[np.generic]]:
    """Review, rank and sort the option columns *c* (consumed: popped as they are used)."""

    def ints(name: str) -> Int64Array:
        column: Int64Array = c.pop(name).astype(np.int64, copy=False)
        return column

    account = ints("account")
    budget = block.budget[account]
    peak = ints("peak")
    first = ints("first_outlay")
    largest = np.maximum(peak, first)
    affordable = (peak <= budget) & (first <= budget)
    del peak, first
    headroom = largest <= block.limit[account]
    size = len(account)
    months = ints("months")
    danger = np.zeros(size, dtype=np.bool_)
    annual_rate = c.pop("annual_rate")
    if reviews:
        unaffordable = largest > budget
        danger = unaffordable
        flags = {
            ADVANCE_FEE: c.pop("advance_fee").astype(np.bool_, copy=False),
            COSTS_MORE_THAN_STATUS_QUO: c.pop("costs_more").astype(np.bool_, copy=False),
            LONGER_TERM_COSTS_MORE: c.pop("interest_after_year").astype(np.bool_, copy=False)
            & (months > 12),
            NO_UNIQUE_RATE: annual_rate == "",
            UNAFFORDABLE: unaffordable,
        }
        mask = np.zeros(size, dtype=np.int8)
        for k, code in enumerate(sorted(_CODES)):
            mask |= flags[code].astype(np.int8) << k
        del flags
        findings = _FINDINGS[mask]
    else:
        findings = np.full(size, "", dtype=object)
    eligibility = c.pop("eligibility")
    labels, inverse = np.unique(eligibility, return_inverse=True)
    order = np.array([_ORDER[e] for e in labels.tolist()], dtype=np.int64)[inverse.reshape(-1)]
    total = ints("total_paid")
    title, strategy = c.pop("title"), c.pop("strategy")
    keys = (
        _string_ranks(title),
        _string_ranks(strategy),
        months,
        largest,
        total,
        ~headroom,
        -c.pop("readiness").astype(np.float64, copy=False),
        order,
        danger,
        ~affordable,
        account,
    )
    sort = np.lexsort(keys)
    del keys, order, inverse
    account = account[sort]
    starts = np.ones(size, dtype=np.bool_)
    starts[1:] = account[1:] != account[:-1]
    group_start = np.maximum.accumulate(np.where(starts, np.arange(size), 0))
    total = total[sort]
    return {
        "account": account,
        "strategy": strategy[sort],
        "title": title[sort],
        "eligibility": eligibility[sort],
        "installments": ints("installments")[sort],
        "months": months[sort],
        "total_paid": total,
        "largest_payment": largest[sort],
        "cost_above_principal": total - block.principal[account],
        "total_waived": ints("total_waived")[sort],
        "annual_rate": annual_rate[sort],
        "affordable": affordable[sort],
        "headroom": headroom[sort],
        "findings": findings[sort],
        "minor_units": block.places[account],
        "rank": (np.arange(size) - group_start + 1).astype(np.int64),
    }


def _vector(
    host: PluginHost, block: AccountBlock
) -> tuple[dict[str, npt.NDArray[np.generic]], BoolArray] | None:
    """The vector path's option columns and the accounts it answered, or ``None``."""
    found = _proposed(host, block)
    if found is None:
        return None
    # The strategies' own results are gone by now: only the columns stay in memory.
    columns, admitted = found
    reviews = _REVIEWS in _names(host, "debtneg_review_proposal")
    return _review_and_rank(block, columns, reviews=reviews), admitted


def _proposed(
    host: PluginHost, block: AccountBlock
) -> tuple[dict[str, npt.NDArray[np.generic]], BoolArray] | None:
    """The unreviewed option columns of the accounts the vector path answers, or ``None``."""
    names = _names(host, "debtneg_propose_plans")
    assumed = _ASSUMED in _names(host, "debtneg_lender_policies")
    generic = _generic(block) if assumed else [None] * len(block.rates)
    # The stated policy, or the generic assumed terms for an account without one.
    none = np.array([p is None for p in block.policies], dtype=np.bool_)[block.policy_index]
    table = [*block.policies, *generic]
    index = np.where(none, len(block.policies) + block.rate_index, block.policy_index)
    stated_block = block.with_policy_table(table, index)
    assumed_flags = np.array([p is not None and p.assumed for p in table], dtype=np.bool_)
    on_assumed = assumed_flags[index]
    stated = _call(host, stated_block)
    if stated is None:
        return None
    handled, proposed = _masks(stated, block.size)
    if not names <= handled.keys():
        return None  # a strategy plugin without a batch implementation
    admitted = block.vector.copy()
    for name in names:
        admitted &= handled[name]
    results = list(stated)
    labels = []
    for r in stated:
        given = np.asarray(r.eligibility, dtype=object)
        relabel = on_assumed[r.account] & (given != _NOT_ELIGIBLE) & (given != _BEYOND)
        labels.append(np.where(relabel, _ASSUMED_TERMS, given))
    keep = [np.ones(len(r.account), dtype=np.bool_) for r in stated]
    # With a stated policy, the scalar engine also proposes on the assumed terms and keeps
    # what only they offer, as an ask beyond the stated terms.
    beyond_index = np.where(on_assumed, len(generic), block.rate_index)
    if assumed and not on_assumed.all():
        # What the stated policy proposed is not asked again: the rows would be dropped.
        unused = {r.strategy: proposed[r.strategy] for r in stated}
        beyond_block = attrs.evolve(
            block.with_policy_table([*generic, None], beyond_index), unused=unused
        )
        beyond = _call(host, beyond_block)
        if beyond is None:
            return None
        b_handled, _ = _masks(beyond, block.size)
        for name in names:
            # Beyond the stated terms only strategies the stated policy did not propose count.
            covered = b_handled.get(name, np.zeros(block.size, np.bool_))
            for r in stated:
                if r.replaces == name:
                    covered = covered | proposed[r.strategy]
            admitted &= covered
        for r in beyond:
            already = proposed.get(r.strategy, np.zeros(block.size, np.bool_))
            new = ~already[r.account] & (np.asarray(r.eligibility, dtype=object) != _NOT_ELIGIBLE)
            results.append(r)
            keep.append(new)
            labels.append(np.full(len(r.account), _BEYOND, dtype=object))
    keep = [k & admitted[r.account] for r, k in zip(results, keep, strict=True)]
    return _columns(results, keep, labels), admitted


def negotiate_block(
    table: pa.Table,
    *,
    policies: Mapping[str, LenderPolicy],
    host: PluginHost,
) -> BlockResult:
    """Negotiate a block of accounts (an Arrow table): vector where exact, scalar for the rest."""
    block = block_from_table(table, policies)
    reason = vector_gate(host)
    found = None if reason is not None else _vector(host, block)
    if found is None:
        columns: dict[str, npt.NDArray[np.generic]] = {}
        admitted: BoolArray = np.zeros(block.size, dtype=np.bool_)
        if reason is None:
            reason = "a strategy plugin has no batch implementation, or one failed"
    else:
        columns, admitted = found
    others = np.flatnonzero(~admitted)
    rows = table.take(pa.array(others)).to_pylist() if len(others) else []
    scalar = [
        (i, scalar_records(row, policies=policies, host=host))
        for i, row in zip(others.tolist(), rows, strict=True)
    ]
    return BlockResult(
        vector=columns, scalar=scalar, vector_accounts=int(admitted.sum()), reason=reason
    )
