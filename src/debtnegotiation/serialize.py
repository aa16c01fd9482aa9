"""Results as plain data and JSON: the one serialiser, built on cattrs.

:func:`to_data` turns a result into dictionaries, lists, strings, integers, booleans and
``None``; :func:`to_json` writes that as JSON. ``debtneg ... --format json`` prints
exactly this, so an application gets the same JSON the command prints. The rules:

* money is ``{"amount": "12.34", "currency": "CNY"}``, rounded to the currency's minor
  unit, the amount a string so no figure passes through a binary float;
* ``Decimal`` values (rates are fractions: ``"0.1303422400"``) are strings, dates and
  timestamps ISO 8601, enumerations their value (a finding's severity its lower-case
  name: ``"danger"``), tuples lists;
* a :class:`~debtnegotiation.plan.Plan` is :meth:`~debtnegotiation.plan.Plan.to_dict`
  (bare amount strings under one ``currency``), which :func:`from_data` reads back; a
  plan's metrics (``total_paid``, ``cost_above_principal``, ``peak_installment``...)
  are written with the :class:`~debtnegotiation.ranking.RankedOption` that measured it;
* a :class:`~debtnegotiation.negotiation_log.LogEntry` is a line of the JSON Lines
  export, ``{"entry": <record>, "hash": ..., "salts": {...}}``, in the log's canonical
  values (``salts`` for record format 2).

>>> from decimal import Decimal
>>> from debtnegotiation import Finding, Money, Severity
>>> to_data(Money("1234.5", "CNY"))
{'amount': '1234.50', 'currency': 'CNY'}
>>> print(to_json([Finding(code="core.fee", severity=Severity.WARNING, message="A fee.")]))
[
  {
    "code": "core.fee",
    "severity": "warning",
    "message": "A fee.",
    "source": ""
  }
]
>>> from_data(to_data(Money("9.99", "USD")), Money)
Money(amount=Decimal('9.99'), currency='USD')

The results of a whole case, as ``debtneg options CASE --format json`` prints them, are
``to_json(load_case(CASE).portfolio(host=host).run())``.
"""

from __future__ import annotations

import datetime as dt
import enum
import json
import sys
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Final, TypeVar

import cattrs

from debtnegotiation._context import in_library_context
from debtnegotiation.apr import AnnualRate
from debtnegotiation.contact_rules import ContactRules
from debtnegotiation.errors import ValidationError
from debtnegotiation.findings import Finding, Severity
from debtnegotiation.money import Money
from debtnegotiation.negotiation import Ladder, LadderStep, Options, Verdict
from debtnegotiation.plan import Plan
from debtnegotiation.plugins import PluginFailure, PluginInfo
from debtnegotiation.portfolio import CreditorResult, PortfolioResult
from debtnegotiation.proposal import WHY_CONTEXT, Proposal
from debtnegotiation.ranking import RankedOption
from debtnegotiation.text import Label, Localizer, Text, localize_data

if TYPE_CHECKING:
    # Their hooks are registered by name (see _loaded_subclass): the log alone is a
    # good share of a short command's start-up, and an object of one of these types
    # exists only once its module has been imported.
    from debtnegotiation.loan_quote import LoanQuote, LoanRates
    from debtnegotiation.negotiation_log import CorrectedEntry, FollowUp, LogEntry

__all__ = ["from_data", "to_data", "to_json"]

_T = TypeVar("_T")

# What to_data returns: JSON's own kinds of value.
_PLAIN: Final = (dict, list, str, int, bool, type(None))


def _money(value: Money) -> dict[str, str]:
    rounded = value.rounded()
    return {"amount": str(rounded.amount), "currency": rounded.currency}


