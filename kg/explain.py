"""`kg explain`: what the extractor read in an article, sentence by sentence, and why.

For each sentence: the mentions found (text, type, the entity they resolve to, the rule that
found them) and the facts read from it (kind, participants, date, status..., the Fact.rule that
produced them); then the article date and a summary of its entities. Nothing is stored: this is
for a user (or a rule writer) asking "why is this in the graph, and why is that not?".

Text goes to a terminal (wrapped; coloured only on a tty); `write_html` makes a self-contained page
with spaCy's displaCy entity markup. Article text is hostile: every piece of it is escaped.
"""
from __future__ import annotations

import html
import os
import re
import shutil
import textwrap
from dataclasses import dataclass, field
from typing import IO, Iterable, Iterator, Union

import click

from . import __version__
from .articles import MAX_BYTES, Article, read_articles
from .errors import InputError
from .extract import version as extractor_version
from .extract.model import Entity, Extraction, Fact
from .outputs import MARK, replace_file

# Fact fields shown after the kind and rule, in this order, when set.
FACT_FIELDS = ("name", "agreement_kind", "status", "polarity", "date", "location", "participants", "signatories",
               "supplier", "recipient", "systems", "quantity", "measure", "value", "unit", "year", "areas", "regions")
ENTITY_FIELDS = {"participants", "signatories", "supplier", "recipient", "systems", "location", "regions"}
KIND_COLOURS = {"Person": "#f6c28b", "Country": "#9fd3f5", "Organisation": "#b9e4a6", "Place": "#f5e49f",
                "Region": "#d9c4f0", "WeaponSystem": "#f4a9a8"}
TERM_COLOURS = {"Person": "yellow", "Country": "cyan", "Organisation": "green", "Place": "blue",
                "Region": "magenta", "WeaponSystem": "red"}


@dataclass
class MentionView:
    text: str
    kind: str
    entity: str         # entity id (kind:key)
    label: str          # the entity's canonical name
    iri: str
    rule: str
    start: int          # character offsets in the article text
    end: int


@dataclass
class FactView:
    number: int         # the fact's index in the article: its IRI ends in it
    fact: Fact
    sentences: list[int]


@dataclass
class SentenceView:
    index: int
    text: str
    start: int          # character offset of the sentence in the article
    mentions: list[MentionView] = field(default_factory=list)
    facts: list[FactView] = field(default_factory=list)


@dataclass
class Explanation:
    """One article as the extractor read it."""
    article: Article
    extraction: Extraction
    sentences: list[SentenceView]
    extractor: str

    @property
    def entities(self) -> list[Entity]:
        return sorted(self.extraction.entities.values(), key=lambda e: (e.kind, e.name))

    def mention_counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for m in self.extraction.mentions:
            counts[m.entity] = counts.get(m.entity, 0) + 1
        return counts


def explain_article(article: Article) -> Explanation:
    """Extract one article and arrange the result by sentence."""
    from .extract import extract
    from .rdfbuild import iri_of
    ex = extract(article)
    sents = [SentenceView(i, ex.text[s:e], s) for i, (s, e) in enumerate(ex.sentences)]
    for m in ex.mentions:
        ent = ex.entities.get(m.entity)
        if ent is None or not 0 <= m.sentence < len(sents):
            continue
        sents[m.sentence].mentions.append(MentionView(m.text, ent.kind, ent.id, ent.name, str(iri_of(ent)),
                                                      m.rule, m.start, m.end))
    for n, fact in enumerate(ex.facts):
        view = FactView(n, fact, sorted(set(fact.sentences)))
        for i in view.sentences:
            if 0 <= i < len(sents):
                sents[i].facts.append(view)
    return Explanation(article, ex, sents, extractor_version.current())


def explain(paths: Iterable[str], *, stdin: IO[bytes] | None = None,
            max_bytes: int = MAX_BYTES) -> Iterator[Union[Explanation, InputError]]:
    """Each article under `paths` (a .txt with its date header, a JSON Lines file, a folder, or '-'
    for `stdin`) explained, or an InputError for what could not be read, in reading order."""
    for item in read_articles([str(p) for p in paths], stdin=stdin, limit=max_bytes):
        yield item if isinstance(item, InputError) else explain_article(item)


