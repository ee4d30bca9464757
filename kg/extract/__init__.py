"""Extraction: article text -> entities and facts (kg.extract.model), with a rule-based spaCy pipeline."""
from .model import Entity, Extraction, Fact, Mention  # noqa: F401
from .engine import extract  # noqa: F401
