"""Authoring tools: the canonical formatter (`format_text`) and the Pygments lexer.

Kept free of imports so that Pygments can load the lexer without loading the parser.
"""
