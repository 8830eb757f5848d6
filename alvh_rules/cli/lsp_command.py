"""`alvh lsp`: run the language server on standard input and output (for editors).

pygls loads only when the command runs, so the other commands start without it.
"""

from __future__ import annotations

import argparse
from typing import Any


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "lsp",
        help="run the language server (LSP over stdio) for editors",
        description=(
            "Speak the Language Server Protocol on standard input and output: diagnostics "
            "as you type, hover, go to definition, references, completion, document symbols "
            "and formatting. Editors start it; see docs/editors.md."
        ),
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from alvh_rules.lsp.server import serve_stdio

    serve_stdio()
    return 0
