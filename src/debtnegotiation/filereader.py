r"""Reading case and policy files: walk a document by key path, convert values, collect problems.

A file is read against field definitions: a :class:`Table` of :class:`Field` objects, each
with a value :class:`Kind` (:class:`Text`, :class:`Number`, :class:`Date`, :class:`Choice`,
a nested :class:`Table`, a :class:`ListOf` ...). The :class:`Reader` walks the parsed
document with a key path (``debts[1].principal``, ``policy[0].fee_rate``, as cattrs'
``transform_error`` spells paths), converts each value on the way and *collects* every
problem instead of stopping at the first, so one :class:`InputFileError` lists them all.
The same definitions generate a JSON Schema (:meth:`Kind.schema`), so an editor checks
what the reader checks.

Conversion is exact: a :class:`Number` comes from a quoted decimal string or a whole
number, never from a TOML or JSON float, which :func:`parse` keeps as the text written
so the error can say how to quote it.

>>> reader = Reader("rate.toml")
>>> rate = Table((
...     Field("value", Number("rate", example="0.0005"), required=True),
...     Field("unit", Text(), required=True),
... ))
>>> values = reader.read(parse("value = 0.0005\nunits = 'daily'", "TOML", "rate.toml"), rate)
>>> reader.raise_problems(InputFileError)
Traceback (most recent call last):
...
debtnegotiation.filereader.InputFileError: rate.toml: value: expected a quoted decimal ...
rate.toml: units: unknown key; expected one of unit, value (did you mean 'unit'?)
rate.toml: unit: required key missing; expected a string
"""

from __future__ import annotations

import abc
import datetime as dt
import enum
import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any, Final, TypeVar

import attrs

from debtnegotiation._validate import to_decimal
from debtnegotiation.errors import DebtNegotiationError, ValidationError

__all__ = [
    "FILE_KEY",
    "MAX_FILE_BYTES",
    "MISSING",
    "Boolean",
    "Choice",
    "Date",
    "Field",
    "FloatLiteral",
    "InputFileError",
    "Integer",
    "Kind",
    "ListOf",
    "Number",
    "Problem",
    "Reader",
    "Table",
    "Text",
    "Values",
    "case_insensitive_pattern",
    "describe",
    "need",
    "parse",
    "read_text",
    "table_of_enum",
]

_T = TypeVar("_T")

#: The largest file read, in bytes (1 MiB). A case with a dozen debts and their policies is
#: a few kilobytes; anything near this size is the wrong file, and refusing it before
#: parsing keeps a mistaken path (a log, a disk image) from exhausting memory.
MAX_FILE_BYTES: Final = 1024 * 1024

#: The key path of a problem with the file as a whole (unreadable, not TOML, too large).
FILE_KEY: Final = "(file)"


class _Missing(enum.Enum):
    MISSING = "missing"

    def __repr__(self) -> str:
        return "MISSING"


#: The ``value`` of a :class:`Problem` with a key that is absent.
MISSING: Final = _Missing.MISSING


class _Failed(enum.Enum):
    FAILED = "failed"


#: What :meth:`Kind.read` returns for a value it refused (the problem is already reported).
_FAILED: Final = _Failed.FAILED


class _UnavailableError(Exception):
    """A value needed to build an object was refused; :meth:`Values.build` skips the build."""


# --- problems and the error -------------------------------------------------------------


@attrs.frozen
class FloatLiteral:
    """A TOML or JSON float as written, kept as text so the error can say how to quote it."""

    text: str


def describe(value: object) -> str:  # noqa: PLR0911 - one line per kind of value
    """How a problem names the value found: ``the float 0.05``, ``a table``, ``'payday'``."""
    if isinstance(value, FloatLiteral):
        return f"the float {value.text}"
    if isinstance(value, float):
        return f"the float {value!r}"
    if value is MISSING:
        return "nothing"
    if isinstance(value, Mapping):
        return "a table"
    if isinstance(value, list):
        return "a list" if value else "an empty list"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


