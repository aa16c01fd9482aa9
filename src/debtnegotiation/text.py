"""Text the library writes for people, said again in the reader's language.

A :class:`Text` *is* a ``str`` (its English wording), so everything that takes a sentence
takes one; it also remembers how it was made: the gettext *context*, the English message id
with ``{name}`` placeholders, and the values that fill them. :meth:`Text.localize` says it
again through a :class:`Localizer`, the reader's catalog and locale formatter: the message
is looked up in the catalog (a message it lacks stays English) and each value is formatted
for the locale (money, dates and rates by the formatter, a :class:`Label` by the label
registry, a nested :class:`Text` in turn)::

    >>> from debtnegotiation.formatting import BabelFormatter
    >>> from debtnegotiation.i18n import translations
    >>> from debtnegotiation.money import Money
    >>> reason = Text("reason", "the largest payment {largest} fits the budget",
    ...               largest=Money("775.00", "CNY"))
    >>> reason
    'the largest payment 775.00 CNY fits the budget'
    >>> chinese = Localizer(translations("zh_Hans_CN"), BabelFormatter("zh_Hans_CN"))
    >>> chinese.say(reason)
    'the largest payment ¥775.00 fits the budget'
    >>> Text("reason", "eligibility: {verdict}", verdict=Label("verdict", "eligible"))
    'eligibility: eligible'
    >>> _.localize(chinese)
    '资格：符合条件'

Values that are plain ``str`` are data (a lender's name, a plugin's own sentence) and are
shown as they are. Machine keys never go through here: only the sentences a reader sees.

Marking: ``Text("context", "message", name=value)`` is the extraction keyword
``Text:1c,2`` (``locales/README.md`` has the command), so the message must be a string
literal; a plugin with its own catalog (the ``debtneg_catalogs`` hook) marks its messages the
same way, and the merged catalog the CLI builds finds them.
"""

from __future__ import annotations

import datetime as dt
import string
from collections.abc import Callable, Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal
from types import MappingProxyType
from typing import Any, Final, TypeAlias

import attrs

from debtnegotiation.errors import ValidationError
from debtnegotiation.formatting import PERCENT_DECIMALS, LocaleFormatter
from debtnegotiation.messages import GROUPS, Translator, label
from debtnegotiation.money import Money

__all__ = ["Items", "Label", "Localizer", "Percent", "Text", "TextValue", "localize_data"]


@attrs.frozen
class Percent:
    """A rate shown in percent: *fraction* ``0.0473`` is ``4.73%`` (half up, *decimals*)."""

    fraction: Decimal
    decimals: int = PERCENT_DECIMALS

    def english(self) -> str:
        """The percentage as the English sentence shows it, e.g. ``4.73%``."""
        step = Decimal(1).scaleb(-self.decimals)
        return f"{(self.fraction * 100).quantize(step, rounding=ROUND_HALF_UP)}%"


@attrs.frozen
class Label:
    """A label from the registry (:mod:`debtnegotiation.messages`), by group and code.

    English text shows the *code* itself (``beyond-stated-terms``), as the engine's
    sentences always have, or *english* when given; a reader's locale shows the label.
    """

    group: str
    code: str
    #: What English text shows instead of the code, if anything (a rate's own label).
    english: str | None = None

    def __attrs_post_init__(self) -> None:
        """Refuse a code the registry does not have: it would show untranslated."""
        if self.code not in GROUPS.get(self.group, {}):
            raise ValidationError("Label", f"a code of the label group {self.group!r}", self.code)


def _as_tuple(values: Iterable[TextValue]) -> tuple[TextValue, ...]:
    return tuple(values)


@attrs.frozen
class Items:
    """A list of values said as one: joined with ``", "`` in English, by CLDR elsewhere."""

    values: tuple[TextValue, ...] = attrs.field(converter=_as_tuple)
    empty: Text | str = ""


