"""Span lookups that scale with n log n, not n²: a letter has hundreds of mentions and
sentences, and the extractor asks these questions for every one of them."""
from __future__ import annotations

import bisect
from itertools import accumulate


class Intervals:
    """Is a position inside one of these spans? Spans may overlap."""

    def __init__(self, spans):
        self.spans = spans = sorted(spans)
        self.starts = [a for a, _ in spans]
        # prefix_end[i]: the furthest end of spans[0..i]
        self.prefix_end = list(accumulate([b for _, b in spans], max))

    def contains(self, pos: int) -> bool:
        i = bisect.bisect_right(self.starts, pos)
        return bool(i) and self.prefix_end[i - 1] > pos

    def covers(self, a: int, b: int) -> bool:
        """Does one span hold all of [a, b) (equal spans count)?"""
        i = bisect.bisect_right(self.starts, a)
        return bool(i) and self.prefix_end[i - 1] >= b

    def overlaps(self, a: int, b: int) -> bool:
        """Does any span share a character with [a, b)?"""
        i = bisect.bisect_left(self.starts, b)
        return bool(i) and self.prefix_end[i - 1] > a


class Cover(Intervals):
    """Answers "is [a, b) strictly inside a longer span of this set?" in O(log n)."""

    def __init__(self, spans):
        super().__init__(spans)
        # start → the furthest end of the spans starting there (sorted: the last one of each start)
        self.end_at = dict(self.spans)

    def spans_in(self, a: int, b: int) -> list[tuple[int, int]]:
        """The spans that start in [a, b) and end by b."""
        lo, hi = bisect.bisect_left(self.starts, a), bisect.bisect_left(self.starts, b)
        return [(s, self.end_at[s]) for s in self.starts[lo:hi] if self.end_at[s] <= b]

    def inside(self, a: int, b: int) -> bool:
        """A longer span contains [a, b): one starting earlier and ending no sooner, or one
        starting at a and ending later. A span equal to [a, b) does not count."""
        i = bisect.bisect_left(self.starts, a)
        if i and self.prefix_end[i - 1] >= b:
            return True
        return self.end_at.get(a, -1) > b


def in_range(items, starts: list[int], a: int, b: int):
    """The items (sorted by start, with their starts) that start in [a, b)."""
    return items[bisect.bisect_left(starts, a): bisect.bisect_left(starts, b)]