# -- values as words ----------------------------------------------------------------------------
def fact_values(fv: FactView, ex: Extraction) -> list[tuple[str, str]]:
    """(field, value) pairs worth showing for a fact, entities by name."""
    out = []
    f = fv.fact
    for name in FACT_FIELDS:
        value = getattr(f, name)
        if value in (None, "", [], set()):
            continue
        if name in ENTITY_FIELDS:
            ids = [value] if isinstance(value, str) else list(value)
            value = ", ".join(ex.entities[i].name if i in ex.entities else i for i in ids)
        elif name == "date":
            value = value.isoformat()
        elif name == "areas":
            value = ", ".join(sorted(value))
        elif name == "value":
            value = f"{value:,.2f}".rstrip("0").rstrip(".")
        out.append((name.replace("_", " "), str(value)))
    if len(fv.sentences) > 1:
        out.append(("sentences", ", ".join(str(i + 1) for i in fv.sentences)))
    return out


# -- terminal -----------------------------------------------------------------------------------
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """Article text may carry terminal escapes or bidi overrides: shown as '?', never obeyed."""
    return CONTROL.sub("?", str(text))


def render_text(exp: Explanation, width: int | None = None, color: bool = False) -> str:
    """The explanation as text wrapped to `width` (default: the terminal's); `color` adds ANSI
    styles (the command asks for them only when stdout is a terminal)."""
    width = max(40, min(width or shutil.get_terminal_size((100, 24)).columns, 120))
    ex, art = exp.extraction, exp.article

    def style(text: str, **kw) -> str:
        return click.style(text, **kw) if color else text

    bold = lambda s: style(s, bold=True)
    dim = lambda s: style(s, dim=True)
    lines = [bold(printable(art.source)) + f"  (article date {art.date.isoformat()}, extractor {exp.extractor})"]
    if art.title:
        lines.append(f"title: {printable(art.title)}")
    lines.append(f"{len(exp.sentences)} sentences, {len(ex.entities)} entities, {len(ex.mentions)} mentions, "
                 f"{len(ex.facts)} facts")
    for s in exp.sentences:
        lines.append("")
        lines += textwrap.wrap(printable(" ".join(s.text.split())), width, initial_indent=bold(f"[{s.index + 1}] "),
                               subsequent_indent="    ") or [bold(f"[{s.index + 1}]")]
        for m in s.mentions:
            lines += textwrap.wrap(
                f"{style(printable(m.text), fg=TERM_COLOURS.get(m.kind))}  {m.kind} → {printable(m.label)}  "
                + dim(f"<{m.iri}>  rule {m.rule}"), width * 2, initial_indent="    · ", subsequent_indent="      ")
        for fv in s.facts:
            head = f"    ▸ fact #{fv.number} {bold(fv.fact.kind)}  " + dim(f"rule {fv.fact.rule}")
            lines.append(head)
            for name, value in fact_values(fv, ex):
                lines += textwrap.wrap(printable(f"{name}: {value}"), width, initial_indent="        ",
                                       subsequent_indent="          ")
    lines += ["", bold("Entities")]
    counts = exp.mention_counts()
    for ent in exp.entities:
        from .rdfbuild import iri_of
        extra = []
        if ent.titles:
            extra.append("title " + "; ".join(ent.titles))
        if ent.affiliations:
            extra.append("affiliated with " + ", ".join(ex.entities[a].name if a in ex.entities else a
                                                        for a in ent.affiliations))
        aliases = sorted(ent.aliases - {ent.name})
        if aliases:
            extra.append("also " + ", ".join(aliases))
        line = (f"  {style(ent.kind, fg=TERM_COLOURS.get(ent.kind))} {printable(ent.name)}  "
                f"{counts.get(ent.id, 0)} mention(s), {ent.source}  " + dim(f"<{iri_of(ent)}>"))
        lines.append(line)
        for e in extra:
            lines += textwrap.wrap(printable(e), width, initial_indent="      ", subsequent_indent="        ")
    return "\n".join(lines)


