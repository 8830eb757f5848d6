"""fetch(dir) with a fake opener: files written atomically, failures reported, no network."""

from __future__ import annotations

from pathlib import Path

from alvh_rules.market import History
from alvh_rules.market.fetch import PUBLIC_FILES, fetch

CBOE_VIX = (
    b"DATE,OPEN,HIGH,LOW,CLOSE\n07/01/2024,12.0,13.0,11.0,12.5\n07/02/2024,12.5,13.0,12.0,12.2\n"
)


def test_fetch_writes_the_public_layouts_that_from_dir_reads(tmp_path: Path) -> None:
    def opener(url: str, timeout: float) -> bytes:
        assert timeout > 0
        if url.endswith("/VIX_History.csv"):
            return CBOE_VIX
        if "DTB3" in url:
            return b"observation_date,DTB3\n2024-07-01,5.25\n"
        raise OSError("unreachable in this test")

    report = fetch(tmp_path, opener=opener)
    assert {p.name for p in report.written} == {"VIX_History.csv", "DTB3.csv"}
    assert set(report.failed) == set(PUBLIC_FILES) - {"VIX_History.csv", "DTB3.csv"}
    assert "OSError" in report.failed["VVIX_History.csv"]
    history = History.from_dir(tmp_path)
    assert history.daily["vix"].tolist() == [12.5, 12.2]


def test_a_failed_fetch_keeps_the_older_copy(tmp_path: Path) -> None:
    (tmp_path / "VIX_History.csv").write_bytes(CBOE_VIX)
    report = fetch(
        tmp_path,
        files={"VIX_History.csv": "https://example.invalid/vix"},
        opener=lambda url, timeout: b"<html>rate limited</html>",
    )
    assert "not CSV" in report.failed["VIX_History.csv"]
    assert (tmp_path / "VIX_History.csv").read_bytes() == CBOE_VIX
    assert not list(tmp_path.glob("*.part"))
