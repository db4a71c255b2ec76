"""Loaders: read reply documents from disk into RawDocument records.

One interface, `read(path)`; the format is chosen by content as well as extension:
PDF (text layer), Word (.docx), web pages (.html/.htm or content that is HTML), and
plain text in any common Chinese encoding. Traditional characters are converted to
simplified for extraction; the original text is kept for evidence, with the same offsets."""
from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from kg.records import RawDocument
from loaders.chinese import to_simplified
from loaders.text import decode

SUPPORTED = {".txt", ".text", ".md", ".html", ".htm", ".shtml", ".docx", ".pdf"}
MAX_BYTES = int(os.environ.get("KG_MAX_BYTES", 20 * 1024 * 1024))   # replies are kilobytes; 20 MB is not a letter
# what a compressed or paged format may expand to before it is refused, unread
MAX_UNPACKED = int(os.environ.get("KG_MAX_UNPACKED", 32 * 1024 * 1024))   # a Word file's parts, unpacked
MAX_PAGES = int(os.environ.get("KG_MAX_PAGES", 300))                         # a PDF's pages
MAX_CHARS = int(os.environ.get("KG_MAX_CHARS", 2_000_000))                  # the text of a Word or PDF file
# formats replies are also published in that kg cannot read: found in a folder, they are reported, not skipped
UNSUPPORTED = {".doc": "Word 97-2003", ".wps": "WPS", ".et": "WPS", ".rtf": "RTF", ".odt": "OpenDocument",
               ".ofd": "OFD", ".xls": "Excel", ".xlsx": "Excel"}
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"    # .doc, .wps, .xls: compound files
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
    if data.startswith(OLE_MAGIC):
        return "ole"
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
    if kind == "ole":
        raise LoadError("unsupported format: a Word 97-2003 (.doc) or WPS file; save it as .docx or PDF")
    if kind in ("pdf", "docx"):
        from loaders.office import TooBig, docx_to_text, pdf_to_text
        try:
            text = pdf_to_text(data, MAX_PAGES, MAX_CHARS) if kind == "pdf" else docx_to_text(data, MAX_UNPACKED)
        except TooBig as e:
            raise LoadError(f"too large for a reply letter: {e}") from None
        except MemoryError:
            raise LoadError(f"out of memory reading this {kind} file") from None
        except Exception as e:  # pdfminer, zipfile and lxml raise many types for damaged files
            what = "PDF" if kind == "pdf" else "Word file"
            raise LoadError(f"damaged or truncated {what} ({type(e).__name__})") from None
        if len(text) > MAX_CHARS:
            raise LoadError(f"too large for a reply letter: {len(text):,} characters of text "
                            f"(limit {MAX_CHARS:,}, set KG_MAX_CHARS to raise it)")
        return text
    text = decode(data)
    if text is None:
        return None
    if kind == "html":
        from loaders.html import html_to_text
        return html_to_text(text)
    return text


class Found:
    """What a list of paths given on the command line comes to.

    `files`: the documents to read, in order (each real file once).
    `failed`: (path, reason) for what was named or found and cannot be loaded: a missing path, a
    glob that matches nothing, an unreadable folder, a symlink loop or a broken link, a folder with
    no documents in it, a letter in a format kg cannot read (.doc, .wps, …). Reported, exit status 1.
    `skipped`: (path, reason) for files in a folder that are not letters (other extensions, special
    files), links to folders inside folders (not followed), and files or folders already found
    another way; counted in the summary and listed with --verbose."""

    def __init__(self):
        self.files: list[Path] = []
        self.failed: list[tuple[Path, str]] = []
        self.skipped: list[tuple[Path, str]] = []
        self._seen_files: dict[tuple[int, int], Path] = {}
        self._seen_dirs: dict[tuple[int, int], Path] = {}

    def _file(self, p: Path, st: os.stat_result) -> None:
        key = (st.st_dev, st.st_ino)
        if key in self._seen_files:
            self.skipped.append((p, f"the same file as {self._seen_files[key]}"))
            return
        self._seen_files[key] = p
        self.files.append(p)

    def _link_problem(self, p: Path) -> str | None:
        """Why a path that cannot be stat'ed is not there: a loop, a broken link, or missing."""
        try:
            os.stat(p)
        except OSError as e:
            if e.errno == errno.ELOOP:
                return "symlink loop"
            if e.errno == errno.ENOENT and os.path.islink(p):
                return f"broken symlink (to {os.readlink(p)})"
            if e.errno == errno.ENOENT:
                return "no such file or folder"
            return f"cannot read ({e.strerror})"
        return None

    def add(self, p: Path, named: bool) -> None:
        try:
            st = os.stat(p)
        except OSError:
            (self.failed if named or os.path.islink(p) else self.skipped).append((p, self._link_problem(p)))
            return
        if stat.S_ISDIR(st.st_mode) and not named and os.path.islink(p):
            # a folder link inside a folder could lead anywhere (back up, to another user's files):
            # not followed; naming it reads it
            self.skipped.append((p, f"a symlink to a folder, not followed (name it to read it: {os.readlink(p)})"))
        elif stat.S_ISDIR(st.st_mode):
            before = len(self.files) + len(self.failed)
            self._folder(p, st)
            if named and len(self.files) + len(self.failed) == before:
                others = sum(1 for q, _ in self.skipped if p in q.parents)
                self.failed.append((p, "no documents in this folder" +
                                    (f" ({others} other file(s); --verbose lists them)" if others else "")))
        elif stat.S_ISREG(st.st_mode):
            if not named and p.suffix.lower() in UNSUPPORTED:
                self.failed.append((p, f"unsupported format: {UNSUPPORTED[p.suffix.lower()]} ({p.suffix}); "
                                       "save it as .docx or PDF"))
            elif named or p.suffix.lower() in SUPPORTED:
                self._file(p, st)
            else:
                self.skipped.append((p, f"not a letter's format ({p.suffix or 'no extension'})"))
        else:
            (self.failed if named else self.skipped).append((p, "not a regular file (a device, pipe or socket)"))

    def _folder(self, d: Path, st: os.stat_result) -> None:
        key = (st.st_dev, st.st_ino)
        if key in self._seen_dirs:
            seen = self._seen_dirs[key]
            why = "symlink loop" if seen in d.parents or seen == d else "already read"
            self.skipped.append((d, f"{why}: the folder {seen}"))
            return
        self._seen_dirs[key] = d
        try:
            with os.scandir(d) as it:
                entries = sorted(e.name for e in it)
        except OSError as e:
            self.failed.append((d, f"cannot read folder ({e.strerror})"))
            return
        for name in entries:
            self.add(d / name, named=False)


def find(paths) -> Found:
    """Expand files, folders (recursively) and globs, keeping account of everything that will not
    be read and why. Links to files are followed; links to folders only when named."""
    import glob
    found = Found()
    for raw in map(str, paths):
        if any(c in raw for c in "*?["):
            matches = sorted(glob.glob(raw))
            if not matches:
                found.failed.append((Path(raw), "no file matches this pattern"))
            for m in matches:
                found.add(Path(m), named=True)
        else:
            found.add(Path(raw), named=True)
    return found


def iter_paths(paths) -> list[Path]:
    """The documents that files, folders and globs hold (see `find` for what is left out)."""
    return find(paths).files
