"""Lender policies: the levers a lender offers, as data.

Policies come from lender plugins (:func:`~debtnegotiation.hookspecs.debtneg_lender_policies`),
from a TOML file (:meth:`LenderPolicy.from_toml`) or from Python. A policy says which
strategies are open and their bounds; strategies never invent a lever the policy lacks.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any, Final

import attrs

from debtnegotiation._validate import non_negative_int, to_date, to_decimal
from debtnegotiation.borrower import EvidenceKind, HardshipKind
from debtnegotiation.debt import CreditorKind
from debtnegotiation.errors import ValidationError
from debtnegotiation.filereader import (
    Boolean,
    Choice,
    Date,
    Field,
    InputFileError,
    Integer,
    ListOf,
    Number,
    Reader,
    Table,
    Text,
    Values,
    parse,
    read_text,
    table_of_enum,
)
from debtnegotiation.rates import DayCount, InterestRate, RateUnit

__all__ = ["MAX_TERM_MONTHS", "FeeTiming", "LenderPolicy", "PolicyFileError"]


class FeeTiming(enum.Enum):
    """When a restructuring fee is paid."""

    UPFRONT = "upfront"
    """Paid in cash before the plan starts (an advance fee if relief is not yet granted)."""
    WITHHELD = "withheld"
    """Capitalised into the balance repaid, never paid in cash (a fee withheld at drawdown)."""
    SPREAD = "spread"
    """Split evenly over the installments."""


class PolicyFileError(InputFileError):
    """A policy file (or mapping) has problems; the message lists each with its key path.

    An :class:`~debtnegotiation.filereader.InputFileError`, like
    :class:`~debtnegotiation.casefile.CaseFileError`: it carries ``file`` and ``problems``.
    """


def _fraction(field: str) -> Any:  # noqa: ANN401 - attrs validator
    def check(_instance: object, _attribute: object, value: Decimal | None) -> None:
        if value is not None and not Decimal(0) <= value <= Decimal(1):
            raise ValidationError(field, "a fraction between 0 and 1", value)

    return check


def _optional_decimal(value: object) -> Decimal | None:
    return None if value is None else to_decimal("LenderPolicy rate", value)


#: The longest term in months a policy or a goal may name, 50 years. A sanity bound, not
#: a fact of the field (Art. 70 of CBRC Order [2011] No. 2 caps a card installment at 60
#: months); it keeps every due date on the calendar and turns a typo such as 100000 into a
#: clear error.
MAX_TERM_MONTHS: Final = 600


def _months(_instance: object, attribute: attrs.Attribute[int], value: int) -> None:
    field = f"LenderPolicy.{attribute.name}"
    non_negative_int(field, value)
    if value > MAX_TERM_MONTHS:
        raise ValidationError(field, f"at most {MAX_TERM_MONTHS} months (50 years)", value)


def _effective(value: object) -> dt.date | None:
    return None if value is None else to_date("LenderPolicy.effective_from", value)


def _hardships(value: object) -> frozenset[HardshipKind]:
    return frozenset(HardshipKind(v) if isinstance(v, str) else v for v in value)  # type: ignore[attr-defined]


def _documents(value: object) -> tuple[tuple[HardshipKind, tuple[EvidenceKind, ...]], ...]:
    items = value.items() if isinstance(value, Mapping) else value
    result = []
    for hardship, kinds in items:  # type: ignore[attr-defined]
        key = HardshipKind(hardship) if isinstance(hardship, str) else hardship
        result.append((key, tuple(EvidenceKind(k) if isinstance(k, str) else k for k in kinds)))
    return tuple(sorted(result, key=lambda pair: pair[0].value))


def _flag(_instance: object, attribute: attrs.Attribute[bool], value: object) -> None:
    if not isinstance(value, bool):
        raise ValidationError(f"LenderPolicy.{attribute.name}", "True or False", value)


def _creditor_kinds(value: object) -> frozenset[CreditorKind]:
    if isinstance(value, str) or not hasattr(value, "__iter__"):
        raise ValidationError("LenderPolicy.creditor_kinds", "a set of CreditorKind", value)
    kinds = []
    for item in value:
        try:
            kinds.append(item if isinstance(item, CreditorKind) else CreditorKind(item))
        except ValueError:
            expected = f"one of {[k.value for k in CreditorKind]}"
            raise ValidationError("LenderPolicy.creditor_kinds", expected, item) from None
    return frozenset(kinds)


@attrs.frozen(kw_only=True)
class LenderPolicy:
    """What one lender offers borrowers in hardship.

    Fractions are of the total owed unless named otherwise. ``None`` or ``0`` for a lever
    means the lender does not offer it. ``source`` cites where the terms come from.

    :param lender: the creditor name the policy applies to (matched case-insensitively).
    :param source: citation for the terms (a URL, a document, or "user-entered").
    :param effective_from: when the terms took effect.
    :param fee_rate: one-off handling fee for a re-split, as a fraction of the total owed.
    :param fee_timing: when that fee is paid.
    :param max_months: the longest re-split or extension offered.
    :param plan_rate: the rate during the plan; ``None`` freezes interest (停息).
    :param interest_waiver_max: share of accrued interest that may be waived.
    :param penalty_waiver_max: share of penalty interest and fees that may be waived.
    :param principal_waiver_max: share of principal that may be waived (rare in practice).
    :param accepted_hardships: hardships that qualify for relief.
    :param documents: evidence required for each hardship.
    :param min_first_payment: share of the total owed required as a first payment.
    :param settlement_discount_max: largest discount for a lump-sum settlement.
    :param settlement_months: months over which a settlement may be paid (1 = lump sum).
    :param deferral_max_months: the longest payment holiday.
    :param deferral_interest: whether interest accrues during a holiday.
    :param lapses_on_missed_payment: whether one missed payment voids the plan.
    :param acceptance_prior: a sourced acceptance likelihood, if any (never invented).
    :param assumed: ``True`` when these are *assumed* market-typical terms, not the
        lender's own: a jurisdiction pack's or the core's answer when the lender's terms
        are unknown. Options built on them are labelled "assumed terms — ask the lender
        for its own" and rank below options on stated terms.
    :param creditor_kinds: for an assumed policy, the kinds of creditor it describes
        (empty: any kind, the generic fallback). A kind-specific assumed policy is
        preferred over a generic one.
    """

    lender: str
    source: str
    effective_from: dt.date | None = attrs.field(default=None, converter=_effective)
    fee_rate: Decimal | None = attrs.field(
        default=None, converter=_optional_decimal, validator=_fraction("LenderPolicy.fee_rate")
    )
    fee_timing: FeeTiming = FeeTiming.UPFRONT
    max_months: int = attrs.field(default=0, validator=_months)
    plan_rate: InterestRate | None = None
    interest_waiver_max: Decimal | None = attrs.field(
        default=None,
        converter=_optional_decimal,
        validator=_fraction("LenderPolicy.interest_waiver_max"),
    )
    penalty_waiver_max: Decimal | None = attrs.field(
        default=None,
        converter=_optional_decimal,
        validator=_fraction("LenderPolicy.penalty_waiver_max"),
    )
    principal_waiver_max: Decimal | None = attrs.field(
        default=None,
        converter=_optional_decimal,
        validator=_fraction("LenderPolicy.principal_waiver_max"),
    )
    accepted_hardships: frozenset[HardshipKind] = attrs.field(
        default=frozenset(), converter=_hardships
    )
    documents: tuple[tuple[HardshipKind, tuple[EvidenceKind, ...]], ...] = attrs.field(
        default=(), converter=_documents
    )
    min_first_payment: Decimal | None = attrs.field(
        default=None,
        converter=_optional_decimal,
        validator=_fraction("LenderPolicy.min_first_payment"),
    )
    settlement_discount_max: Decimal | None = attrs.field(
        default=None,
        converter=_optional_decimal,
        validator=_fraction("LenderPolicy.settlement_discount_max"),
    )
    settlement_months: int = attrs.field(default=1, validator=_months)
    deferral_max_months: int = attrs.field(default=0, validator=_months)
    deferral_interest: bool = True
    lapses_on_missed_payment: bool = True
    acceptance_prior: Decimal | None = attrs.field(
        default=None,
        converter=_optional_decimal,
        validator=_fraction("LenderPolicy.acceptance_prior"),
    )
    assumed: bool = attrs.field(default=False, validator=_flag)
    creditor_kinds: frozenset[CreditorKind] = attrs.field(
        default=frozenset(), converter=_creditor_kinds
    )

    def __attrs_post_init__(self) -> None:
        """A likelihood without a source would be invented; the lender must be named."""
        if not self.lender.strip():
            raise ValidationError("LenderPolicy.lender", "the lender's name", self.lender)
        if not self.source.strip():
            raise ValidationError("LenderPolicy.source", "a citation for the terms", self.source)

    def applies_to(self, creditor_name: str) -> bool:
        """Whether this policy is the named creditor's own (case-insensitive).

        An assumed policy is nobody's own: it never matches a creditor by name.
        """
        return not self.assumed and self.lender.casefold() == creditor_name.casefold()

    def describes(self, kind: CreditorKind) -> bool:
        """Whether this is an assumed policy for creditors of *kind* (generic: any kind)."""
        return self.assumed and (not self.creditor_kinds or kind in self.creditor_kinds)

    def documents_for(self, hardship: HardshipKind) -> tuple[EvidenceKind, ...]:
        """Evidence the lender requires for *hardship* (empty when none is listed)."""
        for kind, docs in self.documents:
            if kind is hardship:
                return docs
        return ()

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], *, origin: str = "<mapping>") -> LenderPolicy:
        """Build a policy from plain data (as read from TOML or JSON), checking every key.

        Values are converted as in a policy file (fractions from quoted decimal strings,
        never floats; enum values from their strings); enum members, dates and ``Decimal``
        are accepted as they are.

        :raises PolicyFileError: naming *origin* and listing every problem by key path,
            e.g. ``policy.toml: plan_rate.unit: expected one of ...``.
        """
        reader = Reader(origin)
        policy = reader.read(data, POLICY_TABLE)
        reader.raise_problems(PolicyFileError)
        return policy  # type: ignore[no-any-return]

    @classmethod
    def from_toml(cls, path: str | Path) -> tuple[LenderPolicy, ...]:
        """Read every ``[[policy]]`` table of a TOML file.

        Other top-level keys (a ``title``, say) are ignored; every key of a policy table
        is checked, and all problems of the file are reported at once.

        :raises PolicyFileError: naming the file and listing every problem by key path,
            e.g. ``policies.toml: policy[1].fee_rate: expected a fraction between 0 and 1``.
        """
        file = str(path)
        data = parse(read_text(path, error=PolicyFileError), "TOML", file, error=PolicyFileError)
        reader = Reader(file)
        values = reader.read(data, _POLICY_FILE)
        reader.raise_problems(PolicyFileError)
        return tuple(values["policy"])


# --- reading policy files -----------------------------------------------------------------
# One definition of a policy table serves policy files, LenderPolicy.from_mapping and the
# [debts.policy] tables of case files (which default lender and source).

_FRACTION: Final = Number("fraction", example="0.05", fraction=True)
_MONTHS: Final = Integer(minimum=0, maximum=MAX_TERM_MONTHS, unit="months")


def _rate(values: Values) -> InterestRate | None:
    if values.ok("unit") and values["unit"] is RateUnit.DAILY and "day_count" not in values:
        values.missing("day_count", "360 or 365 (the day count a daily rate is stated with)")
    days = values["day_count"]
    return values.build(
        lambda: InterestRate(
            value=values["value"],
            unit=values["unit"],
            day_count=None if days is None else DayCount(days),
        )
    )


def _policy(values: Values) -> LenderPolicy | None:
    return values.build(lambda: LenderPolicy(**values.given()))


#: A rate table, ``{ value = "0.0005", unit = "daily", day_count = 365 }``.
RATE_TABLE: Final = Table(
    fields=[
        Field(
            "value",
            Number("rate", example="0.0005"),
            required=True,
            doc='The rate as a fraction in a quoted string: "0.0005" is 0.05 %.',
        ),
        Field("unit", Choice(RateUnit), required=True, doc="The period the rate is quoted for."),
        Field(
            "day_count",
            Integer(choices=(360, 365), expected="360 or 365"),
            doc="Days in the year used to annualise a daily rate; required for a daily rate.",
        ),
    ],
    doc="An interest rate as quoted.",
    make=_rate,
)


#: A policy table: the keys of :class:`LenderPolicy`. ``lender`` and ``source`` are
#: required here; a case file's ``[debts.policy]`` defaults them.
POLICY_TABLE: Final = Table(
    fields=[
        Field("lender", Text(), required=True, doc="The creditor name the policy applies to."),
        Field(
            "source",
            Text(),
            required=True,
            doc="Where the terms come from (a URL, a document).",
        ),
        Field("effective_from", Date(), doc="When the terms took effect."),
        Field(
            "fee_rate",
            _FRACTION,
            doc="One-off handling fee for a re-split, as a fraction of the total owed.",
        ),
        Field("fee_timing", Choice(FeeTiming), default="upfront", doc="When that fee is paid."),
        Field(
            "max_months",
            _MONTHS,
            default=0,
            doc="The longest re-split or extension offered, in months.",
        ),
        Field("plan_rate", RATE_TABLE, doc="The rate during the plan; absent freezes interest."),
        Field(
            "interest_waiver_max", _FRACTION, doc="Share of accrued interest that may be waived."
        ),
        Field(
            "penalty_waiver_max",
            _FRACTION,
            doc="Share of penalty interest and fees that may be waived.",
        ),
        Field("principal_waiver_max", _FRACTION, doc="Share of principal that may be waived."),
        Field(
            "accepted_hardships",
            ListOf(Choice(HardshipKind)),
            doc="Hardship kinds that qualify for relief.",
        ),
        Field(
            "documents",
            table_of_enum(
                HardshipKind,
                ListOf(Choice(EvidenceKind)),
                doc="Evidence required per hardship kind.",
                make=Values.given,
            ),
            doc="Evidence required per hardship kind.",
        ),
        Field(
            "min_first_payment",
            _FRACTION,
            doc="Share of the total owed required as a first payment.",
        ),
        Field(
            "settlement_discount_max",
            _FRACTION,
            doc="Largest discount for a lump-sum settlement.",
        ),
        Field(
            "settlement_months",
            _MONTHS,
            default=1,
            doc="Months over which a settlement may be paid (1 is a lump sum).",
        ),
        Field("deferral_max_months", _MONTHS, default=0, doc="The longest payment holiday."),
        Field(
            "deferral_interest",
            Boolean(),
            default=True,
            doc="Whether interest accrues during a holiday.",
        ),
        Field(
            "lapses_on_missed_payment",
            Boolean(),
            default=True,
            doc="Whether one missed payment voids the plan.",
        ),
        Field(
            "acceptance_prior",
            _FRACTION,
            doc="A sourced acceptance likelihood; leave it out unless the source supports it.",
        ),
    ],
    doc="What one lender offers borrowers in hardship.",
    make=_policy,
)

# A policy file: one or more [[policy]] tables; other top-level keys are not read.
_POLICY_FILE: Final = Table(
    fields=[
        Field(
            "policy",
            ListOf(POLICY_TABLE, non_empty="one or more [[policy]] tables"),
            required=True,
        )
    ],
    closed=False,
)
