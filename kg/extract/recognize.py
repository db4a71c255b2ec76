"""Stage "mentions": every name in the letter, what it names and its canonical form.

Reads the structure and the context; writes `doc.rec` and `doc.mentions`. The recognizers
themselves (bodies, institutions, programmes, events, quoted names…) are in mentions.py; this
module runs them over a letter, adds what only the letter's layout tells (the issuers at the
head of a title, two plates, listed short forms) and keeps one mention per span."""
from __future__ import annotations

import re

from kg.extract.context import Context
from kg.extract.mentions import (BARE_FUND, BARE_PROGRAMME, EVENT_END, FUND_END, FUND_TABLE, HELD_END, HELD_TABLE, INNER, LEAD_END,
                                 LEAD_TABLE, LEX, PROG_END, PROG_SUFFIX, Mention, Recognizer, _clause_end, alt,
                                 book_titles, clean_name, policy_kind, policy_name)
from kg.extract.names import gazetteer
from kg.extract.spans import Cover, Intervals
from kg.extract.structure import DOC_NUMBER, Structure
from kg.records import norm


def recognize(doc) -> None:
    st, ctx, text = doc.st, doc.ctx, doc.raw.text
    protected = list(st.noise) + _proposal_spans(st)
    if st.body_start:
        protected.append((0, st.body_start))   # the header is metadata: read by structure.py, not for mentions
    titles = book_titles(text)
    protected += titles
    doc.rec = Recognizer(gazetteer(), text, ctx.province, ctx.city, protected, ctx.county, ctx.national)
    doc.mentions = _recognize(doc.rec, st, ctx, titles)


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
    bodies, universities = rec.bodies(), rec.universities()
    ms += bodies
    ms += universities
    ms += rec.institutions()
    for t in SLOT_VERBS.finditer(text):
        # in the slot after 支持 or 设立 any institution ending counts (之江实验室, 重庆城市更新基金), not only the strong ones
        ms += rec.institutions(t.end(), _clause_end(text, t.end()), strict=False)
    ms += rec.group_names(bodies + universities)
    ms += rec.quoted()
    ms += rec.after_trigger("organize", "Event", HELD_END, HELD_TABLE)
    ms += rec.after_trigger("lead", "Program", LEAD_END, LEAD_TABLE, BARE_PROGRAMME)
    ms += rec.after_trigger("participate", "Program", PROG_END, PROG_SUFFIX)     # 纳入…项目: a category of projects
    ms += rec.after_trigger("fund", "Program", FUND_END, FUND_TABLE, BARE_FUND)
    ms += rec.unquoted_policies()
    ms += rec.ordinal_events()
    ms += rec.scoped_events()
    ms += rec.listed_programmes()
    ms += rec.listed_products()
    ms += rec.towns()
    ms += rec.foreign_bodies()
    ms += _self_mentions(rec, ctx)
    ms += _two_plates(rec, ms)
    ms += _listed_bodies(rec, ms)
    ms = _joined_events(rec, ms)
    noise = Intervals(st.noise)
    ms = [m for m in ms if not noise.contains(m.start)]
    # the same span found twice: keep the most specific recognizer's
    seen: dict[tuple, Mention] = {}
    for m in ms:
        seen.setdefault((m.start, m.end, m.label), m)
    ms = sorted(seen.values(), key=lambda m: (m.start, -(m.end - m.start)))
    ms = _drop_shadowed(ms)
    return _named_again(rec, ms)


# recognisers that need a context (a quote, a list, a verb before): a name they found is not found
# again by itself where it is written bare, unlike names found by their ending
# verbs after which any institution ending names one (kg/data/lexicon.toml: support, establish)
SLOT_VERBS = re.compile(alt(LEX["triggers"]["support"] + LEX["triggers"]["establish"]))
BY_CONTEXT = {"quoted", "listed_product", "listed_programme", "lead", "participate", "fund", "organize", "group"}


def _named_again(rec: Recognizer, ms: list[Mention]) -> list[Mention]:
    """A programme or institution recognised once by its shape (a list, a quote, a trigger) is the same
    name where the letter writes it again without that shape: 深化知识价值信用贷款改革 … 发放知识价值信用贷款."""
    text = rec.text
    taken = Intervals((m.start, m.end) for m in ms)
    again = []
    done = set()
    for m in ms:
        form = m.surface.strip("“”\"")
        if m.source not in BY_CONTEXT or len(form) < 4 or form in done or "_plate_of" in m.properties:
            continue
        done.add(form)
        i = text.find(form)
        while i >= 0:
            j = i + len(form)
            if not taken.overlaps(i, j) and not rec.inside_protected(i, j):
                again.append(Mention(i, j, form, m.label, m.name, m.kind, set(m.aliases), source="again"))
            i = text.find(form, j)
    if not again:
        return ms
    return sorted(ms + again, key=lambda m: (m.start, -(m.end - m.start)))


def _joined_events(rec: Recognizer, ms: list[Mention]) -> list[Mention]:
    """全省…发展论坛暨农产品产销对接会: two events held as one are one event."""
    text = rec.text
    out = []
    for m in ms:
        if m.label == "Event" and text[m.end: m.end + 1] == "暨":
            j = EVENT_END.search(text, m.end + 2, min(len(text), m.end + 24))
            if j is not None and not re.search(r"[，,。；;、]", text[m.end:j.end()]):
                surface = text[m.start:j.end()]
                m = Mention(m.start, j.end(), surface, "Event", clean_name(surface), m.kind, m.aliases | {m.name},
                            dict(m.properties), source=m.source)
        out.append(m)
    return out


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
        elif m.label == "Program" and m.source in ("lead", "participate") and named.inside(m.start, m.end):
            continue      # 牵头组建湖南省工程|机械产业创新联盟: an ending inside an institution's name
        else:
            out.append(m)
    return out


NUMBER_AFTER = re.compile(r"\s*[(（]([^)）]{4,30}号)[)）]")          # 《…》（吉科发〔2022〕37号）
DELIVERS = re.compile(r"^(?:.*?)关于印发(.{4,60}?)的通知$")              # a notice that delivers the policy it names
CARRIES_OUT = re.compile(r"贯彻|落实|实施")


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
    m = NUMBER_AFTER.match(text[b: b + 40])
    if m and DOC_NUMBER.search(m.group(1)):
        outer.properties["doc_number"] = re.sub(r"\s+", "", m.group(1))
    out.append(outer)
    carried = DELIVERS.match(clean_name(raw))
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
        if CARRIES_OUT.search(raw):
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
    starts = {o.start for o in ms}
    for m in ms:
        if m.label != "Agency" or rec.text[m.end: m.end + 1] != "、":
            continue
        x = LISTED_BODY.match(rec.text, m.end + 1)
        if not x or x.start() in starts:
            continue
        short = x.group(0)
        if "各" in short or short.startswith(("中央", "国家", "全国", "有关", "相关")):
            continue      # 中央各部委: a category, and not the province's
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


