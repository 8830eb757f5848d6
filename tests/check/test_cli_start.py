"""`alvh check` stays light: it never imports pandas, scipy or matplotlib."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SCRIPT = """
import sys
from alvh_rules.cli.main import main
code = main(["check", sys.argv[1]])
libraries = ("pandas", "scipy", "matplotlib", "numpy", "pygls")
heavy = [name for name in libraries if name in sys.modules]
print("HEAVY:" + ",".join(heavy))
sys.exit(code)
"""


def test_check_imports_no_heavy_library(tmp_path: Path) -> None:
    ruleset = tmp_path / "r.alvh"
    ruleset.write_text("entry e: when vix > 30\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(ruleset)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert "HEAVY:\n" in done.stdout, done.stdout
