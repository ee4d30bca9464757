"""Pattern mentions: the names no gazetteer can list in advance.

People are found by the company they keep: a title before them ("Defence Minister Rajnath
Singh"), an apposition after them ("Kaja Kallas, the EU's High Representative"), an honorific
("Ms. Kallas"), or a speech verb ("John Kirby said"). Organisations by their shape: a country and
an armed service ("Indian Navy"), a ministry ("Japan's Defence Ministry"), a company suffix
("Tata Advanced Systems Limited"), or an acronym defined in the text ("... Centre (IFC-IOR)").
"""
from __future__ import annotations

import json
import re
from functools import lru_cache

from spacy.tokens import Doc

from . import resources
from .tokens import span_text

PARTICLES = {"bin", "bint", "al", "el", "de", "da", "van", "von", "der", "le", "la", "du", "di", "dos", "ibn", "abu", "ul", "ud"}
CONNECTORS = {"of", "and", "for", "the", "on", "-", "&", "in"}
HEAD_VERBS = {"heads", "headed", "leads", "led", "chairs", "chaired", "runs", "commands", "commanded"}


def _headed(W: list[str], L: list[str], k: int, end: int) -> dict:
    """'who heads the Danish defence ministry', "who heads Morocco's National Defence Administration":
    the side is the first capitalised name after the verb (the resolver reads the entity ending there)."""
    while k < end and L[k] in ("the", "a", "an"):
        k += 1
    if k >= end or not W[k][:1].isupper():
        return {}
    while k < end and W[k][:1].isupper():
        k += 1
    return {"affiliation_at": k}
ACRONYM = re.compile(r"^[A-Z][A-Za-z0-9&/]*[A-Z0-9]$")


@lru_cache(maxsize=1)
def lexicon():
    res = resources.load()
    heads = json.loads((resources.DATA / "rules/org_heads.json").read_text())
    ministries = {}
    for line in resources.lines("rules/ministries.txt"):
        forms = line.split("|")
        for f in forms:
            ministries[f] = forms[0]
    services = sorted(resources.lines("rules/services.txt"), key=lambda s: -len(s.split()))
    service_words: dict[str, list] = {}
    for svc in services:       # indexed by first word, longest first, as the scan wants
        if svc.split():
            service_words.setdefault(svc.split()[0], []).append((svc, svc.split()))
    ministry_words: dict[str, list] = {}
    for form, canon in ministries.items():      # indexed by first word, in file order
        if form.split():
            ministry_words.setdefault(form.split()[0], []).append((form, canon, form.split()))
    return {
        "stop": res.name_stopwords,
        "speech": res.speech_verbs,
        "services": services,
        "service_words": service_words,
        "ministry_words": ministry_words,
        "ministries": ministries,
        "company_heads": set(heads["company"]),
        "generic_system": set(resources.lines("rules/generic_system_nouns.txt")),
        "heads": {w: k for k, ws in heads.items() for w in ws},
        "ships": set(resources.lines("rules/ship_prefixes.txt")),
        "platform_nouns": _platform_nouns(),
        "system_heads": _system_heads(),
        "weapon_index": _weapon_index(),
        "demonyms": set(res.demonym_to_iso),
        "venue_heads": _by_first_word(resources.lines("rules/venue_heads.txt")),
        "venue_prefixes": _by_first_word(resources.lines("rules/venue_prefixes.txt")),
        "unit_heads": set(resources.lines("rules/unit_heads.txt")),
        "cardinals": set(res.cardinals),
        "region_after": {h.split()[1] for h in resources.lines("rules/region_heads.txt") if h.startswith("after ")},
        "region_before": {h.split()[1] for h in resources.lines("rules/region_heads.txt") if h.startswith("before ")},
        "ambiguous": res.ambiguous,
        "excluded": set(resources.lines("rules/excluded_orgs.txt")),
        "portfolio": set(resources.lines("rules/portfolio_words.txt")),
        "family_names": set(resources.lines("rules/family_names.txt")),
        "namey": {},          # namey's answers by token text (a token text always gets the same one)
    }


def _by_first_word(phrases: list[str]) -> dict[str, list[list[str]]]:
    """Phrases indexed by their first word, longest first, so a scan tests only those that can match."""
    out: dict[str, list[list[str]]] = {}
    for words in sorted((p.split() for p in phrases if p.split()), key=lambda w: -len(w)):
        out.setdefault(words[0], []).append(words)
    return out


def _platform_nouns() -> list[tuple[list[str], str]]:
    """(noun words, singular) pairs, longest first: 'aircraft carriers' before 'carriers'."""
    out = []
    for line in resources.lines("rules/platform_nouns.txt"):
        forms = line.split("|")
        out += [(f.split(), forms[0]) for f in forms]
    return sorted(out, key=lambda f: -len(f[0]))


