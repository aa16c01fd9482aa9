"""The negotiation log: a durable, tamper-evident record of every contact with a lender."""
