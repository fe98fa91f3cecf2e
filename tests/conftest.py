"""Shared fixtures: paths to the bundled examples and a helper to run the CLI."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
SEED = EXAMPLES / "ap-nato-stoltenberg-zelenskyy-2023-09-28.txt"


@pytest.fixture(scope="session")
def seed_path() -> Path:
    return SEED


@pytest.fixture(scope="session")
def seed_record() -> dict:
    """The full record of the seed article, extracted once per test session."""
    from newsledger.pipeline import extract
    from newsledger.read import read_path

    (doc,) = list(read_path(SEED))
    return extract(doc)


def run_cli(*args: str, input: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "newsledger.cli", *args], input=input, capture_output=True,
                          timeout=300)


def cli_json(*args: str) -> dict:
    res = run_cli(*args)
    assert res.returncode == 0, res.stderr.decode()
    return json.loads(res.stdout)
