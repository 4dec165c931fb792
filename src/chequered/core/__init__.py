"""The pure domain core: model, event vocabulary, rulebook, stints, classification.

Standard library only; no I/O beyond parsing text handed in by a caller.
"""
