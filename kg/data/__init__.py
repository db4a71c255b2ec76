"""Naming knowledge and trigger words, as data files beside this module."""
from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent


@lru_cache(maxsize=None)
def load(name: str) -> dict:
    with open(DATA_DIR / f"{name}.toml", "rb") as f:
        return tomllib.load(f)
