"""The library's translatable labels, keyed by stable codes and grouped by kind.

Each label is marked with :func:`N_`, a no-op that the extractor recognises (keyword spec
``N_:1c,2``: the first argument is the gettext *context*, the second the message), so
``pybabel extract`` and the catalog check find every label without
importing anything. The context is the group name; it tells translators what a short
word such as "Other" or "Evidence" refers to, and lets two groups translate the same
English word differently.

This is the one registry of labels: the documents' templates (``label(group, code)``), the
command line and plugins all read it. Codes never change once released: documents, case
files and plugins key on them. They are the ``value`` of the model's enums where one exists
(``HardshipKind``, ``EvidenceKind``, ``CreditorKind``, ``Eligibility``, ``WaiverKind``,
the annual-rate ``Regime``, the log's ``Channel``, ``Direction``, ``Party`` and
``CommitmentStatus``) and the lower-case member name of
``debtnegotiation.findings.Severity``. Strategies are not here: each proposal carries its
own label (``Proposal.label``), so a plugin's strategy is named the same way as a built-in
one. Look a label up in a catalog with :func:`label`::

    >>> from debtnegotiation.i18n import translations
    >>> label(translations("zh_Hans_CN"), "evidence_kind", "bank-statements")
    '银行流水'
    >>> label(translations("en_GB"), "verdict", "eligible")
    'Eligible'

Sources for the vocabulary: hardship and evidence kinds, what Chinese banks and platforms
ask for and the Art. 70 hardship test (CBRC Order [2011] No. 2); channels, the source
article and US legal-aid call logs; the four habits, the source article's steps
(:ref:`sources`).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final, Protocol

import attrs

from debtnegotiation.errors import ValidationError

__all__ = ["GROUPS", "N_", "Message", "Translator", "label", "labels"]


@attrs.frozen
class Message:
    """A translatable label: the gettext context and the English message id."""

    context: str
    id: str


def N_(context: str, message: str) -> Message:  # noqa: N802 - the gettext marker convention
    """Mark *message* for extraction under *context*; translate it later with :func:`label`.

    >>> N_("channel", "Phone")
    Message(context='channel', id='Phone')
    """
    return Message(context, message)


class Translator(Protocol):
    """What :func:`label` needs from a catalog, e.g. :class:`babel.support.Translations`."""

    # ``object``, not ``str``: Babel types its catalogs' answers loosely (``str | object``).
    def pgettext(self, context: str, message: str, /) -> object:
        """Return the translation of *message* in *context*."""


def _group(name: str, entries: Mapping[str, Message]) -> Mapping[str, Message]:
    for code, message in entries.items():
        if message.context != name:
            raise ValidationError(f"{name}.{code}", f"the context {name!r}", message.context)
    return MappingProxyType(dict(entries))


#: Every group of labels, as group name → code → :class:`Message`.
GROUPS: Final[Mapping[str, Mapping[str, Message]]] = MappingProxyType(
    {
        "verdict": _group(
            "verdict",
            {
                "eligible": N_("verdict", "Eligible"),
                "not-eligible": N_("verdict", "Not eligible"),
                "eligible-once-evidence-is-provided": N_(
                    "verdict", "Eligible once evidence is provided"
                ),
                "on-assumed-terms": N_("verdict", "Assumed terms — ask the lender for its own"),
                "beyond-stated-terms": N_("verdict", "Beyond the lender's stated terms — an ask"),
            },
        ),
        "severity": _group(
            "severity",
            {
                "info": N_("severity", "Information"),
                "warning": N_("severity", "Warning"),
                "danger": N_("severity", "Danger"),
            },
        ),
        "hardship_kind": _group(
            "hardship_kind",
            {
                "unemployment": N_("hardship_kind", "Unemployment"),
                "illness": N_("hardship_kind", "Illness or injury"),
                "income-drop": N_("hardship_kind", "Drop in income"),
                "family-event": N_("hardship_kind", "Family event"),
                "disaster": N_("hardship_kind", "Disaster"),
                "other": N_("hardship_kind", "Other hardship"),
            },
        ),
        "evidence_kind": _group(
            "evidence_kind",
            {
                "id-document": N_("evidence_kind", "Identity document"),
                "income-proof": N_("evidence_kind", "Proof of income"),
                "unemployment-certificate": N_("evidence_kind", "Unemployment certificate"),
                "termination-letter": N_("evidence_kind", "Termination letter"),
                "medical-diagnosis": N_("evidence_kind", "Medical diagnosis"),
                "bank-statements": N_("evidence_kind", "Bank statements"),
                "social-insurance-records": N_("evidence_kind", "Social insurance records"),
                "medical-bills": N_("evidence_kind", "Medical bills"),
                "credit-report": N_("evidence_kind", "Credit report"),
                "hardship-statement": N_("evidence_kind", "Hardship statement"),
                "other": N_("evidence_kind", "Other document"),
            },
        ),
        "debt_kind": _group(
            "debt_kind",
            {
                "credit-card": N_("debt_kind", "Credit card"),
                "consumer-finance": N_("debt_kind", "Consumer finance loan"),
                "online-lender": N_("debt_kind", "Online loan"),
                "installment-platform": N_("debt_kind", "Installment platform"),
                "other": N_("debt_kind", "Other debt"),
            },
        ),
        "channel": _group(
            "channel",
            {
                "phone": N_("channel", "Phone"),
                "app_chat": N_("channel", "App chat"),
                "email": N_("channel", "Email"),
                "letter": N_("channel", "Letter"),
                "sms": N_("channel", "Text message"),
                "in_person": N_("channel", "In person"),
            },
        ),
        "comparison_column": _group(
            "comparison_column",
            {
                "option": N_("comparison_column", "Option"),
                "monthly_payment": N_("comparison_column", "Monthly payment"),
                # Installments (期数) and months (月数) differ: a deferral has 21 in 24.
                "installments": N_("comparison_column", "Installments"),
                "months": N_("comparison_column", "Months"),
                "total_paid": N_("comparison_column", "Total paid"),
                "cost_above_principal": N_(
                    "comparison_column", "Cost above the contract principal"
                ),
                "saving": N_("comparison_column", "Saving against doing nothing"),
                "true_annual_rate": N_("comparison_column", "True annual rate"),
                "warnings": N_("comparison_column", "Warnings"),
            },
        ),
        "habit": _group(
            "habit",
            {
                "sincerity": N_("habit", "Be sincere about wanting to repay"),
                "evidence": N_("habit", "Back every statement with evidence"),
                "calm": N_("habit", "Stay calm and polite"),
                "flexibility": N_("habit", "Stay open to counter-offers"),
            },
        ),
        # What a plan forgives, as a document lists it ("waives interest and fees").
        "waiver_kind": _group(
            "waiver_kind",
            {
                "interest": N_("waiver_kind", "interest"),
                "penalty": N_("waiver_kind", "penalty interest"),
                "fees": N_("waiver_kind", "fees"),
                "principal": N_("waiver_kind", "part of the principal"),
            },
        ),
        # What a plan asks for before its first installment (debtnegotiation.plan.UpfrontKind).
        "upfront_kind": _group(
            "upfront_kind",
            {
                "fee": N_("upfront_kind", "fee"),
                "payment": N_("upfront_kind", "payment"),
            },
        ),
        # What to do with a counter-offer (debtnegotiation.negotiation.Decision).
        "decision": _group(
            "decision",
            {
                "accept": N_("decision", "ACCEPT"),
                "counter": N_("decision", "COUNTER"),
                "reject": N_("decision", "REJECT"),
            },
        ),
        # When a counter-offer's fee is paid (debtnegotiation.policy.FeeTiming).
        "fee_timing": _group(
            "fee_timing",
            {
                "upfront": N_("fee_timing", "upfront"),
                "withheld": N_("fee_timing", "withheld"),
                "spread": N_("fee_timing", "spread"),
            },
        ),
        # How a periodic rate was made annual (debtnegotiation.apr.RateBasis).
        "rate_basis": _group(
            "rate_basis",
            {
                "nominal": N_("rate_basis", "nominal"),
                "effective": N_("rate_basis", "effective"),
                "simple": N_("rate_basis", "simple"),
            },
        ),
        # Who started a logged contact (the negotiation log's Direction).
        "direction": _group(
            "direction",
            {
                "inbound": N_("direction", "inbound"),
                "outbound": N_("direction", "outbound"),
            },
        ),
        # Who made a logged commitment or offer (the negotiation log's Party).
        "party": _group(
            "party",
            {
                "borrower": N_("party", "borrower"),
                "counterpart": N_("party", "counterpart"),
            },
        ),
        # Where a logged commitment stands (the negotiation log's CommitmentStatus).
        "commitment_status": _group(
            "commitment_status",
            {
                "open": N_("commitment_status", "open"),
                "fulfilled": N_("commitment_status", "fulfilled"),
                "broken": N_("commitment_status", "broken"),
                "cancelled": N_("commitment_status", "cancelled"),
            },
        ),
        # What the log report says about the person contacted (the log's Counterpart and
        # the contact's account reference), keyed by the field's name.
        "counterpart_field": _group(
            "counterpart_field",
            {
                "name": N_("counterpart_field", "Name"),
                "employee_id": N_("counterpart_field", "Employee ID"),
                "organisation": N_("counterpart_field", "Organisation"),
                "role": N_("counterpart_field", "Role"),
                "phone": N_("counterpart_field", "Phone"),
                "account_reference": N_("counterpart_field", "Account reference"),
            },
        ),
        # The annual rate named as each convention's disclosure names it: Regulation Z
        # "APR", Directive 2008/48/EC "APRC", and PBOC Announcement [2021] No. 3
        # 近似折算年化利率(单利) for the simple twelve-times-monthly figure.
        "rate_label": _group(
            "rate_label",
            {
                "US-RegZ": N_("rate_label", "APR (Regulation Z, nominal)"),
                "EU-CCD": N_("rate_label", "APRC (EU Annex I, effective)"),
                "CN-PBOC": N_("rate_label", "approximate annualised rate (simple interest)"),
                "XIRR": N_("rate_label", "XIRR (ACT/365F, effective)"),
            },
        ),
        # What a redacted export withheld (debtnegotiation.negotiation_log.redact), by the
        # category each value was found as.
        "redaction_category": _group(
            "redaction_category",
            {
                "name": N_("redaction_category", "name"),
                "phone": N_("redaction_category", "phone"),
                "id number": N_("redaction_category", "id number"),
                "card number": N_("redaction_category", "card number"),
                "e-mail": N_("redaction_category", "e-mail"),
                "employee id": N_("redaction_category", "employee id"),
                "role": N_("redaction_category", "role"),
                "account": N_("redaction_category", "account"),
                "file": N_("redaction_category", "file"),
                "number": N_("redaction_category", "number"),
                "reference": N_("redaction_category", "reference"),
                "value": N_("redaction_category", "value"),
            },
        ),
        # Keeping an agreed plan (``debtneg track``): the negotiation log's PaymentStatus.
        "payment_status": _group(
            "payment_status",
            {
                "paid": N_("payment_status", "Paid"),
                "late": N_("payment_status", "Paid late"),
                "missed": N_("payment_status", "Missed"),
                "due": N_("payment_status", "Due next"),
                "upcoming": N_("payment_status", "Upcoming"),
            },
        ),
        "track_column": _group(
            "track_column",
            {
                "number": N_("track_column", "#"),
                "due": N_("track_column", "Due"),
                "amount": N_("track_column", "Amount"),
                "paid": N_("track_column", "Paid"),
                "paid_on": N_("track_column", "Paid on"),
                "status": N_("track_column", "Status"),
                "heading": N_("track_column", "{lender} (entry {entry}), as of {date}"),
            },
        ),
        # The household budget (``debtneg budget``): sections, lines and the budget's enums.
        "budget_column": _group(
            "budget_column",
            {
                "section": N_("budget_column", "section"),
                "line": N_("budget_column", "line"),
                "monthly": N_("budget_column", "monthly"),
                "income": N_("budget_column", "income"),
                "spending": N_("budget_column", "spending"),
                "priority": N_("budget_column", "priority"),
                "savings": N_("budget_column", "savings"),
                "result": N_("budget_column", "result"),
                "total_income": N_("budget_column", "total income"),
                "total_spending": N_("budget_column", "total spending"),
                "total_priority": N_("budget_column", "total priority payments"),
                "savings_contribution": N_("budget_column", "savings contribution"),
                "surplus": N_("budget_column", "surplus for non-priority debts"),
                "priority_claim": N_("budget_column", "priority debt in the case: {name}"),
                "headroom": N_("budget_column", "headroom (largest plan payment share)"),
                "payment_limit": N_("budget_column", "largest single plan payment"),
            },
        ),
        "income_kind": _group(
            "income_kind",
            {
                "wages": N_("income_kind", "wages"),
                "benefits": N_("income_kind", "benefits"),
                "household": N_("income_kind", "household"),
                "other": N_("income_kind", "other"),
            },
        ),
        "spending_category": _group(
            "spending_category",
            {
                "housing": N_("spending_category", "housing"),
                "food": N_("spending_category", "food"),
                "housekeeping": N_("spending_category", "housekeeping"),
                "clothing": N_("spending_category", "clothing"),
                "personal-care": N_("spending_category", "personal-care"),
                "utilities": N_("spending_category", "utilities"),
                "communications": N_("spending_category", "communications"),
                "transport": N_("spending_category", "transport"),
                "health": N_("spending_category", "health"),
                "childcare": N_("spending_category", "childcare"),
                "dependants": N_("spending_category", "dependants"),
                "insurance": N_("spending_category", "insurance"),
                "education": N_("spending_category", "education"),
                "leisure": N_("spending_category", "leisure"),
                "other": N_("spending_category", "other"),
            },
        ),
        # The plan across every debt (``debtneg payoff``): methods and columns.
        "payoff_method": _group(
            "payoff_method",
            {
                "avalanche": N_("payoff_method", "avalanche"),
                "snowball": N_("payoff_method", "snowball"),
                "pro-rata": N_("payoff_method", "pro-rata"),
                "order": N_("payoff_method", "order"),
                "negotiated": N_("payoff_method", "negotiated"),
            },
        ),
        "payoff_column": _group(
            "payoff_column",
            {
                "plan": N_("payoff_column", "plan"),
                "debt_free": N_("payoff_column", "debt-free"),
                "months": N_("payoff_column", "months"),
                "total_paid": N_("payoff_column", "total paid"),
                "interest": N_("payoff_column", "interest"),
                "fees": N_("payoff_column", "fees"),
                "shortfall": N_("payoff_column", "shortfall"),
                "month": N_("payoff_column", "month"),
                "date": N_("payoff_column", "date"),
                "paid": N_("payoff_column", "paid"),
                "owed_after": N_("payoff_column", "owed after"),
                "if_agreed": N_("payoff_column", "if agreed"),
                "cost": N_("payoff_column", "interest and fees"),
                "contract_terms": N_("payoff_column", "contract terms"),
                "not_repaid": N_("payoff_column", "not repaid"),
                "contract": N_("payoff_column", "contract"),
            },
        ),
        "priority_kind": _group(
            "priority_kind",
            {
                "housing-loan": N_("priority_kind", "housing-loan"),
                "mortgage": N_("priority_kind", "mortgage"),
                "rent": N_("priority_kind", "rent"),
                "secured-loan": N_("priority_kind", "secured-loan"),
                "utilities": N_("priority_kind", "utilities"),
                "tax": N_("priority_kind", "tax"),
                "court-fine": N_("priority_kind", "court-fine"),
                "child-support": N_("priority_kind", "child-support"),
                "other": N_("priority_kind", "other"),
            },
        ),
    }
)


def _message(group: str, code: str) -> Message:
    entries = GROUPS.get(group)
    if entries is None:
        raise ValidationError("group", f"one of {sorted(GROUPS)}", group)
    message = entries.get(code)
    if message is None:
        raise ValidationError(f"{group} code", f"one of {sorted(entries)}", code)
    return message


def label(translations: Translator, group: str, code: str) -> str:
    """Return the translated label for *code* in *group* from *translations*.

    An unknown group or code is a ``ValidationError`` that
    lists the valid ones.

    >>> from debtnegotiation.i18n import translations
    >>> label(translations("zh_Hans_CN"), "hardship_kind", "unemployment")
    '失业'
    >>> label(translations("en"), "channel", "fax")
    Traceback (most recent call last):
    ...
    debtnegotiation.errors.ValidationError: channel code: expected one of [...], got 'fax'
    """
    message = _message(group, code)
    return str(translations.pgettext(message.context, message.id))


def labels(translations: Translator, group: str) -> dict[str, str]:
    """Return every label of *group*, translated, keyed by code in definition order.

    >>> from debtnegotiation.i18n import translations
    >>> labels(translations("zh_Hans_CN"), "severity")
    {'info': '提示', 'warning': '警告', 'danger': '严重'}
    """
    entries = GROUPS.get(group)
    if entries is None:
        raise ValidationError("group", f"one of {sorted(GROUPS)}", group)
    return {code: str(translations.pgettext(m.context, m.id)) for code, m in entries.items()}
