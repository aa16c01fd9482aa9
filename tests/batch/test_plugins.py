"""Every strategy plugin works in batch: without a batch hook its accounts run scalar."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from debtnegotiation import Eligibility, get_plugin_host
from debtnegotiation.batch import BatchProposals, empty_proposals, negotiate_table, vector_gate
from debtnegotiation.batch.scalar import scalar_records
from debtnegotiation.plugin import Proposal, custom, hookimpl

from .accounts import policies, random_accounts


class GoodwillPlugin:
    """A third-party strategy: one lump sum of what is owed, a month from the case date."""

    @hookimpl
    def debtneg_propose_plans(self, case):
        from debtnegotiation.plugin import add_months

        due = add_months(case.on, 1)
        owed = case.owed
        plan = custom(owed, [(due, owed, owed - owed, owed - owed)], start=case.on)
        return (
            Proposal(
                strategy="goodwill",
                label="Goodwill",
                why_lender_may_accept="it is repaid in full",
                title="Pay in full next month",
                plan=plan,
                eligibility=Eligibility.ELIGIBLE,
                reasons=("Repaid in one payment.",),
            ),
        )


class VectorGoodwillPlugin(GoodwillPlugin):
    """The same strategy with a batch implementation that declines every account."""

    @hookimpl
    def debtneg_propose_batch(self, accounts):
        handled = np.zeros(accounts.size, dtype=np.bool_)
        return (empty_proposals("goodwill", "goodwill", handled, handled.copy()),)


def _rows():
    rows = random_accounts(40, 21, mix=False)
    for r in rows:
        r["policy"] = "frozen-24"
    return rows


def _expected(rows, host):
    records = []
    for row in rows:
        records.extend(scalar_records(row, policies=policies(), host=host))
    return records


def _strip(records):
    return [{k: v for k, v in r.items() if k != "path"} for r in records]


def test_a_strategy_without_a_batch_hook_runs_scalar():
    host = get_plugin_host(load_entry_points=False, plugins=[GoodwillPlugin()])
    rows = _rows()
    got = negotiate_table(pa.Table.from_pylist(rows), policies=policies(), host=host).to_pylist()
    assert {r["path"] for r in got} == {"scalar"}
    assert "goodwill" in {r["strategy"] for r in got}
    assert _strip(got) == _strip(_expected(rows, host))


def test_a_batch_hook_that_declines_sends_accounts_scalar():
    plugin = VectorGoodwillPlugin()
    host = get_plugin_host(load_entry_points=False, plugins=[plugin])
    name = host.manager.get_name(plugin)
    assert name is not None
    rows = _rows()
    got = negotiate_table(pa.Table.from_pylist(rows), policies=policies(), host=host).to_pylist()
    assert {r["path"] for r in got} == {"scalar"}
    assert _strip(got) == _strip(_expected(rows, host))


def test_hook_debtneg_propose_batch():
    host = get_plugin_host(load_entry_points=False)
    assert vector_gate(host) is None
    got = negotiate_table(pa.Table.from_pylist(_rows()), policies=policies(), host=host)
    assert set(got.column("path").to_pylist()) == {"vector"}


def test_blocking_the_built_in_batch_plugin_runs_everything_scalar():
    host = get_plugin_host(load_entry_points=False, blocked=["debtnegotiation.batch.builtin"])
    rows = _rows()
    got = negotiate_table(pa.Table.from_pylist(rows), policies=policies(), host=host).to_pylist()
    assert {r["path"] for r in got} == {"scalar"}
    assert _strip(got) == _strip(_expected(rows, host))


def test_a_review_plugin_turns_the_vector_path_off():
    class Review:
        @hookimpl
        def debtneg_review_proposal(self, case, proposal):
            return None

    host = get_plugin_host(load_entry_points=False, plugins=[Review()])
    assert "debtneg_review_proposal" in (vector_gate(host) or "")


def test_batch_proposals_check_their_columns():
    handled = np.ones(2, dtype=np.bool_)
    result = empty_proposals("x", "y", handled, handled)
    assert isinstance(result, BatchProposals)
    assert len(result.account) == 0
