"""`alvh test --junit-xml FILE` writes JUnit XML a CI server can read: one suite per
test file, a failure with the expected/got diff, skips and errors with their message."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from alvh_rules.cli.main import main

RULES = """ruleset "t"
let vix_rsi = rsi(vix, 14)
entry e:
    when vix_rsi > 60
test "fires at 65":
    given vix_rsi = 65
    expect e fires
test "wrongly expects firing at 40":
    given vix_rsi = 40
    expect e fires
test "needs a data folder":
    on 2020-03-16
    expect e holds
"""


def test_junit_xml_parses_and_counts(tmp_path: Path) -> None:
    rules = tmp_path / "rules.alvh"
    rules.write_text(RULES)
    out = tmp_path / "results.xml"
    assert main(["test", "--junit-xml", str(out), str(rules)]) == 1
    root = ET.parse(out).getroot()
    assert root.tag == "testsuites"
    (suite,) = root.findall("testsuite")
    assert suite.get("tests") == "3"
    assert (suite.get("failures"), suite.get("skipped"), suite.get("errors")) == ("1", "1", "0")
    cases = {case.get("name"): case for case in suite.findall("testcase")}
    assert cases["fires at 65"].find("failure") is None
    failure = cases["wrongly expects firing at 40"].find("failure")
    assert failure is not None
    assert failure.get("message") == "expected e fires, got e holds"
    assert "- expected e fires" in (failure.text or "")
    assert cases["needs a data folder"].find("skipped") is not None
    assert cases["fires at 65"].get("line") == "5"
