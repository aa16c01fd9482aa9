"""The batch path: many accounts at once, exact, in numpy int64 minor units.

Needs the ``batch`` extra (numpy, pyarrow, pandas); :mod:`debtnegotiation.batch.dask`
needs the ``dask`` extra. ``import debtnegotiation`` never imports this package.
See :doc:`/howto/batch`.
"""

from __future__ import annotations

from debtnegotiation.batch.block import GUARD, AccountBlock
from debtnegotiation.batch.columns import ACCOUNT_COLUMNS, OPTION_COLUMNS, REQUIRED_COLUMNS, Column
from debtnegotiation.batch.engine import vector_gate
from debtnegotiation.batch.proposals import BatchProposals, empty_proposals
from debtnegotiation.batch.rates import RateCheck, periodic_rates
from debtnegotiation.batch.scalar import option_records
from debtnegotiation.batch.table import (
    BLOCK_SIZE,
    OPTIONS_SCHEMA,
    iter_account_batches,
    negotiate_file,
    negotiate_rows,
    negotiate_table,
)

__all__ = [
    "ACCOUNT_COLUMNS",
    "BLOCK_SIZE",
    "GUARD",
    "OPTIONS_SCHEMA",
    "OPTION_COLUMNS",
    "REQUIRED_COLUMNS",
    "AccountBlock",
    "BatchProposals",
    "Column",
    "RateCheck",
    "empty_proposals",
    "iter_account_batches",
    "negotiate_file",
    "negotiate_rows",
    "negotiate_table",
    "option_records",
    "periodic_rates",
    "vector_gate",
]
