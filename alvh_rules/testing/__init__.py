"""Ruleset tests (`alvh test`): discovery of `test` blocks, snapshots built from them,
running them against the interpreter, the diff of expected and got, coverage and JUnit XML.
"""

from alvh_rules.testing.model import RunReport, TestCase, TestResult
from alvh_rules.testing.runner import run_paths

__all__ = ["RunReport", "TestCase", "TestResult", "run_paths"]
