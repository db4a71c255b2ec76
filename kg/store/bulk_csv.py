"""CSV files in the format of Neo4j's offline importer (`neo4j-admin database import full`).

    with ImportCsvWriter(folder) as w:
        w.node("Agency:吉林省科学技术厅", ["Agency", "Entity"], {"key": "…", "aliases": ["省科技厅"], …})
        w.relationship("Agency:…", "Policy:…", "ISSUED", {"docs": ["jilin-kjt-2022-L37"], …})
    files = w.files          # ImportFiles: nodes=[paths], relationships=[paths], empty_lists=…
    importer_args(files)     # --nodes=… --relationships=… and the matching format options

Headers are typed (`key:string`, `value:double`, `aliases:string[]`, `evidence_starts:long[]`),
ids are `:ID` (not stored as a property), labels `:LABEL`, relationships `:START_ID`, `:END_ID`,
`:TYPE`. Every field is quoted (an empty string stays an empty string), fields may span lines
(the importer wants --multiline-fields=true), and array elements (and labels) are separated by
U+001F, which no text holds. Rows are grouped into one file per label set (or relationship
type) and property signature, because a column has one type: a `value` that is an integer in
one node and a float in another goes to two files, as Neo4j would store it online.

The importer does not store an empty array (an empty field is no property); `files.empty_lists`
names the (kind, label or type, property) whose empty lists were left out, and `files.fixups`
the lists holding an empty string (which a field cannot tell from an empty list), for the
caller to set after the import if it needs them. A value of None is no property either.

Also usable as a plain CSV export of a graph: one file per label and type, typed headers."""
from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

ARRAY_DELIMITER = "\x1f"
ARRAY_DELIMITER_OPTION = "U+001F"
# the element type of lists that are sometimes empty (an empty list shows no type of its own)
LIST_TYPES = {"evidence_starts": "long", "evidence_ends": "long", "years": "long"}


class CsvValueError(ValueError):
    pass


# the types of the values nearly every property holds, looked up without isinstance chains
# (csv_type and csv_field were two thirds of writing a large graph's files)
_SCALAR = {str: "string", int: "long", float: "double", bool: "boolean"}
_ELEMENTS = {frozenset([str]): "string[]", frozenset([int]): "long[]", frozenset([float]): "double[]",
             frozenset([int, float]): "double[]", frozenset([bool]): "boolean[]"}


def csv_type(name: str, value) -> str:
    """The importer's type for a property value: string, long, double, boolean, or an array."""
    t = _SCALAR.get(type(value))
    if t is not None:
        return t
    if type(value) in (list, tuple) and value:
        t = _ELEMENTS.get(frozenset(map(type, value)))
        if t is not None:
            return t
    return _csv_type(name, value)


def _csv_type(name: str, value) -> str:
    """csv_type for subclasses, empty lists and the errors."""
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "long"
    if isinstance(value, float):
        return "double"
    if isinstance(value, str):
        return "string"
    if isinstance(value, (list, tuple)):
        if not value:
            return LIST_TYPES.get(name, "string") + "[]"
        kinds = {csv_type(name, v) for v in value}
        if kinds == {"long", "double"}:
            kinds = {"double"}
        if len(kinds) != 1 or "[]" in next(iter(kinds)):
            raise CsvValueError(f"property {name!r}: a list of mixed or nested values {value!r:.80}")
        return next(iter(kinds)) + "[]"
    raise CsvValueError(f"property {name!r}: {type(value).__name__} cannot be stored by Neo4j")


def _text(s: str) -> str:
    if ARRAY_DELIMITER in s:
        raise CsvValueError(f"a value holds the array delimiter U+001F: {s[:80]!r}")
    return s


def _string_list(value: list[str]) -> str:
    out = ARRAY_DELIMITER.join(value)
    if value and out.count(ARRAY_DELIMITER) != len(value) - 1:     # an element holds the delimiter
        for v in value:
            _text(v)
    return out


