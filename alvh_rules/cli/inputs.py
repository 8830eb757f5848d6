"""Inputs shared by `alvh eval` and `alvh replay`: the ruleset, `--set` params and the market
history (a folder or the built-in demo set). Each expected failure is a `CliError` naming
the file, field and value, with its exit code (1 ruleset errors, 2 usage and data errors).
"""

from __future__ import annotations

import argparse
import datetime as dt
import difflib
import math
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from alvh_rules.lang.files import MAX_DATA_FILE_BYTES, read_regular_file

if TYPE_CHECKING:
    from alvh_rules.check.ruleset import Ruleset
    from alvh_rules.market.history import History

EXIT_FINDINGS = 1
EXIT_USAGE = 2


class CliError(Exception):
    """An expected failure: the message, the exit code, and details printed before it."""

    def __init__(self, message: str, code: int = EXIT_USAGE, details: str = "") -> None:
        super().__init__(message)
        self.code = code
        self.details = details

    def report(self, command: str) -> int:
        """Print the details and `alvh COMMAND: message` on stderr; return the exit code."""
        if self.details:
            print(self.details, file=sys.stderr)
        print(f"alvh {command}: {self}", file=sys.stderr)
        return self.code


def add_common_arguments(parser: argparse.ArgumentParser) -> None:
    """The options `alvh eval` and `alvh replay` share: data, params, capital, risk budget."""
    parser.add_argument("ruleset", metavar="RULESET", help="the .alvh ruleset to evaluate")
    parser.add_argument(
        "--data",
        metavar="DIR",
        help="market data folder laid out as in docs/data.md (default: the built-in demo set)",
    )
    parser.add_argument(
        "--set",
        dest="sets",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="override a param within its declared bounds, e.g. --set rsi_cap=65 (repeatable)",
    )
    parser.add_argument(
        "--capital",
        type=positive_dollars,
        metavar="USD",
        help="account capital in dollars (sizing)",
    )
    parser.add_argument(
        "--risk-budget",
        type=dollars,
        metavar="USD",
        help="risk the account allows at once, in dollars",
    )


def add_smile_argument(parser: argparse.ArgumentParser) -> None:
    """`--smile`: the SPX surface's SSVI smile shape (eval, replay, backtest)."""
    parser.add_argument(
        "--smile",
        type=smile_shape,
        metavar="rho=R,eta=E,gamma=G",
        help=(
            "SPX smile shape (SSVI, docs/greeks.md): any of rho (-1..1), eta (> 0), gamma "
            "(0..0.5) with eta*(1+|rho|) <= 2; the rest keep the defaults rho=-0.7,eta=0.8,"
            "gamma=0.5, e.g. --smile rho=-0.6,eta=1.1"
        ),
    )


def smile_shape(text: str) -> Any:
    """`--smile`'s value as a `SurfaceShape`; a bad field or value is a usage error (exit 2)."""
    from alvh_rules.greeks.ssvi import parse_shape

    try:
        return parse_shape(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error).removeprefix("smile: ")) from None


def dollars(text: str) -> float:
    """argparse type: a finite, non-negative amount of dollars (commas and `$` allowed)."""
    cleaned = text.replace(",", "").replace("_", "").strip().lstrip("$").rstrip("$")
    try:
        value = float(cleaned)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an amount of dollars: {text!r}") from None
    if not math.isfinite(value) or value < 0:
        raise argparse.ArgumentTypeError(f"must be a finite amount >= 0 dollars, got {text!r}")
    return value


def positive_dollars(text: str) -> float:
    """argparse type: an amount of dollars above zero (account capital)."""
    try:
        value = dollars(text)
    except argparse.ArgumentTypeError as error:
        # `dollars` allows 0; here the words must say what this option takes.
        words = str(error).replace(
            "a finite amount >= 0 dollars", "a finite amount above 0 dollars"
        )
        raise argparse.ArgumentTypeError(words) from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be a finite amount above 0 dollars, got {text!r}")
    return value


