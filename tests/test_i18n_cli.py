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
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from debtnegotiation.cli import EXIT_FAILURE, EXIT_OK, cli

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "xian.toml"
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
    "send the hardship documents",
)  # fmt: skip

#: Words that are codes, not English: regime codes, the program's name, ISO codes, units.
CODES = frozenset(
    {"CN", "PBOC", "US", "RegZ", "EU", "CCD", "XIRR", "CNY", "USD", "debtneg", "APR", "APRC",
     "UTC", "ACT", "F", "ID", "App", "Z"}
)  # fmt: skip

#: Sample invocations, by command path; ``{log}`` stands for the sample log's path.
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
}

#: Outputs that still hold English of the library's own, and why (strict xfail).
STILL_ENGLISH: dict[tuple[str, ...], str] = {
    ("demo", "--format", "json"): "engine reasons, findings and rate notes in JSON",
    ("options", "--format", "json"): "engine reasons, findings and rate notes in JSON",
    ("plan",): "strategies' plan conditions are English sentences",
    ("counter",): "the offer's title and the engine's reasons and reply are English",
    ("log", "add"): "the confirmation line is English",
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


def _allowed_words() -> set[str]:
    text = EXAMPLE.read_text(encoding="utf-8")
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
def test_command_output_in_chinese_has_no_english_words(sample_log, path, args):
    argv = [*path, *(a.replace("{log}", str(sample_log)) for a in args)]
    result = _runner().invoke(cli, argv, catch_exceptions=False)
    assert result.exit_code in {EXIT_OK, EXIT_FAILURE}, result.output
    output = result.stdout
    if "json" in args:
        output = "\n".join(_json_text(json.loads(output)))
    # Paths and hashes are data too.
    output = output.replace(str(sample_log), "").replace(str(EXAMPLE), "")
    output = re.sub(r"\b[0-9a-f]{64}\b", "", output)
    allowed = _allowed_words()
    english = sorted({w for w in _words(output) if w.lower() not in allowed})
    assert not english, f"English words in {' '.join(argv)}: {english}"