#: What may fill a placeholder.
TextValue: TypeAlias = "Text | str | int | Decimal | Money | dt.date | Percent | Label | Items"

_FIELDS: Final = string.Formatter()


def _placeholders(message: str) -> frozenset[str]:
    """The placeholder names of *message*, parsed once per message (see :data:`_PARSED`)."""
    known = _PARSED.get(message)
    if known is not None:
        return known
    names = set()
    try:
        fields = list(_FIELDS.parse(message))
    except ValueError:
        raise ValidationError("Text.message", "balanced {name} placeholders", message) from None
    for _literal, name, spec, conversion in fields:
        if name is None:
            continue
        if not name.isidentifier() or spec or conversion:
            raise ValidationError("Text.message", "placeholders such as {name}", message)
        names.add(name)
    parsed = frozenset(names)
    if len(_PARSED) < _PARSED_MAX:  # messages are literals: few; a bound all the same
        _PARSED[message] = parsed
    return parsed


#: Each message's placeholders, as :func:`_placeholders` parsed them. A plain dict, read
#: inline by :class:`Text` too: a hit costs one lookup, not a call.
_PARSED: Final[dict[str, frozenset[str]]] = {}
_PARSED_MAX: Final = 4096


def _translated_placeholders(template: str) -> frozenset[str] | None:
    try:
        return _placeholders(template)
    except (ValidationError, ValueError):  # unbalanced braces, a format spec
        return None


def _english(value: TextValue) -> str:
    show = _SHOWN.get(type(value))
    if show is not None:  # the common exact types in one lookup: ~150 values a negotiation
        return show(value)
    return _english_checked(value)


def _english_checked(value: TextValue) -> str:
    """*value* in English, by kind (subclasses too); refuse a kind that cannot be shown."""
    if isinstance(value, str):
        return str.__str__(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Percent):
        return value.english()
    if isinstance(value, Label):
        return value.code if value.english is None else value.english
    if isinstance(value, Items):
        return ", ".join(_english(v) for v in value.values) if value.values else value.empty
    if isinstance(value, bool) or not isinstance(value, int | Decimal | Money):
        raise ValidationError("Text value", "text, a number, money, a date or a label", value)
    return str(value)


_new_str: Final = str.__new__
_set_attr: Final = object.__setattr__


class Text(str):
    """An English sentence, with what it takes to say it in another language.

    :param context: the gettext context (``"reason"``, ``"ladder"``...), for translators.
    :param message: the English message id, ``{name}`` placeholders for the values.
    :param values: what fills each placeholder (see
        :data:`~debtnegotiation.text.TextValue`).
    :raises ~debtnegotiation.errors.ValidationError: when a placeholder has no value, a
        value no placeholder, or a value is of a kind the library cannot format.
    """

    context: str
    message: str
    values: Mapping[str, TextValue]
    #: Whether *message* is a ``{name}`` template (``False`` for :meth:`marked`).
    template: bool

    def __new__(cls, context: str, message: str, /, **values: TextValue) -> Text:
        """Build the English sentence from *message* and *values*."""
        expected = _PARSED.get(message)
        if expected is None:
            expected = _placeholders(message)
        if expected != values.keys():
            raise ValidationError(
                f"Text({message!r})", f"values for {sorted(expected)}", sorted(values)
            )
        if values:
            shown = _SHOWN  # _english, inlined: ~150 texts a negotiation and its ladder
            english = message.format_map(
                {k: shown.get(type(v), _english_checked)(v) for k, v in values.items()}
            )
        else:
            english = message.format_map(values)  # only {{ and }} to undo
        self = _new_str(cls, english)
        # The instance dict in one call rather than four object.__setattr__ calls
        # (__setattr__ refuses).
        _set_attr(
            self,
            "__dict__",
            {
                "context": context,
                "message": message,
                "values": MappingProxyType(values),
                "template": True,
            },
        )
        return self

    @classmethod
    def marked(cls, context: str, message: str) -> Text:
        """A message id marked for extraction elsewhere (with ``N_``), said as it is.

        ``Proposal.label`` and ``Proposal.why_lender_may_accept`` are such ids; braces in
        them are literal, since they fill no placeholder.
        """
        self = super().__new__(cls, message)
        object.__setattr__(self, "context", context)
        object.__setattr__(self, "message", message)
        object.__setattr__(self, "values", MappingProxyType({}))
        object.__setattr__(self, "template", False)
        return self

    def __setattr__(self, name: str, value: object) -> None:
        """A text is immutable, like the ``str`` it is."""
        raise AttributeError(f"Text is immutable; cannot set {name!r}")

    def __reduce__(self) -> tuple[object, ...]:
        """Pickle by message and values (batch workers send results between processes)."""
        if not self.template:
            return (Text.marked, (self.context, self.message))
        return (_rebuild, (self.context, self.message, dict(self.values)))

    def localize(self, localizer: Localizer) -> str:
        """This sentence in *localizer*'s language, its values formatted for its locale."""
        return localizer.say(self)


