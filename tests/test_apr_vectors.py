"""Every public APR vector in ``shared/vectors/apr-public.json``, at the decimals its source gives.

The vectors are read from ``tests/vectors/apr-public.json`` (a copy kept in the repository,
so CI needs nothing beside the clone); a test checks that the copy still equals the shared
file whenever that file is present next to the clone. Pitfalls and source discrepancies
are described in ``shared/vectors/README.md``.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest

from debtnegotiation.apr import Regime, UnitPeriod, annual_rate, periodic_rate
from debtnegotiation.cashflow import CashFlow

LOCAL = Path(__file__).parent / "vectors" / "apr-public.json"
SHARED = Path(__file__).parents[1].parent / "shared" / "vectors" / "apr-public.json"
VECTOR_FILE = LOCAL if LOCAL.exists() else SHARED
VECTORS: dict[str, dict[str, Any]] = {
    vector["id"]: vector for vector in json.loads(VECTOR_FILE.read_text(encoding="utf-8"))
}

#: Vectors that belong to other modules or state a rule without a number.
NOT_HERE = {
    "CN-DERIVED-DAILY-RATE": "daily-rate conversions (x365, x360, compound) belong to rates.py",
    "REF-NPF-PMT": "the annuity payment belongs to the schedule / rates code",
    "CN-PBOC-2021-3-RULE": "a rule without a numeric answer; its examples are CN-ICBC-*",
}


def months_after(day: dt.date, months: int) -> dt.date:
    """Same day *months* later, clamped to the month's end (test-side, independent)."""
    year, month0 = divmod(day.year * 12 + day.month - 1 + months, 12)
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month0 + 1, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def round_half_up(value: Decimal, places: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def reg_z_flows(vector: dict[str, Any]) -> list[CashFlow]:
    """Monthly flows rebuilt from the transcribed payment series and the example dates."""
    inputs = vector["inputs"]
    amounts = [
        Decimal(str(series["amount"]))
        for series in inputs["payment_series_transcribed"]
        for _ in range(series["count"])
    ]
    dated = inputs["payments_dated"]
    first = dt.date.fromisoformat(dated["first"]["date"])
    assert len(amounts) == dated["count"]
    assert amounts[0] == Decimal(str(dated["first"]["amount"]))
    assert amounts[-1] == Decimal(str(dated["last"]["amount"]))
    assert months_after(first, len(amounts) - 1) == dt.date.fromisoformat(dated["last"]["date"])
    flows = [CashFlow(inputs["advance_date"], Decimal(inputs["amount_advanced"]))]
    flows += [CashFlow(months_after(first, k), -a) for k, a in enumerate(amounts)]
    return flows


def check_reg_z_example(vector: dict[str, Any]) -> None:
    result = annual_rate(reg_z_flows(vector), regime=Regime.US_REG_Z)
    expected = Decimal(str(vector["expected"]["value"]))
    assert round_half_up(result.percent, vector["expected"]["decimals"]) == expected
    assert abs(result.percent - expected) <= Decimal("0.005")
    assert abs(result.percent - Decimal(str(vector["verified_value"]))) <= Decimal("5e-6")
    unit_rate = Decimal(str(vector["verified_unit_period_rate"]))
    assert abs(result.periodic_rate - unit_rate) <= Decimal("5e-11")
    assert result.unit_period == UnitPeriod.month()
    assert result.periods_per_year == vector["method"]["unit_periods_per_year"]
    # Odd first or final payments keep the 1/8 point tolerance (1026.22(a)(3)).
    assert result.irregular is False
    assert result.tolerance == Decimal("0.00125")


def check_reg_z_tolerance(vector: dict[str, Any]) -> None:
    inputs = vector["inputs"]
    source_id = inputs["true_apr_from"].split()[0]
    if source_id in VECTORS:
        result = annual_rate(reg_z_flows(VECTORS[source_id]), regime=Regime.US_REG_Z)
        assert abs(result.percent - Decimal(str(inputs["true_apr"]))) <= Decimal("5e-6")
    else:
        # US-REGZ-APPJ-C6-I (skipped payments) is not in the file: build an irregular
        # transaction (C1-I with a skipped payment) to get the 1/4 point tolerance, then
        # place it at the vector's true APR.
        base = reg_z_flows(VECTORS["US-REGZ-APPJ-C1-I"])
        skipped = annual_rate(base[:5] + base[6:], regime=Regime.US_REG_Z)
        assert skipped.irregular is True
        result = attrs.evolve(skipped, rate=Decimal(str(inputs["true_apr"])).scaleb(-2))
    low, high = (Decimal(str(x)) for x in vector["verified_value"]["window"])
    for disclosed, accepted in inputs["disclosed_candidates"].items():
        assert result.within_tolerance(disclosed) is accepted, disclosed
        assert (low <= Decimal(disclosed) <= high) is accepted


def check_eu_98_7(vector: dict[str, Any]) -> None:
    inputs = vector["inputs"]
    drawdown = dt.date.fromisoformat(inputs["drawdown"]["date"])
    repayment = dt.date.fromisoformat(inputs["repayment"]["date"])
    assert (repayment - drawdown).days == inputs["repayment"]["days_after_drawdown"]
    flows = [
        CashFlow(drawdown, Decimal(inputs["drawdown"]["amount"])),
        CashFlow(repayment, -Decimal(inputs["repayment"]["amount"])),
    ]
    # The annex's calendar basis: 546/365 years (whole years, then days / 365 or 366).
    result = annual_rate(flows, regime=Regime.EU_CCD, unit_period=UnitPeriod.year())
    expected = Decimal(str(vector["expected"]["value"]))
    assert result.rounded_percent(vector["expected"]["decimals"]) == expected
    assert result.rounded_percent(1) == Decimal("13.0")  # "rounded to 13 %"
    assert abs(result.percent - Decimal(str(vector["verified_value"]))) <= Decimal("5e-6")


def check_cn_fee(vector: dict[str, Any]) -> None:
    inputs = vector["inputs"]
    periods = inputs["periods"]
    fee = Decimal(str(inputs.get("fee_per_period_on_original_principal", "0.006")))
    principal = Decimal(10000)  # scale-free ("P"); any principal gives the same rate
    payment = principal / periods + principal * fee
    start = dt.date(2024, 1, 31)  # month ends: Feb 29, Apr 30, ... are whole months
    flows = [CashFlow(start, principal)]
    flows += [CashFlow(months_after(start, k), -payment) for k in range(1, periods + 1)]
    result = annual_rate(flows, regime=Regime.CN_PBOC)
    expected = Decimal(str(vector["expected"]["value"]))
    assert result.rounded_percent(vector["expected"]["decimals"]) == expected
    assert abs(result.percent - Decimal(str(vector["verified_value"]))) <= Decimal("5e-6")
    stated = re.search(r"effective[^0-9]*([0-9]+\.[0-9]+)", vector["notes"])
    assert stated is not None
    effective = Decimal(stated.group(1))
    places = len(stated.group(1).split(".")[1])
    assert round_half_up(result.effective_rate.scaleb(2), places) == effective
    # Equally spaced months: the same as 12 x the periodic IRR.
    amounts = [-principal] + [payment] * periods
    assert abs(result.rate - 12 * periodic_rate(amounts)) <= Decimal("1e-9")


def check_excel_xirr(vector: dict[str, Any]) -> None:
    # Excel's flows are the investor's; the borrower sees every sign flipped.
    flows = [CashFlow(f["date"], -Decimal(f["amount"])) for f in vector["inputs"]["flows"]]
    result = annual_rate(flows, regime=Regime.XIRR)
    assert abs(result.rate - Decimal(str(vector["expected"]["value"]))) < Decimal("5e-9")
    assert abs(result.rate - Decimal(str(vector["verified_value"]))) < Decimal("1e-10")


def check_npf_rate(vector: dict[str, Any]) -> None:
    inputs = vector["inputs"]
    nper = inputs["nper"]
    amounts = [Decimal(inputs["pv"])] + [Decimal(inputs["pmt"])] * nper
    amounts[-1] += Decimal(inputs["fv"])
    rate = periodic_rate(amounts)
    expected = Decimal(str(vector["expected"]["value"]))
    assert round_half_up(rate, vector["expected"]["decimals"]) == expected
    assert abs(rate - Decimal(str(vector["verified_value"]))) < Decimal("1e-10")


def check_npf_irr(vector: dict[str, Any]) -> None:
    rate = periodic_rate([Decimal(a) for a in vector["inputs"]["cashflows"]])
    expected = Decimal(str(vector["expected"]["value"]))
    assert round_half_up(rate, vector["expected"]["decimals"]) == expected
    assert abs(rate - Decimal(str(vector["verified_value"]))) < Decimal("1e-10")


CHECKS = {
    "US-REGZ-APPJ-": check_reg_z_example,
    "US-REGZ-TOL-": check_reg_z_tolerance,
    "EU-98-7-ANNEXIII-A1": check_eu_98_7,
    "CN-ICBC-": check_cn_fee,
    "CN-DERIVED-FEE-": check_cn_fee,
    "REF-EXCEL-XIRR-DOC": check_excel_xirr,
    "REF-NPF-RATE": check_npf_rate,
    "REF-NPF-IRR-": check_npf_irr,
}


def check_for(vector_id: str) -> Any:
    matches = [check for prefix, check in CHECKS.items() if vector_id.startswith(prefix)]
    return matches[0] if len(matches) == 1 else None


@pytest.mark.parametrize("vector_id", sorted(set(VECTORS) - set(NOT_HERE)))
def test_vector(vector_id: str) -> None:
    check = check_for(vector_id)
    assert check is not None, f"no check for vector {vector_id}"
    check(VECTORS[vector_id])


def test_every_vector_is_checked_or_assigned_elsewhere() -> None:
    for vector_id in VECTORS:
        assert (vector_id in NOT_HERE) != (check_for(vector_id) is not None), vector_id
    assert set(NOT_HERE) <= set(VECTORS)


def test_local_copy_equals_shared_file() -> None:
    if not SHARED.exists():
        pytest.skip(f"shared vectors not beside the clone ({SHARED})")
    assert LOCAL.read_bytes() == SHARED.read_bytes()


# --- Appendix J examples and the README's comparison table ---------------------------
#
# Dated inputs of the published Appendix J examples, from the public transcription the
# vectors cite as a cross-check (simontreanor/FSharp.Finance.Personal,
# tests/AprUsActuarialTests.fs); the README's table gives the EU and XIRR figures for
# the same flows. Every expected figure below is published or from that table.


def series(first: dt.date, count: int, amount: str, *, months: int = 0, days: int = 0) -> list:
    step = [months_after(first, months * k) for k in range(count)] if months else []
    if days:
        step = [first + dt.timedelta(days=days * k) for k in range(count)]
    return [CashFlow(on, "-" + amount) for on in step]


def semimonthly(first: dt.date, count: int, amount: str) -> list[CashFlow]:
    dates: list[dt.date] = []
    month = 0
    while len(dates) < count:
        start = months_after(first, month)
        dates += [start, start.replace(day=16)]
        month += 1
    return [CashFlow(on, "-" + amount) for on in dates[:count]]


D = dt.date
APPENDIX_J = {
    # id: (flows, Reg Z, EU, XIRR); None where the README gives no figure.
    "(c)(1)(i) 24 x 230 monthly on 5,000": (
        [CashFlow(D(1978, 1, 10), "5000"), *series(D(1978, 2, 10), 24, "230", months=1)],
        "9.69",
        "10.13",
        "10.15",
    ),
    "(c)(1)(ii) monthly, long first period": (
        [CashFlow(D(1978, 2, 10), "6000"), *series(D(1978, 4, 1), 36, "200", months=1)],
        "11.82",
        None,
        None,
    ),
    "(c)(1)(iii) semimonthly, short first period": (
        [CashFlow(D(1978, 2, 23), "5000"), *semimonthly(D(1978, 3, 1), 24, "219.17")],
        "10.34",
        None,
        None,
    ),
    "(c)(1)(iv) quarterly, long first period": (
        [CashFlow(D(1978, 5, 23), "10000"), *series(D(1978, 10, 1), 40, "385", months=3)],
        "8.97",
        None,
        None,
    ),
    "(c)(1)(v) 30 x 17.60 weekly on 500": (
        [CashFlow(D(1978, 3, 20), "500"), *series(D(1978, 4, 21), 30, "17.60", days=7)],
        "14.96",
        "16.12",
        "16.16",
    ),
    "(c)(2)(ii) every 4 weeks on 400": (
        [
            CashFlow(D(1978, 3, 18), "400"),
            CashFlow(D(1978, 4, 20), "-39.50"),
            *series(D(1978, 5, 18), 11, "38.31", days=28),
        ],
        "28.50",
        "32.58",
        "32.68",
    ),
    "(c)(3)(ii) every 2 weeks, odd final payment": (
        [
            CashFlow(D(1978, 4, 3), "200"),
            *series(D(1978, 4, 11), 19, "9.50", days=14),
            CashFlow(D(1978, 4, 11) + dt.timedelta(days=14 * 19), "-30"),
        ],
        "12.22",
        None,
        None,
    ),
    "(c)(4)(i) monthly, odd first and final payments": (
        [
            CashFlow(D(1978, 1, 10), "5000"),
            CashFlow(D(1978, 2, 10), "-250"),
            *series(D(1978, 3, 10), 22, "230", months=1),
            CashFlow(months_after(D(1978, 3, 10), 22), "-280"),
        ],
        "10.90",
        None,
        None,
    ),
    "(c)(4)(ii) every 2 months, odd first and final payments": (
        [
            CashFlow(D(1978, 1, 10), "8000"),
            CashFlow(D(1978, 3, 1), "-449.36"),
            *series(D(1978, 5, 1), 18, "465", months=2),
            CashFlow(months_after(D(1978, 5, 1), 36), "-200"),
        ],
        "7.30",
        None,
        None,
    ),
    "(c)(5)(i) 1,080 after 255 days on 1,000": (
        [CashFlow(D(1978, 1, 3), "1000"), CashFlow(D(1978, 9, 15), "-1080")],
        "11.45",
        "11.63",
        "11.65",
    ),
    "1,100 after 2 months on 1,000 (2024-01-15 to 03-15)": (
        [CashFlow(D(2024, 1, 15), "1000"), CashFlow(D(2024, 3, 15), "-1100")],
        "60.00",
        "77.16",
        "78.57",
    ),
}


@pytest.mark.parametrize("example", sorted(APPENDIX_J))
def test_appendix_j_and_comparison_table(example: str) -> None:
    flows, reg_z, eu, xirr = APPENDIX_J[example]
    result = annual_rate(flows, regime=Regime.US_REG_Z)
    assert result.rounded_percent(2) == Decimal(reg_z)
    assert result.irregular is False  # none of these is irregular under 1026.22(a)(3)
    if eu is not None:
        assert annual_rate(flows, regime=Regime.EU_CCD).rounded_percent(2) == Decimal(eu)
    if xirr is not None:
        assert annual_rate(flows, regime=Regime.XIRR).rounded_percent(2) == Decimal(xirr)


@pytest.mark.parametrize(
    ("example", "unit", "per_year"),
    [
        ("(c)(1)(iii) semimonthly, short first period", UnitPeriod.semimonth(), 24),
        ("(c)(1)(iv) quarterly, long first period", UnitPeriod.month(3), 4),
        ("(c)(1)(v) 30 x 17.60 weekly on 500", UnitPeriod.week(), 52),
        ("(c)(2)(ii) every 4 weeks on 400", UnitPeriod.week(4), 13),
        ("(c)(3)(ii) every 2 weeks, odd final payment", UnitPeriod.week(2), 26),
        ("(c)(4)(ii) every 2 months, odd first and final payments", UnitPeriod.month(2), 6),
        ("(c)(5)(i) 1,080 after 255 days on 1,000", UnitPeriod.day(255), Decimal(365) / 255),
        ("1,100 after 2 months on 1,000 (2024-01-15 to 03-15)", UnitPeriod.month(2), 6),
    ],
)
def test_appendix_j_unit_periods(example: str, unit: UnitPeriod, per_year: Decimal) -> None:
    """Appendix J (b)(4) unit periods and w (vectors README, pitfall 3)."""
    result = annual_rate(APPENDIX_J[example][0], regime=Regime.US_REG_Z)
    assert result.unit_period == unit
    assert result.periods_per_year == per_year


def test_eu_and_xirr_for_the_5000_loan() -> None:
    """README table: 24 x 230 on 5,000 is 10.13 under the EU annex and 10.15 as XIRR."""
    flows = reg_z_flows(VECTORS["US-REGZ-APPJ-C1-I"])
    assert annual_rate(flows, regime=Regime.EU_CCD).rounded_percent() == Decimal("10.13")
    assert annual_rate(flows, regime=Regime.XIRR).rounded_percent() == Decimal("10.15")