def csv_field(value, ctype: str) -> str:
    if value is None:
        return ""
    if ctype == "string":
        return _text(str(value))
    if ctype == "string[]":
        return _string_list(list(map(str, value)))
    if ctype == "long[]":
        return ARRAY_DELIMITER.join(map(str, map(int, value)))
    if ctype.endswith("[]"):
        base = ctype[:-2]
        return ARRAY_DELIMITER.join(csv_field(float(v) if base == "double" else v, base) for v in value)
    if ctype == "boolean":
        return "true" if value else "false"
    if ctype == "double":
        return repr(float(value))
    if ctype == "long":
        return str(int(value))
    return _text(str(value))


@dataclass
class ImportFiles:
    nodes: list[Path] = field(default_factory=list)
    relationships: list[Path] = field(default_factory=list)
    # ("node", label set joined by ':', property) / ("relationship", type, property)
    empty_lists: set[tuple[str, str, str]] = field(default_factory=set)
    # lists with an empty string in them (a CSV field cannot tell [''] from []): written as no
    # property, kept here as ("node", id, property, value) / ("relationship", (start, end, type), property, value)
    fixups: list[tuple] = field(default_factory=list)
    node_count: int = 0
    relationship_count: int = 0

    def add(self, other: "ImportFiles") -> None:
        """Another writer's files (into the same folder, under another prefix) as part of these."""
        self.nodes += other.nodes
        self.relationships += other.relationships
        self.empty_lists |= other.empty_lists
        self.fixups += other.fixups
        self.node_count += other.node_count
        self.relationship_count += other.relationship_count