def _rate(rate: AnnualRate) -> dict[str, object]:
    return {
        "regime": rate.regime.value,
        # The disclosure's name for the figure, in the reader's language when localized.
        "label": Text(
            "rate", "{label}", label=Label("rate_label", rate.regime.value, english=rate.label)
        ),
        "basis": rate.basis.value,
        "rate": str(rate.rate),
        "percent": str(rate.rounded_percent()),
        "effective_rate": str(rate.effective_rate),
    }


def _timestamp(value: dt.datetime | dt.date) -> str:
    return value.isoformat()


def _option(converter: cattrs.Converter) -> Callable[[RankedOption], dict[str, object]]:
    data = converter.unstructure

    def option(option: RankedOption) -> dict[str, object]:
        plan, proposal = option.plan, option.proposal
        return {
            "rank": option.rank,
            "strategy": proposal.strategy,
            "title": proposal.title,
            "source": proposal.source,
            "eligibility": proposal.eligibility.value,
            "affordable": option.affordable,
            "payments": plan.number_of_payments,
            "months": plan.months,
            "peak_installment": data(plan.peak_installment),
            "first_outlay": data(option.first_outlay),
            "total_paid": data(plan.total_paid),
            "cost_above_principal": data(option.cost_above_principal),
            "saving": data(option.saving),
            "total_waived": data(plan.total_waived),
            "present_value": data(option.present_value),
            "annual_rate": data(option.annual_rate),
            "evidence_needed": [k.value for k in proposal.evidence_needed],
            "goals_met": list(option.goals_met),
            "goals_missed": list(option.goals_missed),
            "findings": data(option.findings),
            "reasons": list(option.reasons),
            "plan": data(plan),
        }

    return option


def _marked(context: str, message: str) -> str:
    # A strategy's message id (Proposal.why_lender_may_accept), translated by context.
    return message if isinstance(message, Text) or not message else Text.marked(context, message)


def _step(step: LadderStep) -> dict[str, object]:
    return {
        "order": step.order,
        "ask": step.ask,
        "why_lender_may_accept": _marked(WHY_CONTEXT, step.why_lender_may_accept),
        "evidence_to_show": list(step.evidence_to_show),
        "strategy": step.option.proposal.strategy if step.option is not None else None,
        "walk_away": step.walk_away,
    }


def _verdict(converter: cattrs.Converter) -> Callable[[Verdict], dict[str, object]]:
    data = converter.unstructure

    def verdict(verdict: Verdict) -> dict[str, object]:
        counter = verdict.counter
        return {
            "decision": verdict.decision.value,
            "reply": verdict.reply,
            "reasons": list(verdict.reasons),
            "offer": data(verdict.offer),
            # The step, and the plan it asks for (absent from a ladder step's JSON).
            "counter": None
            if counter is None
            else {**_step(counter), "option": data(counter.option)},
        }

    return verdict


def _not_offered(proposal: Proposal) -> dict[str, object]:
    return {
        "strategy": proposal.strategy,
        "title": proposal.title,
        "eligibility": proposal.eligibility.value,
        "reasons": list(proposal.reasons),
    }


def _options(converter: cattrs.Converter) -> Callable[[Options], dict[str, object]]:
    data = converter.unstructure

    def options(options: Options) -> dict[str, object]:
        case = options.case
        debt = case.debt
        return {
            "creditor": {"name": debt.creditor.name, "kind": debt.creditor.kind.value},
            "account": debt.account,
            "owed": data(case.owed),
            "days_overdue": debt.days_overdue,
            "budget": data(case.monthly_budget),
            "policy_source": case.policy.source if case.policy is not None else None,
            "status_quo": [
                {
                    "on": p.on.isoformat(),
                    "owed": data(p.total),
                    "cost_above_principal": data(p.total - debt.principal),
                    "saving": data(p.total - p.total),
                }
                for p in options.status_quo.projections
            ],
            "findings": data(options.findings),
            "options": data(options.ranked),
            "not_offered": [_not_offered(p) for p in options.unranked],
            "plugin_failures": data(options.failures),
        }

    return options


