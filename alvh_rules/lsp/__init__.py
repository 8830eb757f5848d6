"""The language server behind `alvh lsp`: diagnostics, hover, definition, completion, symbols
and formatting for `.alvh` files, built on pygls. Importing this package loads pygls.
"""
