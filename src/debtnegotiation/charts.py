"""Charts of a negotiation: the balance over time against doing nothing, the total cost.

Two pictures a borrower would rather look at than a table:

* **balance over time**: what is owed month by month if nothing is agreed (the debt
  projected under its contract, :meth:`~debtnegotiation.debt.Debt.project`) against each
  option's falling balance (each installment's ``balance_after``);
* **total cost**: everything each option costs, beside what doing nothing would leave
  owed by the end of the longest plan.

The data (:func:`chart_data`) come from the exact schedules, in
:class:`~debtnegotiation.money.Money`. :func:`balance_svg` and :func:`cost_svg` draw them
as SVG with a small renderer of our own: coordinates are computed in
:class:`~decimal.Decimal` and rounded to a tenth of a pixel, so the same case always gives
the same bytes, no float and no plotting library is needed, and ``import debtnegotiation``
stays light. Each SVG has a ``<title>`` and a ``<desc>`` (a sentence per line, with the
figures) for screen readers, and the documents print a data table beside it. Fonts fall back
to Noto Sans CJK for Chinese text. PNG output needs matplotlib (the ``[charts]`` extra):
:func:`write_png`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal
from html import escape
from pathlib import Path
from typing import Any, Final

import attrs

from debtnegotiation.errors import ValidationError
from debtnegotiation.money import Money
from debtnegotiation.negotiation import Negotiation
from debtnegotiation.ranking import RankedOption
from debtnegotiation.schedule_dates import add_months

__all__ = [
    "FONT_FAMILY",
    "Bar",
    "ChartData",
    "ChartText",
    "Series",
    "balance_svg",
    "chart_data",
    "cost_svg",
    "stacked_svg",
    "write_png",
]

#: The fonts chart text falls back through. Latin comes from Noto Sans, DejaVu Sans or the
#: system's sans-serif, Chinese from Noto Sans CJK (Debian's fonts-noto-cjk) or the
#: platforms' own CJK fonts.
FONT_FAMILY: Final = (
    "'Noto Sans', 'DejaVu Sans', 'Liberation Sans', Arial, 'Noto Sans CJK SC', "
    "'Source Han Sans SC', 'PingFang SC', 'Microsoft YaHei', sans-serif"
)

#: Line colours (Okabe and Ito's colour-blind-safe palette); doing nothing is drawn in red,
#: dashed, so it is told apart without colour too.
_PALETTE: Final = ("#0072B2", "#009E73", "#E69F00", "#56B4E9", "#CC79A7", "#000000", "#D55E00")
_STATUS_QUO_COLOUR: Final = "#C0392B"
_PX: Final = Decimal("0.1")


@attrs.frozen(kw_only=True)
class Series:
    """One line of the balance chart: a balance on each date.

    :param label: its name in the legend (translated by the caller).
    :param points: (date, balance) pairs in date order.
    :param status_quo: whether this is the doing-nothing line.
    """

    label: str
    points: tuple[tuple[dt.date, Money], ...]
    status_quo: bool = False


@attrs.frozen(kw_only=True)
class Bar:
    """One bar of the cost chart.

    :param label: its name (translated by the caller).
    :param amount: everything paid (an option) or owed (doing nothing).
    :param status_quo: whether this is the doing-nothing bar.
    """

    label: str
    amount: Money
    status_quo: bool = False


@attrs.frozen(kw_only=True)
class ChartData:
    """The figures both charts are drawn from, in one currency.

    :param currency: the ISO 4217 code of every amount.
    :param start: the case date, where every line starts.
    :param series: doing nothing first, then each option.
    :param bars: doing nothing first, then each option.
    """

    currency: str
    start: dt.date
    series: tuple[Series, ...]
    bars: tuple[Bar, ...]


@attrs.frozen(kw_only=True)
class ChartText:
    """The words and formats a chart is drawn with, in the reader's locale.

    :param title: the chart's title (also the SVG ``<title>``).
    :param money: formats an amount with its currency (the ``<desc>`` and bar labels).
    :param number: formats a whole number (axis ticks).
    :param date: formats a date.
    :param describe_line: the ``<desc>`` sentence of a line, from its label, first and
        last balance and dates (already formatted), with its own full stop.
    :param describe_bar: the ``<desc>`` sentence of a bar, from its label and amount.
    """

    title: str
    money: Callable[[Money], str]
    number: Callable[[Decimal], str]
    date: Callable[[dt.date], str]
    describe_line: Callable[[str, str, str, str, str], str] = attrs.field(
        default=lambda label, first, on, last, end: f"{label}: {first} ({on}) to {last} ({end})."
    )
    describe_bar: Callable[[str, str], str] = attrs.field(
        default=lambda label, amount: f"{label}: {amount}."
    )


def _option_points(option: RankedOption) -> tuple[tuple[dt.date, Money], ...]:
    plan = option.plan
    points = [(plan.start, plan.principal)]
    points += [(i.due, i.balance_after) for i in plan.installments]
    return tuple(points)


def chart_data(
    negotiation: Negotiation,
    *,
    option_label: Callable[[RankedOption], str],
    status_quo_label: str,
) -> ChartData:
    """The balance paths and total costs of *negotiation*'s ranked options.

    Doing nothing is projected on the case date and every month after it until the last
    payment of the longest plan (at least as far as the comparison's own status-quo
    dates reach); each option's line runs from its principal on its start date through
    the balance after each installment. The cost bars are each option's total paid and
    what doing nothing would leave owed at the end of the horizon.

    :param negotiation: the negotiation (its options are computed if needed).
    :param option_label: an option's name for the legend, in the reader's language.
    :param status_quo_label: the doing-nothing line's name.
    """
    if not isinstance(negotiation, Negotiation):
        raise ValidationError(
            "negotiation", "a debtnegotiation.negotiation.Negotiation", negotiation
        )
    options = negotiation.options()
    case = negotiation.case
    ends = [o.plan.end for o in options.ranked]
    ends += [p.on for p in options.status_quo.projections]
    horizon = max(ends, default=case.on)
    dates = [case.on]
    month = 1
    while dates[-1] < horizon:
        dates.append(min(add_months(case.on, month), horizon))
        month += 1
    nothing = Series(
        label=status_quo_label,
        points=tuple((d, case.debt.project(d).total) for d in dates),
        status_quo=True,
    )
    lines = [Series(label=option_label(o), points=_option_points(o)) for o in options.ranked]
    bars = [Bar(label=status_quo_label, amount=nothing.points[-1][1], status_quo=True)]
    bars += [Bar(label=option_label(o), amount=o.plan.total_paid) for o in options.ranked]
    return ChartData(
        currency=case.debt.currency, start=case.on, series=(nothing, *lines), bars=tuple(bars)
    )


# --- the SVG renderer -----------------------------------------------------------------


def _px(value: Decimal) -> str:
    text = format(value.quantize(_PX, rounding=ROUND_HALF_UP), "f")
    return text.removesuffix(".0")


def _axis(top: Decimal, most: int = 6) -> tuple[Decimal, int]:
    """A round tick step (1, 2 or 5 times a power of ten) and how many reach *top*.

    At most *most* steps.
    """
    if top <= 0:
        return Decimal(1), 1
    power = Decimal(1)
    while power * 10 * most < top:
        power *= 10
    while power > Decimal("0.01") and power * most >= top * 10:
        power /= 10
    for factor in (1, 2, 5, 10, 20, 50):
        step = power * factor
        count = (top / step).to_integral_value(rounding=ROUND_CEILING)
        if count <= most:
            return step, int(count)
    return power * 100, 1  # pragma: no cover - factor 50 always covers


def _colour(index: int) -> str:
    return _PALETTE[index % len(_PALETTE)]


def _strokes(series: Sequence[Series]) -> list[str]:
    """Each line's stroke: doing nothing red and dashed, the options the palette's colours."""
    strokes, colour = [], 0
    for s in series:
        if s.status_quo:
            strokes.append(f'stroke="{_STATUS_QUO_COLOUR}" stroke-width="3" stroke-dasharray="8 4"')
        else:
            strokes.append(f'stroke="{_colour(colour)}" stroke-width="2"')
            colour += 1
    return strokes


def _open_svg(width: int, height: int, text: ChartText, desc: Sequence[str], ident: str) -> str:
    title = escape(text.title)
    description = escape(" ".join(desc))
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="debtneg-chart" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{ident}-title {ident}-desc" '
        f'font-family="{FONT_FAMILY}" font-size="12">\n'
        f'<title id="{ident}-title">{title}</title>\n'
        f'<desc id="{ident}-desc">{description}</desc>\n'
        f'<rect width="{width}" height="{height}" fill="#ffffff"/>\n'
        f'<text x="{width // 2}" y="22" text-anchor="middle" font-size="15" '
        f'font-weight="bold">{title}</text>\n'
    )


def _check(data: object, text: object) -> None:
    if not isinstance(data, ChartData):
        raise ValidationError("data", "a debtnegotiation.charts.ChartData", data)
    if not isinstance(text, ChartText):
        raise ValidationError("text", "a debtnegotiation.charts.ChartText", text)


def balance_svg(data: ChartData, text: ChartText, *, ident: str = "balance") -> str:
    """The balance-over-time line chart as a standalone SVG document.

    :param data: from :func:`chart_data`.
    :param text: the title and the locale's formats.
    :param ident: a prefix for the element ids (unique within one HTML page).
    """
    _check(data, text)
    width, left, right, top = 720, 84, 56, 40
    plot_w, plot_h = width - left - right, 240
    legend_top = top + plot_h + 44
    height = legend_top + 20 * len(data.series) + 8
    amounts = [m.amount for s in data.series for _d, m in s.points]
    step, count = _axis(max(amounts, default=Decimal(0)))
    y_max = step * count
    last = max((d for s in data.series for d, _m in s.points), default=data.start)
    span = Decimal(max((last - data.start).days, 1))

    def x(on: dt.date) -> Decimal:
        return left + plot_w * Decimal((on - data.start).days) / span

    def y(amount: Decimal) -> Decimal:
        return top + plot_h - plot_h * amount / y_max

    desc = [
        text.describe_line(
            s.label,
            text.money(s.points[0][1]),
            text.date(s.points[0][0]),
            text.money(s.points[-1][1]),
            text.date(s.points[-1][0]),
        )
        for s in data.series
        if s.points
    ]
    out = [_open_svg(width, height, text, desc, ident)]
    out.append('<g class="axes" stroke="#999999" stroke-width="1">\n')
    for i in range(count + 1):
        value = step * i
        yy = _px(y(value))
        out.append(
            f'<line x1="{left}" y1="{yy}" x2="{left + plot_w}" y2="{yy}" stroke="#e5e5e5"/>\n'
        )
    out.append(f'<line x1="{left}" y1="{top}" x2="{left}" y2="{top + plot_h}"/>\n')
    out.append(
        f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" '
        f'y2="{top + plot_h}"/>\n</g>\n<g class="ticks" fill="#333333">\n'
    )
    for i in range(count + 1):
        value = step * i
        out.append(
            f'<text x="{left - 6}" y="{_px(y(value) + 4)}" text-anchor="end">'
            f"{escape(text.number(value))}</text>\n"
        )
    months = max(1, (last.year - data.start.year) * 12 + last.month - data.start.month)
    every = max(1, -(-months // 6))
    m = 0
    while (tick := add_months(data.start, m)) <= last:
        out.append(
            f'<text x="{_px(x(tick))}" y="{top + plot_h + 18}" text-anchor="middle">'
            f"{escape(text.date(tick))}</text>\n"
        )
        m += every
    out.append(
        f'<text x="{left - 6}" y="{top - 8}" text-anchor="end">'
        f"{escape(data.currency)}</text>\n</g>\n"
    )
    strokes = _strokes(data.series)
    for s, stroke in zip(data.series, strokes, strict=True):
        points = " ".join(f"{_px(x(d))},{_px(y(a.amount))}" for d, a in s.points)
        out.append(
            f'<polyline class="{"status-quo" if s.status_quo else "option"}" '
            f'fill="none" {stroke} points="{points}"><title>{escape(s.label)}</title>'
            "</polyline>\n"
        )
    out.append('<g class="legend">\n')
    for i, (s, stroke) in enumerate(zip(data.series, strokes, strict=True)):
        row_y = legend_top + 20 * i
        out.append(
            f'<line x1="{left}" y1="{row_y}" x2="{left + 28}" y2="{row_y}" {stroke}/>'
            f'<text x="{left + 36}" y="{row_y + 4}">{escape(s.label)}</text>\n'
        )
    out.append("</g>\n</svg>\n")
    return "".join(out)


def cost_svg(data: ChartData, text: ChartText, *, ident: str = "cost") -> str:
    """The total-cost bar chart (one bar per option, doing nothing first) as SVG.

    :param data: from :func:`chart_data`.
    :param text: the title and the locale's formats.
    :param ident: a prefix for the element ids (unique within one HTML page).
    """
    _check(data, text)
    width, left, right, top, band = 720, 20, 140, 40, 40
    plot_w = width - left - right
    height = top + band * len(data.bars) + 10
    top_amount = max((b.amount.amount for b in data.bars), default=Decimal(0))
    scale_max = top_amount if top_amount > 0 else Decimal(1)
    desc = [text.describe_bar(b.label, text.money(b.amount)) for b in data.bars]
    out = [_open_svg(width, height, text, desc, ident)]
    colour = 0
    for i, b in enumerate(data.bars):
        yy = top + band * i
        length = plot_w * b.amount.amount / scale_max
        if b.status_quo:
            fill = f'fill="{_STATUS_QUO_COLOUR}"'
        else:
            fill = f'fill="{_colour(colour)}"'
            colour += 1
        out.append(
            f'<text x="{left}" y="{yy + 12}">{escape(b.label)}</text>'
            f'<rect x="{left}" y="{yy + 17}" width="{_px(length)}" height="14" {fill}/>'
            f'<text x="{_px(left + length + 6)}" y="{yy + 29}">'
            f"{escape(text.money(b.amount))}</text>\n"
        )
    out.append("</svg>\n")
    return "".join(out)


_SIZE: Final = re.compile(r'<svg [^>]*?width="(\d+)" height="(\d+)"')


def stacked_svg(*charts: str) -> str:
    """SVG charts (from :func:`balance_svg`, :func:`cost_svg`) stacked in one SVG file."""
    parts, width, height = [], 0, 0
    for i, chart in enumerate(charts):
        size = _SIZE.search(chart)
        if size is None:
            raise ValidationError(f"charts[{i}]", "an SVG chart of this module", chart[:60])
        w, h = int(size.group(1)), int(size.group(2))
        parts.append(chart.replace("<svg ", f'<svg x="0" y="{height}" ', 1))
        width, height = max(width, w), height + h
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}">\n' + "".join(parts) + "</svg>\n"
    )


# --- PNG through matplotlib (optional) ------------------------------------------------


def _pyplot() -> Any:  # noqa: ANN401 - matplotlib is optional and untyped here
    try:
        import matplotlib as mpl
    except ImportError:
        raise ValidationError(
            "chart file",
            "a .svg file, or matplotlib for PNG (pip install 'debtnegotiation[charts]')",
            "a .png file",
        ) from None
    mpl.use("Agg")
    import matplotlib.pyplot as plt

    # Chinese labels need a CJK font; DejaVu Sans (matplotlib's own) covers Latin.
    mpl.rcParams["font.sans-serif"] = [
        "Noto Sans CJK SC",
        "Noto Sans CJK JP",
        "Source Han Sans SC",
        "PingFang SC",
        "Microsoft YaHei",
        "DejaVu Sans",
    ]
    mpl.rcParams["font.family"] = "sans-serif"
    mpl.rcParams["axes.unicode_minus"] = False
    mpl.rcParams["svg.hashsalt"] = "debtnegotiation"
    return plt


def write_png(data: ChartData, text: ChartText, path: Path, *, cost_title: str) -> None:
    """Draw both charts, one above the other, into a PNG at *path* with matplotlib.

    Amounts are converted to float only here, to place pixels; every label shows the
    exact amount through *text*.

    :raises ~debtnegotiation.errors.ValidationError: when matplotlib is not installed.
    """
    _check(data, text)
    plt = _pyplot()
    figure, (lines, bars) = plt.subplots(
        2,
        1,
        figsize=(8, 5 + 0.5 * len(data.bars)),
        dpi=120,
        gridspec_kw={"height_ratios": [5, max(1, len(data.bars)) * 0.8]},
    )
    colour = 0
    for s in data.series:
        days = [(d - data.start).days for d, _m in s.points]
        values = [float(m.amount) for _d, m in s.points]
        if s.status_quo:
            lines.plot(
                days, values, color=_STATUS_QUO_COLOUR, linewidth=2.5, linestyle="--", label=s.label
            )
        else:
            lines.plot(days, values, color=_colour(colour), linewidth=1.8, label=s.label)
            colour += 1
    last = max((d for s in data.series for d, _m in s.points), default=data.start)
    ticks = []
    m = 0
    months = max(1, (last.year - data.start.year) * 12 + last.month - data.start.month)
    every = max(1, -(-months // 6))
    while (tick := add_months(data.start, m)) <= last:
        ticks.append(tick)
        m += every
    lines.set_xticks(
        [(t - data.start).days for t in ticks],
        [text.date(t) for t in ticks],
        rotation=30,
        ha="right",
        fontsize="small",
    )
    lines.set_title(text.title)
    lines.yaxis.set_major_formatter(
        lambda value, _pos: text.number(Decimal(round(value)))  # axis ticks only
    )
    lines.set_ylabel(data.currency)
    lines.set_ylim(bottom=0)
    lines.grid(axis="y", color="#e5e5e5")
    lines.legend(fontsize="small", loc="lower left", frameon=False)
    colours, colour = [], 0
    for b in data.bars:
        if b.status_quo:
            colours.append(_STATUS_QUO_COLOUR)
        else:
            colours.append(_colour(colour))
            colour += 1
    # Each bar's name above it, as in the SVG: long option names need the full width.
    positions = [2 * i for i in range(len(data.bars))][::-1]
    top = max((float(b.amount.amount) for b in data.bars), default=1.0) or 1.0
    bars.barh(positions, [float(b.amount.amount) for b in data.bars], color=colours, height=0.8)
    bars.set_yticks([])
    bars.set_xlim(0, top * 1.25)
    bars.set_ylim(-1, max(positions, default=0) + 1.6)
    for pos, b in zip(positions, data.bars, strict=True):
        bars.text(0, pos + 0.55, b.label, va="bottom", fontsize="small")
        bars.text(
            float(b.amount.amount), pos, " " + text.money(b.amount), va="center", fontsize="small"
        )
    bars.set_title(cost_title)
    bars.set_xticks([])
    for side in ("top", "right", "bottom", "left"):
        bars.spines[side].set_visible(False)
    figure.tight_layout()
    figure.savefig(path, format="png")
    plt.close(figure)