def _system_heads() -> dict[str, list[tuple[list[str], str, bool]]]:
    """(head words as the tokenizer splits them, kind, needs a designator), indexed by first word,
    longest first."""
    out: dict[str, list] = {}
    for line in resources.lines("rules/system_heads.txt"):
        phrase, kind = line.split("|")
        words = re.findall(r"[^\s-]+|-", phrase.lower())
        out.setdefault(words[0], []).append((words, kind.rstrip("*"), kind.endswith("*")))
    return {w: sorted(hs, key=lambda h: -len(h[0])) for w, hs in out.items()}


def _weapon_index() -> dict[str, str]:
    """Lower-cased gazetteer names and aliases -> the system's name: 'anka' finds 'Anka drone'."""
    out = {}
    for name, rec in resources.load().weapons.items():
        for form in [name, *rec.get("aliases", [])]:
            out.setdefault(form.lower(), name)
    return out


def _class_key(text: str) -> str:
    return re.sub(r"[\s-]+", " ", text.lower()).strip()


@lru_cache(maxsize=1)
def known_classes() -> dict[str, str]:
    """'anzac class' -> 'Anzac-class frigate': a class the gazetteer knows keeps its one name, however written."""
    out: dict[str, str] = {}
    for rec in resources.load().weapons.values():
        for form in [rec["name"]] + rec.get("aliases", []):
            key = _class_key(form)
            if key.endswith(" class"):
                out.setdefault(key, rec["name"])
            elif " class " in f"{key} ":
                out.setdefault(key.split(" class")[0] + " class", rec["name"])
    return out


TYPE_NUMBER = re.compile(r"^\d{2,3}[A-Z]{0,3}$")


def gaz_index(doc: Doc) -> dict[int, list]:
    idx: dict[int, list] = {}
    for c in doc._.cands or []:
        for i in range(c.start, c.end):
            idx.setdefault(i, []).append(c)
    return idx


NAMEY_CACHE_SIZE = 200_000     # distinct token texts remembered; cleared when full, so memory stays bounded


def namey(t: str, lex) -> bool:
    """Could this token text be part of a person's name? (Token texts, not Tokens: see cache_tokens.)
    Asked about 700 times per article, mostly about the same words: answers are remembered."""
    seen = lex["namey"]
    answer = seen.get(t)
    if answer is None:
        if len(seen) >= NAMEY_CACHE_SIZE:
            seen.clear()
        answer = seen[t] = _namey(t, lex)
    return answer


def _namey(t: str, lex) -> bool:
    if not t[:1].isupper() or t in lex["stop"] or t.rstrip(".") in lex["stop"]:
        return False
    if any(ch.isdigit() for ch in t) or not any(ch.isalpha() for ch in t):
        return False
    if t.isupper() and len(t) > 2 and "." not in t:  # acronyms (DRDO, NATO) are not names
        return False
    return True


TITLE_MODIFIERS = {"deputy", "vice", "former", "acting", "junior", "senior", "chief", "state", "top", "assistant"}


def _given_name_tail(W: list[str], b: int) -> bool:
    """'ho' in 'Park Sung-ho': the lower-case second syllable of a Korean or Chinese given name."""
    return b >= 2 and W[b].isalpha() and W[b].islower() and len(W[b]) <= 4 and W[b - 1] == "-" \
        and W[b - 2][:1].isupper()


def _east_asian_name(W: list[str], i: int, end: int, lex) -> bool:
    """A known family name then two short given-name syllables, and no further capitalised word."""
    return W[i] in lex["family_names"] and all(W[k].isalpha() and len(W[k]) <= 5 for k in (i + 1, i + 2)) \
        and not (end < len(W) and W[end][:1].isupper())


def name_run(doc: Doc, i: int, gaz: dict, lex, limit: int = 4) -> int:
    """End index of the person name starting at token i (i itself when there is none)."""
    j, words = i, 0
    W, L, WS = doc.user_data["words"], doc.user_data["lower"], doc.user_data["ws"]
    sent_end = doc.user_data["sent_end"][i] if i < len(W) else i
    while j < sent_end and words < limit:
        text = W[j]
        if namey(text, lex) and (j not in gaz or _soft_gazetteer(doc, j, gaz, lex, words)):
            j += 1
            words += 1
        elif words and L[j] in PARTICLES and j + 1 < sent_end and (
                namey(W[j + 1], lex) or L[j + 1] in PARTICLES):
            j += 1
        elif words and L[j] in PARTICLES and j + 2 < sent_end and W[j + 1] == "-" and not WS[j] \
                and namey(W[j + 2], lex):
            j += 3  # 'al-Sisi', 'el-Sisi', 'ul-Haq'
            words += 1
        elif words and text == "-" and not WS[j] and not WS[j - 1] and j + 1 < sent_end \
                and W[j + 1].isalpha() and W[j + 1].islower() and len(W[j + 1]) <= 4:
            j += 2  # Korean and Chinese given names: Ching-te, Won-sik
        elif words and text == "-" and not WS[j] and j + 1 < sent_end and namey(W[j + 1], lex) \
                and not WS[j - 1]:
            j += 1
        else:
            break
    while j > i and (L[j - 1] in PARTICLES or W[j - 1] == "-"):
        j -= 1
    return j