def _creditor(converter: cattrs.Converter) -> Callable[[CreditorResult], dict[str, object]]:
    def creditor(result: CreditorResult) -> dict[str, object]:
        data = converter.unstructure(result.options)
        failures = data.pop("plugin_failures")
        # The ladder sits before the failures, where `debtneg` has always printed it.
        return {**data, "ladder": converter.unstructure(result.ladder), "plugin_failures": failures}

    return creditor


def _portfolio(converter: cattrs.Converter) -> Callable[[PortfolioResult], dict[str, object]]:
    data = converter.unstructure

    def portfolio(result: PortfolioResult) -> dict[str, object]:
        borrower = result.borrower
        budget = borrower.affordability()
        return {
            "borrower": {
                "name": borrower.name,
                "income": data(budget.income),
                "essentials": data(budget.essentials),
                "other_debt_payments": data(budget.other_debt_payments),
                "savings_buffer": data(budget.savings_buffer),
                "sustainable_payment": data(budget.sustainable_payment),
                "method": budget.method,
                "hardships": [
                    {"kind": h.kind.value, "start": h.start.isoformat()} for h in borrower.hardships
                ],
            },
            "on": result.on.isoformat(),
            "regime": result.regime.value,
            "creditors": data(result.creditors),
        }

    return portfolio


def _quote(quote: LoanQuote) -> dict[str, object]:
    return {
        "start": quote.start.isoformat(),
        "amount": str(quote.amount),
        "fee": str(quote.fee),
        "amount_received": str(quote.amount_received),
        "installment": str(quote.installment),
        "term_months": quote.term,
        "total_of_payments": str(quote.total_of_payments),
        "finance_charge": str(quote.finance_charge),
        "currency": quote.currency,
    }


def _quoted_rates(rates: LoanRates) -> dict[str, object]:
    return {**_quote(rates.quote), "rates": [_rate(r) for r in rates.rates]}


def _plugin(info: PluginInfo) -> dict[str, object]:
    return {
        "name": info.name,
        "distribution": info.distribution,
        "version": info.version,
        "builtin": info.builtin,
        "hooks": list(info.hooks),
    }


def _rule_set(rules: ContactRules) -> dict[str, object]:
    # Which rules were applied; the rules themselves are the plugin's.
    return {"name": rules.name, "zone": rules.zone, "source": rules.source}


def _corrected(item: CorrectedEntry) -> dict[str, object]:
    return {
        "seq": item.seq,
        "corrected": item.corrected,
        "hash": item.current.hash,
        "record": item.current.to_record(),
    }


def _followup(item: FollowUp) -> dict[str, object]:
    due = item.commitment.due
    return {
        "entry": item.entry,
        "index": item.index,
        "by": item.commitment.by.value,
        "what": item.commitment.what,
        "due": due.isoformat() if due else None,
        "overdue": item.overdue,
        "days_overdue": item.days_overdue,
    }


def _log_entry(entry: LogEntry) -> dict[str, object]:
    # The line of the JSON Lines export: the record, its hash and (record format 2) the
    # salts of its values, from which the hash is recomputed.
    line: dict[str, object] = {"entry": entry.to_record(), "hash": entry.hash}
    if entry.format == 2 and entry.salts is not None:
        line["salts"] = dict(sorted(entry.salts.items()))
    return line


def _structure_log_entry(data: Mapping[str, Any], _cls: type) -> LogEntry:
    from debtnegotiation.negotiation_log import LogEntry  # imported: a LogEntry is asked for

    if not isinstance(data, Mapping) or "entry" not in data or "hash" not in data:
        raise ValidationError("log entry", 'a mapping with "entry" and "hash"', data)
    return LogEntry.from_record(data["entry"], data["hash"], salts=data.get("salts"))