#: How :func:`_english` shows a value of exactly one of these types: what the checks
#: there give for it (``bool``, a subclass of ``int``, is refused, so it is not here).
_SHOWN: Final[dict[type, Callable[[Any], str]]] = {
    Text: str.__str__,
    str: str.__str__,
    int: int.__repr__,
    Decimal: Decimal.__str__,
    Money: Money.__str__,
    dt.date: dt.date.isoformat,
    Percent: Percent.english,
    Label: lambda label: label.code if label.english is None else label.english,
}


def _rebuild(context: str, message: str, values: dict[str, TextValue]) -> Text:
    return Text(context, message, **values)


@attrs.frozen
class Localizer:
    """The reader's language: a catalog and a locale formatter.

    :param catalog: translations, e.g. :func:`debtnegotiation.i18n.translations`.
    :param formatter: formats money, numbers, rates and dates for the locale.
    """

    catalog: Translator
    formatter: LocaleFormatter

    def say(self, value: TextValue) -> str:
        """*value* for the reader: a :class:`Text` translated, anything else formatted."""
        if isinstance(value, Text):
            return self._text(value)
        if isinstance(value, Items):
            return self._items(value)
        if isinstance(value, Label):
            return label(self.catalog, value.group, value.code)
        formatter = self.formatter
        formats: tuple[tuple[type, Callable[[Any], str]], ...] = (
            (str, str.__str__),
            (Money, formatter.money),
            (dt.datetime, formatter.datetime),
            (dt.date, formatter.date),
            (Percent, lambda p: formatter.percent(p.fraction, decimals=p.decimals)),
            (Decimal, formatter.number),
        )
        for kind, show in formats:
            if isinstance(value, kind):
                return show(value)
        return _english(value)

    def _text(self, text: Text) -> str:
        template = str(self.catalog.pgettext(text.context, text.message))
        if not text.template:
            return template
        if _translated_placeholders(template) != frozenset(text.values):
            template = text.message  # a broken translation: say it in English
        return template.format_map({k: self.say(v) for k, v in text.values.items()})

    def _items(self, items: Items) -> str:
        if not items.values:
            return self.say(items.empty)
        from babel.lists import format_list

        return format_list([self.say(v) for v in items.values], locale=self.formatter.locale)


def localize_data(data: object, localizer: Localizer) -> object:
    """*data*, with every :class:`Text` in it said in *localizer*'s language.

    *data* is plain data, as :func:`debtnegotiation.serialize.to_data` returns; keys and
    every other value are left as they are.
    """
    if isinstance(data, Text):
        return localizer.say(data)
    if isinstance(data, dict):
        return {key: localize_data(value, localizer) for key, value in data.items()}
    if isinstance(data, list | tuple):
        return [localize_data(value, localizer) for value in data]
    return data