def _soft_gazetteer(doc, j, gaz, lex, words) -> bool:
    """A gazetteer word may still be part of a name: 'Jordan Smith', 'Lloyd Austin'."""
    cands = gaz[j]
    if any(c.end - c.start > 1 for c in cands):
        return False
    if words == 0:
        text = doc.user_data["words"][j]
        return text in lex["ambiguous"] and lex["ambiguous"][text].get("first_name")
    return all(c.kind in ("Place",) or doc.user_data["words"][j] in lex["ambiguous"] for c in cands)


def headline(tokens: list[str]) -> bool:
    """Title-case lines ('Call for Synergy and Strategic Alignment') are headlines, not prose."""
    words = [t for t in tokens if len(t) > 3 and t.isalpha()]
    return len(words) >= 3 and len([t for t in words if t[0].isupper()]) >= 0.7 * len(words) \
        and not any(t in (".", "!", "?") for t in tokens[-2:])


def find_pattern_mentions(doc: Doc) -> list:
    from .pipeline import Cand
    lex = lexicon()
    gaz = gaz_index(doc)
    out: list[Cand] = []
    titles = doc._.titles or []
    title_at = {s: (s, e, lab) for s, e, lab in titles}
    title_tok = {i for s, e, _ in titles for i in range(s, e)}
    W, L = doc.user_data["words"], doc.user_data["lower"]
    n_tok = len(W)
    sents = doc.user_data["sents"]
    heads = {a for (a, _), h in zip(sents, doc.user_data["headlines"]) if h}
    in_headline = set()
    for a, b in sents:
        if a in heads:
            in_headline.update(range(a, b))

    def person(start, end, rule, **info):
        if end > start and start not in in_headline:
            name = span_text(doc, start, end)
            out.append(Cand(start, end, "Person", name, rule, info=info))

    for s, e, label in titles:
        # title (rank)* (honorific)? NAME
        j = e
        chain = [span_text(doc, s, e)]
        while j in title_at:
            chain.append(span_text(doc, j, title_at[j][1]))
            j = title_at[j][1]
        if " for " in f" {chain[-1].lower()} ":  # 'Secretary of State for Defence Procurement NAME'
            k = j
            while k < n_tok and W[k] in lex["portfolio"]:
                k += 1
            if j < k < n_tok and W[k - 1] != "and" and namey(W[k], lex):
                chain[-1] += " " + span_text(doc, j, k)
                title_tok.update(range(j, k))  # no other name rule starts inside the title
                j = k
        end = name_run(doc, j, gaz, lex)
        if end > j:
            person(j, end, "title-before" if label == "TITLE" else "honorific",
                   title=" ".join(c for c in chain if c.lower().rstrip(".") not in {"mr", "ms", "mrs"}) if label == "TITLE" or len(chain) > 1 else None,
                   title_start=s)
        # NAME , (the)? (modifier 's)? TITLE   -- apposition
        if label == "TITLE":
            k = s - 1
            while k >= 0 and (k in gaz or W[k] in ("'s", "’s", "'")):
                k -= 1
            while k >= 0 and s - k <= 2 and L[k] in TITLE_MODIFIERS:
                k -= 1  # 'Tomas Novak, deputy minister of ...'
            title_from = k + 1
            if k >= 0 and L[k] in ("the", "a", "an"):
                k -= 1
            if k >= 1 and W[k] == ",":
                stop = k
                b = k - 1
                while b >= 0 and stop - b <= 5 and (namey(W[b], lex) and b not in gaz and b not in title_tok or
                                                    L[b] in PARTICLES or _given_name_tail(W, b)):
                    b -= 2 if _given_name_tail(W, b) else 1
                b += 1
                if stop - b >= 2 and namey(W[b], lex):
                    person(b, stop, "apposition", title=span_text(doc, title_from, e), title_start=title_from)
            # TITLE of ENTITY , NAME ,   and   TITLE to COUNTRY (,) NAME ("Ambassador to India Thierry Mathou")
            t = e
            if t < n_tok and L[t] in ("of", "to"):
                prep = L[t]
                t += 1
                if t < n_tok and L[t] == "the":
                    t += 1
                g = t
                while t in gaz:
                    t += 1
                if t < n_tok and W[t] == "," and t + 1 < n_tok:
                    end = name_run(doc, t + 1, gaz, lex)
                    if end - (t + 1) >= 2:
                        person(t + 1, end, "title-of-apposition",
                               title=span_text(doc, s, e) if prep == "of" else span_text(doc, s, t), title_start=s)
                elif prep == "to" and t > g and t < n_tok:
                    end = name_run(doc, t, gaz, lex)
                    if end - t >= 2:
                        person(t, end, "title-to-country", title=span_text(doc, s, t), title_start=s)

    # NAME said / told ...  and  said NAME
    # (a name starts with a capital, so only capitalised tokens are looked at; a name found is skipped over)
    sent_start_of, sent_end_of = doc.user_data["sent_start"], doc.user_data["sent_end"]
    resume = 0
    for i in [i for i, w in enumerate(W) if w[:1].isupper()]:
        if i < resume or sent_start_of[i] in heads:
            continue
        sent_start, sent_end = sent_start_of[i], sent_end_of[i]
        if namey(W[i], lex) and i not in gaz and i not in title_tok and (
                i == sent_start or not namey(W[i - 1], lex) or i - 1 in title_tok):
            end = name_run(doc, i, gaz, lex, limit=3)
            if end - i >= 2 and end < sent_end and L[end] in lex["speech"]:
                person(i, end, "speaker")
            elif end - i >= 2 and i >= 2 and L[i - 1] in ("said", "says", "added", "told") \
                    and W[i - 2] in (",", '"', "”", "’", "'"):  # '..., said X' and '"...," said X'
                person(i, end, "speaker")
            elif end - i >= 2 and i >= 2 and L[i - 2] == "according" and L[i - 1] == "to":
                person(i, end, "speaker")
            elif end - i >= 2 and i >= 1 and L[i - 1] in ("counterpart", "counterparts"):
                person(i, end, "counterpart", affiliation_at=i - 1)  # 'his Lao counterpart Chansamone Chanyalath'
            elif end - i >= 2 and end + 2 < sent_end and W[end] == "," and L[end + 1] == "who" \
                    and L[end + 2] in HEAD_VERBS:
                person(i, end, "who-heads", **_headed(W, L, end + 3, sent_end))  # 'X, who heads Y'
            elif end - i >= 2 and i >= 2 and L[i - 1] == "," and L[i - 2] in ("counterpart", "counterparts"):
                person(i, end, "counterpart", affiliation_at=i - 2)  # 'his Ethiopian counterpart, Taye Atske
            elif end - i == 3 and _east_asian_name(W, i, end, lex):
                person(i, end, "family-name-first")  # 'Kim Yo Jong, the sister of ...'
            resume = max(end, i + 1)

    out += organisation_mentions(doc, gaz, lex)
    out += acronym_mentions(doc, gaz, lex)
    out += ship_mentions(doc, gaz, lex)
    out += class_mentions(doc, gaz, lex)
    out += system_shape_mentions(doc, gaz, lex)
    out += named_ship_mentions(doc, gaz, lex)
    out += venue_mentions(doc, gaz, lex)
    out += waterway_mentions(doc, gaz, lex)
    out += unit_mentions(doc, gaz, lex)
    return out


