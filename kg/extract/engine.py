"""extract(article): the whole extraction, text in, entities and facts with evidence out."""
from __future__ import annotations

from ..articles import Article
from .context import Context
from .model import Extraction
from .pipeline import parse
from .relations.agreements import find_agreements
from .relations.areas import assign_areas, engagement_pairs
from .relations.events import find_events
from .relations.figures import find_figures
from .relations.groups import group_pairs, join_forum_members, join_sideline_talkers
from .relations.sanctions import split_sanctions
from .relations.transfers import find_transfers
from .relations.trips import split_trips
from .resolve import Resolver

RELATIONS = (find_events, find_agreements, find_transfers, find_figures)


def extract(article: Article) -> Extraction:
    doc = parse(article.text, article.date)
    resolver = Resolver(doc, article.date)
    resolver.run()
    ex = resolver.extraction()
    ctx = Context(doc, ex, article.date)
    facts = []
    for rule in RELATIONS:
        facts += rule(ctx)
    join_forum_members(ctx, facts)
    join_sideline_talkers(ctx, facts)
    split_trips(ctx, facts)
    split_sanctions(ctx, facts)
    assign_areas(ctx, facts)
    ex.facts = facts
    ex.pairs = engagement_pairs(ctx, facts) | group_pairs(ctx)
    ex.entities = ctx.entities
    return ex
