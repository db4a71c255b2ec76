"""The extraction pipeline for one document."""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from kg.extract import relations, indicators
from kg.extract.context import Context, find_context
from kg.extract.mentions import (EVENT_END, EVENT_SUFFIX, PROG_END, PROG_SUFFIX, INNER, TRIG, Mention, Recognizer,
                                 _clause_end, book_titles, clean_name, policy_kind, policy_name)
from kg.extract.names import gazetteer
from kg.extract.spans import Cover, Intervals
from kg.extract.structure import DOC_NUMBER, Structure, parse
from kg.records import DocGraph, Evidence, Node, RawDocument, Relationship, norm


@dataclass
class Doc:
    """Everything the relation and indicator stages need about one document."""
    raw: RawDocument
    st: Structure
    ctx: Context
    rec: Recognizer
    mentions: list[Mention]           # every entity mention, sorted by position
    entity_of: dict[int, str]         # id(mention) → entity key (label:norm name)
    entities: dict[str, Node]
    graph: DocGraph
    replier: Node | None = None
    titled_issuers: set = field(default_factory=set)   # ids of policies whose title names their issuer

    def sentence_of(self, pos: int):
        starts = self.__dict__.get("_starts")
        if starts is None:
            starts = self.__dict__["_starts"] = [s.start for s in self.st.sentences]
        i = bisect.bisect_right(starts, pos) - 1
        if i >= 0 and pos < self.st.sentences[i].end:
            return self.st.sentences[i]
        return None

    def evidence(self, a: int, b: int) -> Evidence:
        s = self.sentence_of(a)
        if s is None:
            return Evidence(self.raw.doc_id, a, b, self.raw.published[a:b])
        # one string per sentence, however many facts quote it (smaller to pickle, store and send)
        quoted = self.__dict__.setdefault("_quoted", {})
        sent = quoted.get(s.start)
        if sent is None:
            # quote the letter as published (traditional stays traditional)
            sent = quoted[s.start] = self.raw.published[s.start:s.end]
        return Evidence(self.raw.doc_id, a, b, sent)

    def node_for(self, m: Mention) -> Node:
        return self.entities[self.entity_of[id(m)]]

    def add_rel(self, rtype: str, src: Node, dst: Node, a: int, b: int, **props) -> None:
        if src.id == dst.id:
            return
        key = (rtype, src.id, dst.id)
        if rtype == "COOPERATES_WITH" and (rtype, dst.id, src.id) in self.graph.relationships:
            key = (rtype, dst.id, src.id)
        rel = self.graph.relationships.get(key)
        if rel is None:
            rel = self.graph.relationships[key] = Relationship(rtype, key[1], key[2], {})
        for k, v in props.items():
            if v:
                rel.properties.setdefault(k, v)
        ev = self.evidence(a, b)
        if ev not in rel.evidence:
            rel.evidence.append(ev)


def extract(raw: RawDocument) -> DocGraph:
    gaz = gazetteer()
    st = parse(raw.text)
    ctx = find_context(st, gaz)
    protected = list(st.noise) + _proposal_spans(st)
    if st.body_start:
        protected.append((0, st.body_start))   # the header is metadata: read by structure.py, not for mentions
    titles = book_titles(raw.text)
    protected += titles
    rec = Recognizer(gaz, raw.text, ctx.province, ctx.city, protected, ctx.county, ctx.national)
    mentions = _recognize(rec, st, ctx, titles)
    graph = DocGraph(raw.doc_id, raw.content_hash)
    doc = Doc(raw, st, ctx, rec, mentions, {}, {}, graph)
    _resolve(doc)
    _document_facts(doc)
    relations.extract_relations(doc)
    indicators.extract_indicators(doc)
    for n in doc.entities.values():
        graph.nodes[n.id] = n
    return graph


# -- recognition ---------------------------------------------------------------

