"""The race-weekend simulator: realistic GT4 weekends that emit the same events a real feed does."""
