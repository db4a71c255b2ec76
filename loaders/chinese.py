"""Traditional → simplified characters (OpenCC), keeping every character's offset."""
from __future__ import annotations

import re
from functools import lru_cache

CJK = re.compile("[\u4e00-\u9fff]")
TRADITIONAL_SHARE = 0.05   # of distinct characters: a third in traditional letters, a stray few in simplified ones


@lru_cache(maxsize=1)
def _converter():
    import opencc
    return opencc.OpenCC("t2s")


@lru_cache(maxsize=1)
def _traditional() -> frozenset:
    """Every character OpenCC changes on its own (們, 學, 廳…), derived from OpenCC's tables
    once, so that a simplified letter is recognised without converting it."""
    chars = [chr(c) for c in range(0x4E00, 0xA000)]
    out = _converter().convert("\n".join(chars)).split("\n")
    return frozenset(a for a, b in zip(chars, out) if a != b)


@lru_cache(maxsize=1)
def _any_traditional() -> re.Pattern:
    return re.compile("[" + "".join(sorted(_traditional())) + "]")


def is_traditional(text: str) -> bool:
    """Do traditional characters make up more than a stray few of the text's distinct characters?"""
    if _any_traditional().search(text) is None:
        return False      # most letters have none: one scan instead of a set of every character
    distinct = set(text)
    cjk = len(CJK.findall("".join(distinct))) or 1
    return len(distinct & _traditional()) / cjk >= TRADITIONAL_SHARE


def to_simplified(text: str) -> str:
    """`text` in simplified characters, when it is written in traditional ones. A simplified
    text is left alone: OpenCC also rewrites phrases that are good simplified Chinese
    (沈思, a person's name, would become 沉思)."""
    return _convert(text) if is_traditional(text) else text


def _convert(text: str) -> str:
    """The text in simplified characters, of the same length, so that offsets into it are
    offsets into the original. OpenCC converts phrases; where a phrase changes length, the
    characters are converted one by one instead."""
    conv = _converter()
    out = conv.convert(text)
    if len(out) == len(text):
        return out
    chars = []
    for ch in text:
        c = conv.convert(ch)
        chars.append(c if len(c) == 1 else ch)
    return "".join(chars)
