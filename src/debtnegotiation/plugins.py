"""The plugin host: a fresh pluggy manager per call, isolation, blocking, introspection.

Built-in strategies, reviews and the default formatter are plugins registered from
:data:`DEFAULT_PLUGINS`; third-party plugins come from the entry-point group
``debtnegotiation``. Each entry point is loaded on its own, and each implementation of a
collected hook is called on its own, so one broken plugin is reported by name
(:class:`PluginFailure`) and cannot take the others' results with it. ``strict=True``
re-raises instead, for plugin authors' test suites.

Everything that can go wrong with one implementation happens inside its guard: the call
(``SystemExit`` included), the check of every result (its type, every field's shape and
the model's own validators, in the private ``_result_checks``), the sort key, and the
check that the frozen arguments were not changed in place (``_input_guard``). Only keys
already computed are sorted afterwards.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import os
import sys
import threading
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from types import MappingProxyType
from typing import Any, Final, Generic, TypeVar

import attrs
import pluggy

from debtnegotiation import hookspecs
from debtnegotiation._input_guard import Snapshot
from debtnegotiation._markers import PROJECT_NAME
from debtnegotiation._plugin_calls import HookCaller, is_escape
from debtnegotiation._result_checks import (
    check_contact_rules,
    check_finding,
    check_policy,
    check_proposal,
)
from debtnegotiation.borrower import Borrower
from debtnegotiation.budget import SpendingGuideline
from debtnegotiation.case import Case
from debtnegotiation.contact_rules import ContactRules
from debtnegotiation.debt import Debt
from debtnegotiation.errors import DebtNegotiationError
from debtnegotiation.findings import Finding
from debtnegotiation.formatting import LocaleFormatter, parse_locale
from debtnegotiation.i18n import DOMAIN, CatalogSource, resolve_locale
from debtnegotiation.policy import LenderPolicy
from debtnegotiation.proposal import Proposal

__all__ = [
    "DEFAULT_PLUGINS",
    "DISABLE_AUTOLOAD_ENV",
    "DISABLE_ENV",
    "ENTRY_POINT_GROUP",
    "ESSENTIAL_PLUGINS",
    "TRACE_ENV",
    "Collected",
    "PluginError",
    "PluginFailure",
    "PluginHost",
    "PluginInfo",
    "get_plugin_host",
]

#: Entry-point group third-party plugins register under.
ENTRY_POINT_GROUP: Final = PROJECT_NAME

#: Built-in plugins, registered under these module names, in this order.
DEFAULT_PLUGINS: Final = (
    "debtnegotiation.assumed_terms",
    "debtnegotiation.default_formatter",
    "debtnegotiation.reviews",
    "debtnegotiation.strategies.deferral",
    "debtnegotiation.strategies.extension",
    "debtnegotiation.strategies.fee_advance",
    "debtnegotiation.strategies.settlement",
    "debtnegotiation.strategies.subsidy",
)

#: Built-ins the engine cannot run without; blocking them is refused.
ESSENTIAL_PLUGINS: Final = ("debtnegotiation.default_formatter",)

#: Comma-separated plugin names to block (built-in module names or entry-point names).
DISABLE_ENV: Final = "DEBTNEG_DISABLE_PLUGINS"
#: Set to ``1`` to load no third-party plugin at all.
DISABLE_AUTOLOAD_ENV: Final = "DEBTNEG_DISABLE_PLUGIN_AUTOLOAD"
#: Set to ``1`` to print every hook call and its result to standard error.
TRACE_ENV: Final = "DEBTNEG_TRACE_PLUGINS"

T = TypeVar("T")
R = TypeVar("R")

#: How many arguments' snapshots a host keeps for reuse, per thread.
_RECENT: Final = 4


class PluginError(DebtNegotiationError):
    """A plugin failed and ``strict`` mode is on, or a request about plugins is invalid."""


@attrs.frozen(kw_only=True)
class PluginFailure:
    """A plugin that failed, reported instead of crashing.

    It failed to load, raised inside a hook (``SystemExit`` included), returned
    something unusable, or changed the arguments it was given in place.

    :param plugin: the plugin's registered name (entry-point or module name).
    :param distribution: the distribution it came from, when known.
    :param version: that distribution's version, when known.
    :param hook: the hook being called, or ``None`` for a failure at load time.
    :param error: what went wrong: the exception type and message (a result that fails
        its checks is a ``ValidationError`` or ``TypeError`` naming the field).
    """

    plugin: str
    distribution: str | None
    version: str | None
    hook: str | None
    error: str

    def __str__(self) -> str:
        """One line naming plugin, version, hook and error."""
        where = f"in hook {self.hook}" if self.hook else "while loading"
        dist = f" ({self.distribution} {self.version})" if self.distribution else ""
        return f"plugin {self.plugin!r}{dist} failed {where}: {self.error}"


@attrs.frozen(kw_only=True)
class PluginInfo:
    """What :meth:`PluginHost.plugins` reports about one registered plugin."""

    name: str
    distribution: str | None
    version: str | None
    hooks: tuple[str, ...]
    builtin: bool


@attrs.frozen
class Collected(Generic[T]):
    """Results of a collected hook, with the failures of plugins that broke.

    :param items: the results, in the hook's documented order.
    :param failures: the plugins that failed, each with what went wrong.
    :param plugins: the plugin each item came from, position by position (the host
        always fills it; empty when a ``Collected`` is built by hand without it).
    """

    items: tuple[T, ...]
    failures: tuple[PluginFailure, ...] = ()
    plugins: tuple[str, ...] = ()


def _error_text(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"


def _sequence_of(kind: type[T], result: object) -> tuple[T, ...]:
    """*result* as a tuple of *kind*, or a ``TypeError`` saying what came back instead."""
    if isinstance(result, (str, bytes)) or not isinstance(result, Sequence):
        raise TypeError(f"returned {type(result).__name__}, expected a sequence of {kind.__name__}")
    items = tuple(result)
    wrong = [r for r in items if not isinstance(r, kind)]
    if wrong:
        raise TypeError(
            f"returned {type(wrong[0]).__name__} items, expected a sequence of {kind.__name__}"
        )
    return items


# Sort keys, computed for each result inside its plugin's guard (see PluginHost._collect).
def _policy_key(policy: LenderPolicy, _plugin: str) -> tuple[Any, ...]:
    newest_first = -(policy.effective_from.toordinal() if policy.effective_from else 0)
    return (policy.lender.casefold(), newest_first, policy.source)


def _proposal_key(proposal: Proposal, _plugin: str) -> tuple[Any, ...]:
    return (proposal.strategy, proposal.title, proposal.source)


def _finding_key(finding: Finding, _plugin: str) -> tuple[Any, ...]:
    return (-int(finding.severity), finding.code, finding.source)


def _rules_key(rules: ContactRules, plugin: str) -> tuple[Any, ...]:
    return (rules.name, plugin)


def _guideline_key(guideline: SpendingGuideline, plugin: str) -> tuple[Any, ...]:
    return (guideline.category.value, guideline.region or "", plugin)


def _plugin_key(_item: object, plugin: str) -> tuple[Any, ...]:
    return (plugin,)


def _command_key(command: object, _plugin: str) -> tuple[Any, ...]:
    return (str(getattr(command, "name", "")),)


class PluginHost:
    """A registered set of plugins and typed, isolated calls into their hooks.

    Build one with :func:`get_plugin_host`; keep it for a session or build a new one per
    call — there is no global state, and calling a hook never changes the host.
    """

    def __init__(
        self,
        manager: pluggy.PluginManager,
        *,
        strict: bool,
        load_failures: Sequence[PluginFailure],
        distributions: Mapping[str, tuple[str, str]],
        trace: bool,
        timeout: float | None = None,
    ) -> None:
        """Wrap *manager*; use :func:`get_plugin_host` rather than calling this."""
        self._manager = manager
        self._calls = HookCaller(timeout)
        self._strict = strict
        self._distributions = dict(distributions)
        self._trace = trace
        self.load_failures: tuple[PluginFailure, ...] = tuple(load_failures)
        """Plugins that could not be loaded or registered."""
        self._declared: (
            tuple[Mapping[str, frozenset[str]], tuple[PluginFailure, ...]] | None
        ) = None
        # Snapshots of the arguments seen last, per thread (see _snapshots): a cache.
        self._watching = threading.local()

    @property
    def manager(self) -> pluggy.PluginManager:
        """The underlying pluggy manager (for advanced introspection)."""
        return self._manager

    def _failure(self, plugin: str, hook: str | None, error: BaseException | str) -> PluginFailure:
        dist, version = self._distributions.get(plugin, (None, None))
        text = error if isinstance(error, str) else _error_text(error)
        return PluginFailure(
            plugin=plugin, distribution=dist, version=version, hook=hook, error=text
        )

    def _call_each(
        self,
        hook_name: str,
        kwargs: Mapping[str, object],
        accept: Callable[[str, object], R | None],
        *,
        shallow: Sequence[str] = (),
        only: Collection[str] | None = None,
    ) -> Iterator[tuple[str, R | None, PluginFailure | None]]:
        """Call each implementation on its own; yield (plugin, accepted result, failure).

        *accept* turns a raw result into what the host keeps (checked, tagged, with its
        sort key) or raises; it runs inside the guard, as does the check that the
        arguments came back unchanged. A change is undone before the next plugin runs.
        With *only*, just the implementations of those plugins are called.
        """
        caller = getattr(self._manager.hook, hook_name)
        impls = caller.get_hookimpls()
        if only is not None:
            impls = [impl for impl in impls if impl.plugin_name in only]
        snapshots = self._snapshots(kwargs, shallow)
        for index, impl in enumerate(reversed(impls)):
            plugin = impl.plugin_name
            args = {name: kwargs[name] for name in impl.argnames}
            error: BaseException | None = None
            accepted: R | None = None
            if index:
                for snapshot in snapshots:
                    snapshot.absorb()  # watch the caches the previous plugins filled
            try:
                result = self._calls.call(plugin, impl.function, args)
                if self._trace:
                    print(f"[debtneg] {hook_name} {plugin} -> {result!r}", file=sys.stderr)
                accepted = accept(plugin, result)
            # SystemExit and KeyboardInterrupt too: a plugin must not end the application.
            except BaseException as caught:
                if not is_escape(caught):
                    raise
                error = caught
            failure = self._changed_arguments(snapshots, plugin, hook_name, error)
            if failure is None and error is not None:
                failure = self._failure(plugin, hook_name, error)
            if failure is not None:
                if self._strict:
                    raise PluginError(str(failure)) from error
                yield plugin, None, failure
                continue
            yield plugin, accepted, None

    def _snapshots(self, kwargs: Mapping[str, object], shallow: Sequence[str]) -> list[Snapshot]:
        """What each argument refers to, watched during the call.

        An argument passed again (the case, to every review) reuses its snapshot: it
        is only walked again when caches were filled since.
        """
        snapshots = []
        recent: dict[int, tuple[object, Snapshot]] = self._watching.__dict__.setdefault(
            "recent", {}
        )
        for name, value in kwargs.items():
            if value is None or isinstance(value, (str, int)):
                continue
            if name in shallow:
                snapshots.append(Snapshot(shallow=(value,)))
                continue
            known = recent.get(id(value))
            if known is not None and known[0] is value:
                known[1].absorb()
                snapshots.append(known[1])
                continue
            snapshot = Snapshot(value)
            if len(recent) >= _RECENT:
                recent.pop(next(iter(recent)))
            recent[id(value)] = (value, snapshot)
            snapshots.append(snapshot)
        return snapshots

    def _changed_arguments(
        self,
        snapshots: Sequence[Snapshot],
        plugin: str,
        hook_name: str,
        error: BaseException | None,
    ) -> PluginFailure | None:
        """The failure of a plugin that changed its arguments in place, after undoing it."""
        changed = [change for snapshot in snapshots for change in snapshot.changes()]
        if not changed:
            return None
        for snapshot in snapshots:
            snapshot.restore()
        also = f"; it also raised {_error_text(error)}" if error is not None else ""
        shown = ", ".join(dict.fromkeys(changed))
        message = (
            f"changed the frozen arguments it was given in place ({shown}); the change "
            f"was undone and its results dropped{also}"
        )
        return self._failure(plugin, hook_name, message)

    def _collect(
        self,
        hook_name: str,
        kind: type[T],
        kwargs: Mapping[str, object],
        prepare: Callable[[T, str], T],
        key: Callable[[T, str], tuple[Any, ...]],
        *,
        shallow: Sequence[str] = (),
        only: Collection[str] | None = None,
    ) -> Collected[T]:
        """Call a collected hook; check, tag and key each result inside its guard, sort."""

        def accept(plugin: str, result: object) -> list[tuple[tuple[Any, ...], T]] | None:
            if result is None:
                return None
            prepared = [prepare(item, plugin) for item in _sequence_of(kind, result)]
            return [(key(item, plugin), item) for item in prepared]

        keyed: list[tuple[tuple[Any, ...], str, T]] = []
        failures: list[PluginFailure] = []
        for plugin, accepted, failure in self._call_each(
            hook_name, kwargs, accept, shallow=shallow, only=only
        ):
            if failure is not None:
                failures.append(failure)
            elif accepted:
                keyed.extend((k, plugin, item) for k, item in accepted)
        keyed.sort(key=lambda entry: entry[0])
        return Collected(
            tuple(item for _, _, item in keyed),
            tuple(failures),
            tuple(plugin for _, plugin, _ in keyed),
        )

    def policies(self, *, debt: Debt) -> Collected[LenderPolicy]:
        """All lender policies plugins offer for *debt*, sorted by lender, newest first."""

        def prepare(policy: LenderPolicy, _plugin: str) -> LenderPolicy:
            check_policy(policy)
            return policy

        return self._collect(
            "debtneg_lender_policies", LenderPolicy, {"debt": debt}, prepare, _policy_key
        )

    def declared_strategies(self) -> tuple[Mapping[str, frozenset[str]], tuple[PluginFailure, ...]]:
        """The strategies each plugin declares it proposes, and the plugins that failed.

        Only plugins that declare at least one name (see
        :func:`~debtnegotiation.hookspecs.debtneg_strategy_names`) are in the mapping.
        Asked once per host: the registered plugins do not change.
        """
        if self._declared is None:

            def accept(_plugin: str, result: object) -> frozenset[str] | None:
                if result is None:
                    return None
                names = _sequence_of(str, result)
                if not all(names):
                    raise ValueError("declared an empty strategy name")
                return frozenset(names)

            declared: dict[str, frozenset[str]] = {}
            failures: list[PluginFailure] = []
            for plugin, names, failure in self._call_each("debtneg_strategy_names", {}, accept):
                if failure is not None:
                    failures.append(failure)
                elif names:
                    declared[plugin] = names
            self._declared = (MappingProxyType(declared), tuple(failures))
        return self._declared

    def proposing_plugins(self) -> tuple[str, ...]:
        """The plugins implementing :func:`~debtnegotiation.hookspecs.debtneg_propose_plans`."""
        impls = self._manager.hook.debtneg_propose_plans.get_hookimpls()
        return tuple(impl.plugin_name for impl in impls)

    def propose(self, *, case: Case, plugins: Collection[str] | None = None) -> Collected[Proposal]:
        """Proposals from every strategy plugin, sorted by strategy, title and plugin.

        Each proposal is checked in depth; its plan must be in the currency of
        ``case.debt``, every amount zero or more (see :doc:`/reference/hooks`), and its
        strategy one the plugin declared, if it declared any.

        :param plugins: call only these plugins (by name, as in ``Proposal.source``);
            the engine's ladder asks the one strategy it needs again.
        """
        currency = case.debt.currency
        declared, _failures = self.declared_strategies()

        def prepare(proposal: Proposal, plugin: str) -> Proposal:
            check_proposal(proposal, currency=currency)
            names = declared.get(plugin)
            if names is not None and proposal.strategy not in names:
                raise ValueError(
                    f"proposed strategy {proposal.strategy!r}, which its "
                    f"debtneg_strategy_names does not declare ({', '.join(sorted(names))})"
                )
            return attrs.evolve(proposal, source=plugin)

        return self._collect(
            "debtneg_propose_plans",
            Proposal,
            {"case": case},
            prepare,
            _proposal_key,
            only=plugins,
        )

    def review(self, *, case: Case, proposal: Proposal) -> Collected[Finding]:
        """Findings from every review plugin, gravest first, then by code and plugin."""

        def prepare(finding: Finding, plugin: str) -> Finding:
            check_finding(finding)
            return attrs.evolve(finding, source=plugin)

        return self._collect(
            "debtneg_review_proposal",
            Finding,
            {"case": case, "proposal": proposal},
            prepare,
            _finding_key,
            # Watching every installment would cost more than the review; the case is
            # watched in full, the proposal and its plan field by field.
            shallow=("proposal",),
        )

    def review_case(self, *, case: Case) -> Collected[Finding]:
        """Findings about the case itself, not one proposal: gravest first, code, plugin."""

        def prepare(finding: Finding, plugin: str) -> Finding:
            check_finding(finding)
            return attrs.evolve(finding, source=plugin)

        return self._collect("debtneg_review_case", Finding, {"case": case}, prepare, _finding_key)

    def template_dirs(self, *, locale: str) -> Collected[Path]:
        """Template folders from plugins, in plugin-name order (built-ins not included)."""
        return self._collect(
            "debtneg_template_dirs", Path, {"locale": locale}, lambda d, _n: d, _plugin_key
        )

    def contact_rules(
        self, *, debt: Debt, borrower: Borrower | None = None
    ) -> Collected[ContactRules]:
        """Collection-conduct rule sets plugins hold for *debt*, sorted by name and plugin.

        Check a negotiation log against them with
        :func:`debtnegotiation.negotiation_log.conduct_findings`.
        """

        def prepare(rules: ContactRules, _plugin: str) -> ContactRules:
            check_contact_rules(rules)
            return rules

        return self._collect(
            "debtneg_contact_rules",
            ContactRules,
            {"debt": debt, "borrower": borrower},
            prepare,
            _rules_key,
        )

    def spending_guidelines(
        self, *, household_size: int, region: str | None, currency: str
    ) -> Collected[SpendingGuideline]:
        """Spending guidelines plugins hold for the household, by category, region, plugin."""

        def prepare(guideline: SpendingGuideline, _plugin: str) -> SpendingGuideline:
            return guideline

        return self._collect(
            "debtneg_spending_guidelines",
            SpendingGuideline,
            {"household_size": household_size, "region": region, "currency": currency},
            prepare,
            _guideline_key,
        )

    def catalogs(self, *, locale: str) -> Collected[CatalogSource]:
        """Gettext catalog sources from plugins that serve *locale*, in plugin-name order.

        Pass ``items`` as ``extra`` to :func:`debtnegotiation.i18n.translations`. A source
        of the library's domain that lacks *locale* is skipped (it translates other
        locales); a source of a plugin's own domain that lacks it is a failure naming the
        plugin, the domain and the locales it has (see
        :func:`~debtnegotiation.hookspecs.debtneg_catalogs`).
        """
        requested = str(parse_locale(locale))
        hook = "debtneg_catalogs"

        def accept(_plugin: str, result: object) -> list[tuple[CatalogSource, bool]] | None:
            if result is None:
                return None
            sources = _sequence_of(CatalogSource, result)
            return [(s, resolve_locale(requested, s.locales()) is not None) for s in sources]

        named: list[tuple[str, CatalogSource]] = []
        failures: list[PluginFailure] = []
        for plugin, accepted, failure in self._call_each(hook, {}, accept):
            if failure is not None:
                failures.append(failure)
                continue
            for source, serves in accepted or ():
                if serves:
                    named.append((plugin, source))
                elif source.domain != DOMAIN:
                    failures.append(self._missing_catalog(plugin, source, requested))
        named.sort(key=lambda pair: pair[0])
        return Collected(
            tuple(s for _, s in named), tuple(failures), tuple(plugin for plugin, _ in named)
        )

    def _missing_catalog(self, plugin: str, source: CatalogSource, locale: str) -> PluginFailure:
        failure = self._failure(
            plugin,
            "debtneg_catalogs",
            f"CatalogNotFoundError: no {source.domain!r} catalog for locale {locale!r} "
            f"in {source.describe()}",
        )
        if self._strict:
            raise PluginError(str(failure))
        return failure

    def cli_commands(self) -> Collected[object]:
        """Extra ``click`` commands from plugins, sorted by command name."""
        return self._collect("debtneg_cli_commands", object, {}, lambda c, _n: c, _command_key)

    def formatter(self, locale: str) -> LocaleFormatter:
        """The formatter for *locale*: the first plugin that answers wins.

        A plugin that raises or returns something else is skipped (and raises in strict
        mode); the built-in Babel formatter answers last for every CLDR locale. To learn
        which plugins were skipped, call :meth:`formatter_with_failures`.
        """
        return self.formatter_with_failures(locale)[0]

    def formatter_with_failures(
        self, locale: str
    ) -> tuple[LocaleFormatter, tuple[PluginFailure, ...]]:
        """The formatter for *locale*, and the plugins skipped before one answered.

        :raises PluginError: when no plugin answers (the built-in one was overridden by
            plugins that all failed), naming every failure.
        """

        def accept(_plugin: str, result: object) -> LocaleFormatter | None:
            if result is None or isinstance(result, LocaleFormatter):
                return result
            raise TypeError("returned no LocaleFormatter")

        failures: list[PluginFailure] = []
        for _plugin, result, failure in self._call_each(
            "debtneg_locale_formatter", {"locale": locale}, accept
        ):
            if failure is not None:
                failures.append(failure)
            elif result is not None:
                return result, tuple(failures)
        details = "; ".join(str(f) for f in failures) or "no plugin answered"
        raise PluginError(f"no formatter for locale {locale!r}: {details}")

    def plugins(self) -> tuple[PluginInfo, ...]:
        """Every registered plugin with its distribution, version and hooks, by name."""
        infos = []
        for name, plugin in self._manager.list_name_plugin():
            if plugin is None:
                continue
            hooks = sorted(h.name for h in self._manager.get_hookcallers(plugin) or ())
            dist, version = self._distributions.get(name, (None, None))
            infos.append(
                PluginInfo(
                    name=name,
                    distribution=dist,
                    version=version,
                    hooks=tuple(hooks),
                    builtin=name in DEFAULT_PLUGINS,
                )
            )
        return tuple(sorted(infos, key=lambda i: (not i.builtin, i.name)))


def _switch(environ: Mapping[str, str], name: str) -> bool:
    """Whether an on/off environment switch is on (``1``, ``true``, ``yes``, any case)."""
    return environ.get(name, "").strip().lower() in {"1", "true", "yes", "on"}


def _blocked_names(blocked: Iterable[str], environ: Mapping[str, str]) -> frozenset[str]:
    names = {b.strip() for b in blocked if b.strip()}
    names |= {b.strip() for b in environ.get(DISABLE_ENV, "").split(",") if b.strip()}
    refused = names & set(ESSENTIAL_PLUGINS)
    if refused:
        raise PluginError(
            f"cannot block {sorted(refused)}: the engine needs it; override it instead "
            "(a plugin's debtneg_locale_formatter answers before the built-in one)"
        )
    return frozenset(names)


def _validate_registered(manager: pluggy.PluginManager, plugin: object, name: str) -> str | None:
    """Return why a freshly registered plugin is unusable, or ``None`` when it is fine."""
    for caller in manager.get_hookcallers(plugin) or ():
        if caller.spec is None:
            return f"implements unknown hook {caller.name!r} (misspelt? see hookspecs)"
        for impl in caller.get_hookimpls():
            if impl.plugin is plugin and (impl.wrapper or impl.hookwrapper):
                return f"wraps hook {caller.name!r}; wrappers are not supported"
    return None


def _load_entry_points(
    manager: pluggy.PluginManager, block: frozenset[str], *, strict: bool
) -> tuple[list[PluginFailure], dict[str, tuple[str, str]]]:
    """Load each entry point on its own; a broken one becomes a :class:`PluginFailure`."""
    failures: list[PluginFailure] = []
    distributions: dict[str, tuple[str, str]] = {}
    entry_points = sorted(
        importlib.metadata.entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name
    )
    # Each distribution's metadata parsed once (an e-mail-format parse per read, several
    # entry points per distribution), not once per entry point and field.
    described: dict[int, tuple[str | None, str]] = {}
    for entry_point in entry_points:
        dist = entry_point.dist
        dist_name: str | None = None
        version = ""
        if dist is not None:
            known = described.get(id(dist))
            if known is None:
                metadata = dist.metadata
                known = described[id(dist)] = (metadata["Name"], metadata["Version"])
            dist_name, version = known
        if manager.is_blocked(entry_point.name) or (dist_name and dist_name in block):
            continue
        if manager.get_plugin(entry_point.name) is not None:
            continue
        if dist is not None:
            distributions[entry_point.name] = (dist_name or "?", version)
        problem: str | None
        try:
            plugin = entry_point.load()
            manager.register(plugin, name=entry_point.name)
        # SystemExit and KeyboardInterrupt too: importing a plugin must not end the program.
        except (Exception, SystemExit, KeyboardInterrupt) as error:
            if strict:
                raise PluginError(f"plugin {entry_point.name!r} failed to load") from error
            problem = _error_text(error)
        else:
            problem = _validate_registered(manager, plugin, entry_point.name)
            if problem is not None:
                manager.unregister(plugin)
                if strict:
                    raise PluginError(f"plugin {entry_point.name!r} {problem}")
        if problem is not None:
            dist_info = distributions.get(entry_point.name, (None, None))
            failures.append(
                PluginFailure(
                    plugin=entry_point.name,
                    distribution=dist_info[0],
                    version=dist_info[1],
                    hook=None,
                    error=problem,
                )
            )
    return failures, distributions


def get_plugin_host(
    *,
    plugins: Iterable[object] = (),
    load_entry_points: bool = True,
    builtins: bool = True,
    blocked: Iterable[str] = (),
    strict: bool = False,
    environ: Mapping[str, str] | None = None,
    timeout: float | None = None,
) -> PluginHost:
    """Build a fresh :class:`PluginHost`.

    :param plugins: extra plugin objects (modules or instances) to register, e.g. in tests.
    :param load_entry_points: discover installed plugins in group ``debtnegotiation``.
    :param builtins: register :data:`DEFAULT_PLUGINS` (essential ones always load).
    :param blocked: plugin names (built-in module names or entry-point names) to skip;
        also read from ``DEBTNEG_DISABLE_PLUGINS``.
    :param strict: re-raise plugin failures as :class:`PluginError` instead of reporting.
    :param environ: the environment to read switches from (default ``os.environ``).
    :param timeout: the longest one hook call may take, in seconds; an overrun is that
        plugin's failure (``None``: no limit; see :doc:`/reference/hooks`).
    """
    env = os.environ if environ is None else environ
    manager = pluggy.PluginManager(PROJECT_NAME)
    manager.add_hookspecs(hookspecs)
    block = _blocked_names(blocked, env)
    for name in block:
        manager.set_blocked(name)
    for module_name in DEFAULT_PLUGINS:
        wanted = builtins or module_name in ESSENTIAL_PLUGINS
        if wanted and not manager.is_blocked(module_name):
            manager.register(importlib.import_module(module_name), name=module_name)
    manager.check_pending()

    failures: list[PluginFailure] = []
    distributions: dict[str, tuple[str, str]] = {}
    if load_entry_points and not _switch(env, DISABLE_AUTOLOAD_ENV):
        failures, distributions = _load_entry_points(manager, block, strict=strict)
    for index, extra in enumerate(plugins):
        name = getattr(extra, "__name__", None) or f"{type(extra).__name__}-{index}"
        manager.register(extra, name=name)
        problem = _validate_registered(manager, extra, name)
        if problem is not None:
            manager.unregister(extra)
            raise PluginError(f"plugin {name!r} {problem}")
    trace = _switch(env, TRACE_ENV)
    return PluginHost(
        manager,
        strict=strict,
        load_failures=failures,
        distributions=distributions,
        trace=trace,
        timeout=timeout,
    )