MINISTRY_FIRST = frozenset({"Ministry", "Department", "Defence", "Defense", "Foreign", "External", "Home",
                            "Interior", "State", "Commerce", "Finance", "Trade"})


def organisation_mentions(doc: Doc, gaz, lex) -> list:
    from .pipeline import Cand
    out = []
    words_all = doc.user_data["words"]
    n_tok = len(words_all)
    countries = [c for c in doc._.cands or [] if c.kind == "Country"]
    for c in countries:
        j = c.end
        if j < n_tok and words_all[j] in ("'s", "’s"):
            j += 1
        for svc, words in lex["service_words"].get(words_all[j] if j < n_tok else None, ()):
            if words_all[j:j + len(words)] == words:
                out.append(Cand(c.start, j + len(words), "Organisation", "", "country-service",
                                info={"country": c.key, "service": svc, "kind": "military"}))
                break
        for form, canon, words in lex["ministry_words"].get(words_all[j] if j < n_tok else None, ()):
            if words_all[j:j + len(words)] == words and len(words) > 1:
                out.append(Cand(c.start, j + len(words), "Organisation", canon, "country-ministry",
                                info={"country": c.key, "canonical": canon, "kind": "government", "form": form}))
                break
    # ministries without a country before them ("Ministry of Defence of Japan", "the Defence Ministry")
    for i in [i for i, w in enumerate(words_all) if w in MINISTRY_FIRST]:
        text = words_all[i]
        for form, canon, words in lex["ministry_words"].get(text, ()):
            if len(words) > 1 and words_all[i:i + len(words)] == words:
                end, country = i + len(words), None
                if end + 1 < n_tok and words_all[end].lower() == "of":
                    nxt = [c for c in countries if c.start in (end + 1, end + 2) and c.form != "demonym"]
                    if nxt:
                        country, end = nxt[0].key, nxt[0].end
                out.append(Cand(i, end, "Organisation", canon, "ministry",
                                info={"country": country, "canonical": canon, "kind": "government", "form": form}))
                break
    # companies: Capitalised words ending in a company word
    company_heads = lex["company_heads"]
    for i in [i for i, w in enumerate(words_all) if w in company_heads and i >= 1]:
        b = i - 1
        while b >= 0 and i - b <= 4 and (words_all[b][:1].isupper() or words_all[b] == "&") \
                and words_all[b] not in lex["stop"]:
            b -= 1
        b += 1
        if i - b >= 1 and words_all[b][:1].isupper() and not (b in gaz and all(
                c.kind == "Country" and c.form == "demonym" for c in gaz[b]) and i - b == 1) \
                and not _names_equipment(words_all[b:i], b in gaz and gaz[b], lex):
            if not any(c.start <= b and c.end >= i + 1 for c in doc._.cands or []):
                out.append(Cand(b, i + 1, "Organisation", span_text(doc, b, i + 1), "company-suffix",
                                info={"kind": "company"}))
    return out


