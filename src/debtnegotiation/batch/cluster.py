"""Scale-out on Dask: :func:`~debtnegotiation.batch.table.negotiate_table` over Parquet partitions.

Needs the ``dask`` extra (``dask[dataframe]`` and ``distributed``). Each partition of the
accounts dataset is negotiated on a worker by the same function as in one process, and
written to its own part of the output dataset, so a worker holds one partition at a time
(bounded memory: choose the input's row-group size, or ``partition_rows``, to fit).
Every worker builds its own plugin host, once per process, with the same settings.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from pathlib import Path

import dask.dataframe as dd
import distributed
import pandas as pd
from distributed import Client, LocalCluster

from debtnegotiation.batch.table import OPTIONS_SCHEMA, negotiate_table
from debtnegotiation.plugins import PluginHost, get_plugin_host
from debtnegotiation.policy import LenderPolicy

__all__ = ["connect", "negotiate_dataset", "worker_host"]


@functools.cache
def worker_host(*, load_entry_points: bool, blocked: tuple[str, ...]) -> PluginHost:
    """The plugin host of this worker process, built once per set of settings."""
    return get_plugin_host(load_entry_points=load_entry_points, blocked=blocked)


def _partition(
    frame: pd.DataFrame,
    *,
    policies: Mapping[str, LenderPolicy],
    load_entry_points: bool,
    blocked: tuple[str, ...],
) -> pd.DataFrame:
    host = worker_host(load_entry_points=load_entry_points, blocked=blocked)
    result: pd.DataFrame = negotiate_table(frame, policies=policies, host=host)
    return result


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

    :param source: a Parquet file, a folder of them, or a list (anything
        :func:`dask.dataframe.read_parquet` reads, local or remote). Each row group is
        one partition: its size bounds a worker's memory.
    :param out: the folder the options dataset is written to, one part per partition,
        in the order of the input's partitions.
    :param client: the Dask client (:func:`connect`).
    :param policies: lender policies by name, sent to every worker.
    :param load_entry_points: whether workers load installed plugins (as the CLI does).
    :param blocked: plugin names the workers block.
    :param progress: show Dask's text progress bar on standard output.
    :returns: the number of partitions negotiated.
    """
    # Arrow-backed columns keep integers with gaps integers (NumPy-backed ones make floats).
    frame = dd.read_parquet(source, split_row_groups=True, dtype_backend="pyarrow")
    meta = OPTIONS_SCHEMA.empty_table().to_pandas()
    options = frame.map_partitions(
        _partition,
        policies=dict(policies or {}),
        load_entry_points=load_entry_points,
        blocked=tuple(blocked),
        meta=meta,
        enforce_metadata=False,
    )
    task = options.to_parquet(Path(out), write_index=False, schema=OPTIONS_SCHEMA, compute=False)
    future = client.compute(task)
    if progress:
        distributed.progress(future)
    future.result()
    return int(frame.npartitions)
