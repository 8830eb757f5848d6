"""The sweep report's charts as SVG text: the metric over one param (a line), two params (a
heatmap) or more (parallel coordinates), each param's sensitivity, and walk-forward's train
against test. Drawn on matplotlib Figures directly, so no global pyplot state is touched.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from matplotlib.figure import Figure

ParamText = Callable[[str, float], str]
COLOURMAP = "viridis"


def svg(figure: Figure) -> str:
    """The figure as inline SVG (no XML prologue, so it embeds in HTML); no date and fixed
    element ids, so the same sweep gives the same report."""
    import matplotlib

    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.hashsalt": "alvh-sweep"}):
        figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    text = buffer.getvalue()
    return text[text.find("<svg") :]


def overview(
    rows: pd.DataFrame, params: tuple[str, ...], metric: str, text: ParamText
) -> str | None:
    """The metric over the swept params: line (1), heatmap (2), parallel coordinates (3+)."""
    usable = rows.dropna(subset=[metric])
    if usable.empty:
        return None
    if len(params) == 1:
        return _line(usable, params[0], metric)
    if len(params) == 2 and _is_grid(usable, params):
        return _heatmap(usable, params, metric, text)
    return _parallel(usable, params, metric)


def sensitivity(rows: pd.DataFrame, params: tuple[str, ...], metric: str) -> str | None:
    """One panel per param: every point's metric against the param, and the mean per value."""
    from matplotlib.figure import Figure

    usable = rows.dropna(subset=[metric])
    if usable.empty:
        return None
    figure = Figure(figsize=(3.4 * len(params), 3.0))
    axes = figure.subplots(1, len(params), squeeze=False)[0]
    for axis, name in zip(axes, params, strict=True):
        axis.scatter(usable[name], usable[metric], s=12, alpha=0.5)
        means = usable.groupby(name)[metric].mean()
        if len(means) <= 25:  # a grid axis: the mean per value reads as a line
            axis.plot(means.index, means.to_numpy(), color="black", linewidth=1.2)
        axis.set_xlabel(name)
        axis.set_ylabel(metric)
    figure.tight_layout()
    return svg(figure)


def train_vs_test(train: pd.DataFrame, test: pd.DataFrame, metric: str) -> str | None:
    """Each point's metric on training (x) against test (y)."""
    from matplotlib.figure import Figure

    pairs = pd.merge(train[["point", metric]], test[["point", metric]], on="point").dropna()
    if pairs.empty:
        return None
    figure = Figure(figsize=(4.5, 4.0))
    axis = figure.subplots()
    axis.scatter(pairs[f"{metric}_x"], pairs[f"{metric}_y"], s=14)
    axis.set_xlabel(f"{metric} on training")
    axis.set_ylabel(f"{metric} on test")
    figure.tight_layout()
    return svg(figure)


def _is_grid(rows: pd.DataFrame, params: tuple[str, ...]) -> bool:
    return bool(rows.groupby(list(params)).size().max() == 1) and all(
        rows[name].nunique() <= 40 for name in params
    )


def _line(rows: pd.DataFrame, name: str, metric: str) -> str:
    from matplotlib.figure import Figure

    ordered = rows.sort_values(name)
    figure = Figure(figsize=(6, 3.5))
    axis = figure.subplots()
    axis.plot(ordered[name], ordered[metric], marker="o")
    axis.set_xlabel(name)
    axis.set_ylabel(metric)
    figure.tight_layout()
    return svg(figure)


def _heatmap(rows: pd.DataFrame, params: tuple[str, ...], metric: str, text: ParamText) -> str:
    from matplotlib.figure import Figure

    across, down = params
    table = rows.pivot_table(index=down, columns=across, values=metric, aggfunc="mean")
    figure = Figure(figsize=(1.0 + 0.9 * len(table.columns), 1.0 + 0.6 * len(table.index)))
    axis = figure.subplots()
    image = axis.imshow(table.to_numpy(), cmap=COLOURMAP, aspect="auto", origin="lower")
    axis.set_xticks(range(len(table.columns)), [text(across, float(v)) for v in table.columns])
    axis.set_yticks(range(len(table.index)), [text(down, float(v)) for v in table.index])
    axis.set_xlabel(across)
    axis.set_ylabel(down)
    low, high = np.nanmin(table.to_numpy()), np.nanmax(table.to_numpy())
    for (i, j), value in np.ndenumerate(table.to_numpy()):
        if np.isfinite(value):
            bright = high > low and (value - low) / (high - low) > 0.6  # viridis turns yellow
            colour = "black" if bright else "white"
            axis.text(j, i, f"{value:.3g}", ha="center", va="center", fontsize=7, color=colour)
    figure.colorbar(image, ax=axis, label=metric)
    figure.tight_layout()
    return svg(figure)


def _parallel(rows: pd.DataFrame, params: tuple[str, ...], metric: str) -> str:
    """Each point a line across the params' axes (each scaled to its own range), coloured
    by the metric: the good region shows as a bundle of bright lines."""
    from matplotlib import colormaps
    from matplotlib.cm import ScalarMappable
    from matplotlib.colors import Normalize
    from matplotlib.figure import Figure

    values = rows[list(params)].astype(float)
    low, high = values.min(), values.max()
    scaled = (values - low) / (high - low).replace(0.0, 1.0)
    norm = Normalize(float(rows[metric].min()), float(rows[metric].max()))
    colours = colormaps[COLOURMAP]
    figure = Figure(figsize=(1.8 * len(params) + 2, 4))
    axis = figure.subplots()
    positions = range(len(params))
    for (_, line), value in zip(scaled.iterrows(), rows[metric], strict=True):
        axis.plot(positions, line.to_numpy(), color=colours(norm(value)), alpha=0.6)
    axis.set_xticks(list(positions), [f"{n}\n{low[n]:.4g}..{high[n]:.4g}" for n in params])
    axis.set_yticks([0, 1], ["low", "high"])
    mappable: Any = ScalarMappable(norm=norm, cmap=colours)
    figure.colorbar(mappable, ax=axis, label=metric)
    figure.tight_layout()
    return svg(figure)