def _names_equipment(words: list[str], cands_at_start, lex) -> bool:
    """'Missile Systems', 'Patriot Missile Systems': equipment, not a firm; a firm has a name of its
    own before the generic words ('Raytheon Missile Systems')."""
    if all(w.lower() in lex["generic_system"] for w in words):
        return True
    return bool(cands_at_start) and any(c.kind == "WeaponSystem" for c in cands_at_start)


def acronym_mentions(doc: Doc, gaz, lex) -> list:
    """'Long Name (ACR)': the acronym becomes an alias of what the long name names."""
    from .pipeline import Cand
    out = []
    words_all = doc.user_data["words"]
    for i in [i for i, w in enumerate(words_all) if w == "("]:
        j = i + 1
        while j < len(doc) and j - i <= 5 and doc[j].text != ")":
            j += 1
        if j >= len(doc) or doc[j].text != ")" or j == i + 1:
            continue
        short = doc[i + 1:j].text.replace(" ", "")
        if not ACRONYM.match(short) or sum(ch.isupper() for ch in short) < 2:
            continue
        letters = [ch for ch in short if ch.isupper()]
        b, best = i - 1, None
        sent_start = next(a for a, b in doc.user_data["sents"] if a <= i < b)
        while b >= sent_start and i - b <= 12:
            t = doc[b]
            if not (t.text[:1].isupper() or t.lower_ in CONNECTORS):
                break
            if t.text[:1].isupper() and _initials_match(doc[b:i], letters):
                best = b
            b -= 1
        if best is None:
            continue
        out.append(Cand(best, i, "Acronym", short, "acronym", info={"short": (i + 1, j), "short_text": short}))
    return out


def _initials_match(span, letters) -> bool:
    words = []
    for t in span:
        if t.lower_ in CONNECTORS:
            continue
        words += [w for w in re.split(r"[-/]", t.text) if w]
    initials = [w[0] for w in words if w[0].isupper()]
    if not initials or initials[0] != letters[0]:
        return False
    it = iter(initials)
    return all(any(ch == x for x in it) for ch in letters) and len(initials) <= len(letters) + 1


def ship_mentions(doc: Doc, gaz, lex) -> list:
    from .pipeline import Cand
    out = []
    ships = lex["ships"]
    for i in [i for i, w in enumerate(doc.user_data["words"][:-1]) if w in ships]:
        end = name_run(doc, i + 1, gaz, lex, limit=3)
        if end > i + 1:
            out.append(Cand(i, end, "WeaponSystem", span_text(doc, i, end), "ship-prefix", info={"kind": "ship"}))
    return out


