"""The plugin host: a fresh pluggy manager per call, isolation, blocking, introspection.

Built-in strategies, reviews and the default formatter are plugins registered from
:data:`DEFAULT_PLUGINS`; third-party plugins come from the entry-point group
``debtnegotiation``. Each entry point is loaded on its own, and each implementation of a
collected hook is called on its own, so one broken plugin is reported by name
(:class:`PluginFailure`) and cannot take the others' results with it. ``strict=True``
re-raises instead, for plugin authors' test suites.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import os
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Final, Generic, TypeVar

import attrs
import pluggy

from debtnegotiation import hookspecs
from debtnegotiation._markers import PROJECT_NAME
from debtnegotiation.borrower import Borrower
from debtnegotiation.case import Case
from debtnegotiation.debt import Debt
from debtnegotiation.errors import DebtNegotiationError
from debtnegotiation.findings import Finding
from debtnegotiation.formatting import LocaleFormatter, parse_locale
from debtnegotiation.i18n import DOMAIN, CatalogSource, resolve_locale
from debtnegotiation.negotiation_log import LogEntry, NegotiationLog
from debtnegotiation.negotiation_log.conduct import ContactRules, check_conduct
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


class PluginError(DebtNegotiationError):
    """A plugin failed and ``strict`` mode is on, or a request about plugins is invalid."""


@attrs.frozen(kw_only=True)
class PluginFailure:
    """A plugin that failed to load or raised inside a hook, reported instead of crashing.

    :param plugin: the plugin's registered name (entry-point or module name).
    :param distribution: the distribution it came from, when known.
    :param version: that distribution's version, when known.
    :param hook: the hook being called, or ``None`` for a failure at load time.
    :param error: the exception type and message.
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
    """Results of a collected hook, with the failures of plugins that broke."""

    items: tuple[T, ...]
    failures: tuple[PluginFailure, ...] = ()