def _proposal_spans(st: Structure) -> list[tuple[int, int]]:
    """Where the proposal's own title is quoted: names inside it belong to the proposal."""
    spans = []
    for form in {st.proposal_title, *st.proposal_aliases} - {""}:
        if len(form) < 8:
            continue
        for m in re.finditer(re.escape(form), st.text):
            spans.append((m.start(), m.end()))
    return spans


def _recognize(rec: Recognizer, st: Structure, ctx: Context, titles) -> list[Mention]:
    text = rec.text
    ms: list[Mention] = []
    proposal_forms = {norm(st.proposal_title), *map(norm, st.proposal_aliases)} - {""}
    for a, b in titles:
        raw = text[a + 1: b - 1]
        if norm(raw) in proposal_forms or (a < st.body_start + 200 and re.search(r"(建议|提案|议案)$", raw)
                                          and text.find("收悉", b, b + 30) >= 0):
            continue
        ms.extend(_policy_mentions(rec, a, b))
    bodies = rec.bodies()
    ms += bodies
    ms += rec.universities()
    ms += rec.institutions()
    for t in TRIG["support"].finditer(text):
        # in the slot after 支持 any institution ending counts (之江实验室), not only the strong ones
        ms += rec.institutions(t.end(), _clause_end(text, t.end()), strict=False)
    ms += rec.group_names(bodies + rec.universities())
    ms += rec.quoted()
    ms += rec.after_trigger("organize", "Event", EVENT_END, EVENT_SUFFIX)
    ms += rec.after_trigger("lead", "Program", PROG_END, PROG_SUFFIX)
    ms += rec.after_trigger("participate", "Program", PROG_END, PROG_SUFFIX)
    ms += rec.unquoted_policies()
    ms += _self_mentions(rec, ctx)
    ms += _two_plates(rec, ms)
    ms += _listed_bodies(rec, ms)
    noise = Intervals(st.noise)
    ms = [m for m in ms if not noise.contains(m.start)]
    # the same span found twice: keep the most specific recognizer's
    seen: dict[tuple, Mention] = {}
    for m in ms:
        seen.setdefault((m.start, m.end, m.label), m)
    ms = sorted(seen.values(), key=lambda m: (m.start, -(m.end - m.start)))
    return _drop_shadowed(ms)


def _drop_shadowed(ms: list[Mention]) -> list[Mention]:
    """A mention inside a longer one of the same label is part of that name (科技部 in 国家科技部)."""
    by_label: dict[str, list] = {}
    for o in ms:
        by_label.setdefault(o.label, []).append((o.start, o.end))
    same = {label: Cover(spans) for label, spans in by_label.items()}
    # an Agency inside an Institution's name (吉林省 in 吉林省股权基金…) is not a mention either
    named = Cover([(o.start, o.end) for o in ms if o.label == "Institution" and o.source in ("suffix", "group")])
    out = []
    for m in ms:
        if m.source == "inner" or "_issued" in m.properties:
            out.append(m)
        elif same[m.label].inside(m.start, m.end):
            continue
        elif m.label in ("Agency", "Institution") and named.inside(m.start, m.end):
            continue
        else:
            out.append(m)
    return out


