"""Traditional → simplified characters (OpenCC), keeping every character's offset."""
from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1)
def _converter():
    import opencc
    return opencc.OpenCC("t2s")


TRADITIONAL_SHARE = 0.02   # traditional letters change a fifth of their characters; simplified ones a stray few


def to_simplified(text: str) -> str:
    """`text` in simplified characters, when it is written in traditional ones. A simplified
    text is left alone: OpenCC also rewrites phrases that are valid simplified Chinese
    (沈思, a person's name, would become 沉思)."""
    out = _convert(text)       # same length as text
    changed = sum(a != b for a, b in zip(text, out))
    cjk = sum("\u4e00" <= ch <= "\u9fff" for ch in text) or 1
    return out if changed / cjk >= TRADITIONAL_SHARE else text


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
