"""Loaders: read reply documents from disk into RawDocument records.

One interface, `read(path)`, chosen by file content and extension."""
from __future__ import annotations

from pathlib import Path

from kg.records import RawDocument
from loaders.text import read_text

SUPPORTED = {".txt", ".text", ".md"}


class LoadError(Exception):
    """A document that cannot be read; the message names the reason."""


def doc_id_for(path: Path) -> str:
    return path.stem


def read(path: str | Path) -> RawDocument:
    path = Path(path)
    if not path.exists():
        raise LoadError(f"{path}: no such file")
    if not path.is_file():
        raise LoadError(f"{path}: not a file")
    try:
        data = path.read_bytes()
    except OSError as e:
        raise LoadError(f"{path}: cannot read ({e.strerror})") from e
    if not data.strip():
        raise LoadError(f"{path}: empty file")
    text = read_text(data)
    if text is None:
        raise LoadError(f"{path}: not a text document (binary or unknown encoding)")
    return RawDocument(doc_id=doc_id_for(path), text=text, source=str(path))


def iter_paths(paths) -> list[Path]:
    """Expand folders into the documents they hold (sorted, recursive)."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out.extend(sorted(q for q in p.rglob("*") if q.is_file() and q.suffix.lower() in SUPPORTED))
        else:
            out.append(p)
    return out
