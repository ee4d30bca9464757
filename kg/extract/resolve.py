"""Entity resolution inside an article: choose among candidate mentions, give each entity its
canonical name and stable key, gather aliases, and link surnames, acronyms and affiliations.

Across articles, identity comes from the key: ISO codes for countries, gazetteer names for
known entities, canonical full names for people (completed from the office-holder dictionary).
"""
from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

from spacy.tokens import Doc

from . import resources
from .mentions import lexicon, namey
from .model import Entity, Extraction, Mention
from .pipeline import KIND_PRIORITY, Cand
from .tokens import char_span, span_text

METONYMY_NEXT = {"'s", "’s", "and", "has", "have", "had", "is", "was", "will", "would", "wants", "does",
                 "did", "could", "may", "might", "must", "should", "also", "on"}
HONORIFIC = re.compile(r"^(Mr|Ms|Mrs|Dr|Sheikh|Prof|Hon)\.?\s+")
CLASS_ENTITIES = {"Person", "Country", "Organisation", "Place", "Region", "WeaponSystem"}


@lru_cache(maxsize=1)
def nonstate_titles() -> tuple[str, ...]:
    return tuple(resources.lines("rules/nonstate_titles.txt"))


MONTHS = frozenset(("January", "February", "March", "April", "May", "June", "July", "August", "September",
                    "October", "November", "December"))
GENERIC_SYSTEM_NOUNS = frozenset(resources.lines("rules/generic_system_nouns.txt"))
LOCATIVE = {"in", "at", "near", "from", "outside", "inside", "into", "via", "around", "across", "visited", "visiting",
            "visit", "of", "toward", "towards", "reached", "left", "leaves", "landed", "hosted", "host"}
MOTION = {"travelled", "traveled", "flew", "trip", "visit", "went", "came", "arrived", "returned", "journey", "moved",
          "deployed", "sent", "route", "flight", "flights", "road", "way", "back", "travel", "travels"}


def canonical_person(name: str) -> str:
    name = HONORIFIC.sub("", name.strip())
    name = re.sub(r"\s+", " ", re.sub(r"['’]s?$", "", name)).strip()
    return name


def _drop_ambiguous(doc: Doc, c: Cand, lex, titles_end: set[int]) -> bool:
    """'Jordan Smith' (a first name), 'Atlanta, Georgia' (a US state)."""
    if c.kind not in ("Country", "Place"):
        return False
    amb = lex["ambiguous"].get(span_text(doc, c.start, c.end))
    if not amb:
        return False
    words = doc.user_data["words"]
    nxt = words[c.end] if c.end < len(words) else None
    if amb.get("first_name") and nxt is not None and namey(nxt, lex) and not any(
            x.start == c.end for x in doc._.cands if x.kind != "Person"):
        return True
    if amb.get("first_name") and c.start in titles_end:
        return True
    if amb.get("us_state"):
        window = doc[max(0, c.start - 4):min(len(doc), c.end + 4)].text
        ctx = resources.load().us_state_context
        us_state = any(w in window for w in ctx) or (c.start >= 2 and doc[c.start - 1].text == ","
                                                     and doc[c.start - 2].text[:1].isupper())
        if c.kind == "Country":
            return us_state
        return c.form != "capital" and not us_state  # 'in Georgia' near a US base: the state, a Place
    return False


def _look_alike(c: Cand, lower: list[str]) -> bool:
    """'an S-400-style system', 'a Patriot-like shield': something like the system, not the system."""
    return c.kind == "WeaponSystem" and c.end + 1 < len(lower) and lower[c.end] == "-" \
        and lower[c.end + 1] in ("style", "like", "type")


def _cuts_title(c: Cand, titles, title_tokens: set[int]) -> bool:
    """'Belgian Defence' must not swallow half of 'Belgian Defence Minister'. (Only a mention that
    shares a token with a title can cut one: most mentions are ruled out by that alone.)"""
    if c.kind in ("Person", "Country") or not any(i in title_tokens for i in range(c.start, c.end)):
        return False
    return any(c.start < ts < c.end < te or ts < c.start < te < c.end or (ts < c.start and c.end == te)
               for ts, te in titles)


