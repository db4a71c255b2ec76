"""CO_ISSUED, the derived relationship of schema/schema.toml ([derived.CO_ISSUED]): two bodies
and the policies they issued together, kept by both stores whenever letters are loaded, replaced
or removed, so that `co_issuance_network` reads pairs instead of joining every policy's issuers.

A policy with issuers {a, b, c} and date D contributes one policy, in the year of D, to each of
the pairs (a, b), (a, c), (b, c). A pair's count is the sum of the contributions of the policies
as they are now — a function of the graph, not of the order letters came in. Each store keeps
what every policy contributes (its issuers and its year) and, at the end of each write, replaces
the contribution of every policy the write touched (a letter that names a policy, adds or takes
an issuer, or changes its date, touches it): `delta(before, after)`.

The year is read as the query reads it: the first four characters of the policy's `date` as an
integer (0 when they are not one); a policy without a date is *undated*, and counts only when no
range of years is asked for (from_year 0)."""
from __future__ import annotations

import re
from collections import Counter

DERIVED = "CO_ISSUED"


def year_of(date) -> tuple[int, bool]:
    """(year, dated) of a policy's date property."""
    if date is None or isinstance(date, bool) or not isinstance(date, (str, int, float)):
        return 0, False
    m = re.fullmatch(r"\s*([+-]?\d+)\s*", str(date)[:4])
    return (int(m.group(1)) if m else 0), True


def contribution(issuers, date) -> tuple | None:
    """What a policy contributes: (sorted issuers, year, dated), or None with fewer than two issuers."""
    issuers = sorted(set(issuers))
    if len(issuers) < 2:
        return None
    return (tuple(issuers), *year_of(date))


def _pairs_with(some, everyone) -> set[tuple]:
    """The pairs of `everyone` (sorted tuples) that hold at least one of `some`."""
    out = set()
    for r in some:
        for x in everyone:
            if x != r:
                out.add((r, x) if r < x else (x, r))
    return out


def delta(before: tuple | None, after: tuple | None) -> Counter:
    """(a, b, year, dated) → change in policies, when a policy's contribution goes from `before` to `after`."""
    out: Counter = Counter()
    if before == after:
        return out
    if before is not None and after is not None and before[1:] == after[1:]:
        old, new = set(before[0]), set(after[0])            # the same year: only pairs that changed
        lost, won = _pairs_with(old - new, old), _pairs_with(new - old, new)
    else:
        lost = _pairs_with(before[0], before[0]) if before else set()
        won = _pairs_with(after[0], after[0]) if after else set()
    for a, b in lost:
        out[(a, b, before[1], before[2])] -= 1
    for a, b in won:
        out[(a, b, after[1], after[2])] += 1
    return out


def counts(contributions) -> Counter:
    """(a, b, year, dated) → policies, from every policy's contribution (a whole graph, from scratch)."""
    out: Counter = Counter()
    for c in contributions:
        if c is not None:          # delta(None, c), without a Counter and a set per policy
            issuers, year, dated = c
            for i, a in enumerate(issuers):
                for b in issuers[i + 1:]:
                    out[(a, b, year, dated)] += 1
    return out


def pair_values(by_year: dict[tuple, int]) -> tuple[int, list[int]]:
    """A pair's properties from its counts by (year, dated): policies, and the year of each dated one."""
    years = sorted(y for (y, dated), n in by_year.items() if dated for _ in range(n))
    return sum(by_year.values()), years


def year_span(years: list[int]) -> tuple[int | None, int | None]:
    """A pair's first_year and last_year from its (ascending) years: None, None when none is dated."""
    return (years[0], years[-1]) if years else (None, None)