def _policy_mentions(rec: Recognizer, a: int, b: int) -> list[Mention]:
    """A 《…》 title: the policy, any titles nested in it, and the issuers at its head."""
    text = rec.text
    raw = text[a + 1: b - 1]
    name = policy_name(raw)
    kind = policy_kind(name)
    if kind == "document" and len(clean_name(raw)) > 4:
        return []   # a form or a report, not a policy
    out = []
    outer = Mention(a, b, text[a:b], "Policy", name, kind, source="title")
    m = re.match(r"\s*[(（]([^)）]{4,30}号)[)）]", text[b: b + 40])
    if m and DOC_NUMBER.search(m.group(1)):
        outer.properties["doc_number"] = re.sub(r"\s+", "", m.group(1))
    out.append(outer)
    carried = re.match(r"^(?:.*?)关于印发(.{4,60}?)的通知$", clean_name(raw))
    if carried and not INNER.search(raw):
        cname = policy_name(carried.group(1))
        s = a + 1 + raw.find(carried.group(1)[:4]) if carried.group(1)[:4] in raw else a + 1
        delivered = Mention(s, s + len(carried.group(1)), carried.group(1), "Policy", cname, policy_kind(cname), source="inner")
        delivered.properties["_part_of"] = id(outer)
        out.append(delivered)
    for im in INNER.finditer(raw):
        s, e = a + 1 + im.start(), a + 1 + im.end()
        iname = policy_name(im.group(1))
        inner = Mention(s, e, text[s:e], "Policy", iname, policy_kind(iname), source="inner")
        inner.properties["_outer"] = id(outer)
        out.append(inner)
        # outer implements inner: 贯彻落实〈B〉…, 〈B〉贯彻落实方案, 实施〈B〉若干规定
        if re.search(r"贯彻|落实|实施", raw):
            outer.properties.setdefault("_implements", []).append(id(inner))
        # a body right before the inner title issued it: 贯彻落实教育部〈…〉
        bs = [x for x in rec.bodies(a + 1, s, allow_protected=True) if x.end == s]
        for x in bs:
            x.properties["_issued"] = id(inner)
            out.append(x)
        out += _head_issuers(rec, s + 1, e - 1, inner)
    out += _head_issuers(rec, a + 1, b - 1, outer)
    return out


def _head_issuers(rec: Recognizer, a: int, b: int, policy: Mention) -> list[Mention]:
    """Bodies named at the head of a title, before 关于/贯彻/印发: they issued it."""
    text = rec.text
    m = re.compile(r"关于|贯彻|落实|印发|[＜〈<《]").search(text, a, b)
    if not m or m.start() == a:
        return []
    bodies = rec.bodies(a, m.start(), allow_protected=True)
    pos, out = a, []
    for x in bodies:
        if text[pos:x.start].strip(" 　、,，") != "":
            return []
        pos = x.end
        x.properties["_issued"] = id(policy)
        out.append(x)
    if text[pos:m.start()].strip(" 　、,，") != "":
        return []
    return out


def _self_mentions(rec: Recognizer, ctx: Context) -> list[Mention]:
    if not ctx.replier:
        return []
    return [Mention(m.start(), m.end(), m.group(0), "Agency", ctx.replier, ctx.replier_kind, source="self")
            for m in rec.gaz.self_re.finditer(rec.text) if not rec.inside_protected(m.start(), m.end())]


LISTED_BODY = re.compile(r"[\u4e00-\u9fff]{2,6}?(?:办|局|委|厅)(?=[、，,和及与等将认])")


def _listed_bodies(rec: Recognizer, ms: list[Mention]) -> list[Mention]:
    """省发改委、数字办: a short name listed right after a body is a body too."""
    out = []
    for m in ms:
        if m.label != "Agency" or rec.text[m.end: m.end + 1] != "、":
            continue
        x = LISTED_BODY.match(rec.text, m.end + 1)
        if not x or any(o.start == x.start() for o in ms):
            continue
        short = x.group(0)
        place = rec.province.name if rec.province and not short.startswith(("省", "市")) else ""
        name = place + short if place else short
        if short.startswith("省") and rec.province:
            name = rec.province.name + short[1:]
        out.append(Mention(x.start(), x.end(), short, "Agency", name, "department", source="listed"))
    return out


def _two_plates(rec: Recognizer, ms: list[Mention]) -> list[Mention]:
    """X（Y）: a body with two plates is one entity; the second name is an alias."""
    text = rec.text
    by_start = {}
    for m in ms:
        if m.label in ("Agency", "Institution"):
            by_start.setdefault(m.start, m)
    out = []
    for m in list(by_start.values()):
        if text[m.end: m.end + 1] in "（(":
            close = re.compile(r"[)）]").search(text, m.end + 1, m.end + 30)
            if not close:
                continue
            inner = text[m.end + 1: close.start()]
            other = by_start.get(m.end + 1)
            if other and other.end == close.start():
                m.aliases |= {other.surface, other.name}
                other.properties["_plate_of"] = id(m)
            elif re.fullmatch(r"[\u4e00-\u9fff]{4,20}", inner) and re.search(r"(局|厅|委|办|市场|中心|院|所)$", inner):
                m.aliases.add(inner)
                p = rec.province.name if rec.province else ""
                if p and inner.startswith("省"):
                    m.aliases.add(p + inner[1:])
    return out


