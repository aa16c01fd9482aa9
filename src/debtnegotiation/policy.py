"""Lender policies: the levers a lender offers, as data.

Policies come from lender plugins (:func:`~debtnegotiation.hookspecs.debtneg_lender_policies`),
from a TOML file (:meth:`LenderPolicy.from_toml`) or from Python. A policy says which
strategies are open and their bounds; strategies never invent a lever the policy lacks.
"""

from __future__ import annotations

import datetime as dt
import enum
import tomllib
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any, Final

import attrs

from debtnegotiation._validate import non_negative_int, to_date, to_decimal
from debtnegotiation.borrower import EvidenceKind, HardshipKind
from debtnegotiation.errors import DebtNegotiationError, FloatNotAllowedError, ValidationError
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


class PolicyFileError(DebtNegotiationError):
    """A policy file is unreadable or has a bad key; the message names file and key path."""

    def __init__(self, path: str, key: str, expected: str, value: object) -> None:
        """Name the file, the key path, what was expected and what was found."""
        self.path, self.key = path, key
        super().__init__(f"{path}: {key}: expected {expected}, got {value!r}")


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

    def __attrs_post_init__(self) -> None:
        """A likelihood without a source would be invented; the lender must be named."""
        if not self.lender.strip():
            raise ValidationError("LenderPolicy.lender", "the lender's name", self.lender)
        if not self.source.strip():
            raise ValidationError("LenderPolicy.source", "a citation for the terms", self.source)

    def applies_to(self, creditor_name: str) -> bool:
        """Whether this policy is the named creditor's (case-insensitive)."""
        return self.lender.casefold() == creditor_name.casefold()

    def documents_for(self, hardship: HardshipKind) -> tuple[EvidenceKind, ...]:
        """Evidence the lender requires for *hardship* (empty when none is listed)."""
        for kind, docs in self.documents:
            if kind is hardship:
                return docs
        return ()

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], *, origin: str = "<mapping>") -> LenderPolicy:
        """Build a policy from plain data (as read from TOML or JSON).

        Errors name *origin* and the key path, e.g. ``policy.toml: plan_rate.unit: ...``.
        """
        known = {a.name for a in attrs.fields(cls)}
        for key in data:
            if key not in known:
                raise PolicyFileError(origin, key, f"one of {sorted(known)}", data[key])
        values: dict[str, Any] = dict(data)
        try:
            if "fee_timing" in values:
                values["fee_timing"] = _enum(FeeTiming, values["fee_timing"], origin, "fee_timing")
            if isinstance(values.get("plan_rate"), Mapping):
                values["plan_rate"] = _rate(values["plan_rate"], origin)
            for key in ("accepted_hardships",):
                if key in values:
                    values[key] = [
                        _enum(HardshipKind, v, origin, f"{key}[{i}]")
                        for i, v in enumerate(values[key])
                    ]
            if "documents" in values:
                values["documents"] = {
                    _enum(HardshipKind, k, origin, f"documents.{k}"): [
                        _enum(EvidenceKind, v, origin, f"documents.{k}[{i}]")
                        for i, v in enumerate(kinds)
                    ]
                    for k, kinds in values["documents"].items()
                }
            return cls(**values)
        except ValidationError as error:
            raise PolicyFileError(origin, error.field, error.expected, error.value) from error
        except FloatNotAllowedError as error:
            expected = "a decimal string such as '0.05' (TOML floats are binary)"
            raise PolicyFileError(origin, error.field, expected, error.value) from error
        except TypeError as error:
            raise PolicyFileError(
                origin, "(policy)", "the required keys lender and source", str(error)
            ) from error

    @classmethod
    def from_toml(cls, path: str | Path) -> tuple[LenderPolicy, ...]:
        """Read every ``[[policy]]`` table of a TOML file."""
        file = Path(path)
        try:
            data = tomllib.loads(file.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as error:
            raise PolicyFileError(
                str(file), "(file)", "a readable TOML file", str(error)
            ) from error
        tables = data.get("policy")
        if not isinstance(tables, list) or not tables:
            raise PolicyFileError(str(file), "policy", "one or more [[policy]] tables", tables)
        return tuple(
            cls.from_mapping(table, origin=f"{file}: policy[{i}]") for i, table in enumerate(tables)
        )


def _enum(kind: type[enum.Enum], value: object, origin: str, key: str) -> Any:  # noqa: ANN401
    if isinstance(value, kind):
        return value
    try:
        return kind(value)
    except ValueError:
        raise PolicyFileError(origin, key, f"one of {[m.value for m in kind]}", value) from None


def _rate(data: Mapping[str, Any], origin: str) -> InterestRate:
    unit = _enum(RateUnit, data.get("unit"), origin, "plan_rate.unit")
    day_count = data.get("day_count")
    try:
        return InterestRate(
            value=data.get("value"),
            unit=unit,
            day_count=None if day_count is None else DayCount(int(day_count)),
        )
    except (ValidationError, ValueError) as error:
        raise PolicyFileError(origin, "plan_rate", "value, unit and day_count", data) from error
