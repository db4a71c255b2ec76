"""A plain install works away from the checkout: the wheel is built, installed into a fresh
virtual environment, and the commands run from another folder.

The wheel is built as pip builds it (an isolated build with setuptools from the package index,
once; pip caches it). The fresh environment gets kg from the wheel only (--no-deps); its dependencies are read
from the project's own environment through a .pth line, so the test downloads nothing.
That line adds a folder to sys.path without running the .pth files in it, so the
checkout's editable install of kg is not visible there: kg comes from the wheel."""
import json
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT, SEED


def run(cmd, **kw):
    p = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, **kw)
    assert p.returncode == 0, f"{cmd} failed ({p.returncode}):\n{p.stdout[-2000:]}\n{p.stderr[-2000:]}"
    return p


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    d = tmp_path_factory.mktemp("wheel")
    src = d / "src"           # build from a copy: the checkout is left as it is (no build/, no egg-info)
    shutil.copytree(ROOT, src, ignore=shutil.ignore_patterns(".venv", ".git", "build", "dist", "*.egg-info",
                                                             "__pycache__", "test-artifacts", "kg-data", ".pytest_cache"))
    run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", d / "dist", src])
    wheel = next((d / "dist").glob("kg-*.whl"))
    venv = d / "venv"
    run([sys.executable, "-m", "venv", venv])
    py = venv / "bin" / "python"
    run([py, "-m", "pip", "install", "-q", "--no-deps", "--no-index", wheel])
    site = Path(run([py, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"]).stdout.strip())
    (site / "zz_kg_test_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return wheel, venv


def test_the_wheel_carries_what_the_commands_read(installed):
    wheel, _ = installed
    names = set(zipfile.ZipFile(wheel).namelist())
    for need in ("kg/_bundled/schema/schema.toml", "kg/_bundled/schema/ontology.ttl", "kg/_bundled/schema/shapes.ttl",
                 "kg/_bundled/queries/co_issuers.cypher", "kg/_bundled/queries/co_issuers.rq",
                 "kg/viz_template.html", "kg/vendor/sigma-bundle.min.js", "kg/server/pom.xml",
                 "kg/server/KgNeo4jServer.java", "kg/data/bodies.toml", "kg/data/admin_divisions.tsv"):
        assert need in names, need


def test_commands_work_from_another_folder(installed, tmp_path):
    _, venv = installed
    kg = venv / "bin" / "kg"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "KG_STORE", "KG_SCHEMA_DIR", "KG_QUERIES_DIR")}
    env["PYTHONIOENCODING"] = "utf-8"
    where = run([venv / "bin" / "python", "-c", "import kg; print(kg.__file__)"], cwd=elsewhere, env=env).stdout
    assert str(venv) in where and str(ROOT) not in where          # kg is the installed one
    listing = run([kg, "query", "--list"], cwd=elsewhere, env=env).stdout
    assert "co_issuers(policy)" in listing and "columns:" in listing
    letter = elsewhere / SEED.name
    shutil.copy(SEED, letter)
    run([kg, "load", letter], cwd=elsewhere, env=env)
    run([kg, "viz", "-o", "g.html"], cwd=elsewhere, env=env)
    html = (elsewhere / "g.html").read_text(encoding="utf-8")
    assert "吉林省科学技术厅" in html and "KgSigma" in html
    ttl = run([kg, "export", "--format", "ttl", "-o", "-"], cwd=elsewhere, env=env).stdout
    import rdflib
    assert len(rdflib.Graph().parse(data=ttl, format="turtle")) > 500
    rows = json.loads(run([kg, "query", "co_issuers", "--param", "policy=吉林省技术市场条例", "--format", "json"],
                          cwd=elsewhere, env=env).stdout)
    assert rows
