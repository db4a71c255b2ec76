"""Document identity in a store: a document's id is its path relative to the folder given to
`kg load`, without the extension (a/index, b/index), or the file's stem when the file itself
was given (jilin-kjt-2022-L37). When a second file of one run would get an id already given
(a/x.html after a/x.txt), it keeps its extension (a/x.html); files are taken in sorted order. The same content under two ids is the
store's business: it is reported as a duplicate and counted once."""
from __future__ import annotations

import glob
import os
from pathlib import Path

from kg.records import DocGraph, rename_document


def _relative_id(rel: Path) -> str:
    return rel.with_suffix("").as_posix()


class DocumentIds:
    """Ids for the documents found under the paths of one `kg load`."""

    def __init__(self, paths):
        self.roots: list[Path] = []
        for raw in map(str, paths):
            matches = sorted(glob.glob(raw)) if any(c in raw for c in "*?[") else [raw]
            self.roots += [Path(os.path.abspath(m)) for m in matches if os.path.isdir(m)]
        self.assigned: dict[str, str] = {}      # id → the source it was given to in this run

    def id_for(self, source: str, default: str) -> str:
        if not source:
            return default
        p = Path(os.path.abspath(source))
        doc_id = default
        for root in self.roots:
            if root in p.parents:
                doc_id = _relative_id(p.relative_to(root))
                break
        other = self.assigned.get(doc_id)
        if other is not None and other != str(p):
            # a second file of this run on one id keeps its extension
            root = next((r for r in self.roots if r in p.parents), p.parent)
            doc_id = p.relative_to(root).as_posix()
        self.assigned.setdefault(doc_id, str(p))
        return doc_id

    def apply(self, g: DocGraph) -> DocGraph:
        doc = next((n for n in g.nodes.values() if n.label == "Document" and n.key == g.doc_id), None)
        source = str(doc.properties.get("source", "")) if doc else ""
        return rename_document(g, self.id_for(source, g.doc_id))