# -- document-level resolution -------------------------------------------------

def _subsequence(short: str, long: str) -> bool:
    it = iter(long)
    return all(ch in it for ch in short)


def _resolve(doc: Doc) -> None:
    """Group mentions into entities: same label and canonical name, plus abbreviations
    of programs (赋权试点 ⊂ 职务科技成果赋权改革试点), a policy named without its place
    prefix, two-plate bodies and bare anaphora (共同体)."""
    plate_of = {}
    for m in doc.mentions:
        if "_plate_of" in m.properties:
            plate_of[id(m)] = m.properties["_plate_of"]
    by_id = {id(m): m for m in doc.mentions}
    canon: dict[int, tuple[str, str]] = {}
    for m in doc.mentions:
        target = by_id.get(plate_of.get(id(m)), m)
        canon[id(m)] = (target.label, target.name)
    names_by_label: dict[str, list[str]] = {}
    for label, name in canon.values():
        names_by_label.setdefault(label, [])
        if name not in names_by_label[label]:
            names_by_label[label].append(name)
    places = doc.rec.gaz.places
    remap: dict[tuple[str, str], tuple[str, str]] = {}
    for label, names in names_by_label.items():
        for n in names:
            nn = norm(n)
            for other in names:
                on = norm(other)
                if other == n or len(on) <= len(nn):
                    continue
                if label == "Program" and nn[-2:] == on[-2:] and len(nn) >= 4 and _subsequence(nn, on):
                    remap[(label, n)] = (label, other)
                elif label == "Policy" and on.endswith(nn) and on[: len(on) - len(nn)] in places:
                    remap[(label, n)] = (label, other)
                elif label == "Policy" and len(nn) <= 4 and on.endswith(nn) \
                        and sum(norm(x).endswith(nn) and norm(x) != nn for x in names) == 1:
                    remap[(label, n)] = (label, other)   # 《指引》 for the one 《…工作指引》 of the letter
                elif label == "Institution" and "“" in n and "“" in other and nn[-4:] == on[-4:] and _subsequence(nn, on):
                    remap[(label, n)] = (label, other)   # 中科院“一院三所” ⊂ 中科院在长“一院三所”
    for k in list(canon):
        seen = set()
        while canon[k] in remap and canon[k] not in seen:
            seen.add(canon[k])
            canon[k] = remap[canon[k]]
    for m in doc.mentions:
        label, name = canon[id(m)]
        key = f"{label}:{norm(name)}"
        node = doc.entities.get(key)
        if node is None:
            node = doc.entities[key] = Node(label, name, kind=m.kind)
        node.aliases.add(clean_name(m.surface) if m.label != "Policy" else policy_name(m.surface.strip("《》")))
        node.aliases |= m.aliases
        if m.kind and not node.kind:
            node.kind = m.kind
        for k, v in m.properties.items():
            if not k.startswith("_"):
                node.properties.setdefault(k, v)
        ev = doc.evidence(m.start, m.end)
        if ev not in node.evidence:
            node.evidence.append(ev)
        doc.entity_of[id(m)] = key
    _bare_anaphora(doc)


