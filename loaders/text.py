"""Plain text in any of the encodings replies are published in: UTF-8 (with or without a
BOM), UTF-16 with a BOM, GB18030/GBK/GB2312, Big5; detected, not assumed."""
from __future__ import annotations

import codecs


def decode(data: bytes) -> str | None:
    """The text of `data`, or None when it is not text."""
    for bom, enc in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(enc)
            except UnicodeDecodeError:
                return None
    if b"\x00" in data[:4096]:
        return None   # binary (UTF-16 without a BOM is not something replies are published in)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    # GB18030 (GBK, GB2312) or Big5: both decode almost any byte pair, so let the
    # detector judge which reads as language rather than noise
    from charset_normalizer import from_bytes
    best = from_bytes(data, cp_isolation=["gb18030", "big5hkscs"]).best()
    if best is not None and best.percent_chaos <= 20:     # a percentage
        return str(best)
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        return None