def class_mentions(doc: Doc, gaz, lex) -> list:
    """Platforms named by class or type, listed or not: 'Tarkash-class frigates', 'the Gepard class',
    'Type 052DL destroyer'. The name is '<Name>-class <noun>' ('Type <N> <noun>'), with the bare class
    as an alias; a gazetteer system on the same words wins."""
    from .pipeline import Cand
    W, L = doc.user_data["words"], doc.user_data["lower"]
    out = []
    for i in [i for i, w in enumerate(W) if w == "class" or w == "Type"]:
        low = L[i]
        if low == "class" and i >= 1:
            k = i - 1 if W[i - 1] not in ("-", "–") else i - 2
            b = k
            while b - 1 >= 0 and k - b < 2 and W[b - 1][:1].isupper() and W[b - 1] not in lex["stop"] \
                    and L[b - 1] not in lex["cardinals"]:  # 'Two Anzac-class ships'
                b -= 1
            if k < 0 or not W[k][:1].isupper() or not W[k].replace("'", "").isalnum() or W[b] in lex["stop"]:
                continue
            label = f"{span_text(doc, b, k + 1)}-class"
            after = i + 1
        elif W[i] == "Type" and i + 1 < len(W) and TYPE_NUMBER.match(W[i + 1]):
            b, label, after = i, f"Type {W[i + 1]}", i + 2
        else:
            continue
        noun = next(((words, sing) for words, sing in lex["platform_nouns"] if L[after:after + len(words)] == words), None)
        if noun is None and not (b and L[b - 1] in ("the", "a", "an", "its", "of", "two", "three", "four")):
            continue  # 'World-class facilities' names nothing
        end = after + len(noun[0]) if noun else after
        if any(c.kind == "WeaponSystem" for c in gaz.get(after - 1, ())):
            continue  # the gazetteer knows the class ('Kilo class'); a name alone ('Gepard') is another system
        name = known_classes().get(_class_key(label)) or (f"{label} {noun[1]}" if noun else label)
        aliases = [label, label.replace("-class", " class")]
        out.append(Cand(b, end, "WeaponSystem", name, "class-pattern", info={"kind": "ship", "aliases": aliases}))
    return out


SHIP_NOUNS = {"carrier", "frigate", "destroyer", "corvette", "submarine", "cruiser", "warship", "flagship"}


def named_ship_mentions(doc: Doc, gaz, lex) -> list:
    """A ship named after its type noun: 'the aircraft carrier Shandong', 'the frigate Hamburg'."""
    from .pipeline import Cand
    W, L = doc.user_data["words"], doc.user_data["lower"]
    out = []
    for i in [i for i, low in enumerate(L[:-1]) if low in SHIP_NOUNS]:
        if not W[i + 1][:1].isupper() or W[i + 1] in lex["stop"] \
                or not W[i + 1].replace("'", "").isalpha() or W[i + 1] in lex["ships"]:
            continue
        end = i + 2
        if end < len(W) and W[end][:1].isupper() and W[end].isalpha() and W[end] not in lex["stop"]:
            end += 1
        if any(c.kind in ("WeaponSystem", "Person", "Organisation", "Country", "Region") for t in range(i + 1, end)
               for c in gaz.get(t, ())):
            continue
        name = span_text(doc, i + 1, end)
        out.append(Cand(i + 1, end, "WeaponSystem", name, "ship-named", info={"kind": "ship"}))
    return out


PLACE_PREPS = {"in", "at", "near", "outside"}


def venue_mentions(doc: Doc, gaz, lex) -> list:
    """Places no gazetteer lists: a named venue or base ('Malacañang Palace', 'the Adji Kossei base'), and
    a town placed by what follows it ('in Marietta, Georgia', 'near Warton, England')."""
    from .pipeline import Cand
    W, L = doc.user_data["words"], doc.user_data["lower"]
    n = len(W)
    taken = lambda a, b, kinds=("Country", "Region", "Person", "Organisation", "WeaponSystem"): \
        any(c.kind in kinds for t in range(a, b) for c in gaz.get(t, ()))
    out = []

    def name_start(end: int) -> int:
        b = end
        while b - 1 >= 0 and end - b < 4 and W[b - 1][:1].isupper() and W[b - 1] not in lex["stop"] \
                and W[b - 1].replace("-", "").replace("'", "").isalnum():
            b -= 1
        return b

    out += _prefixed_venues(doc, gaz, lex, taken)
    venue_first = lex["venue_heads"]
    for i in [i for i in range(1, n) if W[i] in venue_first or W[i] == "base" or L[i - 1] in PLACE_PREPS]:
        heads = venue_first.get(W[i])
        head = next((h for h in heads if W[i:i + len(h)] == h), None) if heads else None
        if head is None and L[i] == "base" and W[i - 1][:1].isupper():
            head = ["base"]
        if head:
            b = name_start(i)
            if b < i and not (head == ["base"] and (b == 0 or L[b - 1] != "the")) and not taken(i, i + len(head)) \
                    and not taken(b, i, ("Country", "Region", "Person")):  # 'the Russian base', 'the US base'
                name = span_text(doc, b, i + len(head))
                out.append(Cand(b, i + len(head), "Place", name, "venue", info={}))
            continue
        if L[i - 1] in PLACE_PREPS and W[i][:1].isupper() and W[i] not in lex["stop"] and i not in gaz:
            e = i + 1
            while e < n and e - i < 3 and (W[e][:1].isupper() or (W[e] == "-" and e + 1 < n and W[e + 1][:1].isupper())):
                e += 1
            if e + 1 < n and W[e] == "," and not any(t in gaz for t in range(i, e)):
                nxt = [c for c in gaz.get(e + 1, ()) if c.start == e + 1 and c.kind in ("Place", "Country")]
                if nxt:
                    iso = nxt[0].info.get("country") if nxt[0].kind == "Place" else nxt[0].key
                    out.append(Cand(i, e, "Place", span_text(doc, i, e), "town-placed", info={"country": iso}))
    return out