# -- HTML ---------------------------------------------------------------------------------------
PAGE = """<!DOCTYPE html>
<!-- {mark} -->
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>kg explain</title>
<style>
body {{ font: 15px/1.5 system-ui, sans-serif; margin: 2em auto; max-width: 70em; padding: 0 1em; color: #222; }}
.sentence {{ border-top: 1px solid #ddd; padding: .6em 0; }}
.num {{ color: #888; font-weight: bold; margin-right: .5em; }}
table {{ border-collapse: collapse; margin: .3em 0 .3em 2em; font-size: 13px; }}
td, th {{ border: 1px solid #e3e3e3; padding: 2px 6px; text-align: left; vertical-align: top; }}
.fact {{ margin: .4em 0 .4em 2em; padding: .3em .6em; background: #f6f8fa; border-left: 3px solid #5b8def; }}
.rule, .iri {{ font-family: ui-monospace, monospace; font-size: 12px; color: #555; }}
</style></head><body>
{body}
</body></html>
"""


def render_article_html(exp: Explanation) -> str:
    """One article's part of the page: sentences with displaCy entity marks, mentions, facts."""
    from spacy import displacy

    from .rdfbuild import iri_of
    e = html.escape
    art, ex = exp.article, exp.extraction
    parts = [f"<h1>{e(art.title or art.source)}</h1><p>source {e(art.source)} · article date "
             f"{e(art.date.isoformat())} · extractor {e(exp.extractor)} · {len(ex.entities)} entities, "
             f"{len(ex.facts)} facts</p>"]
    colours = {k.upper(): v for k, v in KIND_COLOURS.items()}
    for s in exp.sentences:
        # displaCy escapes the text but not the labels: ours are escaped here
        ents = [{"start": m.start - s.start, "end": m.end - s.start, "label": e(m.kind)} for m in s.mentions
                if 0 <= m.start - s.start < m.end - s.start <= len(s.text)]
        marked = displacy.render([{"text": s.text, "ents": ents, "title": None}], style="ent", manual=True,
                                 page=False, options={"colors": colours})
        parts.append(f'<div class="sentence"><span class="num">[{s.index + 1}]</span>{marked}')
        if s.mentions:
            rows = "".join(f"<tr><td>{e(m.text)}</td><td>{e(m.kind)}</td><td>{e(m.label)}</td>"
                           f'<td class="iri">{e(m.iri)}</td><td class="rule">{e(m.rule)}</td></tr>'
                           for m in s.mentions)
            parts.append("<table><tr><th>mention</th><th>type</th><th>entity</th><th>IRI</th><th>rule</th></tr>"
                         f"{rows}</table>")
        for fv in s.facts:
            fields = "".join(f"<tr><td>{e(k)}</td><td>{e(v)}</td></tr>" for k, v in fact_values(fv, ex))
            parts.append(f'<div class="fact"><b>fact #{fv.number} {e(fv.fact.kind)}</b> '
                         f'<span class="rule">rule {e(fv.fact.rule)}</span><table>{fields}</table></div>')
        parts.append("</div>")
    counts = exp.mention_counts()
    rows = "".join(f"<tr><td>{e(ent.kind)}</td><td>{e(ent.name)}</td><td>{counts.get(ent.id, 0)}</td>"
                   f"<td>{e(', '.join(sorted(ent.aliases - {ent.name})))}</td><td>{e('; '.join(ent.titles))}</td>"
                   f'<td class="iri">{e(str(iri_of(ent)))}</td></tr>' for ent in exp.entities)
    parts.append("<h2>Entities</h2><table><tr><th>type</th><th>name</th><th>mentions</th><th>also</th>"
                 f"<th>title</th><th>IRI</th></tr>{rows}</table>")
    return "\n".join(parts)


def render_html(explanations: Iterable[Explanation]) -> str:
    """A self-contained page (no scripts, nothing fetched) for one or more articles."""
    head, foot = PAGE.split("{body}")
    return head.format(mark=f"{MARK} {__version__}") + "\n".join(map(render_article_html, explanations)) \
        + foot.replace("{{", "{").replace("}}", "}")


def write_html(explanations: Iterable[Explanation], output: str | os.PathLike, force: bool = False) -> int:
    """Written atomically, one article at a time (memory stays flat on a long JSON Lines file); an
    existing file that is not a page of ours needs `force`. Returns the number of articles."""
    head, foot = PAGE.split("{body}")
    n = 0
    with replace_file(output, force) as fh:
        fh.write(head.format(mark=f"{MARK} {__version__}").encode("utf-8"))
        for exp in explanations:
            fh.write(render_article_html(exp).encode("utf-8") + b"\n")
            n += 1
        fh.write(foot.encode("utf-8"))
    return n
