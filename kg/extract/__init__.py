"""Extraction: article text -> entities and facts (kg.extract.model), with a rule-based spaCy pipeline."""
from .model import Entity, Extraction, Fact, Mention  # noqa: F401


def extract(article):
    """Imported on first use, so commands that only query never load spaCy."""
    from .engine import extract as run
    return run(article)
