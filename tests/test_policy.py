import datetime as dt
from decimal import Decimal

import pytest

from debtnegotiation import EvidenceKind, HardshipKind
from debtnegotiation.casefile import CaseFileError
from debtnegotiation.filereader import MISSING, FloatLiteral, InputFileError
from debtnegotiation.policy import POLICY_TABLE, FeeTiming, LenderPolicy, PolicyFileError

GOOD = """
[[policy]]
lender = "Example Installment Platform"
source = "source article"
effective_from = "2026-01-01"
fee_rate = "0.05"
fee_timing = "upfront"
max_months = 24
accepted_hardships = ["unemployment", "illness"]
plan_rate = { value = "0.0002", unit = "daily", day_count = 365 }

[policy.documents]
unemployment = ["termination-letter", "bank-statements"]
"""


def test_loads_policies_from_toml(tmp_path):
    path = tmp_path / "policy.toml"
    path.write_text(GOOD, encoding="utf-8")
    (policy,) = LenderPolicy.from_toml(path)
    assert policy.fee_rate == Decimal("0.05")
    assert policy.fee_timing is FeeTiming.UPFRONT
    assert policy.max_months == 24
    assert policy.accepted_hardships == {HardshipKind.UNEMPLOYMENT, HardshipKind.ILLNESS}
    assert policy.documents_for(HardshipKind.UNEMPLOYMENT) == (
        EvidenceKind.TERMINATION_LETTER,
        EvidenceKind.BANK_STATEMENTS,
    )
    assert policy.documents_for(HardshipKind.ILLNESS) == ()
    assert policy.plan_rate is not None
    assert policy.plan_rate.annual_nominal() == Decimal("0.0730")
    assert policy.applies_to("example installment PLATFORM")


@pytest.mark.parametrize(
    ("snippet", "key", "expected"),
    [
        ('fee_timing = "later"', "policy[0].fee_timing", "one of upfront, withheld, spread"),
        ('fee_rate = "1.5"', "policy[0].fee_rate", "a fraction between 0 and 1"),
        ('accepted_hardships = ["boredom"]', "policy[0].accepted_hardships[0]", "one of"),
        ("max_months = -3", "policy[0].max_months", "a whole number of 0 or more"),
        ("max_months = 601", "policy[0].max_months", "at most 600 months"),
        ('colour = "red"', "policy[0].colour", "one of acceptance_prior, accepted_hardships"),
        ("fee_rate = 0.05", "policy[0].fee_rate", 'a quoted decimal string such as "0.05"'),
        ('plan_rate = { value = "0.1", unit = "daily" }', "policy[0].plan_rate.day_count", "365"),
        ('documents = { illness = ["x-ray"] }', "policy[0].documents.illness[0]", "one of"),
    ],
)
def test_bad_policy_files_name_file_and_key(tmp_path, snippet, key, expected):
    path = tmp_path / "bad.toml"
    path.write_text(f'[[policy]]\nlender = "L"\nsource = "s"\n{snippet}\n', encoding="utf-8")
    with pytest.raises(PolicyFileError) as caught:
        LenderPolicy.from_toml(path)
    (problem,) = caught.value.problems
    assert caught.value.file == str(path)
    assert problem.key == key
    assert expected in problem.expected
    assert str(caught.value) == f"{path}: {key}: {problem.message}"


def test_a_policy_file_reports_every_problem_at_once(tmp_path):
    path = tmp_path / "policies.toml"
    path.write_text(
        GOOD
        + """
[[policy]]
lender = "Second Lender"
fee_rate = 0.05
fee_timing = "later"

[[policy]]
source = "s"
max_monthly = 3
""",
        encoding="utf-8",
    )
    with pytest.raises(PolicyFileError) as caught:
        LenderPolicy.from_toml(path)
    error = caught.value
    assert [(p.key, p.value) for p in error.problems] == [
        ("policy[1].fee_rate", FloatLiteral("0.05")),
        ("policy[1].fee_timing", "later"),
        ("policy[1].source", MISSING),
        ("policy[2].max_monthly", 3),
        ("policy[2].lender", MISSING),
    ]
    assert "did you mean 'max_months'?" in error.problems[3].message
    assert str(error).splitlines() == [f"{path}: {p}" for p in error.problems]


