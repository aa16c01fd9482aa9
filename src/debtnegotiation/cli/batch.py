"""``debtneg batch``: negotiate a whole accounts table, in one process or on Dask.

Needs the ``batch`` extra (and ``dask`` for ``--workers`` / ``--scheduler``); the
imports are deferred so the rest of the command stays light.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from debtnegotiation.cli._common import (
    InputError,
    catalog_for,
    echo,
    locale_option,
    plugin_host,
    warn,
)
from debtnegotiation.policy import LenderPolicy

__all__ = ["batch"]


def _policies(files: tuple[Path, ...]) -> dict[str, LenderPolicy]:
    """Every policy of the files, by lender name (the accounts' ``policy`` column)."""
    found: dict[str, LenderPolicy] = {}
    for file in files:
        for policy in LenderPolicy.from_toml(file):
            if policy.lender in found:
                raise InputError(f"{file}: a second policy for lender {policy.lender!r}")
            found[policy.lender] = policy
    return found


def _accounts(path: Path) -> int | None:
    """The number of accounts in a Parquet file (``None`` for CSV: unknown until read)."""
    if path.suffix.lower() == ".csv":
        return None
    import pyarrow.parquet as pq

    return int(pq.ParquetFile(path).metadata.num_rows)


@click.command()
@click.argument("accounts", type=click.Path(exists=True, path_type=Path))
@click.option(
    "--policy",
    "policy_files",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    metavar="POLICY",
    help="A policy file ([[policy]] tables); the accounts' policy column names a policy by "
    "its lender. Repeatable.",
)
@click.option(
    "--out",
    required=True,
    type=click.Path(path_type=Path),
    help="The options Parquet file (a folder of parts with --workers or --scheduler).",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    help="Run on a local Dask cluster of this many worker processes.",
)
@click.option(
    "--scheduler",
    metavar="ADDRESS",
    help="Run on the Dask cluster whose scheduler is at ADDRESS (tcp://host:8786).",
)
@click.option("--no-progress", is_flag=True, help="Do not show the progress bar.")
@locale_option
@click.pass_context
def batch(
    ctx: click.Context,
    *,
    accounts: Path,
    policy_files: tuple[Path, ...],
    out: Path,
    workers: int | None,
    scheduler: str | None,
    no_progress: bool,
    locale: str,
) -> None:
    """Negotiate every account of ACCOUNTS (Parquet or CSV) and write their options.

    Each row is one debt with the keys of a case file as columns (the documentation's
    batch reference lists them); the output has one row per ranked option. Accounts the
    vectorised strategies cover are computed in numpy; the others run through the same
    engine as `debtneg options`, with identical results.
    """
    try:
        from tqdm import tqdm

        from debtnegotiation.batch import negotiate_file, vector_gate
    except ImportError as missing:
        raise InputError(
            f"debtneg batch needs the batch extra ({missing.name} is missing): "
            "pip install 'debtnegotiation[batch]'"
        ) from None
    _ = catalog_for(ctx, locale).gettext
    policies = _policies(policy_files)
    if workers is not None or scheduler is not None:
        parts = _on_dask(ctx, accounts, out, policies, workers, scheduler, progress=not no_progress)
        echo(
            "\n"
            + _("{parts} partitions negotiated; options written to {out}/").format(
                parts=parts, out=out
            )
            + "\n"
        )
        return
    host = plugin_host(ctx)
    reason = vector_gate(host)
    if reason is not None:
        warn(
            _("every account runs through the scalar path (slower, same results): {reason}").format(
                reason=reason
            )
        )
    stderr = sys.stderr
    total = _accounts(accounts)
    with tqdm(total=total, unit="account", disable=no_progress, file=stderr) as bar:
        done = negotiate_file(accounts, out, policies=policies, host=host, progress=bar.update)
    echo(
        _("{done} accounts negotiated; options written to {out}").format(done=done, out=out) + "\n"
    )


def _on_dask(  # noqa: PLR0917 - private helper of the command above
    ctx: click.Context,
    accounts: Path,
    out: Path,
    policies: dict[str, LenderPolicy],
    workers: int | None,
    scheduler: str | None,
    *,
    progress: bool,
) -> int:
    try:
        from debtnegotiation.batch.cluster import connect, negotiate_dataset
    except ImportError as missing:
        raise InputError(
            f"--workers and --scheduler need the dask extra ({missing.name} is missing): "
            "pip install 'debtnegotiation[dask]'"
        ) from None
    root = ctx.find_root()
    blocked = tuple(root.params.get("blocked") or ())
    with connect(scheduler=scheduler, workers=workers) as client:
        parts: int = negotiate_dataset(
            accounts, out, client=client, policies=policies, blocked=blocked, progress=progress
        )
    return parts
