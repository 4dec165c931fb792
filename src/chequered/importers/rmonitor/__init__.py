"""RMonitor (MYLAPS Orbits "Results Monitor"): ``records`` parses lines into typed records, ``feed``
turns records into the log's events, and ``stream`` follows a host or replays a capture."""
