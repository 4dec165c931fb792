"""Importers: one module per external format, bytes or lines in, core entries and events out."""
