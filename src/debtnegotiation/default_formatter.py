"""The built-in locale formatter plugin: Babel for every CLDR locale, answering last."""

from __future__ import annotations

from debtnegotiation.plugin import BabelFormatter, LocaleFormatter, hookimpl


@hookimpl(trylast=True)
def debtneg_locale_formatter(locale: str) -> LocaleFormatter | None:
    """Serve any CLDR locale with :class:`~debtnegotiation.formatting.BabelFormatter`."""
    return BabelFormatter(locale)
