"""defence-kg: defence and security news into an RDF knowledge graph.

The library API (the `kg` CLI is a thin layer over it):

    import kg
    with kg.open_store("kg-store") as store:
        summary = kg.ingest(store, ["seeds/"])
        for row in kg.query(store, "agreements"):
            print(row)
"""
__version__ = "0.1.0"

from .api import export, ingest, open_store, optimize, query, stats, viz  # noqa: E402,F401
