"""Append entries to a log and acknowledge each one on stdout after its commit returns.

Usage: python log_writer.py LOG COUNT TAG

Prints ``ACK <seq> <hash>`` for every append, flushed, only after ``append`` returned.
Used by the concurrency and crash tests, which run it as a real separate process.
"""

from __future__ import annotations

import datetime as dt
import sys

from debtnegotiation.negotiation_log import Channel, Contact, Direction, NegotiationLog


def main() -> None:
    path, count, tag = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    with NegotiationLog.open(path) as log:
        print("READY", flush=True)
        for i in range(count):
            entry = log.append(
                Contact(
                    at=dt.datetime.now(dt.UTC),
                    channel=Channel.PHONE,
                    direction=Direction.INBOUND,
                    summary=f"{tag} attempt {i} " + "x" * 200,
                )
            )
            sys.stdout.write(f"ACK {entry.seq} {entry.hash}\n")
            sys.stdout.flush()


if __name__ == "__main__":
    main()
