"""The notebooks run from a clean kernel, and are stored without outputs."""

import nbformat
import pytest
from nbclient import NotebookClient

from conftest import ROOT

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def test_there_are_notebooks_to_start_from():
    assert {p.stem for p in NOTEBOOKS} >= {"co_issuance_network", "alliance_members", "trace_evidence"}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_executes_and_is_stored_clean(path, tmp_path, monkeypatch):
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert not cell.outputs and cell.execution_count is None, f"{path.name} is stored with outputs"
    monkeypatch.setenv("KG_STORE", str(tmp_path / "store"))      # empty: the notebook loads the sample corpus
    monkeypatch.delenv("NEO4J_URI", raising=False)
    monkeypatch.setenv("MPLBACKEND", "Agg")
    NotebookClient(nb, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert not errors


def _run(path, tmp_path):
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert not errors, errors[0].get("evalue")
    return nb


def _text(nb) -> str:
    out = []
    for c in nb.cells:
        for o in c.get("outputs", []):
            out.append(o.get("text", "") if o.output_type == "stream" else o.get("data", {}).get("text/plain", ""))
    return "\n".join(out)


def test_a_notebook_opens_the_users_own_store(tmp_path, monkeypatch):
    """KG_STORE naming a loaded store: the notebook reads it, and does not load the sample."""
    from kg.pipeline import extract_one
    from kg.store import EmbeddedStore
    from conftest import FIXTURES
    store = EmbeddedStore(tmp_path / "mine")
    store.load([extract_one(FIXTURES / "hubei-kjt-2023-101.txt")])
    store.save()
    monkeypatch.setenv("KG_STORE", str(tmp_path / "mine"))
    monkeypatch.delenv("NEO4J_URI", raising=False)
    monkeypatch.setenv("MPLBACKEND", "Agg")
    text = _text(_run(ROOT / "notebooks" / "trace_evidence.ipynb", tmp_path))
    assert f"from the store in {tmp_path / 'mine'}" in text
    assert "湖北省" in text and "吉林省科学技术厅" not in text


def test_the_cypher_cell_runs_on_neo4j(neo4j_store, tmp_path, monkeypatch):
    """With Neo4j configured and loaded, the notebook reads the graph from it and runs Cypher there."""
    from kg.pipeline import extract_one
    from conftest import SEED
    neo4j_store.load([extract_one(SEED)])
    monkeypatch.setenv("MPLBACKEND", "Agg")
    monkeypatch.delenv("KG_STORE", raising=False)
    nb = _run(ROOT / "notebooks" / "co_issuance_network.ipynb", tmp_path)
    text = _text(nb)
    assert "from Neo4j at bolt://127.0.0.1:" in text
    assert "not reachable" not in text and "not configured" not in text
    assert "吉林省科学技术厅" in text and "body_a" in text       # the DataFrame of the Cypher cell