def trading_date(text: str) -> dt.date:
    """argparse type: a date written YYYY-MM-DD."""
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def load_ruleset(path: str) -> Ruleset:
    """Check the ruleset; its diagnostics (text with carets) become a CliError with code 1."""
    from alvh_rules.check.ruleset import check_file
    from alvh_rules.cli.render import render_text

    file = Path(path)
    if not file.is_file():
        kind = "a folder, not a ruleset file" if file.is_dir() else "no such file"
        raise CliError(f"{path}: {kind}")
    report = check_file(file)
    if report.ruleset is None:
        errors = sum(1 for d in report.diagnostics if d.is_error)
        text = render_text(report.diagnostics, report.sources)
        summary = f"{path}: {errors} error{'s' if errors != 1 else ''}; nothing was evaluated"
        raise CliError(summary, EXIT_FINDINGS, details=text)
    return report.ruleset


def parse_params(ruleset: Ruleset, sets: list[str]) -> dict[str, str]:
    """`--set name=value` items, checked against the ruleset's params (name, unit, bounds)."""
    from alvh_rules.eval.params import ParamError, resolve_params

    params: dict[str, str] = {}
    for item in sets:
        name, equals, value = item.partition("=")
        if not equals or not name.strip() or not value.strip():
            raise CliError(f"--set {item!r}: write NAME=VALUE, e.g. --set rsi_cap=65")
        params[name.strip()] = value.strip()
    try:
        resolve_params(ruleset, params)
    except ParamError as error:
        unknown = next((name for name in params if name not in ruleset.params), None)
        declared = ", ".join(sorted(ruleset.params)) or "none"
        listed = f" (its params: {declared})" if unknown is not None else ""
        raise CliError(f"--set: {error}{listed}") from None
    return params


def param_units(ruleset: Ruleset) -> dict[str, str]:
    """Each param's unit suffix as its declaration writes it (`%`, `delta`, `d`; `` for none)."""
    from alvh_rules.syntax import ast

    units: dict[str, str] = {}
    for name, param in ruleset.params.items():
        for expr in (param.default, param.low, param.high):
            while isinstance(expr, ast.Unary):
                expr = expr.operand
            if isinstance(expr, ast.Number) and expr.unit:
                units[name] = expr.unit
                break
    return units


def load_history(data: str | None, smile: Any = None) -> tuple[History, str]:
    """The history of a data folder (or the built-in demo set) and a label saying which,
    priced with the `--smile` shape when given."""
    history, label = _load_history(data)
    if smile is None:
        return history, label
    return history.with_smile(smile), f"{label}; SPX smile {smile.describe()} (--smile)"


def _load_history(data: str | None) -> tuple[History, str]:
    from alvh_rules.market.demo import REAL_FROM, SYNTHETIC_INPUTS
    from alvh_rules.market.history import History

    if data is None:
        inputs = ", ".join(SYNTHETIC_INPUTS)
        return History.builtin(), (
            f"built-in demo data: synthetic before {REAL_FROM}; {inputs} synthetic on every day"
        )
    folder = Path(data)
    if not folder.exists():
        raise CliError(f"--data {data}: no such folder")
    if not folder.is_dir():
        raise CliError(f"--data {data}: not a folder (give the folder holding the CSV files)")
    try:
        if not any(folder.glob("*.csv")):
            raise CliError(f"--data {data}: no CSV files in the folder (layout in docs/data.md)")
        history = History.from_dir(folder)
    except OSError as error:
        reason = error.strerror or str(error)
        raise CliError(f"--data {data}: cannot read {error.filename or data}: {reason}") from None
    except ValueError as error:  # DataError names the file, row and column
        raise CliError(f"--data {data}: {error}") from None
    if len(history.index) == 0:
        raise CliError(f"--data {data}: the folder holds no trading days")
    return history, f"data: {data} ({history.index[0].date()} to {history.index[-1].date()})"