def test_policy_file_errors_are_the_reader_error_with_the_old_name(tmp_path):
    assert issubclass(PolicyFileError, InputFileError)
    assert issubclass(CaseFileError, InputFileError)
    with pytest.raises(InputFileError) as caught:
        LenderPolicy.from_mapping({"lender": "L", "source": "s", "fee_rate": 0.05}, origin="api")
    assert isinstance(caught.value, PolicyFileError)
    assert caught.value.key == "fee_rate"
    assert caught.value.problems[0].value == 0.05  # a Python float is refused like a TOML one
    assert "got the float 0.05" in str(caught.value)


def test_other_top_level_keys_of_a_policy_file_are_not_read(tmp_path):
    path = tmp_path / "policy.toml"
    path.write_text('title = "Lenders I know"\n' + GOOD, encoding="utf-8")
    assert len(LenderPolicy.from_toml(path)) == 1


def test_from_mapping_accepts_python_values():
    policy = LenderPolicy.from_mapping(
        {
            "lender": "L",
            "source": "s",
            "fee_rate": Decimal("0.05"),
            "fee_timing": FeeTiming.SPREAD,
            "accepted_hardships": [HardshipKind.ILLNESS],
            "effective_from": dt.date(2026, 1, 1),
        }
    )
    assert policy.fee_rate == Decimal("0.05")
    assert policy.fee_timing is FeeTiming.SPREAD
    assert policy.accepted_hardships == {HardshipKind.ILLNESS}


def test_from_mapping_refuses_what_is_not_a_table():
    with pytest.raises(PolicyFileError) as caught:
        LenderPolicy.from_mapping(["lender"])  # type: ignore[arg-type]
    assert caught.value.key == "(document)"
    assert caught.value.problem == "expected a table, got a list"


def test_the_policy_table_defaults_are_the_models():
    # The schema shows the defaults of the definitions; they must be LenderPolicy's own.
    read = LenderPolicy.from_mapping({"lender": "L", "source": "s"})
    defaults = {
        f.name: f.default
        for f in POLICY_TABLE.fields
        if f.name
        in {
            "fee_timing",
            "max_months",
            "settlement_months",
            "deferral_max_months",
            "deferral_interest",
            "lapses_on_missed_payment",
        }
    }
    assert defaults == {
        "fee_timing": read.fee_timing.value,
        "max_months": read.max_months,
        "settlement_months": read.settlement_months,
        "deferral_max_months": read.deferral_max_months,
        "deferral_interest": read.deferral_interest,
        "lapses_on_missed_payment": read.lapses_on_missed_payment,
    }


def test_missing_tables_and_unreadable_file(tmp_path):
    empty = tmp_path / "empty.toml"
    empty.write_text("title = 'x'\n", encoding="utf-8")
    with pytest.raises(PolicyFileError, match=r"policy: required key missing"):
        LenderPolicy.from_toml(empty)
    none = tmp_path / "none.toml"
    none.write_text("policy = []\n", encoding="utf-8")
    with pytest.raises(PolicyFileError, match=r"expected one or more \[\[policy\]\] tables"):
        LenderPolicy.from_toml(none)
    with pytest.raises(PolicyFileError, match=r"absent\.toml: \(file\): cannot be read"):
        LenderPolicy.from_toml(tmp_path / "absent.toml")
    broken = tmp_path / "broken.toml"
    broken.write_text("[[policy]\n", encoding="utf-8")
    with pytest.raises(PolicyFileError, match=r"\(file\): not valid TOML"):
        LenderPolicy.from_toml(broken)


def test_policy_requires_a_source():
    with pytest.raises(PolicyFileError, match="source: expected a citation for the terms"):
        LenderPolicy.from_mapping({"lender": "L", "source": " "})
