"""Word (.docx) and PDF (text layer) replies."""
from __future__ import annotations

import io
import re


def docx_to_text(data: bytes) -> str:
    import docx
    d = docx.Document(io.BytesIO(data))
    lines = [p.text for p in d.paragraphs]
    for table in d.tables:
        for row in table.rows:
            cells = [c.text.strip() for c in row.cells]
            lines.append(" | ".join(c for c in cells if c))
    return "\n".join(lines)


def pdf_to_text(data: bytes) -> str:
    """The text layer, with lines wrapped by the page joined back into paragraphs."""
    from pdfminer.high_level import extract_text
    raw = extract_text(io.BytesIO(data))
    paragraphs = []
    for box in re.split(r"\n\s*\n", raw):
        lines = [l.strip() for l in box.split("\n") if l.strip()]
        if not lines:
            continue
        para = [lines[0]]
        for line in lines[1:]:
            prev = para[-1]
            # a line that ends a sentence, a heading or a salutation stands alone
            if re.search(r"[。：:！？；]$", prev) or len(prev) < 12 or re.match(r"^[一二三四五六七八九十]+、|^\d+[.．、]", line):
                para.append(line)
            else:
                para[-1] = prev + line
        paragraphs.extend(para)
    return "\n".join(paragraphs)
