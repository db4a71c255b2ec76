"""Synthetic variants of the sample letter, for benchmarks: the same genre, other
provinces, distinct policies. Deterministic: variant i is always the same text."""
from __future__ import annotations

import re
from pathlib import Path

from kg.data import load

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "corpus" / "jilin-kjt-2022-L37.txt"


def variants(n: int):
    """(doc_id, text) of n letters: the seed moved to another province, with its own policy titles."""
    seed = SEED.read_text(encoding="utf-8")
    provinces = [p for p in load("divisions")["province"] if p["cities"]]
    for i in range(n):
        p = provinces[i % len(provinces)]
        text = seed.replace("吉林省", p["full"]).replace("吉林", p["name"]).replace("吉科", p["abbr"] + "科")
        # every letter issues its own plans: number the titles
        text = re.sub(r"(方案|通知|条例)》", lambda m: f"{m.group(1)}（{i}）》", text)
        yield f"synthetic-{i:06d}", text
