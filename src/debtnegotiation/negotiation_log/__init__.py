"""The negotiation log: a durable, tamper-evident record of every contact with a lender.

Append contacts to a :class:`NegotiationLog` (SQLite by default), verify its hash chain,
follow up on commitments, check collection conduct, and export JSON Lines, a report or an
evidence bundle that can be verified offline.
"""

from debtnegotiation.negotiation_log.bundle import BundleVerification, export_bundle, verify_bundle
from debtnegotiation.negotiation_log.canonical import GENESIS_HASH, canonical_json, record_hash
from debtnegotiation.negotiation_log.checkpoint import (
    Checkpoint,
    CheckpointCheck,
    SigningKey,
    VerifierKey,
    make_checkpoint,
    verify_checkpoint,
)
from debtnegotiation.negotiation_log.conduct import (
    ContactRules,
    check_conduct,
    conduct_findings,
    latest_conduct_findings,
)
from debtnegotiation.negotiation_log.entry import (
    Agreement,
    Attachment,
    AttachmentFile,
    Channel,
    Commitment,
    CommitmentStatus,
    CommitmentUpdate,
    Contact,
    Counterpart,
    Direction,
    LogEntry,
    Offer,
    Party,
    Payment,
    ScheduledPayment,
)
from debtnegotiation.negotiation_log.errors import ChainBrokenError, LogError
from debtnegotiation.negotiation_log.export import export_jsonl, import_jsonl, verify_jsonl
from debtnegotiation.negotiation_log.ical import plan_calendar
from debtnegotiation.negotiation_log.log import CorrectedEntry, FollowUp, NegotiationLog
from debtnegotiation.negotiation_log.redact import (
    RedactedEntry,
    RedactedField,
    Redaction,
    RedactionReport,
)
from debtnegotiation.negotiation_log.report import render_report, verification_text
from debtnegotiation.negotiation_log.store import (
    EntryVersion,
    IndexedLogStore,
    LogStore,
    SQLiteStore,
    StoredRow,
)
from debtnegotiation.negotiation_log.tracking import (
    PaymentStatus,
    PlanTracking,
    TrackedPayment,
    track,
)
from debtnegotiation.negotiation_log.verify import (
    AbsentAttachment,
    ChainProblem,
    ProblemKind,
    VerifyResult,
)

__all__ = [
    "GENESIS_HASH",
    "AbsentAttachment",
    "Agreement",
    "Attachment",
    "AttachmentFile",
    "BundleVerification",
    "ChainBrokenError",
    "ChainProblem",
    "Channel",
    "Checkpoint",
    "CheckpointCheck",
    "Commitment",
    "CommitmentStatus",
    "CommitmentUpdate",
    "Contact",
    "ContactRules",
    "CorrectedEntry",
    "Counterpart",
    "Direction",
    "EntryVersion",
    "FollowUp",
    "IndexedLogStore",
    "LogEntry",
    "LogError",
    "LogStore",
    "NegotiationLog",
    "Offer",
    "Party",
    "Payment",
    "PaymentStatus",
    "PlanTracking",
    "ProblemKind",
    "RedactedEntry",
    "RedactedField",
    "Redaction",
    "RedactionReport",
    "SQLiteStore",
    "ScheduledPayment",
    "SigningKey",
    "StoredRow",
    "TrackedPayment",
    "VerifierKey",
    "VerifyResult",
    "canonical_json",
    "check_conduct",
    "conduct_findings",
    "export_bundle",
    "export_jsonl",
    "import_jsonl",
    "latest_conduct_findings",
    "make_checkpoint",
    "plan_calendar",
    "record_hash",
    "render_report",
    "track",
    "verification_text",
    "verify_bundle",
    "verify_checkpoint",
    "verify_jsonl",
]