def _structure_money(data: Mapping[str, Any], _cls: type) -> Money:
    if not isinstance(data, Mapping) or set(data) != {"amount", "currency"}:
        raise ValidationError("money", 'a mapping with "amount" and "currency"', data)
    return Money(data["amount"], data["currency"])


def _structure_finding(data: Mapping[str, Any], _cls: type) -> Finding:
    severities = {s.name.lower(): s for s in Severity}
    if not isinstance(data, Mapping) or data.get("severity") not in severities:
        raise ValidationError("finding.severity", f"one of {sorted(severities)}", data)
    return Finding(
        code=data["code"],
        severity=severities[data["severity"]],
        message=data["message"],
        source=data.get("source", ""),
    )


def _structure_plan(data: Mapping[str, Any], _cls: type) -> Plan:
    return Plan.from_dict(data)


#: Where each lazily hooked type is defined: (module, class name). A hook for one of them
#: is found by :func:`_loaded_subclass` without importing its module.
_LOG_ENTRY: Final = ("debtnegotiation.negotiation_log.entry", "LogEntry")
_CORRECTED_ENTRY: Final = ("debtnegotiation.negotiation_log.log", "CorrectedEntry")
_FOLLOW_UP: Final = ("debtnegotiation.negotiation_log.log", "FollowUp")
_LOAN_QUOTE: Final = ("debtnegotiation.loan_quote", "LoanQuote")
_LOAN_RATES: Final = ("debtnegotiation.loan_quote", "LoanRates")


def _loaded_class(where: tuple[str, str]) -> type | None:
    """The class at *where* if its module is imported, else ``None`` (nothing is imported)."""
    module = sys.modules.get(where[0])
    found = getattr(module, where[1], None) if module is not None else None
    return found if isinstance(found, type) else None


def _loaded_subclass(where: tuple[str, str]) -> Callable[[Any], bool]:
    """A hook predicate: *cls* is the class at *where* or a subclass of it.

    An object of that class can exist only once its module has been imported, so a type
    seen while the module is not loaded cannot be one; cattrs asks once per type.
    """

    def matches(cls: Any) -> bool:  # noqa: ANN401 - cattrs passes any type
        base = _loaded_class(where)
        return base is not None and isinstance(cls, type) and issubclass(cls, base)

    return matches


def _converter() -> cattrs.Converter:
    converter = cattrs.Converter()
    hook = converter.register_unstructure_hook
    # Values.
    hook(Decimal, str)
    hook(dt.date, _timestamp)  # dt.datetime too: it is a subclass
    hook(enum.Enum, lambda member: converter.unstructure(member.value))
    hook(Severity, lambda severity: severity.name.lower())
    hook(Money, _money)
    hook(AnnualRate, _rate)
    hook(Plan, Plan.to_dict)
    hook(PluginFailure, str)
    # Results. Finding is a plain field dump, generated by cattrs.
    hook(RankedOption, _option(converter))
    hook(Verdict, _verdict(converter))
    hook(LadderStep, _step)
    hook(Ladder, lambda ladder: [_step(s) for s in ladder.steps])
    hook(Options, _options(converter))
    hook(CreditorResult, _creditor(converter))
    hook(PortfolioResult, _portfolio(converter))
    hook(PluginInfo, _plugin)
    hook(ContactRules, _rule_set)
    # Results of modules a command may never import (the log, loan quotes): by name.
    lazy = converter.register_unstructure_hook_func
    lazy(_loaded_subclass(_LOAN_QUOTE), _quote)
    lazy(_loaded_subclass(_LOAN_RATES), _quoted_rates)
    lazy(_loaded_subclass(_LOG_ENTRY), _log_entry)
    lazy(_loaded_subclass(_CORRECTED_ENTRY), _corrected)
    lazy(_loaded_subclass(_FOLLOW_UP), _followup)
    structure = converter.register_structure_hook
    structure(Plan, _structure_plan)
    converter.register_structure_hook_func(_loaded_subclass(_LOG_ENTRY), _structure_log_entry)
    structure(Money, _structure_money)
    structure(Finding, _structure_finding)
    return converter


