"""Scale-out on Dask: :func:`~debtnegotiation.batch.table.negotiate_table` over Parquet row groups.

Needs the ``dask`` extra (``dask[dataframe]`` and ``distributed``). Each row group of the
accounts dataset is one task: a worker reads it with pyarrow, negotiates it with the same
function as in one process and writes it as its own part of the output dataset, so a
worker holds one row group at a time (bounded memory: choose the input's row-group size
to fit) and only the row counts travel back to the client. The policies are sent to
every worker once; every worker builds its own plugin host, once per process, with the
same settings.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Final

import distributed
import fsspec
import pyarrow.parquet as pq
from dask.utils import natural_sort_key
from distributed import Client, LocalCluster

from debtnegotiation.batch.table import OPTIONS_SCHEMA, negotiate_table
from debtnegotiation.plugins import PluginHost, get_plugin_host
from debtnegotiation.policy import LenderPolicy

__all__ = ["connect", "negotiate_dataset", "worker_host"]

#: The output parts: ``part.<partition>.parquet``, the names Dask's ``to_parquet`` uses.
_PART: Final = re.compile(r"\Apart\.([0-9]+)\.parquet\Z")


@functools.cache
def worker_host(*, load_entry_points: bool, blocked: tuple[str, ...]) -> PluginHost:
    """The plugin host of this worker process, built once per set of settings."""
    return get_plugin_host(load_entry_points=load_entry_points, blocked=blocked)


def _row_group(  # noqa: PLR0917 - one task's inputs, passed positionally by client.map
    file: str,
    group: int,
    part: str,
    policies: Mapping[str, LenderPolicy],
    load_entry_points: bool,  # noqa: FBT001 - positional for client.map
    blocked: tuple[str, ...],
) -> int:
    """Negotiate row group *group* of *file* and write its options to *part*; its row count."""
    host = worker_host(load_entry_points=load_entry_points, blocked=blocked)
    with fsspec.open(file, "rb") as handle:
        # One thread: the cluster runs in parallel by worker processes.
        accounts = pq.ParquetFile(handle).read_row_group(group, use_threads=False)
    options = negotiate_table(accounts, policies=policies, host=host)
    with fsspec.open(part, "wb") as handle:
        pq.write_table(options, handle)
    rows: int = accounts.num_rows
    return rows


def _files(source: str | Path | Sequence[str | Path]) -> list[str]:
    """The Parquet files of *source*, in natural order (as ``dask.dataframe`` reads them)."""
    if not isinstance(source, str | Path):
        return [found for item in source for found in _files(item)]
    fs, root = fsspec.core.url_to_fs(str(source))
    if not fs.isdir(root):
        return [str(source)]
    names = [
        name
        for name in fs.find(root)
        if name.endswith((".parquet", ".parq")) and not Path(name).name.startswith(("_", "."))
    ]
    names.sort(key=natural_sort_key)
    # Local paths stay paths; a URL's files keep its protocol, for the workers to open.
    return [fs.unstrip_protocol(n) for n in names] if "://" in str(source) else names


def _pieces(files: Sequence[str]) -> list[tuple[str, int]]:
    """Every row group of *files*, in order: the partitions."""
    pieces: list[tuple[str, int]] = []
    for file in files:
        with fsspec.open(file, "rb") as handle:
            groups = pq.ParquetFile(handle).metadata.num_row_groups
        pieces.extend((file, group) for group in range(groups))
    return pieces


def connect(
    *, scheduler: str | None = None, workers: int | None = None, memory_limit: str = "2GiB"
) -> Client:
    """A Dask client: to the cluster at *scheduler*, or a local cluster of *workers* processes.

    :param scheduler: a scheduler address such as ``tcp://10.0.0.5:8786``.
    :param workers: the number of local worker processes (one thread each), when no
        scheduler is given.
    :param memory_limit: each local worker's memory limit (Dask pauses and spills there).
    """
    if scheduler is not None:
        return Client(scheduler)
    cluster = LocalCluster(
        n_workers=workers or 1,
        threads_per_worker=1,
        processes=True,
        memory_limit=memory_limit,
        dashboard_address=":0",  # a free port: never clash with a running cluster
    )
    return Client(cluster)


def negotiate_dataset(
    source: str | Path | Sequence[str | Path],
    out: str | Path,
    *,
    client: Client,
    policies: Mapping[str, LenderPolicy] | None = None,
    load_entry_points: bool = True,
    blocked: Sequence[str] = (),
    progress: bool = False,
) -> int:
    """Negotiate a Parquet accounts dataset on *client*'s cluster; write the options dataset.

    :param source: a Parquet file, a folder of them, or a list (local paths or URLs
        ``fsspec`` opens, such as ``s3://`` with ``s3fs`` installed; every worker must
        reach them). Each row group is one partition: its size bounds a worker's memory.
    :param out: the folder the options dataset is written to, one part per partition
        (``part.0.parquet``, ``part.1.parquet``, …, in the order of the input's row
        groups); parts of an earlier, larger run are removed.
    :param client: the Dask client (:func:`connect`).
    :param policies: lender policies by name, sent to every worker once.
    :param load_entry_points: whether workers load installed plugins (as the CLI does).
    :param blocked: plugin names the workers block.
    :param progress: show Dask's text progress bar on standard output.
    :returns: the number of partitions negotiated.
    """
    pieces = _pieces(_files(source))
    fs, root = fsspec.core.url_to_fs(str(out))
    fs.makedirs(root, exist_ok=True)
    target = str(out).rstrip("/")
    parts = [f"{target}/part.{i}.parquet" for i in range(len(pieces))]
    if pieces:
        # Sent once to every worker, not pickled into each task.
        shared = client.scatter(dict(policies or {}), broadcast=True, hash=False)
        futures = client.map(
            _row_group,
            [file for file, _ in pieces],
            [group for _, group in pieces],
            parts,
            [shared] * len(pieces),
            [load_entry_points] * len(pieces),
            [tuple(blocked)] * len(pieces),
            pure=False,
        )
        if progress:
            distributed.progress(futures)
        client.gather(futures)
    else:
        # An empty dataset still gets its one (empty) part, with the options schema.
        with fsspec.open(f"{target}/part.0.parquet", "wb") as handle:
            pq.write_table(OPTIONS_SCHEMA.empty_table(), handle)
        parts = [f"{target}/part.0.parquet"]
    # Parts an earlier run left beyond this run's would be read as part of the dataset.
    for name in fs.ls(root, detail=False):
        found = _PART.match(Path(name).name)
        if found is not None and int(found.group(1)) >= len(parts):
            fs.rm(name)
    return len(pieces)
