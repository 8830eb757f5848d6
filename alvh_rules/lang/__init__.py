"""The language layer every phase shares: diagnostics and their codes, units, the catalogue
of market and position fields, the built-in functions and structures, the reference text
made from them, and ruleset files on disk. Pure Python: no pandas (the `alvh check` path).
"""
