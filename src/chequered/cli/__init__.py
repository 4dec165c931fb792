"""The ``chequered`` command line."""
