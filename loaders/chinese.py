"""Traditional → simplified characters (OpenCC), keeping every character's offset."""
from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1)
def _converter():
    import opencc
    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
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
