"""Negotiate a whole accounts table at once (needs the batch extra).

    python examples/batch_example.py

Reads examples/accounts.csv (one debt per row, the case file's keys as columns) and the
lender policies of examples/batch-policies.toml, and prints each account's best option.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa

from debtnegotiation import LenderPolicy, get_plugin_host
from debtnegotiation.batch import iter_account_batches, negotiate_table

HERE = Path(__file__).resolve().parent


def main() -> None:
    """Print the best option of every account in the example table."""
    policies = {p.lender: p for p in LenderPolicy.from_toml(HERE / "batch-policies.toml")}
    host = get_plugin_host(load_entry_points=False)  # the built-in plugins only
    accounts = pa.concat_tables(iter_account_batches(HERE / "accounts.csv"))
    options = negotiate_table(accounts.to_pandas(), policies=policies, host=host)
    best = options[options["rank"] == 1]
    columns = ["account", "strategy", "eligibility", "currency", "largest_payment", "path"]
    print(best[columns].to_string(index=False))


if __name__ == "__main__":
    main()
