"""Every command, run in zh_Hans_CN, prints no English word of the library's own.

How it works: each sample invocation in :data:`SAMPLES` runs through click's runner with
``--locale zh_Hans_CN`` (``DEBTNEG_LOCALE``); every ASCII word in the output is an
English word of the library unless it comes from the input (the case file, the log
entries written here, the installed plugins' names) or is a code meant to stay as it is
(:data:`CODES`: regime codes, the command's own name).

**A new command** needs one thing: its sample invocation(s) in :data:`SAMPLES`, keyed by
its path (``("log", "list")``). :func:`test_every_registered_command_has_a_sample` walks
the registered commands and fails, naming the command, until it has one.

Outputs still known to hold English are marked in :data:`STILL_ENGLISH` with the reason;
the mark is strict, so the test fails as soon as one is fully translated, to say the
mark should go.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from debtnegotiation.cli import EXIT_FAILURE, EXIT_OK, cli

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "xian.toml"
BUDGET_EXAMPLE = ROOT / "examples" / "xian-budget.toml"
PLATFORM = "Example Installment Platform"
CARD = "Example Bank Credit Card"
ENV = {
    "DEBTNEG_DISABLE_PLUGIN_AUTOLOAD": "1",
    "DEBTNEG_DISABLE_PLUGINS": "",
    "DEBTNEG_LOCALE": "zh_Hans_CN",
    "COLUMNS": None,
    "NO_COLOR": None,
}
#: What the sample log entry says: data, so its words are allowed in the output.
LOG_INPUT = (
    "Agent Zhang", "Example Installment Platform", "said they would waive the penalty",
    "send the hardship documents", "the whole balance falls due",
)  # fmt: skip

#: Words that are codes, not English: regime codes, the program's name, ISO codes, units.
CODES = frozenset(
    {"CN", "PBOC", "US", "RegZ", "EU", "CCD", "XIRR", "CNY", "USD", "debtneg", "APR", "APRC",
     "UTC", "ACT", "F", "ID", "App", "Z"}
)  # fmt: skip

AGREE = ["{plan}", "--at", "2026-12-21T10:00+08:00", "--channel", "email", "--lender", PLATFORM,
         "--currency", "CNY", "--due", "2027-04-15", "850.00"]  # fmt: skip

#: Sample invocations, by command path; ``{log}`` stands for the sample log's path, ``{plan}``
#: for a copy of the agreed-plan log, ``{key}``, ``{ics}`` and ``{new}`` for files to write.
#: Add a new command's here (one line is enough).
SAMPLES: dict[tuple[str, ...], list[list[str]]] = {
    ("demo",): [[], ["--format", "markdown"], ["--format", "json"]],
    ("options",): [
        [str(EXAMPLE)],
        [str(EXAMPLE), "--format", "markdown"],
        [str(EXAMPLE), "--format", "json"],
    ],
    ("letter",): [[str(EXAMPLE)], [str(EXAMPLE), "--format", "markdown"]],
    ("script",): [[str(EXAMPLE)], [str(EXAMPLE), "--format", "markdown"]],
    ("plan",): [
        [str(EXAMPLE), "--strategy", "deferral", "--creditor", PLATFORM],
        [str(EXAMPLE), "--strategy", "subsidy", "--format", "markdown"],
    ],
    ("apr",): [
        [
            "--amount",
            "10000",
            "--fee",
            "500",
            "--term",
            "12",
            "--installment",
            "880",
            "--regime",
            "cn-pboc",
            "--regime",
            "us-reg-z",
            "--start",
            "2026-01-01",
            "--currency",
            "CNY",
        ],
    ],
    ("counter",): [
        [
            str(EXAMPLE),
            "--creditor",
            PLATFORM,
            "--lever",
            "extension",
            "--months",
            "24",
            "--fee-rate",
            "0.05",
        ],
    ],
    ("plugins",): [["--all"]],
    ("log", "add"): [["{log}", "--at", "2026-11-06T09:30+08:00", "--channel", "email"]],
    ("log", "list"): [["{log}"]],
    ("log", "followups"): [["{log}", "--as-of", "2026-11-08"]],
    ("log", "conduct"): [["{log}", str(EXAMPLE), "--creditor", PLATFORM]],
    ("log", "verify"): [["{log}"]],
    ("log", "export"): [["{log}", "--to", "report", "--as-of", "2026-11-08"]],
    ("log", "checkpoint"): [["{log}", "--key", "{key}"]],
    ("log", "agree"): [AGREE],
    ("log", "pay"): [["{plan}", "--amount", "850.00", "--currency", "CNY", "--on", "2027-02-14"]],
    ("track",): [
        ["{plan}", "--as-of", "2027-02-01"],
        ["{plan}", "--as-of", "2027-02-01", "--format", "markdown"],
        ["{plan}", "--as-of", "2027-02-01", "--format", "json"],
    ],
    ("calendar",): [["{plan}", "-o", "{ics}", "--as-of", "2027-02-01"]],
    ("budget",): [
        [str(BUDGET_EXAMPLE)],
        [str(EXAMPLE), "--format", "markdown"],
        [str(BUDGET_EXAMPLE), "--format", "json"],
    ],
    ("payoff",): [
        [str(BUDGET_EXAMPLE)],
        [str(BUDGET_EXAMPLE), "--compare", "--format", "markdown"],
        [str(EXAMPLE), "--options", PLATFORM],
        [str(BUDGET_EXAMPLE), "--summary", "--format", "json"],
    ],
    ("dmp",): [[str(EXAMPLE)], [str(EXAMPLE), "--creditor", CARD, "--format", "markdown"]],
    ("init",): [["{new}", "--on", "2026-12-01"]],
    ("example",): [[]],
}

#: Outputs that still hold English of the library's own, and why (strict xfail).
STILL_ENGLISH: dict[tuple[str, ...], str] = {
    ("demo", "--format", "json"): "engine reasons, findings and rate notes in JSON",
    ("options", "--format", "json"): "engine reasons, findings and rate notes in JSON",
    ("plan",): "strategies' plan conditions are English sentences",
    ("counter",): "the offer's title and the engine's reasons and reply are English",
    ("log", "conduct"): "conduct findings come from the jurisdiction packs in English",
    ("log", "verify"): "the chain explanation is English",
    ("log", "export"): "the log report's headings are English",
}


def _commands(
    group: click.Group, ctx: click.Context, path: tuple[str, ...] = ()
) -> Iterator[tuple[str, ...]]:
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        if isinstance(command, click.Group):
            yield from _commands(command, ctx, (*path, name))
        elif command is not None:
            yield (*path, name)


def test_every_registered_command_has_a_sample():
    with click.Context(cli) as ctx:
        registered = set(_commands(cli, ctx))
    missing = sorted(registered - set(SAMPLES))
    assert not missing, f"add a sample invocation to SAMPLES in {__file__} for: {missing}"


def _runner() -> CliRunner:
    return CliRunner(env=ENV)


@pytest.fixture(scope="module")
def sample_log(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("zh") / "log.sqlite"
    result = _runner().invoke(
        cli,
        ["log", "add", str(path), "--at", "2026-11-05T23:15+08:00", "--channel", "phone",
         "--direction", "inbound", "--counterpart", LOG_INPUT[0], "--organisation", PLATFORM,
         "--summary", LOG_INPUT[2], "--commitment", "borrower", LOG_INPUT[3], "2026-11-10"],
        catch_exceptions=False,
    )  # fmt: skip
    assert result.exit_code == EXIT_OK, result.output
    return path


@pytest.fixture(scope="module")
def plan_log(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A log with an agreed plan (three due dates) and one late payment."""
    path = tmp_path_factory.mktemp("zh-plan") / "plan.sqlite"
    for argv in (
        ["log", "agree", str(path), "--at", "2026-12-20T10:00+08:00", "--channel", "phone",
         "--lender", PLATFORM, "--currency", "CNY", "--due", "2027-01-15", "850.00",
         "--due", "2027-02-15", "850.00", "--due", "2027-03-15", "850.00",
         "--grace-days", "3", "--lapses-after", "1", "--if-missed", LOG_INPUT[4]],
        ["log", "pay", str(path), "--amount", "850.00", "--currency", "CNY", "--on", "2027-01-20"],
    ):  # fmt: skip
        result = _runner().invoke(cli, argv, catch_exceptions=False)
        assert result.exit_code == EXIT_OK, result.output
    return path


