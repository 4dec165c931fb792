"""The server's paced garbage collection: long-lived objects frozen, thawed and collected on schedule,
and nothing left frozen when it stops."""

from __future__ import annotations

import asyncio
import contextlib
import gc

from chequered.cli.collector import pace_collections


class _Cycle:
    def __init__(self) -> None:
        self.me = self


def test_survivors_are_frozen_then_thawed_and_collected_and_all_thawed_at_the_end() -> None:
    async def scenario() -> tuple[int, int, int]:
        pacing = asyncio.get_running_loop().create_task(pace_collections(freeze_s=0.01, release_s=0.2))
        await asyncio.sleep(0.05)
        frozen = gc.get_freeze_count()
        _Cycle()  # garbage in a cycle: only the cyclic collector reclaims it
        await asyncio.sleep(0.3)  # a release has run: thawed, collected, frozen again
        released = gc.get_freeze_count()
        pacing.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await pacing
        return frozen, released, gc.get_freeze_count()

    assert gc.get_freeze_count() == 0
    frozen, released, after = asyncio.run(scenario())
    assert frozen > 0
    assert released > 0
    assert after == 0
    assert not any(isinstance(o, _Cycle) for o in gc.get_objects())