@attrs.frozen
class Problem:
    """One thing wrong in a file.

    :param key: the key path, e.g. ``debts[1].principal``; ``(file)`` for the file itself.
    :param expected: what the key should hold, e.g. ``a fraction between 0 and 1``.
    :param value: what the file holds there (:data:`MISSING` for an absent key).
    :param detail: the whole sentence, where "expected ..., got ..." does not fit
        (a missing or unknown key, an unreadable file).
    """

    key: str
    expected: str
    value: object = MISSING
    detail: str = ""

    @classmethod
    def missing(cls, key: str, expected: str) -> Problem:
        """A required key that is absent."""
        return cls(key, expected, MISSING, f"required key missing; expected {expected}")

    @classmethod
    def unknown(cls, path: str, name: str, value: object, known: Sequence[str]) -> Problem:
        """Key *name* of the table at *path* is not one of *known*; suggest the closest."""
        import difflib  # only a file with a misspelt key needs it

        names = ", ".join(sorted(known))
        close = difflib.get_close_matches(name, known, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        detail = f"unknown key; expected one of {names}{hint}"
        return cls(_join(path, name), f"one of {names}", value, detail)

    @property
    def message(self) -> str:
        """The problem without its key, ``expected ..., got ...`` or else the ``detail``."""
        if self.detail:
            return self.detail
        if self.value is MISSING:
            return f"expected {self.expected}"
        return f"expected {self.expected}, got {describe(self.value)}"

    def __str__(self) -> str:
        """``key: message``."""
        return f"{self.key}: {self.message}"


class InputFileError(DebtNegotiationError, ValueError):
    """A case or policy file has problems; the message lists every one, a line each.

    Each line is ``file: key path: problem``, so a file with three mistakes reads::

        case.toml: debts[0].principal: expected a quoted decimal string such as ...
        case.toml: debts[1].creditor.kind: expected one of credit-card, ..., got 'payday'
        case.toml: borrower.savings: unknown key; expected one of ... (did you mean ...?)

    :param file: the file, or the origin given for data that was not read from a file.
    :param problems: what is wrong, in the order found (at least one).
    """

    #: The file, or the origin given for data that was not read from a file.
    file: str
    #: What is wrong, in the order found.
    problems: tuple[Problem, ...]

    def __init__(self, file: str, problems: Sequence[Problem]) -> None:
        """Keep the file and the problems; the message has one line per problem."""
        if not problems:
            raise ValueError("an InputFileError needs at least one problem")
        self.file = file
        self.problems = tuple(problems)
        super().__init__("\n".join(f"{file}: {p}" for p in self.problems))

    @property
    def path(self) -> str:
        """The file (an older name of ``file``)."""
        return self.file

    @property
    def key(self) -> str:
        """The key path of the first problem."""
        return self.problems[0].key

    @property
    def problem(self) -> str:
        """The first problem's message, without file and key."""
        return self.problems[0].message


# --- parsing ------------------------------------------------------------------------------


def _reject_constant(name: str) -> object:
    raise ValueError(f"{name} is not a number a case or policy file may contain")


class _DuplicateKeyError(ValueError):
    pass


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKeyError(f"duplicate key {key!r}")
        result[key] = value
    return result


def _file_error(error: type[InputFileError], file: str, expected: str, detail: str) -> Exception:
    return error(file, [Problem(FILE_KEY, expected, MISSING, detail)])


def read_text(path: str | Path, *, error: type[InputFileError] = InputFileError) -> str:
    """The UTF-8 text of the file at *path* (a byte-order mark is dropped).

    :raises InputFileError: (or the subclass *error*) if the file cannot be read, is
        larger than :data:`MAX_FILE_BYTES` (checked before parsing) or is not UTF-8.
    """
    file = Path(path)
    try:
        with file.open("rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)
    except OSError as failure:
        reason = failure.strerror or type(failure).__name__
        detail = f"cannot be read: {reason}"
        raise _file_error(error, str(file), "a readable file", detail) from None
    if len(raw) > MAX_FILE_BYTES:
        raise _file_error(
            error,
            str(file),
            f"at most {MAX_FILE_BYTES} bytes",
            f"larger than the {MAX_FILE_BYTES} bytes (1 MiB) a case or policy file may have; "
            "is this the right file?",
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as failure:
        raise _file_error(
            error,
            str(file),
            "UTF-8 text",
            f"expected UTF-8 text, found an invalid byte at offset {failure.start}",
        ) from None
    return text.removeprefix("\ufeff")


def parse(
    text: str, syntax: str, file: str, *, error: type[InputFileError] = InputFileError
) -> Mapping[str, Any]:
    """Parse *text* as ``"TOML"`` or ``"JSON"``, keeping floats as :class:`FloatLiteral`.

    JSON is read as strictly as TOML: a key given twice and ``NaN`` or ``Infinity`` are
    refused.

    :raises InputFileError: (or *error*) naming *file*, for a syntax error with the
        parser's line and column, or a document that is not a table at the top.
    """
    import tomllib  # only reading a file needs it

    data: object
    try:
        if syntax == "TOML":
            data = tomllib.loads(text, parse_float=FloatLiteral)
        else:
            data = json.loads(
                text,
                parse_float=FloatLiteral,
                parse_constant=_reject_constant,
                object_pairs_hook=_no_duplicates,
            )
    except (tomllib.TOMLDecodeError, ValueError) as failure:
        detail = f"not valid {syntax}: {failure}"
        raise _file_error(error, file, f"valid {syntax}", detail) from None
    except RecursionError:
        detail = f"nested too deeply to be a {syntax} case or policy file"
        raise _file_error(error, file, f"valid {syntax}", detail) from None
    if not isinstance(data, Mapping):
        raise _file_error(
            error, file, f"a {syntax} object", f"expected a {syntax} object at the top level"
        )
    try:
        broken = _lone_surrogate(data, "")
    except RecursionError:
        detail = f"nested too deeply to be a {syntax} case or policy file"
        raise _file_error(error, file, f"valid {syntax}", detail) from None
    if broken is not None:
        # JSON's "\ud800" escape decodes to half a character, which no output can encode.
        raise error(file, [Problem(broken, "text without lone surrogates (\\ud800-\\udfff)")])
    return data


_SURROGATE: Final = re.compile("[\ud800-\udfff]")


def _lone_surrogate(value: object, path: str) -> str | None:
    """The key path of the first string (key or value) holding a lone surrogate, if any."""
    if isinstance(value, str):
        return path or "(document)" if _SURROGATE.search(value) else None
    if isinstance(value, Mapping):
        for key, item in value.items():
            name = str(key)
            if _SURROGATE.search(name):
                return _join(path, ascii(name))
            found = _lone_surrogate(item, _join(path, name))
            if found is not None:
                return found
    elif isinstance(value, list):
        for i, item in enumerate(value):
            found = _lone_surrogate(item, f"{path}[{i}]")
            if found is not None:
                return found
    return None


# --- the reader ---------------------------------------------------------------------------


def _join(path: str, name: object) -> str:
    return f"{path}.{name}" if path else str(name)


class Reader:
    """Reads one document: converts values against definitions and collects problems.

    :param file: how problems name the source, normally the file path.
    """

    def __init__(self, file: str) -> None:
        """Start with no problems."""
        self.file = file
        self.problems: list[Problem] = []

    def read(self, data: object, table: Table) -> Any:  # noqa: ANN401 - the table's result
        """Read *data* as the top-level *table*: its :class:`Values`, or what it builds."""
        return table.read(data, "", self)

    def report(self, problem: Problem) -> None:
        """Record *problem*; reading goes on."""
        self.problems.append(problem)

    def refuse(self, key: str, expected: str, value: object) -> Any:  # noqa: ANN401
        """Record that *value* at *key* is not *expected*; return the "refused" marker."""
        self.report(Problem(key or "(document)", expected, value))
        return _FAILED

    def raise_problems(self, error: type[InputFileError] = InputFileError) -> None:
        """Raise *error* listing every problem found, if there is any."""
        if self.problems:
            raise error(self.file, self.problems)


class Values:
    """The converted values of one table, by key name, and its key path for problems.

    A value the file holds is converted by its field's kind; an absent optional key gives
    the field's default (converted the same way) or ``None``. Reading a refused or missing
    required value inside :meth:`build` skips the build instead of raising.
    """

    def __init__(self, table: Table, path: str, reader: Reader) -> None:
        """Empty values of *table* at key *path*, reporting to *reader*."""
        self.table = table
        self.path = path
        self.reader = reader
        self._given: dict[str, Any] = {}
        self._defaults: dict[str, Any] = {}
        self._failed: set[str] = set()

    def key(self, name: str) -> str:
        """The key path of *name* in this table, e.g. ``debts[0].principal``."""
        return _join(self.path, name)

    def __contains__(self, name: object) -> bool:
        """Whether the file gives *name* (its value may still have been refused)."""
        return name in self._given or name in self._failed

    def __iter__(self) -> Iterator[str]:
        """The names the file gives with a usable value, in file order."""
        return iter(self._given)

    def __getitem__(self, name: str) -> Any:  # noqa: ANN401 - each field has its own type
        """The value of *name*, its default, or ``None``; a refused value ends the build."""
        if name in self._failed:
            raise _UnavailableError(self.key(name))
        if name in self._given:
            return self._given[name]
        return self._defaults.get(name)

    def ok(self, name: str) -> bool:
        """Whether *name* has a usable value (given and accepted, defaulted, or absent)."""
        return name not in self._failed

    def given(self) -> dict[str, Any]:
        """The values the file gives (no defaults); a refused value ends the build."""
        if self._failed:
            raise _UnavailableError(self.key(min(self._failed)))
        return dict(self._given)

    def store(self, name: str, value: object, *, default: bool = False) -> None:
        """Keep the converted *value* of *name* (the refused marker marks it refused)."""
        if value is _FAILED:
            self._failed.add(name)
        elif default:
            self._defaults[name] = value
        else:
            self._given[name] = value

    def refuse(self, name: str, expected: str, value: object) -> None:
        """Report that *name* is not *expected* (a rule across keys); mark it refused."""
        self.reader.refuse(self.key(name), expected, value)
        self._failed.add(name)

    def missing(self, name: str, expected: str) -> None:
        """Report that *name* is required here (a rule across keys); mark it refused."""
        self.reader.report(Problem.missing(self.key(name), expected))
        self._failed.add(name)

    def refine(self, name: str, convert: Callable[[Any], object]) -> None:
        """Replace the value of *name* by ``convert(value)``, if it has one.

        A :class:`~debtnegotiation.errors.ValidationError` from *convert* is reported at
        *name* with its ``expected`` and ``value``, and the value is marked refused.
        """
        if name in self._failed:
            return
        for store in (self._given, self._defaults):
            if name in store:
                try:
                    store[name] = convert(store[name])
                except ValidationError as error:
                    del store[name]
                    self.refuse(name, error.expected, error.value)

    def build(self, make: Callable[[], _T]) -> _T | None:
        """Run *make* (usually a model constructor) and return its result.

        Return ``None`` if *make* reads a refused value (its problem is already reported)
        or raises :class:`~debtnegotiation.errors.ValidationError`, which is reported at
        the key the error's field names: a model spells fields ``Class.attribute``, the
        file ``path.attribute``.
        """
        try:
            return make()
        except _UnavailableError:
            return None
        except ValidationError as error:
            attribute = error.field.partition(".")[2] or error.field
            known = attribute in self.table.names
            key = self.key(attribute) if known else (self.path or "(document)")
            self.reader.report(Problem(key, error.expected, error.value))
            return None


def need(value: _T | None) -> _T:
    """*value*, or end the :meth:`Values.build` it is read in when it is ``None``.

    For results of nested builds, which are ``None`` when they reported a problem.
    """
    if value is None:
        raise _UnavailableError("a value that could not be built")
    return value


# --- kinds of value -----------------------------------------------------------------------


class Kind(abc.ABC):
    """A kind of value: how to read and convert it, and its JSON Schema.

    Subclasses set :attr:`expected` and implement :meth:`read` and :meth:`schema`.
    """

    @property
    @abc.abstractmethod
    def expected(self) -> str:
        """What a value of this kind is as errors say it, e.g. ``a string``."""

    @property
    def in_list(self) -> str:
        """What a list of this kind is, as errors say it."""
        return "a list"

    @abc.abstractmethod
    def read(self, value: object, key: str, reader: Reader) -> Any:  # noqa: ANN401
        """Convert *value* found at *key*; or report the problem and return what ``refuse`` does."""

    @abc.abstractmethod
    def schema(self) -> dict[str, Any]:
        """The JSON Schema (draft 7) of this kind."""


@attrs.frozen
class Text(Kind):
    """A string; with *non_empty*, one that is not only spaces."""

    non_empty: bool = False

    @property
    def expected(self) -> str:
        """``a string`` or ``a non-empty string``."""
        return "a non-empty string" if self.non_empty else "a string"

    @property
    def in_list(self) -> str:
        """``a list of strings``."""
        return "a list of strings"

    def read(self, value: object, key: str, reader: Reader) -> Any:  # noqa: ANN401
        """The string, or a problem."""
        if not isinstance(value, str):
            return reader.refuse(key, "a string", value)
        if self.non_empty and not value.strip():
            return reader.refuse(key, "a non-empty string", value)
        return value

    def schema(self) -> dict[str, Any]:
        """``{"type": "string"}``, with a pattern for a non-empty one."""
        return {"type": "string", "pattern": r"\S"} if self.non_empty else {"type": "string"}


@attrs.frozen
class Boolean(Kind):
    """``true`` or ``false``."""

    expected: str = "true or false"

    def read(self, value: object, key: str, reader: Reader) -> Any:  # noqa: ANN401
        """The boolean, or a problem."""
        return value if isinstance(value, bool) else reader.refuse(key, self.expected, value)

    def schema(self) -> dict[str, Any]:
        """``{"type": "boolean"}``."""
        return {"type": "boolean"}


@attrs.frozen(kw_only=True)
class Integer(Kind):
    """A whole number (never a boolean or a float) in a range, or one of a few *choices*.

    :param minimum: the smallest allowed.
    :param maximum: the largest allowed, if any; *unit* follows it in the message.
    :param choices: the only values allowed, if given (then *expected* should name them).
    :param expected: what errors say is expected; default ``a whole number of <min> or more``.
    """

    minimum: int = 0
    maximum: int | None = None
    unit: str = ""
    choices: tuple[int, ...] = ()
    expected: str = ""

    def __attrs_post_init__(self) -> None:
        """Default the expectation from the minimum."""
        if not self.expected:
            object.__setattr__(self, "expected", f"a whole number of {self.minimum} or more")

    def read(self, value: object, key: str, reader: Reader) -> Any:  # noqa: ANN401
        """The integer, or a problem."""
        if isinstance(value, bool) or not isinstance(value, int):
            return reader.refuse(key, self.expected, value)
        if self.choices and value not in self.choices:
            return reader.refuse(key, self.expected, value)
        if value < self.minimum:
            return reader.refuse(key, f"a whole number of {self.minimum} or more", value)
        if self.maximum is not None and value > self.maximum:
            return reader.refuse(key, f"at most {self.maximum} {self.unit}".rstrip(), value)
        return value

    def schema(self) -> dict[str, Any]:
        """An integer schema with its bounds or choices."""
        if self.choices:
            return {"type": "integer", "enum": list(self.choices)}
        result: dict[str, Any] = {"type": "integer", "minimum": self.minimum}
        if self.maximum is not None:
            result["maximum"] = self.maximum
        return result


def _a(noun: str) -> str:
    return f"an {noun}" if noun[:1] in {"a", "e", "i", "o", "u"} else f"a {noun}"


_QUOTE_IT: Final = 'a quoted decimal string such as "{text}" (floats are binary and inexact)'

# The numeral syntax of debtnegotiation._bounds.NUMERAL, zero or more: "120.50", "120",
# ".5", "1_000", "1e3" (ASCII digits, single underscores between digits). A sign other
# than "+" is refused.
_DIGITS: Final = "[0-9](_?[0-9])*"
_DECIMAL_PATTERN: Final = (
    rf"^[ \t]*\+?({_DIGITS}(\.({_DIGITS})?)?|\.{_DIGITS})([eE][+-]?[0-9]{{1,9}})?[ \t]*$"
)
# The same, from 0 to 1: "0", "0.05", ".5", "1", "1.000".
_ZEROS: Final = "0(_?0)*"
_FRACTION_PATTERN: Final = (
    rf"^[ \t]*\+?({_ZEROS}(\.({_DIGITS})?)?|({_ZEROS})?\.{_DIGITS}|({_ZEROS}_?)?1(\.({_ZEROS})?)?)"
    r"[ \t]*$"
)


@attrs.frozen
class Number(Kind):
    """An exact decimal of zero or more: a quoted decimal string or a whole number.

    A float is refused with a message saying how to quote it: a binary float cannot hold
    most decimal amounts exactly.

    :param what: the noun errors use, ``amount``, ``rate`` or ``fraction``.
    :param example: a value shown in errors, e.g. ``120.50``.
    :param fraction: whether the value must be between 0 and 1.
    """

    what: str = "number"
    example: str = "120.50"
    fraction: bool = False

    @property
    def expected(self) -> str:
        """``an amount as a quoted decimal string such as "120.50"``."""
        return f'{_a(self.what)} as a quoted decimal string such as "{self.example}"'

    def read(self, value: object, key: str, reader: Reader) -> Any:  # noqa: ANN401
        """The ``Decimal``, or a problem."""
        if isinstance(value, FloatLiteral | float):
            text = value.text if isinstance(value, FloatLiteral) else repr(value)
            return reader.refuse(key, _QUOTE_IT.format(text=text), value)
        if not isinstance(value, str | int | Decimal) or isinstance(value, bool):
            return reader.refuse(key, self.expected, value)
        try:
            result = to_decimal(key, value)
        except ValidationError as error:
            expected = f"{_a(self.what)} as {error.expected}"
            return reader.refuse(key, expected, error.value)
        if result < 0:
            return reader.refuse(key, f"{_a(self.what)} of zero or more", value)
        if self.fraction and result > 1:
            return reader.refuse(key, "a fraction between 0 and 1", value)
        return result

    def schema(self) -> dict[str, Any]:
        """A decimal string or a whole number, from 0 (to 1 for a fraction)."""
        pattern = _FRACTION_PATTERN if self.fraction else _DECIMAL_PATTERN
        whole: dict[str, Any] = {"type": "integer", "minimum": 0}
        if self.fraction:
            whole["maximum"] = 1
        return {"anyOf": [{"type": "string", "pattern": pattern}, whole]}


@attrs.frozen
class Date(Kind):
    """A date: a TOML date or an ISO ``YYYY-MM-DD`` string; a date with a time is refused."""

    expected: str = "a date YYYY-MM-DD (a TOML date or a string)"

    def read(self, value: object, key: str, reader: Reader) -> Any:  # noqa: ANN401
        """The ``date``, or a problem."""
        if isinstance(value, dt.datetime):
            return reader.refuse(key, "a date without a time", value)
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass
        return reader.refuse(key, self.expected, value)

    def schema(self) -> dict[str, Any]:
        """A string in the ``date`` format (editors treat TOML dates as such strings)."""
        return {"type": "string", "format": "date"}


@attrs.frozen
class Choice(Kind):
    """One value of an enum whose values are strings, read as its member."""

    members: type[enum.Enum]

    @property
    def allowed(self) -> str:
        """The values, comma-separated, in definition order."""
        return ", ".join(str(m.value) for m in self.members)

    @property
    def expected(self) -> str:
        """``one of a, b, c``."""
        return f"one of {self.allowed}"

    @property
    def in_list(self) -> str:
        """``a list of strings, each one of a, b, c``."""
        return f"a list of strings, each one of {self.allowed}"

    def read(self, value: object, key: str, reader: Reader) -> Any:  # noqa: ANN401
        """The enum member, or a problem."""
        if isinstance(value, self.members):
            return value
        if isinstance(value, str):
            try:
                return self.members(value)
            except ValueError:
                pass
        return reader.refuse(key, self.expected, value)

    def schema(self) -> dict[str, Any]:
        """A string enum."""
        return {"type": "string", "enum": [m.value for m in self.members]}


@attrs.frozen
class ListOf(Kind):
    """A list of values of one kind, each read at ``key[i]``.

    :param item: the kind of each element.
    :param non_empty: if given, an empty list is refused with this expectation.
    """

    item: Kind
    non_empty: str = ""

    @property
    def expected(self) -> str:
        """What the item kind says a list of it is."""
        return self.item.in_list

    def read(self, value: object, key: str, reader: Reader) -> Any:  # noqa: ANN401
        """The list of converted items; refused as a whole if any item is refused."""
        if not isinstance(value, list):
            return reader.refuse(key, self.expected, value)
        if not value and self.non_empty:
            return reader.refuse(key, self.non_empty, value)
        items = [self.item.read(v, f"{key}[{i}]", reader) for i, v in enumerate(value)]
        return _FAILED if any(i is _FAILED for i in items) else items

    def schema(self) -> dict[str, Any]:
        """An array schema."""
        result: dict[str, Any] = {"type": "array", "items": self.item.schema()}
        if self.non_empty:
            result["minItems"] = 1
        return result


#: "No default": an absent optional key reads as ``None``.
_NO_DEFAULT: Final = _Missing.MISSING


@attrs.frozen
class Field:
    """One key of a table.

    :param name: the key.
    :param kind: what its value is.
    :param required: whether the key must be present.
    :param default: the value (as written in a file) an absent key stands for; it is
        converted like a written one and shown in the JSON Schema.
    :param doc: one sentence for the JSON Schema ``description`` (editors show it).
    """

    name: str
    kind: Kind
    required: bool = False
    default: object = _NO_DEFAULT
    doc: str = ""

    def schema(self) -> dict[str, Any]:
        """The kind's schema with this key's description and default."""
        result = self.kind.schema()
        if self.doc:
            result = {"description": self.doc, **result}
        if self.default is not _NO_DEFAULT:
            result["default"] = self.default
        return result


def _fields(fields: Iterable[Field]) -> tuple[Field, ...]:
    return tuple(fields)


@attrs.frozen
class Table(Kind):
    """A table (a TOML table, a JSON object) with known keys.

    Reading gives its :class:`Values`, or what *make* builds from them (``None`` from
    *make* means it reported a problem). Unknown keys are problems, with the closest
    known name, unless the table is not *closed*.

    :param fields: the keys, in the order the JSON Schema lists them.
    :param doc: one sentence for the JSON Schema ``description``.
    :param make: turns the values into an object, e.g. an ``InterestRate``.
    :param closed: whether keys not in *fields* are refused.
    """

    fields: tuple[Field, ...] = attrs.field(converter=_fields)
    doc: str = attrs.field(default="", kw_only=True)
    make: Callable[[Values], object] | None = attrs.field(default=None, eq=False, kw_only=True)
    closed: bool = attrs.field(default=True, kw_only=True)
    expected: str = attrs.field(default="a table", kw_only=True)

    @property
    def names(self) -> tuple[str, ...]:
        """The keys, in definition order."""
        return tuple(f.name for f in self.fields)

    @property
    def in_list(self) -> str:
        """``a list of tables``."""
        return "a list of tables"

    def field(self, name: str) -> Field:
        """The field called *name*."""
        for field in self.fields:
            if field.name == name:
                return field
        raise KeyError(name)

    def replacing(self, *fields: Field, make: Callable[[Values], object] | None = None) -> Table:
        """This table with *fields* replacing those of the same name, built by *make*."""
        new = {f.name: f for f in fields}
        return attrs.evolve(self, fields=[new.get(f.name, f) for f in self.fields], make=make)

    def read(self, value: object, key: str, reader: Reader) -> Any:  # noqa: ANN401
        """The table's values (or what *make* builds), reporting every problem in it."""
        if not isinstance(value, Mapping):
            return reader.refuse(key, self.expected, value)
        values = Values(self, key, reader)
        by_name = {f.name: f for f in self.fields}
        for name, item in value.items():
            field = by_name.get(name)
            if field is None:
                if self.closed:
                    reader.report(Problem.unknown(key, str(name), item, self.names))
                continue
            values.store(name, field.kind.read(item, _join(key, name), reader))
        for field in self.fields:
            if field.name in value:
                continue
            if field.required:
                reader.report(Problem.missing(_join(key, field.name), field.kind.expected))
                values.store(field.name, _FAILED)
            elif field.default is not _NO_DEFAULT:
                converted = field.kind.read(field.default, _join(key, field.name), reader)
                values.store(field.name, converted, default=True)
        if self.make is None:
            return values
        make = self.make
        built = values.build(lambda: make(values))
        return _FAILED if built is None else built

    def schema(self) -> dict[str, Any]:
        """An object schema: properties, required keys and, if closed, no others."""
        result: dict[str, Any] = {"description": self.doc} if self.doc else {}
        result["type"] = "object"
        result["properties"] = {f.name: f.schema() for f in self.fields}
        required = [f.name for f in self.fields if f.required]
        if required:
            result["required"] = required
        result["additionalProperties"] = not self.closed
        return result


def table_of_enum(
    kind: type[enum.Enum],
    value: Kind,
    *,
    doc: str = "",
    make: Callable[[Values], object] | None = None,
) -> Table:
    """A table whose keys are the values of *kind*, each holding a *value*."""
    return Table(fields=[Field(str(m.value), value) for m in kind], doc=doc, make=make)


def case_insensitive_pattern(words: Sequence[str]) -> str:
    """A regular expression for *words* ignoring case and punctuation (``cn-pboc``)."""
    gap = "[^A-Za-z0-9]*"

    def spell(word: str) -> str:
        letters = re.sub(r"[^a-z0-9]", "", word.lower())
        return gap.join(f"[{c}{c.upper()}]" if c.isalpha() else c for c in letters)

    spellings = dict.fromkeys(spell(w) for w in words)  # in order, without repeats
    return f"^{gap}(" + "|".join(spellings) + f"){gap}$"
