"""The case file's JSON Schema: generated from the reader's definitions, shipped, and true.

"True" means: the example case files and the JSON example in the docs validate, and what
the schema refuses the reader refuses too (the schema cannot check rules across keys, so
the reverse does not hold).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import tomllib
import zipfile
from importlib import resources
from pathlib import Path

import jsonschema
import pytest
from hatchling.builders.wheel import WheelBuilder

from debtnegotiation.casefile import CaseFileError, case_file_schema, loads_case, parse_regime

ROOT = Path(__file__).resolve().parents[1]
# Case files only: batch-policies.toml is a lender-policy file (docs/howto/batch.rst).
EXAMPLES = [
    p
    for p in sorted((ROOT / "examples").glob("*.toml")) + sorted((ROOT / "examples").glob("*.json"))
    if "policies" not in p.stem
]
DOCS = ROOT / "docs" / "reference" / "case-file.rst"
SHIPPED = resources.files("debtnegotiation") / "schemas" / "case-file.schema.json"
REGENERATE = (
    'python -c "import json; from debtnegotiation.casefile import case_file_schema; '
    "open('src/debtnegotiation/schemas/case-file.schema.json', 'w', encoding='utf-8')"
    ".write(json.dumps(case_file_schema(), indent=2, ensure_ascii=False) + '\\n')\""
)


def schema_text() -> str:
    return json.dumps(case_file_schema(), indent=2, ensure_ascii=False) + "\n"


def validator() -> jsonschema.Draft7Validator:
    return jsonschema.Draft7Validator(
        case_file_schema(), format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER
    )


def json_ready(value):
    """TOML dates as the ISO strings editors validate them as."""
    if isinstance(value, dict):
        return {k: json_ready(v) for k, v in value.items()}
    if isinstance(value, list):
        return [json_ready(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def load(path: Path):
    if path.suffix == ".toml":
        return json_ready(tomllib.loads(path.read_text(encoding="utf-8")))
    return json.loads(path.read_text(encoding="utf-8"))


def errors(data) -> list[str]:
    return [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator().iter_errors(data)
    ]


def test_the_shipped_schema_is_the_generated_one():
    assert SHIPPED.read_text(encoding="utf-8") == schema_text(), (
        f"the shipped schema is out of date; regenerate it with {REGENERATE}"
    )


def test_the_schema_is_a_valid_draft_7_schema():
    schema = case_file_schema()
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    jsonschema.Draft7Validator.check_schema(schema)


def test_there_are_examples():
    assert {"xian.toml", "xian-budget.toml"} <= {p.name for p in EXAMPLES}


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_the_example_case_files_validate(path):
    assert errors(load(path)) == []


def test_the_built_in_example_as_json_validates_and_reads():
    # examples/xian.toml is the built-in example (test_casefile checks the objects match).
    data = {"$schema": "./case-file.schema.json", **load(ROOT / "examples" / "xian.toml")}
    assert errors(data) == []
    assert loads_case(json.dumps(data), suffix=".json").debts[0].principal.amount > 0


def test_the_json_example_in_the_docs_validates_and_reads():
    text = DOCS.read_text(encoding="utf-8")
    (block,) = re.findall(r"\.\. code-block:: json\n\n((?:   .*\n|\n)+)", text)
    data = json.loads(block)
    assert errors(data) == []
    assert loads_case(json.dumps(data), suffix=".json").borrower.currency == "CNY"


MINIMAL = json_ready(
    tomllib.loads(
        """\
regime = "CN-PBOC"
[borrower]
currency = "CNY"
monthly_income = "4200.00"
[[debts]]
creditor = { name = "Example Bank", kind = "credit-card" }
currency = "CNY"
principal = "12000.00"
contract_rate = { value = "0.0005", unit = "daily", day_count = 365 }
as_of = 2026-11-02
[debts.policy]
fee_rate = "0.05"
max_months = 24
"""
    )
)


def edit(path: str, value: object) -> dict:
    """MINIMAL with the value at *path* (``debts.0.principal``) set, or removed if None."""
    data = json.loads(json.dumps(MINIMAL))
    *parents, last = path.split(".")
    target = data
    for part in parents:
        target = target[int(part)] if part.isdigit() else target[part]
    if value is None:
        del target[last]
    else:
        target[last] = value
    return data


REFUSED_BY_BOTH = [
    ("debts.0.principal", "-1.00"),
    ("debts.0.principal", "twelve"),
    ("debts.0.principal", True),
    ("debts.0.principal", None),
    ("debts.0.principle", "12000.00"),
    ("debts.0.days_overdue", "3"),
    ("debts.0.days_overdue", -1),
    ("debts.0.creditor.kind", "payday"),
    ("debts.0.creditor.name", "  "),
    ("debts.0.contract_rate.unit", "weekly"),
    ("debts.0.contract_rate.day_count", 366),
    ("debts.0.as_of", "2026-02-30"),
    ("debts.0.policy.fee_rate", "1.5"),
    ("debts.0.policy.max_months", 601),
    ("debts.0.policy.bonus", "1"),
    ("borrower.currency", "CN"),
    ("borrower.expenses", {"rent": "1"}),
    ("regime", "APR"),
    ("version", 2),
    ("goals", {"max_months": 0}),
    ("debts", []),
]


@pytest.mark.parametrize(("path", "value"), REFUSED_BY_BOTH)
def test_what_the_schema_refuses_the_reader_refuses(path, value):
    data = edit(path, value)
    assert errors(data), f"the schema accepts {path} = {value!r}"
    with pytest.raises(CaseFileError):
        loads_case(json.dumps(data), suffix=".json")


def test_a_float_is_refused_by_both():
    text = json.dumps(MINIMAL).replace('"12000.00"', "12000.5")
    assert errors(json.loads(text))
    with pytest.raises(CaseFileError, match="quoted decimal string"):
        loads_case(text, suffix=".json")


@pytest.mark.parametrize(
    "spelling", ["CN-PBOC", "cn-pboc", "cn_pboc", "US-RegZ", "us-reg-z", "US_REG_Z", "xirr"]
)
def test_every_regime_spelling_the_reader_takes_the_schema_takes(spelling):
    parse_regime(spelling)
    assert errors(edit("regime", spelling)) == []


def _keys(schema: dict) -> set[str]:
    names = set()
    for name, sub in schema.get("properties", {}).items():
        names.add(name)
        names |= _keys(sub)
    if "items" in schema:
        names |= _keys(schema["items"])
    return names


def test_every_key_is_documented_in_the_reference():
    text = DOCS.read_text(encoding="utf-8")
    undocumented = sorted(k for k in _keys(case_file_schema()) if f"``{k}``" not in text)
    assert undocumented == []


def test_every_key_has_a_description():
    def missing(schema: dict, path: str) -> list[str]:
        found = []
        for name, sub in schema.get("properties", {}).items():
            if "description" not in sub and not path.endswith(("expenses", "documents")):
                found.append(f"{path}.{name}")
            found += missing(sub, f"{path}.{name}")
        if "items" in schema:
            found += missing(schema["items"], f"{path}[]")
        return found

    assert missing(case_file_schema(), "") == []


def test_the_schema_is_in_the_wheel(tmp_path):
    (wheel,) = WheelBuilder(str(ROOT)).build(directory=str(tmp_path), versions=["standard"])
    with zipfile.ZipFile(wheel) as archive:
        shipped = archive.read("debtnegotiation/schemas/case-file.schema.json").decode("utf-8")
    assert shipped == schema_text()
