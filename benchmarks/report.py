"""``docs/benchmarks.md`` and its PNG plots from the results of ``benchmarks.markets``.

:func:`write_report` takes the ``results`` dict that ``python -m benchmarks.markets``
prints as its last line and writes the Markdown page plus, beside it in
``benchmarks/``, a bar chart of the five methods per scenario and a learning-curve
figure per scenario that has curves. Missing numbers (``None``, NaN) are written as
an en dash and left out of the plots. The PNGs carry no timestamp or version, so a
rerun on the same results gives the same bytes.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from matplotlib import style
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from benchmarks._shared import REPO

DASH = "\u2013"  # en dash, for a missing number
ORDER = ("tab_homo", "tab_homo_api", "tab_hetero_fe", "img", "txt")
TITLES = {
    "tab_homo": "TAB-HOMO: NYC flights, same features",
    "tab_homo_api": "TAB-HOMO through the dock's API",
    "tab_hetero_fe": "TAB-HETERO-FE: NYC flights, another feature engineering",
    "img": "IMG: Fashion-MNIST",
    "txt": "TXT: WordNet glosses",
}
METHODS = {  # result key -> column header (the original's)
    "mean": "Mean in market",
    "best": "Best in market (oracle)",
    "top1": "Top-1 reuse",
    "job_selector": "Job selector",
    "avg_ensemble": "Average ensemble",
}
BAR_LABELS = ("Mean", "Best\n(oracle)", "Top-1", "Job\nselector", "Average\nensemble")
CURVES = {  # curve key -> legend
    "labelled_only": "Labelled rows only",
    "top1": "Top-1 reuse (no labels)",
    "augment": "Feature augment",
    "pruning": "Ensemble pruning",
    "best_reuse": "Best reuse (pruning or augment)",
}
EXTRAS = {  # result key -> how to say it
    "mixture_accepted": "search proposed a multiple result (combination) for",
    "ensemble_not_worse": "the ensemble was not worse than Top-1 for",
    "top1_random_conv": "Top-1 with the random-CNN image kernel (not the Gaussian)",
    "gap_closed_top1_random_conv": "gap closed by that Top-1",
    "listed": "learnwares listed after upload, sandboxed checks and approval",
    "deployed_equals_local": "users whose deployed Top-1 predicted as the local model",
    "upload_check_approve_s": "upload + checks + approval per learnware, median (s)",
    "deploy_s": "deployment to first prediction, median (s)",
}
COLORS = ("#4c72b0", "#55a868", "#c44e52", "#8172b2", "#dd8452", "#937860")
DPI = 100

# Copied from ../shared/docs/offline-data.md, "The original's published results".
ORIGINAL = """\
| Experiment (original data) | Mean in market | Best in market (oracle) | Top-1 reuse | Job selector | Average ensemble |
|---|---|---|---|---|---|
| Tabular, same features: 265 LightGBM learnwares, 53 store users (MSE ↓) | 0.897 | 0.756 | 0.830 | 0.848 | 0.816 |
| Tabular, different feature engineering: 41 users (MSE ↓) | 1.149 | 1.038 | 1.075 | — | 1.064 |
| CIFAR-10: 50 learnwares, 100 users (error ↓) | 0.655 | 0.304 | 0.406 | 0.406 | 0.310 |
| 20 Newsgroups: 50 learnwares, 10 users (accuracy ↑) | 0.507 | 0.859 | 0.846 | 0.845 | 0.862 |
"""  # noqa: E501


# ------------------------------------------------------------------ formatting
def _num(value: Any) -> float | None:
    """``value`` as a finite float, else ``None`` (also for bools and strings)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(value) else None


def _metric(value: Any) -> str:
    v = _num(value)
    if v is None:
        return DASH
    return f"{v:,.1f}" if abs(v) >= 100 else f"{v:.3f}"


def _percent(value: Any) -> str:
    v = _num(value)
    return DASH if v is None else f"{v:.0%}"


def _count(value: Any) -> str:
    v = _num(value)
    return DASH if v is None else f"{v:,.0f}"


def _ms(value: Any) -> str:
    v = _num(value)
    return DASH if v is None else f"{v:.3g} ms"


def _seconds(value: Any) -> str:
    v = _num(value)
    if v is None:
        return DASH
    return f"{v * 1000:.3g} ms" if v < 1 else f"{v:.3g} s"


def _direction(sc: dict[str, Any]) -> str:
    """E.g. ``"MSE, lower is better"``; empty when the scenario names no metric."""
    if not sc.get("metric"):
        return ""
    lower = sc.get("lower_is_better")
    better = "" if lower is None else (", lower" if lower else ", higher")
    return f"{sc['metric']}{better}{' is better' if better else ''}"


def _md_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return lines + ["| " + " | ".join(row) + " |" for row in rows]


