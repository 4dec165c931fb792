"""chequered: timing, scoring and championship software for multi-class GT racing."""

__version__ = "0.1.0"
