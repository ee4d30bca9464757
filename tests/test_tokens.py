"""The token cache (kg/extract/tokens.py) must read exactly what spaCy's tokens say: the rules use
its lists instead of Token objects, so a difference would change what is extracted."""
import pytest

from kg.extract.pipeline import build_nlp
from kg.extract.tokens import cache_tokens, char_span, span_text

TEXTS = [
    "NEW DELHI, Jan. 27 (PTI) - Defence Minister Rajnath Singh met Kaja Kallas.\n\nThe two sides agreed.",
    "İstanbul hosted the talks; ΟΔΟΣ ΣΑΣ and Ärzte ohne Grenzen (MSF) spoke. STRAẞE ǅ ﬁne.",
    "Ankara’s “Hürjet” jets — 2,000 crore — Rs. 3.5 bn\t\ttabs  double  spaces ",
    "",
]


@pytest.mark.parametrize("text", TEXTS)
def test_cached_tokens_match_spacy(text):
    doc = build_nlp().make_doc(text)
    cache_tokens(doc, text)
    ud = doc.user_data
    assert ud["words"] == [t.text for t in doc]
    assert ud["lower"] == [t.lower_ for t in doc]
    assert ud["ws"] == [t.whitespace_ for t in doc]
    assert ud["idx"] == [t.idx for t in doc]
    for a in range(len(doc)):
        for b in range(a + 1, min(len(doc), a + 4) + 1):
            assert span_text(doc, a, b) == doc[a:b].text
            assert char_span(doc, a, b) == (doc[a:b].start_char, doc[a:b].end_char)
