"""Where kg finds its data files: the schema (schema/) and the named queries (queries/).

In a checkout (and an editable install) they are the folders at the top of the
repository, the ones to edit. An installed wheel carries copies inside the package,
kg/_bundled/schema and kg/_bundled/queries (setup.py copies them at build time), so
every command works from any folder."""
from __future__ import annotations

from importlib.resources import files
from pathlib import Path

_MARKERS = {"schema": "schema.toml", "queries": "*.cypher"}


def resource_dir(name: str) -> Path:
    """The folder `name` ("schema" or "queries"): the checkout's, else the bundled copy."""
    marker = _MARKERS[name]
    here = Path(__file__).resolve().parent
    for cand in (here.parent / name, Path(str(files("kg"))) / "_bundled" / name):
        if cand.is_dir() and any(cand.glob(marker)):
            return cand
    raise FileNotFoundError(f"kg's {name}/ folder is missing from this installation ({here}); reinstall kg")
