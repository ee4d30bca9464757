"""The package ships what it needs: every subpackage and data folder, the ontology and the queries."""
from __future__ import annotations

import fnmatch
from pathlib import Path

import pytest

from kg import catalog

REPO = Path(__file__).resolve().parent.parent


def setuptools_config() -> dict:
    tomllib = pytest.importorskip("tomllib")          # Python 3.11+
    return tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]


def source_dir(package: str, config: dict) -> Path:
    mapped = config.get("package-dir", {}).get(package)
    return REPO / (mapped or package.replace(".", "/"))


def test_every_folder_of_kg_is_packaged():
    config = setuptools_config()
    folders = {".".join(("kg",) + p.relative_to(REPO / "kg").parts)
               for p in [REPO / "kg", *(REPO / "kg").rglob("*")]
               if p.is_dir() and p.name != "__pycache__" and any(f.is_file() for f in p.iterdir())}
    missing = folders - set(config["packages"])
    assert not missing, f"add {sorted(missing)} to [tool.setuptools] packages in pyproject.toml"


def test_every_data_file_is_package_data():
    config = setuptools_config()
    unshipped = []
    for package in config["packages"]:
        patterns = config.get("package-data", {}).get(package, [])
        for f in source_dir(package, config).iterdir():
            if f.is_file() and f.suffix not in (".py", ".pyc") and not f.name.startswith("."):
                if not any(fnmatch.fnmatch(f.name, pat) for pat in patterns):
                    unshipped.append(f"{package}: {f.name}")
    assert not unshipped, f"add patterns to [tool.setuptools.package-data] for {unshipped}"


def test_queries_ship_as_kg_queries():
    config = setuptools_config()
    assert "kg.queries" in config["packages"] and config["package-dir"]["kg.queries"] == "queries"


@pytest.mark.parametrize("query", catalog.available(), ids=lambda q: q.name)
def test_canned_query_header(query):
    assert query.title and query.description, f"{query.path}: needs '# title:' and '# description:'"
    for name, text in query.params.items():
        assert text, f"{query.path}: param {name} needs a description"


def test_canned_queries_found_from_checkout():
    assert {"agreements", "articles", "classes"} <= {q.name for q in catalog.available()}
