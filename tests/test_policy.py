from decimal import Decimal

import pytest

from debtnegotiation import EvidenceKind, HardshipKind
from debtnegotiation.policy import FeeTiming, LenderPolicy, PolicyFileError

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
    ("snippet", "key"),
    [
        ('fee_timing = "later"', "fee_timing"),
        ('fee_rate = "1.5"', "LenderPolicy.fee_rate"),
        ('accepted_hardships = ["boredom"]', "accepted_hardships[0]"),
        ("max_months = -3", "LenderPolicy.max_months"),
        ('colour = "red"', "colour"),
        ("fee_rate = 0.05", "LenderPolicy rate"),
    ],
)
def test_bad_policy_files_name_file_and_key(tmp_path, snippet, key):
    path = tmp_path / "bad.toml"
    path.write_text(f'[[policy]]\nlender = "L"\nsource = "s"\n{snippet}\n', encoding="utf-8")
    with pytest.raises(PolicyFileError) as caught:
        LenderPolicy.from_toml(path)
    assert str(path) in str(caught.value)
    assert key in str(caught.value)


def test_missing_tables_and_unreadable_file(tmp_path):
    empty = tmp_path / "empty.toml"
    empty.write_text("title = 'x'\n", encoding="utf-8")
    with pytest.raises(PolicyFileError, match="policy"):
        LenderPolicy.from_toml(empty)
    with pytest.raises(PolicyFileError, match="readable TOML"):
        LenderPolicy.from_toml(tmp_path / "absent.toml")


def test_policy_requires_a_source():
    with pytest.raises(PolicyFileError, match="source"):
        LenderPolicy.from_mapping({"lender": "L", "source": " "})
