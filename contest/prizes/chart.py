"""The audience's ages as a chart, with the age range a prize suits laid over it.

:func:`age_histogram` gives the data (5-year bins of the audience); :func:`render_age_chart`
draws it as a small inline SVG 1.1 image — pure Python, no scripts, no external references —
made accessible as the WAI-ARIA authoring practices describe for SVG: ``role="img"``, a
``<title>`` and a ``<desc>`` referenced by ``aria-labelledby``, and a ``<title>`` on every bar
(the share it stands for). :func:`render_age_bars` draws the same histogram as text lines for
the terminal.
"""

from collections.abc import Sequence
from xml.sax.saxutils import escape, quoteattr

from contest.prizes.audience import OLDEST, Audience

AgeBin = tuple[int, int, float]
"""``(age_from, age_to, share)``: ages ``age_from``..``age_to`` inclusive, ``share`` in [0, 1]."""

_INSIDE = "#2a6f97"
_OUTSIDE = "#b8c0c8"
_RANGE = "#e9c46a"
_INK = "#333333"


def age_histogram(audience: Audience, *, width: int = 5) -> list[AgeBin]:
    """The audience's shares by ``width``-year bins, from its youngest to its oldest bin.

    The last bin starts at :data:`~contest.prizes.audience.OLDEST` for "100 and over"."""
    if width < 1:
        raise ValueError(f"bin width must be at least 1, got {width}")
    weights = audience.weights
    bins = [(start, start + width - 1, sum(weights[start:start + width]))
            for start in range(0, OLDEST + 1, width)]
    used = [position for position, (_, _, share) in enumerate(bins) if share > 0]
    return bins[used[0]:used[-1] + 1] if used else []


def _overlap(age_bin: AgeBin, prize_range: tuple[int, int] | None) -> float:
    """The part of the bin's years that lie within the prize's range."""
    if prize_range is None:
        return 0.0
    low, high = max(age_bin[0], prize_range[0]), min(age_bin[1], prize_range[1])
    return max(0, high - low + 1) / (age_bin[1] - age_bin[0] + 1)


def render_age_chart(histogram: Sequence[AgeBin], prize_range: tuple[int, int] | None = None,
                     *, title: str, description: str = "", range_label: str | None = None,
                     element_id: str = "age-chart", width: int = 480,
                     height: int = 200) -> str:
    """An inline SVG bar chart of ``histogram`` with ``prize_range`` (ages, inclusive)
    shaded over it. ``title`` and ``description`` are the accessible name and description
    (already in the reader's language); ``element_id`` keeps ids unique on a page."""
    left, right, top, bottom = 40, 8, 26, 30
    plot_width, plot_height = width - left - right, height - top - bottom
    title_id, desc_id = f"{element_id}-title", f"{element_id}-desc"
    if not description:
        description = _describe(histogram, prize_range)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" version="1.1" id={quoteattr(element_id)} '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{title_id} {desc_id}" font-family="sans-serif" font-size="10">',
        f'<title id="{title_id}">{escape(title)}</title>',
        f'<desc id="{desc_id}">{escape(description)}</desc>',
    ]
    if histogram:
        first, last = histogram[0][0], histogram[-1][1] + 1
        years = last - first

        def x_of(age: float) -> float:
            return left + (age - first) / years * plot_width

        tallest = max(share for _, _, share in histogram) or 1.0
        if prize_range is not None and prize_range[0] < last and prize_range[1] >= first:
            low, high = max(prize_range[0], first), min(prize_range[1] + 1, last)
            label = range_label or (f"{prize_range[0]}+" if prize_range[1] >= OLDEST
                                    else f"{prize_range[0]}–{prize_range[1]}")
            parts.append(
                f'<rect x="{x_of(low):.1f}" y="{top - 4}" width="{x_of(high) - x_of(low):.1f}" '
                f'height="{plot_height + 4}" fill="{_RANGE}" fill-opacity="0.25" '
                f'stroke="{_RANGE}" stroke-dasharray="4 2"/>')
            parts.append(f'<text x="{(x_of(low) + x_of(high)) / 2:.1f}" y="{top - 8}" '
                         f'text-anchor="middle" fill="{_INK}">{escape(label)}</text>')
        slot = plot_width / len(histogram)
        for position, age_bin in enumerate(histogram):
            bar_height = age_bin[2] / tallest * plot_height
            colour = _INSIDE if _overlap(age_bin, prize_range) >= 0.5 else _OUTSIDE
            parts.append(
                f'<rect x="{left + position * slot + 1:.1f}" '
                f'y="{top + plot_height - bar_height:.1f}" width="{max(slot - 2, 1):.1f}" '
                f'height="{bar_height:.1f}" fill="{colour}"><title>'
                f'{escape(_bin_label(age_bin))}: {age_bin[2] * 100:.1f}%</title></rect>')
        step = 1 if len(histogram) <= 12 else 2
        for position, age_bin in enumerate(histogram):
            if position % step == 0:
                parts.append(f'<text x="{left + position * slot + slot / 2:.1f}" '
                             f'y="{top + plot_height + 14}" text-anchor="middle" '
                             f'fill="{_INK}">{age_bin[0]}</text>')
        parts.append(f'<text x="{left - 4}" y="{top + 4}" text-anchor="end" '
                     f'fill="{_INK}">{tallest * 100:.0f}%</text>')
    parts.append(f'<line x1="{left}" y1="{top + plot_height}" x2="{left + plot_width}" '
                 f'y2="{top + plot_height}" stroke="{_INK}"/>')
    parts.append("</svg>")
    return "\n".join(parts)


def render_age_bars(histogram: Sequence[AgeBin], prize_range: tuple[int, int] | None = None,
                    *, width: int = 30) -> list[str]:
    """The histogram as text lines: age group, bar, share, and ``*`` where the prize suits
    the group (``~`` where it suits part of it)."""
    tallest = max((share for _, _, share in histogram), default=0.0) or 1.0
    lines = []
    for age_bin in histogram:
        eighths = round(age_bin[2] / tallest * width * 8)
        bar = "█" * (eighths // 8) + ("▏▎▍▌▋▊▉"[eighths % 8 - 1] if eighths % 8 else "")
        overlap = _overlap(age_bin, prize_range)
        mark = "*" if overlap == 1 else "~" if overlap > 0 else " "
        lines.append(f"{_bin_label(age_bin):>7} {mark} {bar:<{width}} {age_bin[2] * 100:5.1f}%")
    return lines


def _bin_label(age_bin: AgeBin) -> str:
    return f"{age_bin[0]}+" if age_bin[0] >= OLDEST else f"{age_bin[0]}–{age_bin[1]}"


def _describe(histogram: Sequence[AgeBin], prize_range: tuple[int, int] | None) -> str:
    """A plain-English description for when the caller gives none."""
    if not histogram:
        return "No ages to show."
    peak = max(histogram, key=lambda age_bin: age_bin[2])
    text = (f"Share of the audience by age group, {_bin_label(histogram[0])} to "
            f"{_bin_label(histogram[-1])}; the largest group is {_bin_label(peak)} with "
            f"{peak[2] * 100:.0f}%.")
    if prize_range is not None:
        inside = sum(share * _overlap((a, b, share), prize_range) for a, b, share in histogram)
        bound = f"{prize_range[0]}+" if prize_range[1] >= OLDEST else \
            f"{prize_range[0]} to {prize_range[1]}"
        text += f" The prize suits ages {bound}: about {inside * 100:.0f}% of the audience."
    return text
