"""The extractor's fast lookups answer exactly what the slow, obvious code answers."""
import random
import re

from kg.extract.spans import Cover, Intervals, in_range
from kg.extract.trie import union


def test_trie_union_matches_like_a_longest_first_alternation():
    rnd = random.Random(1)
    for _ in range(400):
        words = ["".join(rnd.choice("ab吉林.") for _ in range(rnd.randint(1, 4))) for _ in range(rnd.randint(1, 8))]
        text = "".join(rnd.choice("ab吉林.x") for _ in range(40))
        slow = re.compile("|".join(sorted(map(re.escape, words), key=len, reverse=True)))
        fast = re.compile(union(words))
        assert [m.span() for m in fast.finditer(text)] == [m.span() for m in slow.finditer(text)], (words, text)
        # inside a larger pattern, backtracking gives the same result too
        slow2, fast2 = re.compile(f"(?:{slow.pattern})b"), re.compile(f"(?:{fast.pattern})b")
        assert [m.span() for m in fast2.finditer(text)] == [m.span() for m in slow2.finditer(text)]


def test_span_lookups_agree_with_brute_force():
    rnd = random.Random(2)
    for _ in range(300):
        spans = [(a, a + rnd.randint(1, 6)) for a in (rnd.randint(0, 30) for _ in range(rnd.randint(0, 12)))]
        cover, inter = Cover(spans), Intervals(spans)
        for a in range(0, 36):
            assert inter.contains(a) == any(s <= a < e for s, e in spans)
            for b in range(a + 1, a + 7):
                slow = any(s <= a and b <= e and (e - s) > (b - a) for s, e in spans)
                assert cover.inside(a, b) == slow, (spans, a, b)
        items = sorted(spans)
        starts = [s for s, _ in items]
        assert in_range(items, starts, 5, 15) == [x for x in items if 5 <= x[0] < 15]
