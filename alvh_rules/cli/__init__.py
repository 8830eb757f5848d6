"""The `alvh` command line: a thin layer over the library's phases."""