def choose(doc: Doc) -> list[Cand]:
    """Non-overlapping mentions: longest first, then by kind priority."""
    lex = lexicon()
    titles_end = {e for _, e, _ in doc._.titles or []}
    titles = [(s, e) for s, e, label in doc._.titles or [] if label == "TITLE"]
    title_tokens = {i for s, e in titles for i in range(s, e)}
    lower = doc.user_data["lower"]
    cands = [c for c in doc._.cands or [] if c.kind != "Acronym" and not _drop_ambiguous(doc, c, lex, titles_end)
             and not _cuts_title(c, titles, title_tokens) and not _look_alike(c, lower)]
    cands.sort(key=lambda c: (-c.length, -KIND_PRIORITY.get(c.kind, 0), c.start))
    taken = [False] * (len(doc) + 1)
    chosen = []
    for c in cands:
        if any(taken[c.start:c.end]):
            continue
        for i in range(c.start, c.end):
            taken[i] = True
        chosen.append(c)
    chosen.sort(key=lambda c: c.start)
    return chosen


class Resolver:
    def __init__(self, doc: Doc, date: dt.date):
        self.doc, self.date = doc, date
        self.res = resources.load()
        self.lex = lexicon()
        self.entities: dict[str, Entity] = {}
        self.spans: list[tuple[int, int, str, str]] = []  # token start, end, entity id, rule
        self.person_info: dict[str, dict] = {}
        self._dateline: int | None = None

    # -- entity creation -------------------------------------------------------------------------
    def entity(self, kind, key, name, **kw) -> Entity:
        eid = f"{kind}:{key}"
        ent = self.entities.get(eid)
        if ent is None:
            ent = self.entities[eid] = Entity(kind=kind, key=key, name=name, **kw)
        return ent

    def country(self, iso: str) -> Entity:
        rec = self.res.countries.get(iso, {"name": iso})
        return self.entity("Country", iso, rec["name"], iso3=iso)

    def org_from_record(self, rec: dict) -> Entity:
        ent = self.entity("Organisation", rec["name"], rec["name"], org_kind=rec.get("kind") or "other",
                          country=rec.get("country"))
        ent.aliases.update(a for a in rec.get("aliases", []) if len(a) > 2 or a.isupper())
        for a in list(ent.aliases):
            owner, _, rest = a.partition("'s ")
            if rest and len(rest.split()) > 1 and owner in self.res.entries:
                ent.aliases.add(rest)  # "Taiwan's Ministry of National Defense" is also "the Ministry of ..."
        # The record's home state is not a mention: SIPRI does not name Sweden, nor Embraer Brazil
        # (GUIDELINE: a Country is a mentioned state); the state is linked only when the text names it.
        return ent

    def add_span(self, start, end, ent: Entity, rule: str):
        surface = span_text(self.doc, start, end)
        if ent.kind != "Country" or not surface.isupper() or len(surface) <= 4:
            if ent.kind == "Person":
                surface = canonical_person(surface)
            ent.aliases.add(surface)
        self.spans.append((start, end, ent.id, rule))

    def from_cand(self, c: Cand) -> Entity | None:
        doc, res = self.doc, self.res
        if c.kind == "Country":
            return self.country(c.key)
        if c.kind == "Place":
            iso = c.info.get("country")
            if c.form == "capital" and self._metonymy(c):
                return self.country(iso)
            rec = res.places.get(c.key, {})
            return self.entity("Place", c.key, c.key, country=iso or rec.get("country"))
        if c.kind == "Region":
            return self.entity("Region", c.key, c.key)
        if c.kind == "WeaponSystem":
            ent = self.entity("WeaponSystem", c.key, c.key)
            ent.aliases.update(c.info.get("aliases", ()))
            head, _, last = c.key.rpartition(" ")
            if head and last.lower() in GENERIC_SYSTEM_NOUNS:
                ent.aliases.add(head)  # 'Akash missile' is also just 'Akash'
            return ent
        if c.kind == "Organisation":
            if c.key in self.lex["excluded"] or span_text(doc, c.start, c.end) in self.lex["excluded"]:
                return None
            if c.rule == "gazetteer":
                return self.org_from_record(res.orgs[c.key])
            return self.pattern_org(c)
        if c.kind == "Person":
            return self.person(c)
        return None  # exercises become facts, not entities

    def _metonymy(self, c: Cand) -> bool:
        """'Beijing said', 'New Delhi and Washington agreed', 'concerns to Beijing': a capital standing for
        its government. A capital is a place only where it is used as one: the dateline, or after a
        preposition of place ('in Tokyo', 'arrived at', 'flew to')."""
        W, L = self.doc.user_data["words"], self.doc.user_data["lower"]
        if c.end >= len(W):
            return False
        nxt, nxt_low = W[c.end], L[c.end]
        if W[c.start].isupper() or c.start < self._dateline_end() or \
                (c.start and L[c.start - 1] in LOCATIVE):
            return False
        if L[c.start - 1] == "to" and c.start >= 2 and L[c.start - 2] in MOTION:
            return False
        capital_word = L[c.start - 1] in ("capital", "city") or \
            (L[c.start - 1] == "," and c.start >= 2 and L[c.start - 2] in ("capital", "city"))
        if capital_word or nxt_low == "city" or self._listed_after_place(c.start):
            return False  # 'the Chinese capital Beijing', 'Manila city', 'held in Tokyo and Manila'
        if not W[c.start - 1][:1].isupper():
            return nxt not in ("-", "–") and nxt_low not in ("city", "summit", "talks", "meeting", "embassy", "time")
        if nxt in ("'s", "’s") or nxt_low in self.lex["speech"]:
            return True
        if nxt_low in ("has", "have", "will", "would", "is") and c.end + 1 < len(W) \
                and L[c.end + 1] in self.lex["speech"] | {"been", "not", "also"}:
            return True
        prev = L[c.start - 1] if c.start else ""
        return prev in ("between", "and") and nxt_low in ("and", "agreed", "signed")

    def _listed_after_place(self, start: int) -> bool:
        """'in Tokyo and Manila', 'in Seoul, Tokyo and Manila': a capital listed after a place use is one too."""
        W, L = self.doc.user_data["words"], self.doc.user_data["lower"]
        k = start - 1
        if k < 1 or L[k] not in ("and", ",", "or"):
            return False
        while k > 0 and start - k <= 8 and (L[k] in ("and", ",", "or") or W[k][:1].isupper()):
            k -= 1
        return L[k] in LOCATIVE and W[k + 1][:1].isupper()

    def _dateline_end(self) -> int:
        """Token index after a dateline's dash ('MANILA, Philippines (AP) —'), or 0 (worked out once)."""
        if self._dateline is None:
            W, WS = self.doc.user_data["words"], self.doc.user_data["ws"]
            self._dateline = next((k + 1 for k in range(1, min(len(W), 16))
                                   if W[k] in ("-", "—", "–") and WS[k] and WS[k - 1]), 0)
        return self._dateline

    def pattern_org(self, c: Cand) -> Entity:
        iso = c.info.get("country")
        if c.rule == "country-service":
            for rec in self.res.orgs.values():
                if rec.get("country") == iso and (rec["name"].endswith(c.info["service"]) or any(
                        a.endswith(c.info["service"]) for a in rec.get("aliases", []))) and rec.get("kind") == "military":
                    return self.org_from_record(rec)
            rec = self.res.countries.get(iso, {})
            adj = (rec.get("demonyms") or [rec.get("name", iso)])[0]
            name = f"{adj} {c.info['service']}"
            ent = self.entity("Organisation", name, name, org_kind="military", country=iso)
            self.country(iso)
            return ent
        if c.rule in ("country-ministry", "ministry"):
            canon = c.info["canonical"]
            forms = {canon, c.info.get("form")}
            for rec in self.res.orgs.values():
                if iso and rec.get("country") == iso and forms & ({rec["name"]} | {
                        a.split(" ", 1)[-1] for a in rec.get("aliases", [])} | {rec["name"].split(" ", 1)[-1]}):
                    ent = self.org_from_record(rec)
                    if c.info.get("form") and len(c.info["form"].split()) > 1:
                        ent.aliases.add(c.info["form"])  # "Taiwan's Ministry of National Defense" is also named so
                    return ent
            if iso:
                cname = self.res.countries.get(iso, {}).get("name", iso)
                name = f"{canon} ({cname})"
                self.country(iso)
            else:
                name = canon
            ent = self.entity("Organisation", name, name, org_kind="government", country=iso)
            ent.aliases.add(canon)
            if c.info.get("form") and len(c.info["form"].split()) > 1:
                ent.aliases.add(c.info["form"])
            return ent
        ent = self.entity("Organisation", c.key, c.key, org_kind=c.info.get("kind", "other"))
        ent.aliases.update(c.info.get("aliases", ()))
        return ent

    def person(self, c: Cand) -> Entity:
        name = canonical_person(c.key)
        before = self.title_before(c.start) if c.rule == "gazetteer" else (None, None)
        holder = self.officeholder(name, before[0] or c.info.get("title"))
        if holder:
            name = holder["name"]
        ent = self.entity("Person", name, name)
        info = self.person_info.setdefault(ent.id, {"titles": [], "affs": [], "holder": holder})
        title, tstart = before if c.rule == "gazetteer" else (c.info.get("title"), c.info.get("title_start"))
        if not title and c.rule != "gazetteer":
            title, tstart = self.title_before(c.start)
        if title:
            info["titles"].append((title, tstart))
        elif c.info.get("affiliation_at") is not None:
            info["titles"].append(("", c.info["affiliation_at"]))  # 'his Lao counterpart X': no title, a side
        return ent

    def title_before(self, start: int) -> tuple[str | None, int | None]:
        """The title (chain) written right before a name found by a gazetteer."""
        ends = {e: (s, lab) for s, e, lab in self.doc._.titles or [] if lab == "TITLE"}
        pos, first = start, None
        while pos in ends:
            first = ends[pos][0]
            pos = first
        if first is None:
            return None, None
        return self.doc[first:start].text, first

    def officeholder(self, name: str, title: str | None) -> dict | None:
        """The dated dictionary: 'Rajnath Singh' or 'Defence Minister Singh' in 2026 -> the holder."""
        day = self.date.isoformat()
        last = name.split()[-1] if name else ""
        by_name, by_last = officeholder_index()
        best, exact = None, []
        # the records that could match, in file order (the first exact match wins, or the one whose
        # title is the one written: two Pedro Sánchez in office at once; else the last surname match)
        for _, rec in sorted(by_name.get(name, []) + by_last.get(last, []), key=lambda r: r[0]):
            if not (rec.get("from") or "0000") <= day <= (rec.get("to") or "9999"):
                continue
            if rec["name"] == name or name in rec.get("aliases", []) and " " in name:
                exact.append(rec)
                continue
            if " " not in name and rec["name"].split()[-1] == last and title and \
                    title.lower().endswith(rec.get("title", "").lower().split()[-1:][0] if rec.get("title") else "~"):
                best = rec
        if exact:
            said = set((title or "").lower().split())
            return max(exact, key=lambda r: len(said & set((r.get("title") or "").lower().split())))
        return best

    # -- the whole article -----------------------------------------------------------------------
    def run(self) -> None:
        for c in choose(self.doc):
            ent = self.from_cand(c)
            if ent is not None:
                self.add_span(c.start, c.end, ent, c.rule)
        self.merge_people()
        self.short_group_names()
        self.acronyms()
        self.surnames()
        self.affiliations()

    def merge_people(self) -> None:
        """'Singh' and 'Rajnath Singh' in one article are one person: the longest name wins."""
        people = sorted((e for e in self.entities.values() if e.kind == "Person"), key=lambda e: -len(e.name))
        for short in people[::-1]:
            for full in people:
                if full is short or len(full.name) <= len(short.name):
                    continue
                fw, sw = full.name.split(), short.name.split()
                if sw == fw[-len(sw):]:
                    self.rename(short, full)
                    break

    def short_group_names(self) -> None:
        """'Hanwha' in a story about Hanwha Aerospace is Hanwha Aerospace: a group's short name, written
        alone, is the one member company the article names ('Hanwha Group' written out stays the group)."""
        orgs = [e for e in self.entities.values() if e.kind == "Organisation" and e.org_kind == "company"]
        for group in orgs:
            written = {span_text(self.doc, a, b) for a, b, i, _ in self.spans if i == group.id}
            if not written or group.name in written:
                continue
            members = [o for o in orgs if o is not group and o.id in self.entities
                       and any(o.name.startswith(w + " ") for w in written)]
            if len(members) != 1:
                continue
            member = members[0]
            member.aliases |= written
            self.spans = [(a, b, member.id if i == group.id else i, r) for a, b, i, r in self.spans]
            del self.entities[group.id]

    def rename(self, old: Entity, new: Entity) -> None:
        new.aliases |= old.aliases | {old.name}
        info_old = self.person_info.pop(old.id, None)
        if info_old:
            info = self.person_info.setdefault(new.id, {"titles": [], "affs": [], "holder": None})
            info["titles"] += info_old["titles"]
            info["holder"] = info["holder"] or info_old["holder"]
        self.spans = [(s, e, new.id if i == old.id else i, r) for s, e, i, r in self.spans]
        del self.entities[old.id]

    def covered(self) -> list[bool]:
        cov = [False] * (len(self.doc) + 1)
        for s, e, _, _ in self.spans:
            for i in range(s, e):
                cov[i] = True
        return cov

    def surnames(self) -> None:
        """Later mentions by surname ('Singh', "Kallas'") or given name for royals ('Astrid')."""
        doc, cov = self.doc, self.covered()
        index = {}
        for e in self.entities.values():
            if e.kind == "Person":
                words = e.name.split()
                index.setdefault(words[-1], e)
                if len(words) == 1:
                    index.setdefault(words[0], e)
                for short in _short_names(e.name):  # 'Lula' for Luiz Inacio Lula da Silva, from the dictionary
                    index.setdefault(short, e)
        words, lower = doc.user_data["words"], doc.user_data["lower"]
        n = len(words)
        for i in [i for i, w in enumerate(words) if w in index and not cov[i]]:
            text = words[i]
            prev = lower[i - 1] if i else ""
            nxt = words[i + 1] if i + 1 < n else ""
            if prev in ("in", "on", "since", "until", "early", "late", "mid") or nxt[:1].isdigit() or \
                    prev in ("by", "from") and text in MONTHS:
                continue  # "in May", "May 5", "from May": the month, not Mrs May ('a call from Aliyev' is him)
            if i + 1 < n and namey(words[i + 1], self.lex) and not cov[i + 1]:
                continue  # part of a longer, different name
            self.add_span(i, i + 1, index[text], "surname")
        self.spans.sort()

    def acronyms(self) -> None:
        doc = self.doc
        heads = self.lex["heads"]
        for c in doc._.cands or []:
            if c.kind != "Acronym":
                continue
            s0, s1 = c.info["short"]
            start = c.start + (doc.user_data["lower"][c.start] == "the"
                               and any(sp[0] == c.start + 1 for sp in self.spans))
            # 'The South African Navy (SAN)' defines the acronym of 'South African Navy', not a second
            # body ('The Hague Centre ...' keeps its article: nothing known starts after it)
            inside = [sp for sp in self.spans if sp[0] >= start and sp[1] <= c.end]
            exact = [sp for sp in inside if sp[0] == start and sp[1] == c.end]
            short_known = [sp for sp in self.spans if sp[0] == s0 and sp[1] == s1]
            if exact:
                ent = self.entities[exact[0][2]]
            elif short_known:
                ent = self.entities[short_known[0][2]]
                self.add_span(start, c.end, ent, "acronym")
            else:
                words = doc[start:c.end].text.replace("-", " ").split()
                kind = next((heads[w] for w in reversed(words) if w in heads), None)
                if kind is None:
                    continue
                owner = self._possessive_owner(start)
                country = None
                if owner is not None:
                    kind = owner.org_kind or kind if owner.kind == "Organisation" else kind
                    country = owner.country if owner.kind == "Organisation" else owner.key
                name = " ".join(doc[start:c.end].text.split())
                self.spans = [sp for sp in self.spans if not (sp[0] >= start and sp[1] <= c.end)]
                ent = self.entity("Organisation", name, name, org_kind=kind if kind in
                                  ("military", "government", "company", "international") else "other", country=country)
                ent.source = "acronym"
                self.add_span(start, c.end, ent, "acronym")
            ent.aliases.add(c.info["short_text"])
            short_tokens = [t.text for t in doc[s0:s1]]
            cov = self.covered()
            n = len(short_tokens)
            for i in range(len(doc) - n + 1):
                if not any(cov[i:i + n]) and [t.text for t in doc[i:i + n]] == short_tokens:
                    self.add_span(i, i + n, ent, "acronym-use")
        self.spans.sort()

    def _possessive_owner(self, start: int) -> Entity | None:
        if start >= 2 and self.doc.user_data["words"][start - 1] in ("'s", "’s"):
            for s, e, i, _ in self.spans:
                if e == start - 1:
                    return self.entities[i]
        return None

    def entity_before(self, pos: int, stop: int, by_end: dict[int, list]) -> Entity | None:
        """The country or organisation written just before a title: 'Belgian', "India's", 'EU'.
        `by_end`: the spans (start, entity id) by their end token, in span order."""
        k = pos - 1
        if k >= 0 and self.doc.user_data["words"][k] in ("'s", "’s", "'"):
            k -= 1
        for s, i in by_end.get(k + 1, ()):
            if s >= stop and self.entities[i].kind in ("Country", "Organisation"):
                return self.entities[i]
        return None

    def affiliations(self) -> None:
        lower = self.doc.user_data["lower"]
        by_end: dict[int, list] = {}
        for s, e, i, _ in self.spans:
            by_end.setdefault(e, []).append((s, i))
        for eid, info in self.person_info.items():
            ent = self.entities.get(eid)
            if ent is None:
                continue
            affs = []
            for title, tstart in info["titles"]:
                if title and title not in ent.titles:
                    ent.titles.append(title)
                if tstart is None:
                    continue
                who = self.entity_before(tstart, tstart - 4, by_end)
                if who is None:
                    # "X, the EU's High Representative" / "Title of the EU, X"
                    end = tstart + len(title.split()) + 1
                    if end < len(lower) and lower[end - 1] in ("of", "for"):
                        for s, e, i, _ in self.spans:
                            if s in (end, end + 1) and self.entities[i].kind in ("Country", "Organisation"):
                                who = self.entities[i]
                                break
                if who is not None:
                    affs.append(who)
            holder = info.get("holder")
            if not affs and holder:
                aff = holder.get("affiliation")
                if aff and len(aff) == 3 and aff.isupper():
                    affs.append(self.country(aff))
                elif aff in self.res.orgs:
                    affs.append(self.org_from_record(self.res.orgs[aff]))
                if holder.get("title") and not ent.titles:
                    ent.titles.append(holder["title"])
            if not affs and not holder and any(self._state_title(t) for t, _ in info["titles"]):
                home = self.dateline_country()
                if home is not None:
                    affs.append(home)  # 'ABUJA - Defence Minister X said': an official of the host state
            affs = [self._parent(a) for a in affs]
            for a in affs:
                if a.id not in ent.affiliations:
                    ent.affiliations.append(a.id)
                if a.kind == "Organisation" and a.country and a.org_kind not in ("international", "company"):
                    # a firm's executive represents the firm (guideline); its state is still read through it
                    cid = f"Country:{a.country}"
                    if cid not in ent.affiliations:
                        ent.affiliations.append(cid)
                        self.country(a.country)

    def _parent(self, org: Entity) -> Entity:
        """A person at the European Commission represents the European Union (rules/org_parents.tsv)."""
        from .context import org_parents
        parent = org_parents().get(org.name) if org.kind == "Organisation" else None
        return self.org_from_record(self.res.orgs[parent]) if parent in self.res.orgs else org

    def _state_title(self, title: str | None) -> bool:
        low = (title or "").lower()
        return bool(low) and not any(w in low for w in nonstate_titles())

    def dateline_country(self) -> Entity | None:
        """The country of a single-place dateline ('ABUJA, Aug 20 (Reuters) -'), if the article has one."""
        head = self.doc.user_data["words"][:12]
        if any("/" in t for t in head) or not any(t in ("-", "—", "–") for t in head):
            return None
        for s, e, eid, _ in sorted(self.spans):
            if s >= 6:
                break
            ent = self.entities[eid]
            if ent.kind == "Country":
                return ent
            if ent.kind == "Place" and ent.country:
                return self.country(ent.country)
        return None

    def extraction(self) -> Extraction:
        doc = self.doc
        sents = [char_span(doc, a, b) for a, b in doc.user_data["sents"]]
        text = doc.user_data["text"]
        ex = Extraction(date=self.date, sentences=[], text=text)
        ex.sentences = [_strip(text, s, e) for s, e in sents]
        sent_of = {}
        for n, (a, b) in enumerate(doc.user_data["sents"]):
            for i in range(a, b):
                sent_of[i] = n
        for s, e, eid, rule in self.spans:
            a, b = char_span(doc, s, e)
            ex.mentions.append(Mention(a, b, text[a:b], eid, sent_of.get(s, 0), rule))
        ex.entities = self.entities
        return ex


@lru_cache(maxsize=1)
def officeholder_index() -> tuple[dict, dict]:
    """Office holders by full name or alias, and by surname, each with its place in the file."""
    by_name: dict[str, list] = {}
    by_last: dict[str, list] = {}
    for n, rec in enumerate(resources.load().officeholders):
        for form in dict.fromkeys([rec["name"]] + rec.get("aliases", [])):
            by_name.setdefault(form, []).append((n, rec))
        by_last.setdefault(rec["name"].split()[-1], []).append((n, rec))
    return by_name, by_last


def _short_names(name: str) -> list[str]:
    """One-word aliases an office holder is known by ('Lula'), other than the surname."""
    by_name, _ = officeholder_index()
    return [a for _, rec in by_name.get(name, [])[:1] for a in rec.get("aliases", [])
            if len(a.split()) == 1 and a != name.split()[-1]]


def _strip(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e
