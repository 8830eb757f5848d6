"""JUnit XML for CI: one <testsuite> per test file, one <testcase> per test, failures
with the expected/got diff, errors and skips with their located message.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from alvh_rules.testing.model import RunReport, TestResult
from alvh_rules.testing.report import result_lines


def junit_xml(report: RunReport) -> str:
    root = ET.Element("testsuites", name="alvh test")
    by_file: dict[str, list[TestResult]] = {}
    for result in report.results:
        by_file.setdefault(result.case.file, []).append(result)
    for file, results in by_file.items():
        suite = ET.SubElement(
            root,
            "testsuite",
            name=file,
            tests=str(len(results)),
            failures=str(sum(r.status == "failed" for r in results)),
            errors=str(sum(r.status == "error" for r in results)),
            skipped=str(sum(r.status == "skipped" for r in results)),
            time=f"{sum(r.seconds for r in results):.3f}",
        )
        for result in results:
            _testcase(suite, result)
    for diagnostic in report.diagnostics:
        suite = ET.SubElement(root, "testsuite", name=diagnostic.span.file, tests="1", errors="1")
        case = ET.SubElement(suite, "testcase", classname=diagnostic.span.file, name="check")
        error = ET.SubElement(case, "error", message=f"{diagnostic.code}: {diagnostic.message}")
        error.text = f"{diagnostic.span}: {diagnostic.code}: {diagnostic.message}"
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


def _testcase(suite: ET.Element, result: TestResult) -> None:
    case = ET.SubElement(
        suite,
        "testcase",
        classname=result.case.file,
        name=result.case.name,
        file=result.case.file,
        line=str(result.case.span.line),
        time=f"{result.seconds:.3f}",
    )
    body = "\n".join(result_lines(result))
    if result.status == "failed":
        first = result.mismatches[0]
        failure = ET.SubElement(
            case, "failure", message=f"expected {first.expected}, got {first.got}"
        )
        failure.text = body
    elif result.status == "error":
        ET.SubElement(case, "error", message=result.message).text = body
    elif result.status == "skipped":
        ET.SubElement(case, "skipped", message=result.message)


def write_junit(report: RunReport, path: str | Path) -> None:
    Path(path).write_text(junit_xml(report), encoding="utf-8")
