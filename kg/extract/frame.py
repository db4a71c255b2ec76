"""Stage "frame": the reply itself: its Document, the replying body, the proposal and its proposers.

Reads the structure, the context and the entities; writes the Document, Proposal and proposer
nodes, ISSUED/REPLIES_TO/PROPOSED, and `doc.replier`, which the relation stages take as the subject
of a sentence that names none (so it runs before them)."""
from __future__ import annotations

import re
from collections import Counter
from typing import TYPE_CHECKING

from kg import data
from kg.extract.structure import Structure
from kg.records import Node, norm

if TYPE_CHECKING:
    from kg.extract.document import Doc

SELF_TOPICS = data.load("lexicon")["self_topic"]   # what an unsigned 我局 is, by the letter's topic


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


def document_facts(doc) -> None:
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
    if st.addressee:
        _addressee(doc)
    if not ctx.replier:
        _replier_from_body(doc)
    if not ctx.replier:
        _replier_from_topic(doc)
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


def _replier_from_topic(doc: Doc) -> None:
    """An unsigned excerpt that says only 我局/我厅/我委: the department of that kind, at the level the
    self-reference implies, for what the proposal is about (data: lexicon.toml [[self_topic]])."""
    st, ctx, text, gaz = doc.st, doc.ctx, doc.raw.text, doc.rec.gaz
    me = next((m for m in gaz.self_re.finditer(text, st.body_start) if not doc.rec.inside_protected(m.start(), m.end())), None)
    if me is None or ctx.province is None:
        return
    ending = me.group(0)[-1]
    head = text[st.body_start: st.body_start + 1500]
    scores = Counter()
    for i, topic in enumerate(SELF_TOPICS):
        if ending in topic["forms"]:
            scores[i] = sum(3 * st.proposal_title.count(w) + head.count(w) for w in topic["words"])
    county = _most_named(gaz.county_re.finditer(text), lambda s: gaz.county(s, ctx.province, ctx.city))
    city = ctx.city or _most_named(gaz.place_re.finditer(text), lambda s: gaz.places[s] if gaz.places[s].level == "city"
                                   and gaz.places[s].province == ctx.province.name else None)
    place = ctx.province if ending == "厅" else (county or city or ctx.province) if ending == "局" else (city or ctx.province)
    named = {m.name for m in doc.mentions if m.label == "Agency"}
    cands = {}
    for i, score in scores.items():
        bm = gaz.canonical_body(place.name + SELF_TOPICS[i]["forms"][ending], ctx.province, city, county)
        name = bm.canonical if bm else place.name + SELF_TOPICS[i]["forms"][ending]
        if name not in named:       # a body the letter names as another one is not the writer (会同省科技厅)
            cands[name] = max(score, cands.get(name, 0))
    ranked = Counter(cands).most_common(2)
    if not ranked or ranked[0][1] < 3 or (len(ranked) > 1 and ranked[1][1] * 2 > ranked[0][1]):
        return        # no clear topic: the replier stays unknown (optional in the gold)
    ctx.replier = ranked[0][0]
    ctx.replier_surface = me.group(0)


def _most_named(matches, place_of):
    counts = Counter()
    for m in matches:
        p = place_of(m.group(0))
        if p is not None:
            counts[p] += 1
    return counts.most_common(1)[0][0] if counts else None


def _addressee(doc: Doc) -> None:
    """The congress committee a report on a proposal is addressed to: a body of the letter, no proposer."""
    st, text = doc.st, doc.raw.text
    bm = doc.rec.gaz.canonical_body(st.addressee, doc.ctx.province, doc.ctx.city)
    name = bm.canonical if bm else st.addressee
    node = doc.entities.get(f"Agency:{norm(name)}")
    if node is None:
        node = doc.entities[f"Agency:{norm(name)}"] = Node("Agency", name, kind=bm.kind if bm else "legislature")
    node.aliases.add(st.addressee)
    i = text.find(st.addressee)
    node.evidence.append(doc.evidence(i, i + len(st.addressee)))


def _proposing_body(doc: Doc, surface: str, default_kind: str):
    """The body of a collective proposal, canonical where the naming data knows it, and where it is written."""
    bm = doc.rec.gaz.canonical_body(surface, doc.ctx.province, doc.ctx.city)
    name, kind = (bm.canonical, bm.kind) if bm else (surface, default_kind)
    node = doc.entities.get(f"Institution:{norm(name)}") or doc.entities.get(f"Agency:{norm(name)}")
    if node is None:
        node = doc.entities[f"Institution:{norm(name)}"] = Node("Institution", name, kind=kind)
    node.aliases.add(surface)
    at = doc.raw.text.find(surface)
    node.evidence.append(doc.evidence(at, at + len(surface)))
    return node, (at, len(surface))


def _proposers(doc: Doc) -> list:
    """The proposer(s) of the salutation: people (张三、李四委员), or the body of a collective
    proposal (民盟深圳市委会), canonical where the naming data knows the body."""
    st, text = doc.st, doc.raw.text
    out = []
    if st.recipient and st.recipient_role == "collective":
        default = "party" if st.recipient.endswith(("委", "党", "委会")) else "committee"
        out.append(_proposing_body(doc, st.recipient, default))
    for via in st.proposer_bodies:     # a collective proposal put forward through a party committee
        out.append(_proposing_body(doc, via, "party"))
    if st.recipient and st.recipient_role != "collective":
        for who in [st.recipient, *st.co_recipients]:
            person = Node("Person", who, properties={"role": st.recipient_role})
            person.aliases.add(who + st.recipient_role)
            ri = text.find(who)
            person.evidence.append(doc.evidence(ri, ri + len(who)))
            doc.entities[person.id] = person
            out.append((person, (ri, len(who))))
    return out