def scenarios(results: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """The scenario entries of ``results``: known ones in order, then the rest."""
    names = [k for k, v in results.items() if isinstance(v, dict)]
    names.sort(key=lambda k: (ORDER.index(k) if k in ORDER else len(ORDER), k))
    return [(k, results[k]) for k in names]


def _title(name: str) -> str:
    return TITLES.get(name, name.replace("_", "-").upper())


def _curves(sc: dict[str, Any]) -> tuple[list[float], dict[str, list[float | None]]]:
    """Sizes and each method's values (aligned with the sizes) of ``sc["curves"]``."""
    raw = sc.get("curves")
    if not isinstance(raw, dict):
        return [], {}
    sizes = [s for s in (_num(x) for x in raw.get("sizes") or []) if s is not None]
    keys = [k for k in CURVES if k in raw] + sorted(set(raw) - {*CURVES, "sizes"})
    lines: dict[str, list[float | None]] = {}
    for key in keys:
        values = raw[key]
        if not isinstance(values, list):
            continue
        padded = [_num(v) for v in values[: len(sizes)]]
        padded += [None] * (len(sizes) - len(padded))
        if any(v is not None for v in padded):
            lines[key] = padded
    return sizes, lines


# ---------------------------------------------------------------------- plots
def _figure(width: float, height: float) -> Figure:
    fig = Figure(figsize=(width, height), dpi=DPI, layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def _save(fig: Figure, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, format="png", dpi=DPI, metadata={"Software": None})


def _bar_axes(ax: Axes, name: str, sc: dict[str, Any]) -> None:
    values = [_num(sc.get(k)) for k in METHODS]
    xs = range(len(values))
    shown = [(x, v) for x, v in zip(xs, values, strict=True) if v is not None]
    bars = ax.bar(
        [x for x, _ in shown],
        [v for _, v in shown],
        color=[COLORS[x] for x, _ in shown],
    )
    ax.bar_label(bars, labels=[_metric(v) for _, v in shown], fontsize=7, padding=2)
    for x, v in zip(xs, values, strict=True):
        if v is None:
            ax.text(x, 0, "n/a", ha="center", va="bottom", fontsize=8, color="grey")
    ax.set_xticks(list(xs), BAR_LABELS, fontsize=8)
    ax.set_xlim(-0.6, len(values) - 0.4)  # the same slots when end bars are missing
    ax.set_ylabel(_direction(sc) or "score")
    ax.set_title(_title(name).split(":")[0], fontsize=10)
    ax.margins(y=0.12)


def bar_chart(entries: Sequence[tuple[str, dict[str, Any]]], path: Path) -> bool:
    """One subplot per scenario with any method number; ``False`` if none has one."""
    entries = [
        (n, sc)
        for n, sc in entries
        if any(_num(sc.get(k)) is not None for k in METHODS)
    ]
    if not entries:
        return False
    cols = min(len(entries), 2)
    rows = math.ceil(len(entries) / cols)
    with style.context("default"):
        fig = _figure(5.2 * cols, 3.6 * rows)
        axes = fig.subplots(rows, cols, squeeze=False).ravel()
        for ax, (name, sc) in zip(axes, entries, strict=False):
            _bar_axes(ax, name, sc)
        for ax in axes[len(entries) :]:
            ax.set_visible(False)
        _save(fig, path)
    return True


def curve_chart(name: str, sc: dict[str, Any], path: Path) -> bool:
    """The scenario's learning curves; ``False`` if it has none."""
    sizes, lines = _curves(sc)
    if not sizes or not lines:
        return False
    with style.context("default"):
        fig = _figure(6.0, 4.0)
        ax = fig.subplots()
        for color, (key, values) in zip(COLORS, lines.items(), strict=False):
            ys = [math.nan if v is None else v for v in values]
            ax.plot(sizes, ys, marker="o", color=color, label=CURVES.get(key, key))
        ax.set_xscale("log")
        ax.set_xticks(sizes, [f"{s:,.0f}" for s in sizes])
        ax.minorticks_off()
        ax.set_xlabel("labelled rows per user")
        ax.set_ylabel(_direction(sc) or "score")
        ax.set_title(f"{_title(name)}: learning curves", fontsize=10)
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8)
        _save(fig, path)
    return True


# ------------------------------------------------------------------- markdown
def _scenario_section(
    name: str, sc: dict[str, Any], curve_png: str | None
) -> list[str]:
    direction = _direction(sc)
    out = [f"### {_title(name)}" + (f" ({direction})" if direction else ""), ""]
    row = [
        *(_metric(sc.get(k)) for k in METHODS),
        _percent(sc.get("gap_closed_top1")),
        _percent(sc.get("identification")),
        _count(sc.get("users")),
        _count(sc.get("learnwares")),
        _seconds(sc.get("spec_s")),
        _ms(sc.get("search_ms")),
    ]
    if any(cell != DASH for cell in row):
        header = [
            *METHODS.values(),
            "Gap closed by top-1",
            "Identification",
            "Users",
            "Learnwares",
            "Spec time",
            "Search time",
        ]
        out += [*_md_table(header, [row]), ""]
        if _num(sc.get("seconds")) is not None:
            out += [f"Ran in {sc['seconds']:.0f} s.", ""]
        out += _extras(sc)
    else:
        out += ["No numbers in this run.", ""]
    if sc.get("note"):
        out += [f"Note: {sc['note']}", ""]
    sizes, lines = _curves(sc)
    if sizes and lines:
        header = ["Labelled rows", *(CURVES.get(k, k) for k in lines)]
        rows = [
            [f"{s:,.0f}", *(_metric(v[i]) for v in lines.values())]
            for i, s in enumerate(sizes)
        ]
        out += ["Learning curves (mean over users):", "", *_md_table(header, rows), ""]
    if curve_png:
        out += [f"![{_title(name)}: learning curves]({curve_png})", ""]
    return out


def _extras(sc: dict[str, Any]) -> list[str]:
    lines = []
    for key, text in EXTRAS.items():
        value = _num(sc.get(key))
        if value is None:
            continue
        if key in ("mixture_accepted", "ensemble_not_worse"):
            lines.append(f"- {text} {value:.0%} of the users")
        elif key.startswith("gap_closed"):
            lines.append(f"- {text}: {value:.0%}")
        elif key.endswith("_s"):
            lines.append(f"- {text}: {value:.2f}")
        elif key == "top1_random_conv":
            lines.append(f"- {text}: {_metric(value)}")
        else:
            lines.append(f"- {text}: {value:,.0f}")
    return [*lines, ""] if lines else []


def _targets_section(targets: Any) -> list[str]:
    out = ["## Targets", ""]
    rows = [t for t in targets or [] if isinstance(t, dict)]
    if not rows:
        return [*out, "No targets were checked in this run.", ""]
    met = sum(bool(t.get("met")) for t in rows)
    out += [f"{met} of {len(rows)} met.", ""]
    body = [
        [
            _title(str(t.get("scenario", DASH))).split(":")[0],
            str(t.get("target", DASH)),
            str(t.get("value", DASH)),
            "✅ met" if t.get("met") else "❌ missed",
        ]
        for t in rows
    ]
    return [*out, *_md_table(["Scenario", "Target", "Value", "Result"], body), ""]


def write_report(
    results: dict[str, Any],
    out: Path = REPO / "docs" / "benchmarks.md",
    *,
    today: datetime.date | None = None,
) -> Path:
    """Write the Markdown report to ``out`` and its PNGs to ``out.parent/benchmarks``.

    Returns ``out``. Plots of an earlier run that this one does not make
    (``bars.png``, ``curves-*.png``) are removed from that folder.
    """
    img_dir = out.parent / "benchmarks"
    entries = scenarios(results)
    quick = bool(results.get("quick"))
    date = (today or datetime.date.today()).isoformat()
    lines = [
        "# Benchmarks: the real markets",
        "",
        "`benchmarks.markets` builds markets of learnwares from real data (NYC "
        "flights, Fashion-MNIST, WordNet glosses), mimicking the original Beimingwu's "
        "published experiments, and gives each user's specification to the dock's "
        "search. It "
        "reports the mean and the best (an oracle) single learnware of the market on "
        "the user's data, the learnware search ranks first (Top-1), the Job selector "
        "and the Average ensemble; the share of the Mean-to-Best gap Top-1 closes; how "
        "often Top-1 is the right learnware (identification); and the time to make a "
        "specification and to search. The learning curves add a few labelled user "
        "rows. The protocols are in `benchmarks/markets.py`.",
        "",
        "Regenerate this page and its plots with `python -m benchmarks.markets "
        "--report`.",
        "",
        f"Generated on {date} from a "
        + (
            "**quick** run (`--quick`: CI-sized markets, fewer users)."
            if quick
            else "full run."
        ),
        "",
        "## Results",
        "",
    ]
    written: set[str] = set()
    if bar_chart(entries, img_dir / "bars.png"):
        lines += [f"![The five methods per scenario]({img_dir.name}/bars.png)", ""]
        written.add("bars.png")
    for name, sc in entries:
        png = img_dir / f"curves-{name}.png"
        link = None
        if curve_chart(name, sc, png):
            link = f"{img_dir.name}/{png.name}"
            written.add(png.name)
        lines += _scenario_section(name, sc, link)
    for stale in [*img_dir.glob("bars.png"), *img_dir.glob("curves-*.png")]:
        if stale.name not in written:  # from an earlier run
            stale.unlink()
    lines += [
        "## The original's published results",
        "",
        "On the original's data (the protocols above mimic these; the numbers are not "
        "comparable one to one):",
        "",
        ORIGINAL,
        *_targets_section(results.get("targets")),
    ]
    out.parent.mkdir(parents=True, exist_ok=True)
    text = "\n".join(lines).rstrip() + "\n"
    kept = _kept_sections(out)
    out.write_text(text + (f"\n{kept}" if kept else ""), encoding="utf-8")
    return out


KEPT_HEADINGS = ("## Load: the dock under concurrent users",)
"""Sections of the page written by other benchmarks (``benchmarks.load``): kept,
from the first of these headings to the end, when the page is regenerated."""


def _kept_sections(page: Path) -> str:
    if not page.is_file():
        return ""
    text = page.read_text(encoding="utf-8")
    starts = [text.find(f"\n{h}\n") for h in KEPT_HEADINGS]
    found = [i for i in starts if i >= 0]
    return text[min(found) + 1 :].rstrip() + "\n" if found else ""