def _allowed_words() -> set[str]:
    text = EXAMPLE.read_text(encoding="utf-8") + BUDGET_EXAMPLE.read_text(encoding="utf-8")
    data = " ".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    data += " " + " ".join(LOG_INPUT)
    result = _runner().invoke(cli, ["plugins", "--all", "--format", "json"])
    data += " " + result.stdout
    with click.Context(cli) as ctx:
        commands = {word for path in _commands(cli, ctx) for word in path}
    return {w.lower() for w in _words(data)} | {c.lower() for c in CODES | commands}


def _words(text: str) -> list[str]:
    return re.findall(r"[A-Za-z][A-Za-z']*", text)


def _json_text(value: object) -> Iterator[str]:
    """The text a reader sees in JSON: string values, not keys or codes."""
    if isinstance(value, dict):
        for item in value.values():
            yield from _json_text(item)
    elif isinstance(value, list):
        for item in value:
            yield from _json_text(item)
    elif isinstance(value, str) and (" " in value or not value.isascii()):
        yield value  # one word without spaces is a code (an enum value, a key)


def _cases() -> Iterator[object]:
    for path, samples in SAMPLES.items():
        for args in samples:
            key = (*path, *args[-2:]) if args[-2:] == ["--format", "json"] else path
            reason = STILL_ENGLISH.get(key)
            marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
            yield pytest.param(path, args, marks=marks, id=" ".join([*path, *args]))