NOT_VENUE_NEXT = {"Accords", "Accord", "Agreement", "Agreements", "Treaty", "Summit", "Declaration", "Process", "Talks"}


def _prefixed_venues(doc: Doc, gaz, lex, taken) -> list:
    """A base or camp named after its kind word: 'Camp Lemonnier', 'Fort Bragg', 'RAF Marham'. The
    name is one to three capitalised words that no gazetteer claims as a country, person or body."""
    from .pipeline import Cand
    W, WS = doc.user_data["words"], doc.user_data["ws"]
    out = []
    prefixes = lex["venue_prefixes"]
    for i in [i for i, w in enumerate(W) if w in prefixes]:
        for pre in prefixes[W[i]]:
            b = i + len(pre)
            if W[i:b] != pre:
                continue
            e = b
            while e < len(W) and e - b < 3 and (W[e][:1].isupper() and W[e] not in lex["stop"]
                                                 and W[e].replace("-", "").replace("'", "").isalnum()
                                                 or (W[e] == "-" and e > b and not WS[e - 1] and not WS[e])):
                e += 1
            while e > b and W[e - 1] == "-":
                e -= 1
            if e < len(W) and W[e] in NOT_VENUE_NEXT or any(W[k] in NOT_VENUE_NEXT for k in range(b, e)):
                break  # 'the Camp David Accords' names an agreement
            if e > b and not taken(b, e):
                out.append(Cand(i, e, "Place", span_text(doc, i, e), "venue", info={}))
            break
    return out


def waterway_mentions(doc: Doc, gaz, lex) -> list:
    """Seas and straits no gazetteer lists: 'Sulu Sea', 'Bashi Channel', 'Strait of Otranto'."""
    from .pipeline import Cand
    W = doc.user_data["words"]
    n = len(W)
    out = []
    after, before = lex["region_after"], lex["region_before"]
    for i in [i for i, w in enumerate(W) if (w in after or w in before) and i >= 1]:
        w = W[i]
        if w in after:
            b = i
            while b - 1 >= 0 and i - b < 2 and W[b - 1][:1].isupper() and W[b - 1].isalpha() \
                    and W[b - 1] not in lex["stop"]:
                b -= 1
            if b < i and not any(c.kind == "Region" for c in gaz.get(b, ())) and \
                    not any(c.kind in ("Person", "Organisation", "WeaponSystem") for t in range(b, i + 1) for c in gaz.get(t, ())):
                out.append(Cand(b, i + 1, "Region", span_text(doc, b, i + 1), "waterway", info={}))
        elif w in lex["region_before"] and i + 2 < n and W[i + 1] == "of" and W[i + 2][:1].isupper() \
                and W[i + 2].isalpha() and W[i + 2] not in lex["stop"] and not gaz.get(i):
            e = i + 3
            if e < n and W[e][:1].isupper() and W[e].isalpha() and W[e] not in lex["stop"]:
                e += 1
            if not any(c.kind in ("Person", "Organisation", "Region") for t in range(i, e) for c in gaz.get(t, ())):
                out.append(Cand(i, e, "Region", span_text(doc, i, e), "waterway", info={}))
    return out


ORDINAL = re.compile(r"^\d{1,3}(?:st|nd|rd|th)$")


def unit_mentions(doc: Doc, gaz, lex) -> list:
    """Military units and commands by their shape: '7th Mechanised Infantry Regiment', 'Western Fleet'.
    The ordinal stays in the name (the 1st and 3rd divisions differ); the name without it is an alias."""
    from .pipeline import Cand
    W = doc.user_data["words"]
    out = []
    unit_heads = lex["unit_heads"]
    for i in [i for i, w in enumerate(W) if w in unit_heads and i]:
        b = i
        while b - 1 >= 0 and i - b < 4 and W[b - 1][:1].isupper() and W[b - 1] not in lex["stop"] \
                and W[b - 1].replace("-", "").isalpha():
            b -= 1
        if b == i or any(c.kind in ("Organisation", "Person", "WeaponSystem") and c.start < i < c.end + 1
                         for t in range(b, i + 1) for c in gaz.get(t, ())):
            continue
        if any(c.kind == "Country" for c in gaz.get(b, ())) and i - b == 1:
            continue  # 'Indian Command': a country and a head is the service rule's business
        start = b - 1 if b >= 1 and ORDINAL.match(W[b - 1]) else b
        name = span_text(doc, start, i + 1)
        aliases = [span_text(doc, b, i + 1)] if start < b else []
        out.append(Cand(start, i + 1, "Organisation", name, "unit", info={"kind": "military", "aliases": aliases}))
    return out