def _bare_anaphora(doc: Doc) -> None:
    """A bare alliance noun (共同体, 联盟) refers to the last named one before it."""
    text = doc.raw.text
    for word in ("共同体", "联盟"):
        for m in re.finditer(word, text):
            if any(x.start <= m.start() < x.end for x in doc.mentions):
                continue
            prev = [x for x in doc.mentions if x.end <= m.start() and x.label == "Institution" and x.name.endswith(word)]
            if not prev:
                continue
            ref = prev[-1]
            alias = Mention(m.start(), m.end(), word, "Institution", ref.name, ref.kind, source="anaphora")
            doc.mentions.append(alias)
            doc.entity_of[id(alias)] = doc.entity_of[id(ref)]
            doc.node_for(alias).aliases.add(word)
    doc.mentions.sort(key=lambda m: (m.start, -(m.end - m.start)))


# -- the reply itself ------------------------------------------------------------

def _proposal_kind(st: Structure) -> str:
    forms = " ".join([st.proposal_title[-4:], *st.proposal_aliases, st.title, st.session])
    return "建议" if re.search(r"建议|人大", forms) else "议案" if "议案" in forms else "提案"


def _reply_names(st: Structure) -> list[str]:
    """A reply with no title of its own: the names it is cited by (对第94号建议的答复,
    对《…》的答复, 对市政协…第94号建议的答复), the first as its name."""
    kind = _proposal_kind(st)
    names = []
    if st.proposal_number:
        names.append(f"对第{st.proposal_number}号{kind}的答复")
        if st.session:
            names.append(f"对{st.session}第{st.proposal_number}号{kind}的答复")
    if st.proposal_title:
        names += [f"对《{st.proposal_title}》的答复", f"{st.proposal_title}的答复"]
    return names


def _document_facts(doc: Doc) -> None:
    st, ctx, text = doc.st, doc.ctx, doc.raw.text
    cited = _reply_names(st)
    title = st.title or (cited[0] if cited else doc.raw.doc_id)
    dnode = Node("Document", title, key=doc.raw.doc_id, kind="reply")
    dnode.aliases |= set(st.title_aliases) | set(cited)
    if st.doc_number:
        dnode.aliases.add(st.doc_number)
        dnode.properties["doc_number"] = st.doc_number
    for k, v in (("date", st.date), ("index_number", st.index_number), ("content_hash", doc.graph.content_hash),
                 ("source", doc.raw.source)):
        if v:
            dnode.properties[k] = v
    sections = [f"{p.number}、{p.title}" for p in st.parts if p.kind == "section"]
    if sections:
        dnode.properties["sections"] = sections
    nxt = next((p for p in st.parts if p.kind == "next_steps"), None)
    if nxt:
        dnode.properties["next_steps"] = text[nxt.start:nxt.end].strip()
    ti = text.find(st.title) if st.title else 0
    dnode.evidence.append(doc.evidence(max(ti, 0), max(ti, 0) + len(title)))
    doc.entities[dnode.id] = dnode
    replier = None
    if not ctx.replier:
        _replier_from_body(doc)
    if ctx.replier:
        key = f"Agency:{norm(ctx.replier)}"
        replier = doc.entities.get(key)
        if replier is None:
            replier = doc.entities[key] = Node("Agency", ctx.replier, kind=ctx.replier_kind)
        if ctx.replier_surface:
            replier.aliases.add(ctx.replier_surface)
        span = st.signer_span or (0, 0)
        replier.evidence.append(doc.evidence(*span))
        doc.add_rel("ISSUED", replier, dnode, *span, date=st.date)
    doc.replier = replier
    if st.proposal_title or st.proposal_number:
        kind = _proposal_kind(st)
        # a proposal cited only by its number is named by it (第20230153号提案)
        pname = st.proposal_title or f"第{st.proposal_number}号{kind}"
        pnode = Node("Proposal", pname)
        if st.proposal_number:
            # two assemblies' proposals may share a title: one proposal is its assembly's number
            # (the letters of two departments answering 第L37号 join; 吉林's and 浙江's do not)
            place = doc.ctx.place.name if doc.ctx.place else ""
            pnode.key = norm("|".join([place, st.session, st.proposal_number, st.proposal_title]))
            pnode.aliases |= {f"第{st.proposal_number}号{kind}"} | ({f"{st.session}第{st.proposal_number}号{kind}"}
                                                                   if st.session else set())
        pnode.aliases |= set(st.proposal_aliases)
        for k, v in (("number", st.proposal_number), ("session", st.session), ("serial", st.proposal_serial),
                     ("submitted", st.proposal_submitted)):
            if v:
                pnode.properties[k] = v
        pi = text.find(st.proposal_title) if st.proposal_title else -1
        if pi < 0:
            pi = max(text.find(st.proposal_number), 0)
        plen = len(st.proposal_title or st.proposal_number)
        pnode.evidence.append(doc.evidence(pi, pi + plen))
        doc.entities[pnode.id] = pnode
        doc.add_rel("REPLIES_TO", dnode, pnode, pi, pi + plen)
        for node, (ri, rl) in _proposers(doc):
            doc.add_rel("PROPOSED", node, pnode, ri, ri + rl)
    else:
        _proposers(doc)


