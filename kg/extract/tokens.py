"""Token texts as plain Python lists, cached on the Doc once.

Every `doc[i]` makes a new spaCy Token object, and the rules look at each token many times; on
news-sized articles that churn was most of the extraction time. The first pipeline component
reads the token offsets in one pass over a numpy array and keeps, in `doc.user_data`:

    words  token texts          lower  lower-case texts (spaCy's LOWER is str.lower)
    ws     trailing whitespace  idx    character offset of each token
"""
from __future__ import annotations

from spacy.attrs import IDX, LENGTH, SPACY
from spacy.tokens import Doc


def cache_tokens(doc: Doc, text: str | None = None) -> None:
    """`text` is what the Doc was made from, when known (doc.text rebuilds it token by token)."""
    text = doc.text if text is None else text
    if len(doc):
        arr = doc.to_array([IDX, LENGTH, SPACY])
        idx, ends, spaced = arr[:, 0].tolist(), (arr[:, 0] + arr[:, 1]).tolist(), arr[:, 2].tolist()
    else:
        idx, ends, spaced = [], [], []
    words = [text[a:b] for a, b in zip(idx, ends)]
    low = text.lower()
    doc.user_data["text"] = text
    doc.user_data["words"] = words
    doc.user_data["ws"] = [text[b:b + 1] if sp else "" for b, sp in zip(ends, spaced)]
    # lower-casing the text once is faster, unless it changes a length ('İ' becomes two characters)
    # or depends on the neighbours (a capital sigma lower-cases by its place in the word)
    doc.user_data["lower"] = [low[a:b] for a, b in zip(idx, ends)] if len(low) == len(text) and "Σ" not in text \
        else [w.lower() for w in words]
    doc.user_data["idx"] = idx


def char_span(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """Character offsets of tokens [start, end), as spaCy's Span.start_char/end_char."""
    if end <= start:
        idx = doc.user_data["idx"]
        at = idx[start] if start < len(idx) else len(doc.user_data["text"])
        return at, at
    idx, words = doc.user_data["idx"], doc.user_data["words"]
    return idx[start], idx[end - 1] + len(words[end - 1])


def span_text(doc: Doc, start: int, end: int) -> str:
    """The text of tokens [start, end), as spaCy's `doc[start:end].text`."""
    if end <= start:
        return ""
    a, b = char_span(doc, start, end)
    return doc.user_data["text"][a:b]
