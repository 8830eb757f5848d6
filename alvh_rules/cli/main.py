"""`alvh` entry point: builds the subcommands and turns every failure into a message.

Each subcommand lives in its own module with `register(subparsers)`; heavy imports
happen inside the command's run function, so `alvh check` starts fast. Exit codes:
0 success, 1 findings (errors, failed tests, files to reformat), 2 usage or I/O error.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from alvh_rules import __version__

# Modules defining one subcommand each, in the order `alvh --help` lists them.
COMMAND_MODULES: tuple[str, ...] = (
    "alvh_rules.cli.check_command",
    "alvh_rules.cli.fmt_command",
    "alvh_rules.cli.test_command",
    "alvh_rules.cli.eval_command",
    "alvh_rules.cli.replay_command",
    "alvh_rules.cli.backtest_command",
    "alvh_rules.cli.sweep_command",
    "alvh_rules.cli.data_command",
    "alvh_rules.cli.lsp_command",
)

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="alvh",
        description="Check, format, test and evaluate ALVH rulesets (.alvh files).",
    )
    parser.add_argument("--version", action="version", version=f"alvh-rules {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for module_name in COMMAND_MODULES:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as missing:
            if missing.name != module_name:
                raise
            continue  # a command not built yet is simply not offered
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.run(args))
    except KeyboardInterrupt:
        print("alvh: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except OSError as error:
        print(
            f"alvh: {error.strerror or error}: {error.filename or ''}".rstrip(": "), file=sys.stderr
        )
        return EXIT_USAGE
    except Exception as error:  # the CLI never shows a traceback; say what failed instead
        print(f"alvh: internal error: {type(error).__name__}: {error}", file=sys.stderr)
        print("alvh: please report this with the input that caused it", file=sys.stderr)
        return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())
