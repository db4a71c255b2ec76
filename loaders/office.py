"""Word (.docx) and PDF (text layer) replies, each within limits that bound its cost:
a reply is a few pages, so a file that unpacks to far more than a letter's worth is refused
before it is parsed (a zip bomb costs one line, not the machine's memory)."""
from __future__ import annotations

import io
import re
import zipfile
from itertools import islice


class TooBig(Exception):
    """A file over one of the limits; the message says which and how to raise it."""


def check_zip(data: bytes, max_unpacked: int, max_members: int = 10_000) -> None:
    """Refuse a Word file whose parts unpack to more than `max_unpacked` bytes, judged from
    the zip directory before anything is decompressed. The sizes there cannot lie: zipfile
    stops at a member's declared size and fails its CRC check if the data goes on."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        infos = z.infolist()
    if len(infos) > max_members:
        raise TooBig(f"{len(infos)} parts in the Word file (more than {max_members})")
    total = sum(i.file_size for i in infos)
    if total > max_unpacked:
        biggest = max(infos, key=lambda i: i.file_size)
        raise TooBig(f"unpacks to {total / 2**20:.0f} MB ({biggest.filename} alone {biggest.file_size / 2**20:.0f} MB; "
                     f"limit {max_unpacked / 2**20:.0f} MB, set KG_MAX_UNPACKED to raise it)")


def docx_to_text(data: bytes, max_unpacked: int | None = None) -> str:
    if max_unpacked is not None:
        check_zip(data, max_unpacked)
    import docx
    d = docx.Document(io.BytesIO(data))
    lines = [p.text for p in d.paragraphs]
    for table in d.tables:
        for row in table.rows:
            cells = [c.text.strip() for c in row.cells]
            lines.append(" | ".join(c for c in cells if c))
    return "\n".join(lines)


def _pdf_layer(data: bytes, max_pages: int | None, max_chars: int | None) -> str:
    """pdfminer's extract_text, page by page, stopping at the first limit passed."""
    from pdfminer.converter import TextConverter
    from pdfminer.layout import LAParams
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage
    fp = io.BytesIO(data)
    if max_pages is not None:
        # counting reads the page tree only, not the pages' content
        n = sum(1 for _ in islice(PDFPage.get_pages(fp), max_pages + 1))
        if n > max_pages:
            raise TooBig(f"more than {max_pages} pages (set KG_MAX_PAGES to raise the limit)")
        fp.seek(0)
    with io.StringIO() as out:
        rsrc = PDFResourceManager(caching=True)
        device = TextConverter(rsrc, out, codec="utf-8", laparams=LAParams())
        interpreter = PDFPageInterpreter(rsrc, device)
        for page in PDFPage.get_pages(fp, caching=True):
            interpreter.process_page(page)
            if max_chars is not None and out.tell() > max_chars:
                raise TooBig(f"text layer longer than {max_chars:,} characters (set KG_MAX_CHARS to raise the limit)")
        return out.getvalue()


def pdf_to_text(data: bytes, max_pages: int | None = None, max_chars: int | None = None) -> str:
    """The text layer, with lines wrapped by the page joined back into paragraphs."""
    raw = _pdf_layer(data, max_pages, max_chars)
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
