"""`alvh eval --explain` shows the day's market model: the SPX surface's fit to each VIX index
with its residual, the VX curve and the VIX option smile; the JSON keeps it in provenance."""

from __future__ import annotations

import json
from pathlib import Path

from cli_support import QUICKSTART, Run


def test_explain_shows_the_surface_fit_with_its_residuals(run: Run, real_data: Path) -> None:
    code, out, _ = run("eval", QUICKSTART, "--data", real_data, "--date", "2020-03-16", "--explain")
    assert code == 0
    assert "Market model (modelled prices, not traded quotes)" in out
    assert "VIX 82.69: ATM 71.87 vp (0.869 x VIX), residual" in out
    assert "VIX9D 106.66: ATM" in out and "VIX3M 67.70: ATM" in out
    assert "VX curve: F1 72.62 in 2d, F2 59.15 in 30d; beyond F2 extrapolated" in out


def test_a_day_before_vix9d_fits_what_it_has_and_says_so(run: Run, real_data: Path) -> None:
    # VIX3M starts on 2009-09-18, VIX9D on 2011-01-04.
    args = ("eval", QUICKSTART, "--data", real_data, "--date", "2010-05-07", "--format", "json")
    code, out, _ = run(*args)
    assert code == 0
    notes = json.loads(out)["provenance"]["market_model"]
    assert "VIX9D unknown: not fitted, the surface uses the other tenors" in notes
    residuals = [n for n in notes if n.startswith(("VIX ", "VIX3M ")) and "residual" in n]
    assert len(residuals) == 2
    for note in residuals:
        assert abs(float(note.rsplit("residual ", 1)[1].split()[0])) < 0.01
