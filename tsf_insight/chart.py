"""The funnel as a PNG: the period's stages as bars, and each stage week by week as lines.

matplotlib is imported when a chart is drawn (with the Agg back end, no display needed),
never at import time.
"""

from __future__ import annotations

from pathlib import Path

from tsf_insight.funnel import STAGES, Funnel

# The stages drawn week by week (the rest are in the bars): the main path of the funnel.
WEEKLY_STAGES = ("conversations", "enquiries_answered", "checks_started", "checks_finished")
WEEKLY_LEAD_STAGES = ("consent_given", "leads", "delivered", "dead_lettered")
DPI = 100
# Line style, marker and its size per weekly line, so that equal counts stay visible.
_LINES = (("-", "o", 9), ("--", "s", 7), ("-.", "^", 6), (":", "D", 4))


def render_funnel_chart(funnel: Funnel, path: Path) -> Path:
    """Draw ``funnel`` into the PNG file ``path`` (its folder is created); returns ``path``."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot
    from matplotlib.ticker import MaxNLocator

    labels = dict(STAGES)
    figure, (bars, early, late) = pyplot.subplots(
        1, 3, figsize=(16, 6), gridspec_kw={"width_ratios": [1.3, 1, 1]}, dpi=DPI
    )
    try:
        keys = [key for key, _ in STAGES]
        values = [funnel.total.stage(key) for key in keys]
        colours = [_colour(key) for key in keys]
        positions = range(len(keys))
        bars.barh(positions, values, color=colours)
        bars.set_yticks(list(positions), [labels[key] for key in keys])
        bars.invert_yaxis()
        for position, value in zip(positions, values, strict=True):
            bars.annotate(
                str(value),
                (value, position),
                xytext=(4, 0),
                textcoords="offset points",
                va="center",
            )
        bars.set_xlabel("conversations (leads for the last three)")
        bars.set_title("The period")
        bars.xaxis.set_major_locator(MaxNLocator(integer=True))
        bars.set_xlim(0, max([*values, 1]) * 1.15)

        weeks = [f"{week:%d %b}" for week, _ in funnel.weeks]
        for axes, stages, title in (
            (early, WEEKLY_STAGES, "Conversations and checks, per week"),
            (late, WEEKLY_LEAD_STAGES, "Consent and leads, per week"),
        ):
            for key, (line, marker, size) in zip(stages, _LINES, strict=True):
                counts = [counts.stage(key) for _, counts in funnel.weeks]
                axes.plot(
                    weeks,
                    counts,
                    linestyle=line,
                    marker=marker,
                    markersize=size,
                    linewidth=2,
                    label=labels[key],
                    color=_colour(key),
                )
            axes.set_title(title)
            axes.set_xlabel("week beginning (Monday, UTC)")
            axes.yaxis.set_major_locator(MaxNLocator(integer=True))
            axes.set_ylim(bottom=0)
            axes.grid(axis="y", alpha=0.3)
            axes.legend(loc="best", fontsize="small")
        figure.suptitle(
            f"TSF Assistant funnel, {funnel.start:%d %b %Y} to {funnel.end:%d %b %Y} (UTC)",
            fontsize="x-large",
        )
        figure.tight_layout()
        path.parent.mkdir(parents=True, exist_ok=True)
        figure.savefig(path, format="png")
    finally:
        pyplot.close(figure)
    return path


_COLOURS = {
    "conversations": "#1f4e79",
    "enquiries_answered": "#2e75b6",
    "checks_started": "#548235",
    "checks_finished": "#70ad47",
    "eligible": "#00a651",
    "borderline": "#ffc000",
    "not_eligible": "#c00000",
    "consent_given": "#7030a0",
    "leads": "#404040",
    "delivered": "#00b0f0",
    "dead_lettered": "#ff0000",
}


def _colour(key: str) -> str:
    return _COLOURS.get(key, "#808080")