def snapshot_day(history: History, day: dt.date | None) -> tuple[dt.date, str]:
    """The session to evaluate: `day` if it is one, else the last session before it (with a
    note); the history's last day by default. Days outside the history are errors."""
    import pandas as pd

    from alvh_rules.market.calendar import is_trading_day

    index = history.index
    first, last = index[0].date(), index[-1].date()
    if day is None:
        return last, ""
    if day < first:
        raise CliError(f"--date {day} is before the history's first day {first}")
    if day > last:
        if not is_trading_day(pd.Timestamp(day)):
            raise CliError(f"--date {day} is not a trading day, and the history ends on {last}")
        # The session after the end is allowed (live use); later ones are refused by snapshot.
        return day, f"{day} is after the history's last day {last}: today's values are unknown"
    position = int(index.searchsorted(pd.Timestamp(day), side="right")) - 1
    session = index[position].date()
    if session == day:
        return day, ""
    return session, f"{day} is not a trading day: evaluating the close of {session}"


def read_json(path: str, what: str) -> Any:
    """A JSON file, refusing NaN and Infinity (JSON has neither; write null for missing)."""
    import json

    bad: list[str] = []

    def refuse(constant: str) -> None:
        bad.append(constant)

    try:
        text = read_regular_file(path, MAX_DATA_FILE_BYTES).decode("utf-8")
    except FileNotFoundError:
        raise CliError(f"{what} {path}: no such file") from None
    except (OSError, UnicodeDecodeError) as error:
        reason = getattr(error, "strerror", None) or error
        raise CliError(f"{what} {path}: cannot read it: {reason}") from None
    try:
        payload = json.loads(text, parse_constant=refuse)
    except json.JSONDecodeError as error:
        raise CliError(f"{what} {path}: not JSON: {error}") from None
    except RecursionError:
        raise CliError(f"{what} {path}: JSON nested too deeply to be a {what} file") from None
    if bad:
        raise CliError(
            f"{what} {path}: holds {bad[0]} on line {_line_of(text, bad[0])}: "
            "JSON has no NaN or infinity; write null for a missing value"
        )
    return payload


def _line_of(text: str, constant: str) -> int:
    """The line of the first refused constant (the JSON decoder gives no position for it)."""
    return text[: text.find(constant)].count("\n") + 1


def validation_message(error: Any, what: str, path: str) -> str:
    """A pydantic ValidationError as `what path: field.path = value: message` lines, one
    per bad field (a misspelt key is not also reported as the key it misspells)."""
    errors = first_cause_errors(list(error.errors()))
    lines = []
    for detail in errors[:5]:
        location = ".".join(str(part) for part in detail["loc"]) or "(top level)"
        if detail["type"] == "missing":  # its input is the object around the field: not shown
            lines.append(f"{what} {path}: {location} is missing (a required field)")
            continue
        shown = repr(detail.get("input"))
        shown = shown if len(shown) <= 60 else shown[:57] + "..."
        lines.append(f"{what} {path}: {location} = {shown}: {detail['msg']}")
    more = len(errors) - 5
    if more > 0:
        lines.append(f"... and {more} more")
    return "\n".join(lines)


def first_cause_errors(errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Pydantic's errors without the follow-ons of a misspelt key: `strik` is reported as an
    unknown field (with its did-you-mean), not also `strike` as missing or empty."""
    kept = list(errors)
    for error in errors:
        if error["type"] != "extra_forbidden" or not error["loc"]:
            continue
        *parent, key = error["loc"]
        siblings = [e for e in kept if list(e["loc"][:-1]) == parent and e is not error]
        names = [str(e["loc"][-1]) for e in siblings]
        close = difflib.get_close_matches(str(key), names, n=1, cutoff=0.6)
        if close:
            kept = [e for e in kept if not (e in siblings and str(e["loc"][-1]) == close[0])]
            error["msg"] = f"unknown field; did you mean '{close[0]}'?"
    return kept