@pytest.mark.parametrize(("path", "args"), list(_cases()))
def test_command_output_in_chinese_has_no_english_words(
    sample_log: Path, plan_log: Path, tmp_path: Path, path: tuple[str, ...], args: list[str]
) -> None:
    plan = tmp_path / "plan.sqlite"  # a copy: some samples add to it
    shutil.copyfile(plan_log, plan)
    files = {"{log}": sample_log, "{plan}": plan, "{key}": tmp_path / "key.pem",
             "{ics}": tmp_path / "plan.ics", "{new}": tmp_path / "case.toml"}  # fmt: skip
    argv = [*path, *(str(files.get(a, a)) for a in args)]
    result = _runner().invoke(cli, argv, catch_exceptions=False)
    assert result.exit_code in {EXIT_OK, EXIT_FAILURE}, result.output
    output = result.stdout
    if "json" in args:
        output = "\n".join(_json_text(json.loads(output)))
    # Paths and hashes are data too.
    for data_path in (sample_log, *files.values(), tmp_path, EXAMPLE, BUDGET_EXAMPLE):
        output = output.replace(str(data_path), "")
    # `example` prints the example case file, and a checkpoint's last line is a signature.
    output = output.replace(EXAMPLE.read_text(encoding="utf-8"), "")
    output = re.sub(r"^— \S+ \S+$", "", output, flags=re.MULTILINE)
    # Finding codes (plan.lapsed) and ISO timestamps are codes, not words.
    output = re.sub(r"\b[a-z]+(?:\.[a-z_]+)+\b", "", output)
    output = re.sub(r"\b\d{4}-\d\d-\d\dT[\d:]+Z?\b", "", output)
    output = re.sub(r"\b[0-9a-f]{64}\b", "", output)
    allowed = _allowed_words()
    english = sorted({w for w in _words(output) if w.lower() not in allowed})
    assert not english, f"English words in {' '.join(argv)}: {english}"