SYSTEM_JOIN = {"and", ",", "or"}
MAKER_WORD = re.compile(r"-(?:made|built|designed|developed|led|produced|supplied|owned)$", re.I)


def _system_word(w: str, lex) -> bool:
    """Could this token be part of a system's name ('Haeseong', 'VN22', 'MX', '900', 'III')?"""
    if w in lex["stop"] or w in lex["demonyms"] or w.lower() in lex["cardinals"] or not any(ch.isalnum() for ch in w) \
            or "." in w or MAKER_WORD.search(w):
        return False
    return w[:1].isupper() or w[:1].isdigit()


def _system_run(doc: Doc, end: int, gaz, lex) -> int:
    """Start of the system name ending at token `end` (== end when there is none): up to four name
    tokens, none known to the gazetteer, the first one capitalised ('Ground Master 200')."""
    W, WS = doc.user_data["words"], doc.user_data["ws"]
    sent_start = doc.user_data["sent_start"][end - 1] if end else 0
    b = end
    while b > sent_start and end - b < 4 and b - 1 not in gaz and (
            _system_word(W[b - 1], lex) or (W[b - 1] == "-" and b - 2 >= sent_start and not WS[b - 2] and not WS[b - 1])):
        b -= 1
    if b == sent_start and b < end and not any(ch.isdigit() for ch in W[b]) and not W[b].isupper():
        b += 1  # a capitalised first word of a sentence is no evidence of a name
    while b < end and not W[b][:1].isupper():
        b += 1   # a name starts with a capital: '900' alone, or '- 3', is not one
    return b


def system_shape_mentions(doc: Doc, gaz, lex) -> list:
    """Weapon systems no gazetteer lists, known by the noun after their name: 'Haeseong anti-ship
    missiles', 'VN22 armoured vehicles', 'HDP-2200 frigate', and the names listed before such a
    system ('Akinci and Bayraktar TB2 drones'). A generic noun ('aircraft', 'frigates') only counts
    after a designator with a digit ('C-130H transport aircraft')."""
    from .pipeline import Cand
    W, L = doc.user_data["words"], doc.user_data["lower"]
    out = []
    heads = lex["system_heads"]
    for h in [h for h, low in enumerate(L) if low in heads and h]:
        head = next((x for x in heads[L[h]] if L[h:h + len(x[0])] == x[0]), None)
        if head is None:
            continue
        words, kind, needs_digit = head
        known = next((c for c in gaz.get(h - 1, ()) if c.kind == "WeaponSystem" and c.end == h), None)
        end = known.start if known else h
        if not known:
            b = _system_run(doc, h, gaz, lex)
            if b == h or (needs_digit and not any(ch.isdigit() for w in W[b:h] for ch in w)):
                continue
            out.append(_system_cand(Cand, doc, b, h, words, kind, lex))
            end = b
        while end >= 2 and L[end - 1] in SYSTEM_JOIN:   # 'Akinci and Bayraktar TB2 drones'
            b = _system_run(doc, end - 1, gaz, lex)
            if b == end - 1 or needs_digit:
                break
            out.append(_system_cand(Cand, doc, b, end - 1, words, kind, lex))
            end = b
    return out


def _system_cand(Cand, doc: Doc, b: int, e: int, head_words: list[str], kind: str, lex):
    """The gazetteer's name when the words with or without the noun are a known system in another
    case or number ('ANKA drones' is 'Anka drone'); else the words themselves."""
    name = span_text(doc, b, e)
    last = head_words[-1] if head_words[-1] in ("aircraft", "munitions") else head_words[-1].rstrip("s")
    head = " ".join(head_words[:-1] + [last]).replace(" - ", "-")
    index = lex["weapon_index"]
    known = index.get(name.lower()) or index.get(f"{name} {head}".lower()) or index.get(f"{name} {last}".lower())
    family = VARIANT_SUFFIX.sub("", doc.user_data["words"][b])
    if not known and family != doc.user_data["words"][b] and any(ch.isdigit() for ch in family):
        known = index.get(family.lower())  # 'JF-17C Block III' is a version of the JF-17
    if known:
        listed = resources.load().weapons[known].get("aliases", [])
        info = {"kind": kind, "aliases": [name, *(a for a in listed if len(a) > 2 or a.isupper())]}
    else:
        info = {"kind": kind}
    return Cand(b, e, "WeaponSystem", known or name, "system-shape", info=info)


VARIANT_SUFFIX = re.compile(r"(?<=\d)[A-Z]{1,3}$")