# what a reply says of its own author near the top: 教育部高度重视…, 省政府办公厅对此高度重视, 工信部在答复…时表示
SELF_REGARD = re.compile(r"(?:对此|对[^，。]{1,20}?)?(?:高度|十分|非常|一直|始终|历来)?(?:重视|关注)|在?答复"
                         r"|(?:认真|积极|深入|坚决|全面)(?:贯彻|落实|推进|研究|实施)")
OPENERS = ("", "近日", "近年来", "多年来", "长期以来", "一直以来", "目前", "对此")


def _replier_from_body(doc: Doc) -> None:
    """A letter signed nowhere: the body that the first sentences say takes the proposal seriously."""
    for sent in doc.st.sentences[:8]:
        first = next((m for m in doc.mentions if sent.start <= m.start < sent.end), None)
        if first is None or first.label != "Agency" or first.kind in ("legislature", "consultative"):
            continue
        lead = doc.raw.text[sent.start:first.start].strip(" 　,，")
        # past the rest of a subject list: 省发改委、数字办认真贯彻落实…
        after = first.end
        while (x := next((m for m in doc.mentions if m.start == after + 1 and doc.raw.text[after] in "、和"), None)):
            after = x.end
        tail = re.match(r"[、和][\u4e00-\u9fff]{2,6}?(?=认真|积极|深入|高度)", doc.raw.text[after:after + 10])
        if tail:
            after += tail.end()
        if lead not in OPENERS or not SELF_REGARD.match(doc.raw.text, after):
            continue
        doc.ctx.replier, doc.ctx.replier_kind = first.name, first.kind
        return


def _proposers(doc: Doc) -> list:
    """The proposer(s) of the salutation: people (张三、李四委员), or the body of a collective
    proposal (民盟深圳市委会), canonical where the naming data knows the body."""
    st, text = doc.st, doc.raw.text
    out = []
    if st.recipient and st.recipient_role == "collective":
        bm = doc.rec.gaz.canonical_body(st.recipient, doc.ctx.province, doc.ctx.city)
        name, kind = (bm.canonical, bm.kind) if bm else \
            (st.recipient, "party" if st.recipient.endswith(("委", "党", "委会")) else "committee")
        node = doc.entities.get(f"Institution:{norm(name)}") or doc.entities.get(f"Agency:{norm(name)}")
        if node is None:
            node = doc.entities[f"Institution:{norm(name)}"] = Node("Institution", name, kind=kind)
        node.aliases.add(st.recipient)
        ri = text.find(st.recipient)
        node.evidence.append(doc.evidence(ri, ri + len(st.recipient)))
        out.append((node, (ri, len(st.recipient))))
    elif st.recipient:
        for who in [st.recipient, *st.co_recipients]:
            person = Node("Person", who, properties={"role": st.recipient_role})
            person.aliases.add(who + st.recipient_role)
            ri = text.find(who)
            person.evidence.append(doc.evidence(ri, ri + len(who)))
            doc.entities[person.id] = person
            out.append((person, (ri, len(who))))
    return out
