"""Case files: the Xi'an example round trip, the schema's rules, and every kind of bad input."""

from __future__ import annotations

import datetime as dt
import json
import tomllib
from decimal import Decimal
from pathlib import Path

import pytest

from debtnegotiation import example
from debtnegotiation.allocation import AllocationMethod
from debtnegotiation.apr import Regime
from debtnegotiation.casefile import (
    MAX_CASE_FILE_BYTES,
    CaseFileError,
    load_case,
    loads_case,
    parse_regime,
)
from debtnegotiation.debt import CreditorKind
from debtnegotiation.demo import example_portfolio
from debtnegotiation.errors import ValidationError
from debtnegotiation.filereader import MISSING, FloatLiteral
from debtnegotiation.money import Money
from debtnegotiation.plan import WaiverKind
from debtnegotiation.plugins import get_plugin_host
from debtnegotiation.rates import DayCount, InterestRate

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "xian.toml"

MINIMAL = """\
regime = "CN-PBOC"

[borrower]
currency = "CNY"
monthly_income = "4200.00"

[borrower.expenses]
housing = "1200.00"

[[debts]]
creditor = { name = "Example Bank", kind = "credit-card" }
currency = "CNY"
principal = "12000.00"
contract_rate = { value = "0.0005", unit = "daily", day_count = 365 }
as_of = 2026-11-02
"""


def _load(text: str, suffix: str = ".toml"):
    return loads_case(text, suffix=suffix, origin="case" + suffix)


def _error(text: str, suffix: str = ".toml") -> CaseFileError:
    with pytest.raises(CaseFileError) as caught:
        _load(text, suffix)
    return caught.value


