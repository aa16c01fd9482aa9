"""Tables in, tables out: :func:`negotiate_table`, the readers and the streaming writer."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, Final

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from debtnegotiation._context import in_library_context
from debtnegotiation.batch.columns import OPTION_COLUMNS, REQUIRED_COLUMNS
from debtnegotiation.batch.engine import BlockResult, negotiate_block
from debtnegotiation.batch.scalar import Record
from debtnegotiation.errors import ValidationError
from debtnegotiation.plugins import PluginHost, get_plugin_host
from debtnegotiation.policy import LenderPolicy

__all__ = [
    "BLOCK_SIZE",
    "OPTIONS_SCHEMA",
    "iter_account_batches",
    "negotiate_file",
    "negotiate_rows",
    "negotiate_table",
]

#: How many accounts are negotiated together. Large enough for numpy to pay, small
#: enough to keep a block in flight (about 2 KB an account) well under 100 MB.
BLOCK_SIZE: Final = 20_000

_INT: Final = frozenset(
    {"rank", "minor_units", "installments", "months", "total_paid", "largest_payment",
     "cost_above_principal", "total_waived"}
)  # fmt: skip
_BOOL: Final = frozenset({"affordable", "headroom"})

#: The Arrow schema of the options table (columns:
#: :data:`~debtnegotiation.batch.columns.OPTION_COLUMNS`).
OPTIONS_SCHEMA: Final = pa.schema(
    [
        (c.name, pa.int64() if c.name in _INT else pa.bool_() if c.name in _BOOL else pa.string())
        for c in OPTION_COLUMNS
    ]
)

Progress = Callable[[int], None]


def _check_columns(names: Sequence[str], origin: str) -> None:
    missing = [c for c in REQUIRED_COLUMNS if c not in names]
    if missing:
        raise ValidationError(
            f"{origin}: columns", f"the required columns {', '.join(missing)}", list(names)
        )


_INT64: Final = 2**63


def _check_int64(record: Record) -> None:
    """Refuse a scalar result the int64 columns cannot hold (the vector guard is lower)."""
    for name in _INT:
        value = record[name]
        if not -_INT64 <= value < _INT64:
            raise ValidationError(
                f"account {record['account']}: {name}",
                "an amount that fits an int64 column of minor units",
                value,
            )


def _assemble(table: pa.Table, result: BlockResult) -> pa.Table:
    """One Arrow table: the block's option rows in account order, best option first."""
    vector = result.vector
    parts = []
    order_parts = []
    if len(vector.get("account", ())):
        index = vector["account"].astype(np.int64)
        taken = pa.array(index)
        columns: dict[str, pa.Array] = {
            "account": table.column("account").take(taken).cast(pa.string()),
            "currency": pc.utf8_upper(
                pc.utf8_trim_whitespace(table.column("currency").take(taken))
            ),
            "path": pa.array(["vector"] * len(index), pa.string()),
        }
        for field in OPTIONS_SCHEMA:
            if field.name not in columns:
                columns[field.name] = pa.array(vector[field.name], type=field.type)
        parts.append(pa.table([columns[f.name] for f in OPTIONS_SCHEMA], schema=OPTIONS_SCHEMA))
        order_parts.append(index)
    records = []
    accounts = []
    for i, items in result.scalar:
        for record in items:
            _check_int64(record)
            records.append(record)
            accounts.append(i)
    if records:
        parts.append(pa.Table.from_pylist(records, schema=OPTIONS_SCHEMA))
        order_parts.append(np.asarray(accounts, dtype=np.int64))
    if not parts:
        return OPTIONS_SCHEMA.empty_table()
    if len(parts) == 1 and not records:
        # The vector rows come sorted by account, then rank: no copy to reorder them.
        return parts[0]
    merged = pa.concat_tables(parts).combine_chunks()
    account = np.concatenate(order_parts)
    rank = merged.column("rank").to_numpy()
    return merged.take(pa.array(np.lexsort((rank, account))))


def negotiate_rows(
    rows: Sequence[Mapping[str, object]],
    *,
    policies: Mapping[str, LenderPolicy] | None = None,
    host: PluginHost | None = None,
) -> pa.Table:
    """Negotiate account rows (mappings of column to cell) and return the options table."""
    host = get_plugin_host() if host is None else host
    table = pa.Table.from_pylist(list(rows))
    return _negotiate(table, policies=policies, host=host)


def _negotiate(
    table: pa.Table, *, policies: Mapping[str, LenderPolicy] | None, host: PluginHost
) -> pa.Table:
    result = negotiate_block(table, policies=dict(policies or {}), host=host)
    return _assemble(table, result)


