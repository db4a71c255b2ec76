"""Loaders: read reply documents from disk into RawDocument records.

One interface, `read(path)`; the format is chosen by content as well as extension:
PDF (text layer), Word (.docx), web pages (.html/.htm or content that is HTML), and
plain text in any common Chinese encoding. Traditional characters are converted to
simplified for extraction; the original text is kept for evidence, with the same offsets."""
from __future__ import annotations

import os
import zipfile
from pathlib import Path

from kg.records import RawDocument
from loaders.chinese import to_simplified
from loaders.text import decode

SUPPORTED = {".txt", ".text", ".md", ".html", ".htm", ".shtml", ".docx", ".pdf"}
MAX_BYTES = int(os.environ.get("KG_MAX_BYTES", 20 * 1024 * 1024))   # replies are kilobytes; 20 MB is not a letter
REPLY_MARKS = ("答复", "收悉", "提案", "建议", "议案")


class LoadError(Exception):
    """A document that cannot be read; the message names the file and the reason."""


def doc_id_for(path: Path) -> str:
    return path.stem


def sniff(path: Path, data: bytes) -> str:
    """pdf | docx | html | text, by content first, then extension."""
    if data.startswith(b"%PDF"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return "docx"
    head = data[:2048].lower()
    if path.suffix.lower() in (".html", ".htm", ".shtml") or b"<html" in head or b"<!doctype html" in head:
        return "html"
    return "text"


def read(path: str | Path) -> RawDocument:
    path = Path(path)
    if not path.exists():
        raise LoadError(f"{path}: no such file")
    if not path.is_file():
        raise LoadError(f"{path}: not a file")
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise LoadError(f"{path}: too large for a reply letter ({size / 2**20:.0f} MB > {MAX_BYTES / 2**20:.0f} MB; "
                        f"set KG_MAX_BYTES to raise the limit)")
    try:
        data = path.read_bytes()
    except OSError as e:
        raise LoadError(f"{path}: cannot read ({e.strerror})") from e
    if not data.strip():
        raise LoadError(f"{path}: empty file")
    kind = sniff(path, data)
    try:
        text = _text(kind, data)
    except LoadError as e:
        raise LoadError(f"{path}: {e}") from None
    if text is None:
        raise LoadError(f"{path}: not a text document (binary or unknown encoding)")
    if not text.strip():
        raise LoadError(f"{path}: no text in this {kind} file")
    simplified = to_simplified(text)
    if not any(m in simplified for m in REPLY_MARKS):
        raise LoadError(f"{path}: not a reply letter (no 答复, 收悉, 提案 or 建议 in it)")
    return RawDocument(doc_id=doc_id_for(path), text=simplified, source=str(path),
                       original=text if simplified != text else "", fmt=kind)


def _text(kind: str, data: bytes) -> str | None:
    if kind == "pdf":
        from loaders.office import pdf_to_text
        try:
            return pdf_to_text(data)
        except Exception as e:  # pdfminer raises many types for damaged files
            raise LoadError(f"damaged or truncated PDF ({type(e).__name__})") from None
    if kind == "docx":
        from loaders.office import docx_to_text
        try:
            return docx_to_text(data)
        except (zipfile.BadZipFile, KeyError, ValueError) as e:
            raise LoadError(f"damaged or truncated Word file ({type(e).__name__})") from None
    text = decode(data)
    if text is None:
        return None
    if kind == "html":
        from loaders.html import html_to_text
        return html_to_text(text)
    return text


def iter_paths(paths) -> list[Path]:
    """Expand folders and globs into the documents they hold (sorted, recursive)."""
    import glob
    out: list[Path] = []
    for raw in map(str, paths):
        matches = [Path(m) for m in sorted(glob.glob(raw))] if any(c in raw for c in "*?[") else [Path(raw)]
        for p in matches:
            if p.is_dir():
                out.extend(sorted(q for q in p.rglob("*") if q.is_file() and q.suffix.lower() in SUPPORTED))
            else:
                out.append(p)
    return out