def _error_text(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"


class PluginHost:
    """A registered set of plugins and typed, isolated calls into their hooks.

    Build one with :func:`get_plugin_host`; keep it for a session or build a new one per
    call — there is no global state.
    """

    def __init__(
        self,
        manager: pluggy.PluginManager,
        *,
        strict: bool,
        load_failures: Sequence[PluginFailure],
        distributions: Mapping[str, tuple[str, str]],
        trace: bool,
    ) -> None:
        """Wrap *manager*; use :func:`get_plugin_host` rather than calling this."""
        self._manager = manager
        self._strict = strict
        self._distributions = dict(distributions)
        self._trace = trace
        self.load_failures: tuple[PluginFailure, ...] = tuple(load_failures)
        """Plugins that could not be loaded or registered."""
        self.formatter_failures: list[PluginFailure] = []
        """Formatter plugins that raised and were skipped (a later one answered)."""

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
        self, hook_name: str, kwargs: Mapping[str, object]
    ) -> Iterable[tuple[str, object, PluginFailure | None]]:
        caller = getattr(self._manager.hook, hook_name)
        for impl in reversed(caller.get_hookimpls()):
            args = {name: kwargs[name] for name in impl.argnames}
            try:
                result = impl.function(**args)
            except Exception as error:
                if self._strict:
                    raise PluginError(
                        str(self._failure(impl.plugin_name, hook_name, error))
                    ) from error
                yield impl.plugin_name, None, self._failure(impl.plugin_name, hook_name, error)
                continue
            if self._trace:
                print(f"[debtneg] {hook_name} {impl.plugin_name} -> {result!r}", file=sys.stderr)
            yield impl.plugin_name, result, None

    def _collect(
        self,
        hook_name: str,
        kind: type[T],
        kwargs: Mapping[str, object],
        tag: Callable[[T, str], T],
    ) -> tuple[list[T], list[PluginFailure]]:
        items: list[T] = []
        failures: list[PluginFailure] = []
        for plugin, result, failure in self._call_each(hook_name, kwargs):
            if failure is not None:
                failures.append(failure)
                continue
            if result is None:
                continue
            if isinstance(result, (str, bytes)) or not isinstance(result, Sequence):
                bad = f"returned {type(result).__name__}, expected a sequence of {kind.__name__}"
                failures.append(self._typed_failure(plugin, hook_name, bad))
                continue
            wrong = [r for r in result if not isinstance(r, kind)]
            if wrong:
                bad = f"returned {type(wrong[0]).__name__} items, expected {kind.__name__}"
                failures.append(self._typed_failure(plugin, hook_name, bad))
                continue
            items.extend(tag(r, plugin) for r in result)
        return items, failures

    def _typed_failure(self, plugin: str, hook: str, message: str) -> PluginFailure:
        failure = self._failure(plugin, hook, f"TypeError: {message}")
        if self._strict:
            raise PluginError(str(failure))
        return failure

    def policies(self, *, debt: Debt) -> Collected[LenderPolicy]:
        """All lender policies plugins offer for *debt*, sorted by lender, newest first."""
        items, failures = self._collect(
            "debtneg_lender_policies", LenderPolicy, {"debt": debt}, lambda p, _n: p
        )
        items.sort(
            key=lambda p: (
                p.lender.casefold(),
                -(p.effective_from.toordinal() if p.effective_from else 0),
                p.source,
            )
        )
        return Collected(tuple(items), tuple(failures))

    def propose(self, *, case: Case) -> Collected[Proposal]:
        """Proposals from every strategy plugin, sorted by strategy, title and plugin."""
        items, failures = self._collect(
            "debtneg_propose_plans",
            Proposal,
            {"case": case},
            lambda p, name: attrs.evolve(p, source=name),
        )
        items.sort(key=lambda p: (p.strategy, p.title, p.source))
        return Collected(tuple(items), tuple(failures))

    def review(self, *, case: Case, proposal: Proposal) -> Collected[Finding]:
        """Findings from every review plugin, gravest first, then by code and plugin."""
        items, failures = self._collect(
            "debtneg_review_proposal",
            Finding,
            {"case": case, "proposal": proposal},
            lambda f, name: attrs.evolve(f, source=name),
        )
        items.sort(key=lambda f: (-f.severity, f.code, f.source))
        return Collected(tuple(items), tuple(failures))

    def review_case(self, *, case: Case) -> Collected[Finding]:
        """Findings about the case itself, not one proposal: gravest first, code, plugin."""
        items, failures = self._collect(
            "debtneg_review_case",
            Finding,
            {"case": case},
            lambda f, name: attrs.evolve(f, source=name),
        )
        items.sort(key=lambda f: (-f.severity, f.code, f.source))
        return Collected(tuple(items), tuple(failures))

    def template_dirs(self, *, locale: str) -> Collected[Path]:
        """Template folders from plugins, in plugin-name order (built-ins not included)."""
        named: list[tuple[str, Path]] = []
        failures: list[PluginFailure] = []
        for plugin, result, failure in self._call_each("debtneg_template_dirs", {"locale": locale}):
            if failure is not None:
                failures.append(failure)
            elif result is not None:
                if isinstance(result, Sequence) and all(isinstance(d, Path) for d in result):
                    named.extend((plugin, d) for d in result)
                else:
                    message = "returned something other than a sequence of Path"
                    failures.append(self._typed_failure(plugin, "debtneg_template_dirs", message))
        named.sort(key=lambda pair: pair[0])
        return Collected(tuple(d for _, d in named), tuple(failures))

    def contact_rules(
        self, *, debt: Debt, borrower: Borrower | None = None
    ) -> Collected[ContactRules]:
        """Collection-conduct rule sets plugins hold for *debt*, sorted by name."""
        items, failures = self._collect(
            "debtneg_contact_rules",
            ContactRules,
            {"debt": debt, "borrower": borrower},
            lambda r, _n: r,
        )
        items.sort(key=lambda r: r.name)
        return Collected(tuple(items), tuple(failures))

    def conduct_findings(
        self,
        log: NegotiationLog | Iterable[LogEntry],
        *,
        debt: Debt,
        borrower: Borrower | None = None,
    ) -> Collected[Finding]:
        """Check *log* against every rule set plugins hold for *debt*.

        Findings carry the rule set's plugin as their source and keep the log's order.
        """
        findings: list[Finding] = []
        failures: list[PluginFailure] = []
        named: list[tuple[str, ContactRules]] = []
        for plugin, result, failure in self._call_each(
            "debtneg_contact_rules", {"debt": debt, "borrower": borrower}
        ):
            if failure is not None:
                failures.append(failure)
            elif result is not None:
                if isinstance(result, Sequence) and all(
                    isinstance(r, ContactRules) for r in result
                ):
                    named.extend((plugin, r) for r in result)
                else:
                    message = "returned something other than a sequence of ContactRules"
                    failures.append(self._typed_failure(plugin, "debtneg_contact_rules", message))
        entries = log.entries() if isinstance(log, NegotiationLog) else tuple(log)
        for plugin, rules in sorted(named, key=lambda pair: (pair[1].name, pair[0])):
            findings.extend(attrs.evolve(f, source=plugin) for f in check_conduct(entries, rules))
        return Collected(tuple(findings), tuple(failures))

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
        named: list[tuple[str, CatalogSource]] = []
        failures: list[PluginFailure] = []
        for plugin, result, failure in self._call_each(hook, {}):
            if failure is not None:
                failures.append(failure)
                continue
            if result is None:
                continue
            if (
                isinstance(result, (str, bytes))
                or not isinstance(result, Sequence)
                or not all(isinstance(s, CatalogSource) for s in result)
            ):
                message = "returned something other than a sequence of CatalogSource"
                failures.append(self._typed_failure(plugin, hook, message))
                continue
            for source in result:
                if resolve_locale(requested, source.locales()) is not None:
                    named.append((plugin, source))
                elif source.domain != DOMAIN:
                    failures.append(self._missing_catalog(plugin, source, requested))
        named.sort(key=lambda pair: pair[0])
        return Collected(tuple(s for _, s in named), tuple(failures))

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
        items, failures = self._collect("debtneg_cli_commands", object, {}, lambda c, _n: c)
        items.sort(key=lambda c: str(getattr(c, "name", "")))
        return Collected(tuple(items), tuple(failures))

    def formatter(self, locale: str) -> LocaleFormatter:
        """The formatter for *locale*: the first plugin that answers wins.

        A plugin that raises is skipped (and reported in strict mode); the built-in
        Babel formatter answers last for every CLDR locale.
        """
        failures = []
        for plugin, result, failure in self._call_each(
            "debtneg_locale_formatter", {"locale": locale}
        ):
            if failure is not None:
                failures.append(failure)
                self.formatter_failures.append(failure)
                continue
            if result is None:
                continue
            if not isinstance(result, LocaleFormatter):
                wrong = self._typed_failure(
                    plugin, "debtneg_locale_formatter", "returned no LocaleFormatter"
                )
                failures.append(wrong)
                self.formatter_failures.append(wrong)
                continue
            return result
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
    for entry_point in entry_points:
        dist = entry_point.dist
        dist_name = dist.metadata["Name"] if dist is not None else None
        if manager.is_blocked(entry_point.name) or (dist_name and dist_name in block):
            continue
        if manager.get_plugin(entry_point.name) is not None:
            continue
        if dist is not None:
            distributions[entry_point.name] = (dist_name or "?", dist.version)
        problem: str | None
        try:
            plugin = entry_point.load()
            manager.register(plugin, name=entry_point.name)
        except Exception as error:
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
) -> PluginHost:
    """Build a fresh :class:`PluginHost`.

    :param plugins: extra plugin objects (modules or instances) to register, e.g. in tests.
    :param load_entry_points: discover installed plugins in group ``debtnegotiation``.
    :param builtins: register :data:`DEFAULT_PLUGINS` (essential ones always load).
    :param blocked: plugin names (built-in module names or entry-point names) to skip;
        also read from ``DEBTNEG_DISABLE_PLUGINS``.
    :param strict: re-raise plugin failures as :class:`PluginError` instead of reporting.
    :param environ: the environment to read switches from (default ``os.environ``).
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
    )