def _json_ready(value):
    if isinstance(value, dict):
        return {k: _json_ready(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_ready(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


# --- the example ------------------------------------------------------------------------


def test_the_example_case_file_holds_the_built_in_example():
    case = load_case(EXAMPLE)
    assert case.borrower == example.example_borrower()
    assert case.debts == example.example_debts()
    assert dict(case.policies) == example.example_policies()
    assert case.on == example.EXAMPLE_DATE
    assert case.regime is Regime.CN_PBOC
    assert case.method is AllocationMethod.PRIORITY_THEN_PRO_RATA
    assert dict(case.goals) == {}
    assert [c.priority for c in case.claims] == [False, False]
    assert case.path == str(EXAMPLE)


def test_the_example_as_json_loads_the_same_objects(tmp_path):
    data = tomllib.loads(EXAMPLE.read_text(encoding="utf-8"))
    path = tmp_path / "xian.json"
    path.write_text(json.dumps(_json_ready(data), ensure_ascii=False), encoding="utf-8")
    from_json, from_toml = load_case(path), load_case(EXAMPLE)
    assert from_json.borrower == from_toml.borrower
    assert from_json.claims == from_toml.claims
    assert dict(from_json.policies) == dict(from_toml.policies)
    assert from_json.on == from_toml.on


def test_the_example_case_file_negotiates_like_the_built_in_example():
    host = get_plugin_host(load_entry_points=False)
    from_file = load_case(EXAMPLE).portfolio(host=host)
    built_in = example_portfolio(host=host)
    assert from_file.shares == built_in.shares
    for mine, theirs in zip(from_file.results(), built_in.results(), strict=True):
        assert [o.proposal.title for o in mine.options.ranked] == [
            o.proposal.title for o in theirs.options.ranked
        ]
        assert [o.plan.total_paid for o in mine.options.ranked] == [
            o.plan.total_paid for o in theirs.options.ranked
        ]


def test_a_minimal_case_uses_documented_defaults():
    case = _load(MINIMAL)
    debt = case.debts[0]
    assert debt.accrued_interest == Money("0", "CNY")
    assert debt.days_overdue == 0
    assert debt.compounds is False
    assert debt.contract_rate == InterestRate.daily("0.0005", DayCount.X365)
    assert case.on == dt.date(2026, 11, 2)  # the latest as_of when "on" is absent
    assert case.borrower.savings_buffer == Money("0", "CNY")
    assert case.policies == {}
    assert case.borrower.essentials == Money("1200.00", "CNY")


def test_whole_numbers_are_exact_amounts_too():
    case = _load(MINIMAL.replace('principal = "12000.00"', "principal = 12000"))
    assert case.debts[0].principal == Money("12000", "CNY")


def test_global_goals_merge_into_each_debts_goals():
    text = (
        MINIMAL
        + """
[debts.goals]
max_monthly_payment = "500.00"

[goals]
max_months = 36
waive = ["interest", "penalty"]
deadline = 2026-12-31
"""
    )
    goals = _load(text).goals["Example Bank"]
    assert goals.max_monthly_payment == Money("500.00", "CNY")
    assert goals.max_months == 36
    assert goals.waive == frozenset({WaiverKind.INTEREST, WaiverKind.PENALTY})
    assert goals.deadline == dt.date(2026, 12, 31)


def test_a_debts_own_goal_wins_over_the_global_one():
    text = MINIMAL + "\n[debts.goals]\nmax_months = 12\n\n[goals]\nmax_months = 36\n"
    assert _load(text).goals["Example Bank"].max_months == 12


def test_a_policy_defaults_lender_and_source():
    text = MINIMAL + '\n[debts.policy]\nmax_months = 36\nfee_rate = "0.05"\n'
    policy = _load(text).policies["Example Bank"]
    assert policy.lender == "Example Bank"
    assert policy.source == "user-entered"
    assert policy.fee_rate == Decimal("0.05")
    assert policy.max_months == 36


def test_priority_debts_and_their_minimum():
    text = MINIMAL.replace(
        "as_of = 2026-11-02", 'as_of = 2026-11-02\npriority = true\nminimum_payment = "300.00"'
    )
    claim = _load(text).claims[0]
    assert claim.priority is True
    assert claim.minimum == Money("300.00", "CNY")


def test_allocation_and_case_date():
    text = 'allocation = "equal"\non = 2026-11-10\n' + MINIMAL
    case = _load(text)
    assert case.method is AllocationMethod.EQUAL
    assert case.on == dt.date(2026, 11, 10)


@pytest.mark.parametrize(
    ("spelling", "regime"),
    [
        ("CN-PBOC", Regime.CN_PBOC),
        ("cn-pboc", Regime.CN_PBOC),
        ("US-RegZ", Regime.US_REG_Z),
        ("us-reg-z", Regime.US_REG_Z),
        ("eu_ccd", Regime.EU_CCD),
        ("XIRR", Regime.XIRR),
    ],
)
def test_regimes_are_read_in_any_spelling(spelling, regime):
    assert parse_regime(spelling) is regime
    assert _load(MINIMAL.replace('"CN-PBOC"', f'"{spelling}"')).regime is regime


def test_an_unknown_creditor_is_named_with_the_known_ones():
    case = _load(MINIMAL)
    assert case.index("example bank") == 0
    with pytest.raises(ValidationError, match="'Example Bank'"):
        case.index("Other Bank")


# --- bad keys and values -------------------------------------------------------------------

BAD_VALUES = [
    pytest.param(
        ('principal = "12000.00"', "principal = 12000.00"),
        "debts[0].principal",
        'expected a quoted decimal string such as "12000.00" (floats are binary and inexact), '
        "got the float 12000.00",
        id="toml-float-amount",
    ),
    pytest.param(
        ('principal = "12000.00"\n', ""),
        "debts[0].principal",
        "required key missing",
        id="missing-key",
    ),
    pytest.param(
        ("as_of = 2026-11-02", 'as_of = 2026-11-02\ndays_overdue = "3"'),
        "debts[0].days_overdue",
        "expected a whole number of 0 or more, got '3'",
        id="wrong-type",
    ),
    pytest.param(
        ("as_of = 2026-11-02", "as_of = 2026-11-02\ncompound = true"),
        "debts[0].compound",
        "unknown key; expected one of account, accrued_interest, as_of, compounds, "
        "contract_rate, creditor, currency, days_overdue, fees, goals, minimum_payment, "
        "opened, payoff, penalty_interest, penalty_rate, policy, principal, priority "
        "(did you mean 'compounds'?)",
        id="unknown-key",
    ),
    pytest.param(
        ('kind = "credit-card"', 'kind = "payday"'),
        "debts[0].creditor.kind",
        "expected one of credit-card, consumer-finance",
        id="unknown-enum",
    ),
    pytest.param(
        ('principal = "12000.00"', 'principal = "-12000.00"'),
        "debts[0].principal",
        "expected an amount of zero or more",
        id="negative-amount",
    ),
    pytest.param(
        ('monthly_income = "4200.00"', 'monthly_income = "-1"'),
        "borrower.monthly_income",
        "expected an amount of zero or more",
        id="negative-income",
    ),
    pytest.param(
        ('principal = "12000.00"', 'principal = "12000.001"'),
        "debts[0].principal",
        "whole CNY minor units (2 decimal places)",
        id="sub-cent-amount",
    ),
    pytest.param(
        ('principal = "12000.00"', 'principal = "twelve"'),
        "debts[0].principal",
        "expected an amount as a decimal number",
        id="not-a-number",
    ),
    pytest.param(
        ('principal = "12000.00"', "principal = true"),
        "debts[0].principal",
        "got the boolean true",
        id="boolean-amount",
    ),
    pytest.param(
        ('"CN-PBOC"', '"APR"'),
        "regime",
        "expected one of CN-PBOC, EU-CCD, US-RegZ, XIRR, got 'APR'",
        id="unknown-regime",
    ),
    pytest.param(
        ('regime = "CN-PBOC"\n', ""),
        "regime",
        "required key missing",
        id="missing-regime",
    ),
    pytest.param(
        ('housing = "1200.00"', 'rent = "1200.00"'),
        "borrower.expenses.rent",
        "unknown key; expected one of dependants, food, health, housing",
        id="unknown-expense-category",
    ),
    pytest.param(
        ('currency = "CNY"\nmonthly', 'currency = "XXY"\nmonthly'),
        "borrower.currency",
        "expected an ISO 4217 currency code such as CNY, got 'XXY'",
        id="unknown-currency",
    ),
    pytest.param(
        ('currency = "CNY"\nprincipal', 'currency = "USD"\nprincipal'),
        "debts[0].currency",
        "expected the borrower's currency CNY, got 'USD'",
        id="currency-mismatch",
    ),
    pytest.param(
        (", day_count = 365 }", " }"),
        "debts[0].contract_rate.day_count",
        "required key missing; expected 360 or 365 (the day count a daily rate is stated with)",
        id="daily-rate-without-day-count",
    ),
    pytest.param(
        ("day_count = 365", "day_count = 366"),
        "debts[0].contract_rate.day_count",
        "expected 360 or 365, got 366",
        id="bad-day-count",
    ),
    pytest.param(
        ('value = "0.0005"', "value = 0.0005"),
        "debts[0].contract_rate.value",
        'quoted decimal string such as "0.0005"',
        id="toml-float-rate",
    ),
    pytest.param(
        ('unit = "daily"', 'unit = "weekly"'),
        "debts[0].contract_rate.unit",
        "expected one of annual-nominal, annual-effective, monthly, daily, got 'weekly'",
        id="unknown-rate-unit",
    ),
    pytest.param(
        ("as_of = 2026-11-02", "as_of = 2026-11-02T10:00:00"),
        "debts[0].as_of",
        "expected a date without a time",
        id="datetime-for-date",
    ),
    pytest.param(
        ("as_of = 2026-11-02", 'as_of = "2026-02-30"'),
        "debts[0].as_of",
        "expected a date YYYY-MM-DD",
        id="impossible-date",
    ),
    pytest.param(
        ("as_of = 2026-11-02", "as_of = 2026-11-02\nopened = 2027-01-01"),
        "debts[0].opened",
        "expected a date on or before as_of 2026-11-02",
        id="opened-after-as-of",
    ),
    pytest.param(
        ('regime = "CN-PBOC"', 'regime = "CN-PBOC"\non = 2026-10-01'),
        "on",
        "expected a date on or after debts[0].as_of 2026-11-02",
        id="case-date-before-balances",
    ),
    pytest.param(
        ('regime = "CN-PBOC"', 'regime = "CN-PBOC"\nversion = 2'),
        "version",
        "expected 1 (the only version this release reads), got 2",
        id="future-version",
    ),
    pytest.param(
        ("as_of = 2026-11-02", 'as_of = 2026-11-02\nminimum_payment = "300.00"'),
        "debts[0].minimum_payment",
        "no minimum_payment unless priority = true",
        id="minimum-without-priority",
    ),
    pytest.param(
        ('name = "Example Bank"', 'name = "  "'),
        "debts[0].creditor.name",
        "expected a non-empty string",
        id="blank-creditor",
    ),
]


@pytest.mark.parametrize(("edit", "key", "message"), BAD_VALUES)
def test_bad_values_name_the_file_the_key_and_the_expectation(edit, key, message):
    old, new = edit
    assert old in MINIMAL
    error = _error(MINIMAL.replace(old, new, 1))
    assert error.file == error.path == "case.toml"
    # One mistake, one problem: nothing is reported twice or as a consequence of it.
    (problem,) = error.problems
    assert (problem.key, error.key) == (key, key)
    assert message in problem.message
    assert problem.message == error.problem
    assert problem.expected
    assert problem.expected in problem.message
    assert str(error) == f"case.toml: {key}: {problem.message}"


BAD_TABLES = [
    pytest.param(
        '[[borrower.hardships]]\nkind = "bankruptcy"\nstart = 2026-08-15\n',
        "borrower.hardships[0].kind",
        "expected one of unemployment, illness",
        id="unknown-hardship",
    ),
    pytest.param(
        '[[borrower.hardships]]\nkind = "illness"\nstart = 2026-08-15\nexpected_end = 2026-01-01\n',
        "borrower.hardships[0].expected_end",
        "expected a date on or after 2026-08-15",
        id="hardship-ends-before-start",
    ),
    pytest.param(
        '[[borrower.evidence]]\nkind = "termination-letter"\nissued = 2026-08-15\nsha256 = "abc"\n',
        "borrower.evidence[0].sha256",
        "expected 64 hexadecimal characters",
        id="bad-evidence-hash",
    ),
    pytest.param(
        "[[borrower.evidence]]\nissued = 2026-08-15\n",
        "borrower.evidence[0].kind",
        "required key missing",
        id="evidence-without-kind",
    ),
    pytest.param(
        '[goals]\nwaive = ["interest", "everything"]\n',
        "goals.waive[1]",
        "expected one of interest, penalty, fees, principal, got 'everything'",
        id="unknown-waiver",
    ),
    pytest.param(
        "[goals]\nmax_months = 0\n",
        "goals.max_months",
        "expected a whole number of 1 or more, got 0",
        id="zero-months-goal",
    ),
    pytest.param(
        "[goals]\nmax_monthly_payment = 500.5\n",
        "goals.max_monthly_payment",
        "got the float 500.5",
        id="float-goal",
    ),
]


@pytest.mark.parametrize(("extra", "key", "message"), BAD_TABLES)
def test_bad_tables_name_the_key_path(extra, key, message):
    # Tables must come before [[debts]] for TOML to attach them to the right parent.
    text = MINIMAL.replace("[[debts]]", extra + "\n[[debts]]", 1)
    error = _error(text)
    (problem,) = error.problems
    assert problem.key == key
    assert message in problem.message


BAD_POLICIES = [
    pytest.param('fee_rate = "1.5"', "debts[0].policy.fee_rate", "a fraction between 0 and 1"),
    pytest.param("fee_rate = 0.05", "debts[0].policy.fee_rate", 'such as "0.05"'),
    pytest.param('fee_timing = "later"', "debts[0].policy.fee_timing", "expected one of"),
    pytest.param('deferral_interest = "no"', "debts[0].policy.deferral_interest", "true or false"),
    pytest.param("max_months = -1", "debts[0].policy.max_months", "0 or more"),
    pytest.param('accepted_hardships = "illness"', "debts[0].policy.accepted_hardships", "list"),
    pytest.param(
        'accepted_hardships = ["illness", "boredom"]',
        "debts[0].policy.accepted_hardships[1]",
        "expected one of",
    ),
    pytest.param(
        'documents = { unemployment = ["selfie"] }',
        "debts[0].policy.documents.unemployment[0]",
        "expected one of",
    ),
    pytest.param(
        'documents = { unemployment = "termination-letter" }',
        "debts[0].policy.documents.unemployment",
        "a list of strings",
    ),
    pytest.param('lender = "Another Bank"', "debts[0].policy.lender", "'Example Bank'"),
    pytest.param('bonus = "1"', "debts[0].policy.bonus", "unknown key"),
    pytest.param(
        'plan_rate = { value = "0.1", unit = "yearly" }',
        "debts[0].policy.plan_rate.unit",
        "expected one of",
    ),
]


@pytest.mark.parametrize(("line", "key", "message"), BAD_POLICIES)
def test_bad_policy_keys_are_named_under_the_debt(line, key, message):
    error = _error(MINIMAL + f"\n[debts.policy]\n{line}\n")
    (problem,) = error.problems
    assert problem.key == key
    assert message in problem.message


def test_two_debts_with_one_creditor_are_refused():
    second = MINIMAL[MINIMAL.index("[[debts]]") :]
    error = _error(MINIMAL + "\n" + second)
    assert error.key == "debts[1].creditor.name"
    assert "no other debt uses" in error.problem


def test_a_case_without_debts_is_refused():
    head = MINIMAL[: MINIMAL.index("[[debts]]")]
    assert _error(head).key == "debts"
    assert "got an empty list" in _error("debts = []\n" + head).problem


# --- every problem at once -----------------------------------------------------------


def test_a_case_file_with_three_mistakes_reports_all_three():
    text = (
        MINIMAL.replace('principal = "12000.00"', "principal = 12000.00")
        .replace('kind = "credit-card"', 'kind = "payday"')
        .replace('housing = "1200.00"', 'rent = "1200.00"')
    )
    error = _error(text)
    categories = "dependants, food, health, housing, other, transport, utilities"
    kinds = "credit-card, consumer-finance, online-lender, installment-platform, other"
    assert [(p.key, p.expected, p.value) for p in error.problems] == [
        ("borrower.expenses.rent", f"one of {categories}", "1200.00"),
        ("debts[0].creditor.kind", f"one of {kinds}", "payday"),
        (
            "debts[0].principal",
            'a quoted decimal string such as "12000.00" (floats are binary and inexact)',
            FloatLiteral("12000.00"),
        ),
    ]
    assert str(error).splitlines() == [
        f"case.toml: borrower.expenses.rent: unknown key; expected one of {categories}",
        f"case.toml: debts[0].creditor.kind: expected one of {kinds}, got 'payday'",
        (
            "case.toml: debts[0].principal: expected a quoted decimal string such as "
            '"12000.00" (floats are binary and inexact), got the float 12000.00'
        ),
    ]


TWO_DEBTS = {
    "regime": "CN-PBOC",
    "borrower": {
        "currency": "CNY",
        "monthly_income": "4200.00",
        "hardships": [
            {"kind": "illness", "start": "2026-08-15"},
            {"kind": "unemployment", "start": "2026-13-01"},
        ],
    },
    "debts": [
        {
            "creditor": {"name": "First Bank", "kind": "credit-card"},
            "currency": "CNY",
            "principal": "1000.00",
            "contract_rate": {"value": "0.0005", "unit": "daily", "day_count": 365},
            "as_of": "2026-11-02",
        },
        {
            "creditor": {"name": "Second Bank", "kind": "credit-card"},
            "currency": "CNY",
            "principal": "2000.00",
            "contract_rate": {"value": "0.01", "unit": "fortnightly"},
            "as_of": "2026-11-02",
            "policy": {"documents": {"illness": ["medical-diagnosis", "horoscope"]}},
            "goals": {"waive": ["everything"]},
        },
    ],
}


def test_problems_deep_in_lists_are_named_by_their_whole_path():
    error = _error(json.dumps(TWO_DEBTS), ".json")
    assert [p.key for p in error.problems] == [
        "borrower.hardships[1].start",
        "debts[1].contract_rate.unit",
        "debts[1].policy.documents.illness[1]",
        "debts[1].goals.waive[0]",
    ]
    assert [p.value for p in error.problems] == [
        "2026-13-01",
        "fortnightly",
        "horoscope",
        "everything",
    ]


def test_rules_across_keys_are_reported_with_the_type_errors():
    data = json.loads(json.dumps(TWO_DEBTS))
    data["borrower"]["hardships"] = []
    data["debts"][1] |= {"currency": "USD", "minimum_payment": "5"}
    data["debts"][1]["contract_rate"] = {"value": "0.0005", "unit": "daily"}
    data["debts"][1].pop("policy")
    data["debts"][1].pop("goals")
    data["debts"][0]["principal"] = "1000.001"
    error = _error(json.dumps(data), ".json")
    assert [(p.key, p.expected) for p in error.problems] == [
        (
            "debts[1].contract_rate.day_count",
            "360 or 365 (the day count a daily rate is stated with)",
        ),
        ("debts[0].principal", "an amount in whole CNY minor units (2 decimal places)"),
        ("debts[1].currency", "the borrower's currency CNY"),
        ("debts[1].minimum_payment", "no minimum_payment unless priority = true"),
    ]


def test_rules_across_debts_name_the_debt_by_its_place_in_the_file():
    data = json.loads(json.dumps(TWO_DEBTS))
    data["borrower"]["hardships"] = []
    data["debts"][1] = data["debts"][0] | {"creditor": {"name": "Second", "kind": "other"}}
    data["debts"][0]["creditor"]["kind"] = "payday"
    data["on"] = "2026-10-01"
    error = _error(json.dumps(data), ".json")
    assert [(p.key, p.expected) for p in error.problems] == [
        ("debts[0].creditor.kind", f"one of {', '.join(k.value for k in CreditorKind)}"),
        ("on", "a date on or after debts[1].as_of 2026-11-02"),
    ]


def test_an_unknown_key_suggests_the_closest_known_one():
    error = _error(MINIMAL.replace('principal = "12000.00"', 'principle = "12000.00"'))
    assert [p.key for p in error.problems] == ["debts[0].principle", "debts[0].principal"]
    assert error.problems[0].message.endswith("(did you mean 'principal'?)")
    assert error.problems[0].value == "12000.00"
    assert error.problems[1].value is MISSING
    assert error.problems[1].message.startswith("required key missing; expected an amount")


def test_a_table_that_is_not_a_table_is_one_problem():
    error = _error(MINIMAL.replace("[borrower.expenses]", "[borrower.savings]"))
    assert error.problems[0].key == "borrower.savings"
    error = _error(
        'borrower = "me"\n'
        + MINIMAL[MINIMAL.index("[[debts]]") :].replace("[[debts]]", 'regime = "XIRR"\n[[debts]]')
    )
    assert [(p.key, p.value) for p in error.problems] == [("borrower", "me")]


def test_a_json_case_file_may_name_its_schema():
    data = _json_ready(tomllib.loads(MINIMAL))
    data = {"$schema": "./case-file.schema.json", **data}
    assert _load(json.dumps(data), ".json").debts[0].creditor.name == "Example Bank"


# --- files -------------------------------------------------------------------------------


def test_a_file_above_the_size_limit_is_refused_before_parsing(tmp_path, monkeypatch):
    path = tmp_path / "big.toml"
    padding = "# padding\n" * (MAX_CASE_FILE_BYTES // 10 + 1)
    path.write_text(MINIMAL + padding, encoding="utf-8")
    assert path.stat().st_size > MAX_CASE_FILE_BYTES

    def no_parsing(*_args, **_kwargs):
        raise AssertionError("a file above the limit must not be parsed")

    monkeypatch.setattr(tomllib, "loads", no_parsing)
    with pytest.raises(CaseFileError) as caught:
        load_case(path)
    assert caught.value.key == "(file)"
    assert "larger than the 1048576 bytes (1 MiB)" in str(caught.value)


def test_a_file_just_at_the_limit_is_read(tmp_path):
    path = tmp_path / "case.toml"
    body = MINIMAL + "#" * (MAX_CASE_FILE_BYTES - len(MINIMAL.encode()) - 1) + "\n"
    path.write_text(body, encoding="utf-8")
    assert path.stat().st_size == MAX_CASE_FILE_BYTES
    assert load_case(path).debts[0].creditor.name == "Example Bank"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("case.yaml", b"regime: x", "expected a file name ending in .toml or .json"),
        ("case.toml", b"regime = ", "not valid TOML"),
        ("case.json", b"{", "not valid JSON"),
        ("case.json", b'{"regime": "CN-PBOC", "regime": "XIRR"}', "duplicate key 'regime'"),
        ("case.json", b'{"regime": NaN}', "not valid JSON: NaN is not a number"),
        ("case.json", b"[1, 2]", "expected a JSON object at the top level"),
        ("case.toml", b"regime = '\xff'", "expected UTF-8 text"),
    ],
)
def test_unreadable_files_are_named(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(CaseFileError) as caught:
        load_case(path)
    assert caught.value.path == str(path)
    assert caught.value.key == "(file)"
    assert message in caught.value.problem


def test_a_missing_file_is_named(tmp_path):
    with pytest.raises(CaseFileError, match=r"missing\.toml: \(file\): cannot be read"):
        load_case(tmp_path / "missing.toml")


def test_a_json_float_is_refused_like_a_toml_float(tmp_path):
    data = _json_ready(tomllib.loads(MINIMAL))
    text = json.dumps(data).replace('"12000.00"', "12000.50")
    error = _error(text, ".json")
    assert error.key == "debts[0].principal"
    assert 'such as "12000.50"' in error.problem


def test_a_utf8_byte_order_mark_is_accepted(tmp_path):
    path = tmp_path / "case.toml"
    path.write_bytes(b"\xef\xbb\xbf" + MINIMAL.encode())
    assert load_case(path).regime is Regime.CN_PBOC


def test_errors_are_library_errors():
    from debtnegotiation.errors import DebtNegotiationError

    assert issubclass(CaseFileError, DebtNegotiationError)


def test_borrower_timezone_is_read_and_checked(tmp_path):
    import re as _re

    from debtnegotiation.casefile import CaseFileError, load_case

    source = (Path(__file__).parents[1] / "examples" / "xian.toml").read_text(encoding="utf-8")
    good = tmp_path / "tz.toml"
    good.write_text(
        _re.sub(r"(\[borrower\]\n)", r'\1timezone = "Asia/Shanghai"\n', source, count=1),
        encoding="utf-8",
    )
    assert load_case(good).borrower.timezone == "Asia/Shanghai"
    bad = tmp_path / "bad-tz.toml"
    bad.write_text(
        _re.sub(r"(\[borrower\]\n)", r'\1timezone = "Mars/Olympus"\n', source, count=1),
        encoding="utf-8",
    )
    with pytest.raises(CaseFileError, match=r"Mars/Olympus"):
        load_case(bad)
