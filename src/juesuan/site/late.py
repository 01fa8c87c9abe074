"""The late pages of a clean build, shared out between two processes that render them.

The pages across reports (and the hand-written pages with markers) are written by the aggregator,
a process forked when MkDocs has read every other page; it then renders them too (the hook's
`_write_late`). MkDocs' own loop renders the report pages meanwhile, and when it reaches the late
pages it renders those the aggregator has not taken yet, so neither waits for the other at the end.

The aggregator takes pages from the first on (`take`). MkDocs' loop visits every late page in the
same order and, being a dirty build, asks each page's File whether it changed: `claim` says yes
exactly when the page is the next one nobody has taken, and takes it.
"""

from __future__ import annotations

import multiprocessing as mp
from typing import Callable


class Share:
    """Which late pages are taken, and whether the aggregator has written their Markdown yet."""

    def __init__(self, uris: list[str]) -> None:
        ctx = mp.get_context("fork")
        self.uris = list(uris)
        self.index = {u: i for i, u in enumerate(self.uris)}
        self.next = ctx.Value("i", 0)  # the first page nobody has taken
        self.aggregated = ctx.Event()  # the aggregator has written the pages' Markdown and the markers
        self.claimed: list[str] = []  # the pages MkDocs' loop in this process took

    def take(self) -> int | None:
        """In the aggregator: the next page's index, or None when all are taken."""
        with self.next.get_lock():
            k = self.next.value
            if k >= len(self.uris):
                return None
            self.next.value = k + 1
            return k

    def claim(self, uri: str) -> bool:
        """In MkDocs' loop, which asks for every late page in order: take this one if it is next."""
        k = self.index[uri]
        with self.next.get_lock():
            if self.next.value != k:
                return False
            self.next.value = k + 1
        self.claimed.append(uri)
        return True

    def wait_aggregated(self, alive: Callable[[], bool]) -> bool:
        """Wait until the aggregator has written the pages; False if it stopped before that."""
        while not self.aggregated.wait(0.2):
            if not alive():
                return self.aggregated.is_set()
        return True

    def missed(self, done: set[str]) -> list[str]:
        """The pages neither this process (`claimed`) nor the aggregator (`done`) rendered."""
        return [u for u in self.uris if u not in done and u not in self.claimed]
