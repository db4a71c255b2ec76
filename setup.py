"""Packaging hook: the wheel carries the schema and the named queries, which live at the top
of the repository (schema/, queries/), as kg/_bundled/schema and kg/_bundled/queries.
Everything else is in pyproject.toml."""
import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent


class BuildPy(build_py):
    def run(self):
        super().run()
        for name in ("schema", "queries"):
            dst = Path(self.build_lib) / "kg" / "_bundled" / name
            shutil.copytree(ROOT / name, dst, dirs_exist_ok=True)


setup(cmdclass={"build_py": BuildPy})