def _blocks_of(accounts: object) -> Iterator[pa.Table]:
    """Blocks of at most :data:`BLOCK_SIZE` accounts from a DataFrame or an Arrow table."""
    if isinstance(accounts, pa.Table):
        _check_columns(accounts.column_names, "accounts")
        for start in range(0, accounts.num_rows, BLOCK_SIZE):
            yield accounts.slice(start, BLOCK_SIZE)
        return
    from_pandas = getattr(accounts, "columns", None)
    if from_pandas is None or not hasattr(accounts, "iloc"):
        raise ValidationError(
            "accounts", "a pandas DataFrame or a pyarrow Table", type(accounts).__name__
        )
    # Through Arrow: cells come back as Python ints, strings, Decimals and dates.
    table = pa.Table.from_pandas(accounts, preserve_index=False)
    yield from _blocks_of(table)


@in_library_context
def negotiate_table(
    accounts: object,
    *,
    policies: Mapping[str, LenderPolicy] | None = None,
    host: PluginHost | None = None,
    progress: Progress | None = None,
) -> Any:  # noqa: ANN401 - a DataFrame for a DataFrame, a pyarrow Table otherwise
    """Negotiate every account of a table and return a table of their ranked options.

    :param accounts: a pandas ``DataFrame`` or a pyarrow ``Table`` with the columns of
        :data:`~debtnegotiation.batch.columns.ACCOUNT_COLUMNS` (amounts as decimal strings or
        integers, never floats).
    :param policies: lender policies by name, for the ``policy`` column (the same
        :class:`~debtnegotiation.policy.LenderPolicy` objects the scalar path takes; read a policy
        file with :meth:`LenderPolicy.from_toml <debtnegotiation.policy.LenderPolicy.from_toml>`).
    :param host: the plugin host (default: :func:`~debtnegotiation.plugins.get_plugin_host`).
    :param progress: called with the number of accounts done after each block.
    :returns: the options table (:data:`~debtnegotiation.batch.columns.OPTION_COLUMNS`), one row
        per ranked option, accounts in table order and best option first: a ``DataFrame``
        when *accounts* is one, else a pyarrow ``Table``.
    :raises ~debtnegotiation.casefile.CaseFileError: for an account row that is not a
        valid case, naming the account and the key.
    """
    host = get_plugin_host() if host is None else host
    parts = []
    for block in _blocks_of(accounts):
        parts.append(_negotiate(block, policies=policies, host=host))
        if progress is not None:
            progress(block.num_rows)
    table = pa.concat_tables(parts) if parts else OPTIONS_SCHEMA.empty_table()
    if isinstance(accounts, pa.Table):
        return table
    return table.to_pandas()


def iter_account_batches(path: str | Path, *, batch_size: int = BLOCK_SIZE) -> Iterator[pa.Table]:
    """Stream an accounts file (Parquet, or CSV read as text) in tables of *batch_size* rows."""
    file = Path(path)
    if file.suffix.lower() == ".csv":
        with file.open(newline="", encoding="utf-8") as handle:
            header = next(csv.reader(handle), [])
        _check_columns(header, str(file))
        options = pacsv.ConvertOptions(
            column_types=dict.fromkeys(header, pa.string()), strings_can_be_null=True
        )
        reader = pacsv.open_csv(
            file, read_options=pacsv.ReadOptions(block_size=1 << 22), convert_options=options
        )
        pending: list[pa.RecordBatch] = []
        rows = 0
        for batch in reader:
            pending.append(batch)
            rows += batch.num_rows
            if rows >= batch_size:
                yield pa.Table.from_batches(pending)
                pending, rows = [], 0
        if pending:
            yield pa.Table.from_batches(pending)
        return
    parquet = pq.ParquetFile(file)
    _check_columns(parquet.schema_arrow.names, str(file))
    for batch in parquet.iter_batches(batch_size=batch_size):
        yield pa.Table.from_batches([batch])


@in_library_context
def negotiate_file(
    source: str | Path,
    out: str | Path,
    *,
    policies: Mapping[str, LenderPolicy] | None = None,
    host: PluginHost | None = None,
    progress: Progress | None = None,
) -> int:
    """Stream an accounts file (Parquet or CSV) to an options Parquet file, block by block.

    Memory stays bounded by one block (:data:`BLOCK_SIZE` accounts) whatever the file's
    size. Returns the number of accounts read.
    """
    host = get_plugin_host() if host is None else host
    done = 0
    with pq.ParquetWriter(Path(out), OPTIONS_SCHEMA) as writer:
        for table in iter_account_batches(source):
            writer.write_table(negotiate_table(table, policies=policies, host=host))
            done += table.num_rows
            if progress is not None:
                progress(table.num_rows)
    return done
