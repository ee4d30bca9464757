"""KG_BASE_IRI: an organisation minting its own IRIs gets the whole graph under its base, the
cooperation areas of the ontology included, so area labels still resolve."""
import json
import os
import subprocess
import sys

from conftest import REPO

BASE = "https://kg.example.org/id/"
AREA_LABELS = """SELECT ?area (SAMPLE(?label) AS ?l) WHERE {
  ?fact <https://w3id.org/dkg/ontology#cooperationArea> ?area
  OPTIONAL { ?area <http://www.w3.org/2004/02/skos/core#prefLabel> ?label }
} GROUP BY ?area"""


def kg(tmp_path, *args):
    env = {**os.environ, "KG_BASE_IRI": BASE}
    return subprocess.run([sys.executable, "-m", "kg.cli", *map(str, args)], capture_output=True, text=True,
                          cwd=REPO, env=env, timeout=120)


def test_areas_live_under_the_configured_base_and_keep_their_labels(tmp_path):
    store = tmp_path / "store"
    assert kg(tmp_path, "ingest", "--store", store, REPO / "seeds").returncode == 0
    out = kg(tmp_path, "query", "--store", store, "-e", AREA_LABELS, "--format", "json")
    assert out.returncode == 0, out.stderr
    rows = [{k: v["value"] for k, v in b.items()} for b in json.loads(out.stdout)["results"]["bindings"]]
    assert rows, "the seeds have facts with cooperation areas"
    for row in rows:
        assert row["area"].startswith(BASE + "area/")
        assert row.get("l"), f"{row['area']} has no label in the ontology graph"