_CONVERTER: Final = _converter()
#: The types :func:`from_data` rebuilds, the log entry's by where it is defined.
_READABLE: Final = (Plan, _LOG_ENTRY, Money, Finding)


def _readable(cls: object) -> bool:
    loaded = (_loaded_class(kind) if isinstance(kind, tuple) else kind for kind in _READABLE)
    return cls is not None and any(cls is kind for kind in loaded)


def _check_plain(value: object, path: str) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise ValidationError(path, "text keys", key)
            _check_plain(item, f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _check_plain(item, f"{path}[{index}]")
    elif not isinstance(value, _PLAIN) or isinstance(value, float):
        raise ValidationError(
            path, "a result debtnegotiation.serialize knows how to write", type(value).__name__
        )


@in_library_context
def to_data(obj: object, *, localizer: Localizer | None = None) -> Any:  # noqa: ANN401 - JSON data
    """*obj* as plain data: dictionaries, lists, strings, integers, booleans and ``None``.

    :param obj: a result (:class:`~debtnegotiation.portfolio.PortfolioResult`,
        :class:`~debtnegotiation.portfolio.CreditorResult`,
        :class:`~debtnegotiation.negotiation.Options`,
        :class:`~debtnegotiation.ranking.RankedOption`, :class:`~debtnegotiation.plan.Plan`,
        :class:`~debtnegotiation.negotiation.Ladder`,
        :class:`~debtnegotiation.negotiation.LadderStep`,
        :class:`~debtnegotiation.negotiation.Verdict`,
        :class:`~debtnegotiation.findings.Finding`,
        :class:`~debtnegotiation.negotiation_log.LogEntry`,
        :class:`~debtnegotiation.loan_quote.LoanRates`...), a value
        (:class:`~debtnegotiation.money.Money`, :class:`~debtnegotiation.apr.AnnualRate`,
        ``Decimal``, a date, an enumeration member), or a list, tuple or ``str``-keyed
        mapping of those.
    :param localizer: the reader's language: every sentence (a reason, a finding's message,
        a title, an ask; each a :class:`~debtnegotiation.text.Text`) is said in it, its
        money and dates formatted for the locale. Keys, codes and figures never change.
        Without one, sentences are in English.
    :raises ~debtnegotiation.errors.ValidationError: for anything else (a float, an
        engine object such as a plugin host), naming where in *obj* it was.
    """
    data = _CONVERTER.unstructure(obj)
    _check_plain(data, type(obj).__name__)
    if localizer is not None:
        data = localize_data(data, localizer)
    return data


@in_library_context
def to_json(obj: object, *, indent: int | None = 2, localizer: Localizer | None = None) -> str:
    """:func:`to_data` of *obj* as JSON text, non-ASCII characters as themselves.

    :param indent: spaces per level; ``None`` for one line.
    :param localizer: the language of the sentences, as for :func:`to_data`.
    """
    return json.dumps(to_data(obj, localizer=localizer), ensure_ascii=False, indent=indent)


@in_library_context
def from_data(data: object, cls: type[_T]) -> _T:
    """Rebuild a *cls* from :func:`to_data` output.

    :param cls: :class:`~debtnegotiation.plan.Plan`,
        :class:`~debtnegotiation.negotiation_log.LogEntry`,
        :class:`~debtnegotiation.money.Money` or :class:`~debtnegotiation.findings.Finding`;
        other results are reports, computed from their inputs, not read back.
    :raises ~debtnegotiation.errors.ValidationError: for data of the wrong shape, naming
        the field.
    """
    if not _readable(cls):
        names = ", ".join(k[1] if isinstance(k, tuple) else k.__name__ for k in _READABLE)
        raise ValidationError("cls", f"one of {names}", cls)
    return _CONVERTER.structure(data, cls)