class ImportCsvWriter:
    """Streams nodes and relationships into the importer's CSV files under `folder`."""

    def __init__(self, folder: str | Path, prefix: str = ""):
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.prefix = prefix
        self.files = ImportFiles()
        self._open: dict[tuple, tuple] = {}      # group → (file handle, csv writer, [(prop, type)])

    def __enter__(self):
        return self

    def flush(self) -> None:
        for fh, _w, _sig in self._open.values():
            fh.flush()

    def __exit__(self, *exc):
        self.close()

    def _writer(self, kind: str, what: str, sig: tuple, fixed: list[str]):
        group = (kind, what, sig)
        hit = self._open.get(group)
        if hit is None:
            n = len(self._open)
            stem = "".join(ch if ch.isalnum() else "_" for ch in what)[:40]
            path = self.folder / f"{self.prefix}{kind}s-{n:04d}-{stem}.csv"
            fh = open(path, "w", encoding="utf-8", newline="")
            w = csv.writer(fh, quoting=csv.QUOTE_ALL, lineterminator="\n")
            w.writerow(fixed + [f"{k}:{t}" for k, t in sig])
            hit = self._open[group] = (fh, w, sig)
            (self.files.nodes if kind == "node" else self.files.relationships).append(path)
        return hit

    def _fields(self, kind: str, what: str, ident, props: dict) -> tuple[tuple, list[str]]:
        """The row's signature ((property, type), …) and its fields, in one pass; lists a field
        cannot hold as they are (empty, or with an empty string) are noted and written empty."""
        sig, fields = [], []
        for k in sorted(props):
            v = props[k]
            if v is None:
                continue
            # the common cases written here directly (the general path below gives the same fields)
            tv = type(v)
            if tv is str:
                if ARRAY_DELIMITER in v:
                    _text(v)
                fields.append(v)
                sig.append((k, "string"))
                continue
            if tv is list and v:
                if len(v) == 1:           # a list of one (most evidence lists, aliases): by its element's type
                    x = v[0]
                    tx = type(x)
                    if tx is str and x:
                        if ARRAY_DELIMITER in x:
                            _text(x)
                        fields.append(x)
                        sig.append((k, "string[]"))
                        continue
                    if tx is int:
                        fields.append(str(x))
                        sig.append((k, "long[]"))
                        continue
                else:
                    et = _ELEMENTS.get(frozenset(map(type, v)))
                    if et == "string[]" and "" not in v:
                        fields.append(_string_list(v))
                        sig.append((k, et))
                        continue
                    if et == "long[]":
                        fields.append(ARRAY_DELIMITER.join(map(str, v)))
                        sig.append((k, et))
                        continue
            elif tv is int:
                fields.append(str(v))
                sig.append((k, "long"))
                continue
            t = csv_type(k, v)
            if t[-1] == "]" and (not v or "" in v):
                if not v:
                    self.files.empty_lists.add((kind, what, k))
                else:
                    self.files.fixups.append((kind, ident, k, list(v)))
                fields.append("")
            else:
                fields.append(csv_field(v, t))
            sig.append((k, t))
        return tuple(sig), fields

    def node(self, node_id: str, labels: list[str], props: dict) -> None:
        what = ":".join(labels)
        sig, fields = self._fields("node", what, node_id, props)
        _fh, w, _ = self._writer("node", what, sig, [":ID", ":LABEL"])
        w.writerow([_text(node_id), ARRAY_DELIMITER.join(map(_text, labels)), *fields])
        self.files.node_count += 1

    def relationship(self, start_id: str, end_id: str, rtype: str, props: dict) -> None:
        sig, fields = self._fields("relationship", rtype, (start_id, end_id, rtype), props)
        self.relationship_fields(start_id, end_id, rtype, sig, fields)

    def relationship_fields(self, start_id: str, end_id: str, rtype: str, sig: tuple, fields: list[str]) -> None:
        """A relationship whose signature and fields the caller made, as `relationship` would."""
        _fh, w, _ = self._writer("relationship", rtype, sig, [":START_ID", ":END_ID", ":TYPE"])
        w.writerow([_text(start_id), _text(end_id), rtype, *fields])
        self.files.relationship_count += 1

    def relationships(self, rtype: str, sig: tuple, rows) -> None:
        """Many relationships of one type whose properties have the types `sig` declares
        (((property, type), …), e.g. (("forms", "string[]"), ("said", "string"))): each row is
        (start id, end id, values in sig's order). The same files as `relationship` would write,
        without finding each row's types again (the support links are over half of a graph's rows)."""
        sig = tuple(sig)
        w = None
        for start, end, values in rows:
            if w is None:           # no file for a type without rows
                _fh, w, _ = self._writer("relationship", rtype, sig, [":START_ID", ":END_ID", ":TYPE"])
            fields = [_text(start), _text(end), rtype]
            for (k, t), v in zip(sig, values):
                if v is None:
                    fields.append("")
                elif t == "string" and type(v) is str:      # the common cases directly (as csv_field)
                    if ARRAY_DELIMITER in v:
                        _text(v)
                    fields.append(v)
                elif t == "string[]" and type(v) is list and v and "" not in v:
                    try:
                        fields.append(_string_list(v))
                    except TypeError:         # not all strings: as csv_field writes them
                        fields.append(csv_field(v, t))
                elif t[-1] == "]" and (not v or "" in v):
                    if not v:
                        self.files.empty_lists.add(("relationship", rtype, k))
                    else:
                        self.files.fixups.append(("relationship", (start, end, rtype), k, list(v)))
                    fields.append("")
                else:
                    fields.append(csv_field(v, t))
            w.writerow(fields)
            self.files.relationship_count += 1

    def close(self) -> ImportFiles:
        for fh, _w, _sig in self._open.values():
            fh.close()
        self._open.clear()
        return self.files


def importer_args(files: ImportFiles) -> list[str]:
    """The arguments of `database import full` for these files (before the database name)."""
    return ([f"--nodes={p}" for p in files.nodes] + [f"--relationships={p}" for p in files.relationships]
            + ["--multiline-fields=true", f"--array-delimiter={ARRAY_DELIMITER_OPTION}"])
