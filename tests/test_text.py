"""Text: English sentences that can be said again in the reader's language."""

from __future__ import annotations

import datetime as dt
import json
import pickle
from decimal import Decimal

import pytest
from babel.support import Translations

from debtnegotiation import Finding, Money, Severity
from debtnegotiation.errors import ValidationError
from debtnegotiation.formatting import BabelFormatter
from debtnegotiation.i18n import translations
from debtnegotiation.serialize import to_data, to_json
from debtnegotiation.text import Items, Label, Localizer, Percent, Text, localize_data

CHINESE = Localizer(translations("zh_Hans_CN"), BabelFormatter("zh_Hans_CN"))
ENGLISH = Localizer(translations("en"), BabelFormatter("en"))


def _reason() -> Text:
    return Text(
        "reason",
        "not affordable: the largest payment {largest} exceeds the monthly budget {budget}",
        largest=Money("959.94", "CNY"),
        budget=Money("923.05", "CNY"),
    )


def test_a_text_is_its_english_sentence():
    reason = _reason()
    assert isinstance(reason, str)
    assert reason == (
        "not affordable: the largest payment 959.94 CNY exceeds the monthly budget 923.05 CNY"
    )
    assert reason.context == "reason"
    assert set(reason.values) == {"largest", "budget"}


def test_english_shows_values_as_the_engine_always_has():
    text = Text(
        "reason",
        "{on} {rate} {count} {verdict} {share} {items}",
        on=dt.date(2028, 11, 2),
        rate=Percent(Decimal("0.0473249")),
        count=24,
        verdict=Label("verdict", "beyond-stated-terms"),
        share=Decimal("0.9"),
        items=Items(["a", "b"]),
    )
    assert text == "2028-11-02 4.73% 24 beyond-stated-terms 0.9 a, b"


def test_localized_in_chinese_with_the_locale_formatter():
    said = CHINESE.say(_reason())
    assert "¥959.94" in said
    assert "¥923.05" in said
    assert "CNY" not in said
    assert "affordable" not in said  # the catalog has its translation


def test_values_are_formatted_for_the_locale():
    text = Text(
        "reason",
        "{on} {verdict} {items}",
        on=dt.date(2028, 11, 2),
        verdict=Label("verdict", "eligible"),
        items=Items([Money("1", "CNY"), "b", "c"]),
    )
    # The message has no translation: the English template, with localized values.
    assert CHINESE.say(text) == "2028年11月2日 符合条件 ¥1.00、b和c"


def test_nested_texts_are_translated_in_turn():
    inner = Text("goal", "none")
    outer = Text("reason", "goals met: {met}; missed: {missed}", met=inner, missed=inner)
    assert CHINESE.say(outer) != str(outer)
    assert "none" not in CHINESE.say(outer)


def test_plain_str_values_are_data_and_shown_as_they_are():
    text = Text("reason", "tied with '{title}'", title="Example Installment Platform")
    assert "Example Installment Platform" in CHINESE.say(text)


@pytest.mark.parametrize(
    ("message", "values"),
    [
        ("{largest} exceeds", {}),
        ("exceeds", {"largest": Money("1", "CNY")}),
        ("{a} and {b}", {"a": 1}),
    ],
)
def test_values_must_match_the_placeholders(message: str, values: dict[str, object]):
    with pytest.raises(ValidationError, match="values for"):
        Text("reason", message, **values)  # type: ignore[arg-type]


@pytest.mark.parametrize("message", ["{amount:>10}", "{amount!r}", "{0}", "{amount", "{a.b}"])
def test_only_plain_named_placeholders(message: str):
    with pytest.raises(ValidationError, match=r"Text\.message"):
        Text("reason", message, amount=1)


@pytest.mark.parametrize("value", [1.5, True, object(), None])
def test_values_of_unknown_kinds_are_refused(value: object):
    with pytest.raises(ValidationError, match="Text value"):
        Text("reason", "{x}", x=value)  # type: ignore[arg-type]


def test_an_unknown_label_code_is_refused():
    with pytest.raises(ValidationError, match="verdict"):
        Label("verdict", "probably-fine")


def test_a_broken_translation_falls_back_to_english():
    catalog = Translations()
    catalog._catalog[("reason", "pay {amount}")] = "付 {sum}"  # a wrong placeholder
    catalog._catalog[("reason", "owe {amount}")] = "欠 {amount:>3}"  # a format spec
    localizer = Localizer(catalog, BabelFormatter("zh_Hans_CN"))
    amount = Money("1", "CNY")
    assert localizer.say(Text("reason", "pay {amount}", amount=amount)) == "pay ¥1.00"
    assert localizer.say(Text("reason", "owe {amount}", amount=amount)) == "owe ¥1.00"


def test_a_marked_message_id_is_said_as_it_is_with_literal_braces():
    text = Text.marked("why_lender_may_accept", "it is {not} a template")
    assert text == "it is {not} a template"
    assert CHINESE.say(text) == "it is {not} a template"
    assert pickle.loads(pickle.dumps(text))  # noqa: S301 - our own bytes.template is False


def test_empty_items_say_their_empty_text():
    none = Text("goal", "none")
    assert Text("reason", "missed: {m}", m=Items([], empty=none)) == "missed: none"
    assert "none" not in CHINESE.say(Text("reason", "missed: {m}", m=Items([], empty=none)))


def test_a_text_is_immutable():
    reason = _reason()
    with pytest.raises(AttributeError, match="immutable"):
        reason.context = "other"  # type: ignore[misc]


def test_a_text_survives_pickling_for_batch_workers():
    reason = _reason()
    again = pickle.loads(pickle.dumps(reason))  # noqa: S301 - our own bytes
    assert isinstance(again, Text)
    assert again == reason
    assert CHINESE.say(again) == CHINESE.say(reason)


def test_json_without_a_localizer_is_english_and_with_one_is_translated():
    finding = Finding(code="core.example", severity=Severity.DANGER, message=_reason())
    assert json.loads(to_json([finding]))[0]["message"] == str(_reason())
    data = to_data([finding], localizer=CHINESE)
    assert data[0]["message"] == CHINESE.say(_reason())
    assert data[0]["code"] == "core.example"  # machine keys and codes stay
    assert data[0]["severity"] == "danger"


def test_localize_data_leaves_plain_values_alone():
    data = {"a": [1, "x", None, {"b": _reason()}], "c": True}
    assert localize_data(data, ENGLISH) == {
        "a": [1, "x", None, {"b": ENGLISH.say(_reason())}],
        "c": True,
    }
