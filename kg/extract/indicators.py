"""Reported figures → Indicator nodes with normalized values, linked from their subject."""
from __future__ import annotations

import bisect
import re
from decimal import Decimal
from types import SimpleNamespace

from kg import data
from kg.extract.mentions import alt
from kg.extract.relations import ISSUE_WORD
from kg.extract.spans import Intervals, in_range
from kg.records import Node, norm

LEX = data.load("lexicon")
FIGURES = LEX["figures"]
ADVERBIALS = alt(LEX["sentence"]["leading_adverbials"] + ["已", "共"])

SCALE = {"千": 1e3, "万": 1e4, "亿": 1e8, "百": 1e2}
# longest first where one unit begins another (人次 before 人, 平方公里 before 公里)
UNITS = ("元|美元|项|家次|家|个百分点|个|人次|人|名|所|场次|场|件|台|套|亩|公顷|吨|篇|次|位|座|户|条|门|辆|平方公里|公里|千米|"
         "平方米|千瓦时|万千瓦|千瓦|兆瓦|批|款|种|支|份|栋|株|头|起|票|宗|例|%|％")
FIGURE = re.compile(
    rf"(?P<pre>近|约|超过|超|逾|不少于|不低于|达到|达|累计|共|共计)?(?P<num>\d+(?:\.\d+)?)\s*"
    rf"(?P<scale>[千万亿百]?)(?P<more>余|多)?(?P<scale2>[万亿]?)(?P<unit>{UNITS})(?P<post>以上|左右|之多)?")
AT_LEAST = ("余", "多", "以上", "超过", "超", "逾", "不少于", "不低于")
APPROX = ("近", "约", "左右")
NATION = SimpleNamespace(name=FIGURES["nation"], level="country", short=FIGURES["nation_forms"][0])
HERE = re.compile(rf"({alt(FIGURES['nation_forms'])}|全省|我省|省内|本省|全市|我市|市内|本市|全区|我区|区内|本区|全县|我县|县内|本县|全州|我州|州内|本州|全盟|我盟)")
# the units a figure counts, named right after it: 遴选10个(市、县)作为“…实验区”, 建设110个…示范基地
COUNTS_NEXT = re.compile(rf"\s*(?:[(（][^()（）]{{0,20}}[)）])?\s*(?:[\u4e00-\u9fff]{{0,8}}?(?:{alt(FIGURES['units_run'])}))?\s*"
                         r"(?:国家级|省级|市级|县级|区级)?")
# who receives what is counted: 对宝鸡市的项目资金支持…, 支持…向某某
RECIPIENT = re.compile(r"(?:对|向|给予|支持|资助)\s*$")


def value_of(m: re.Match) -> tuple[float, str, str]:
    v = Decimal(m.group("num"))      # exact: 82.6亿 is 8260000000, not 8259999999.999999
    for s in (m.group("scale"), m.group("scale2")):
        if s:
            v *= Decimal(int(SCALE[s]))
    marks = [m.group("pre") or "", m.group("more") or "", m.group("post") or ""]
    qualifier = "exact"
    if any(x in AT_LEAST for x in marks):
        qualifier = "at_least"
    elif any(x in APPROX for x in marks):
        qualifier = "approximately"
    unit = m.group("unit")
    return (int(v) if v == int(v) else float(v)), unit, qualifier


VERB = re.compile(r"(已发展|现有|共有|吸纳|入库|培训|吸引|推动|促成|认定|发布|签订|确定|邀请|达到|推荐|选派|支持|组织|"
                  r"举办|承办|新增|建成|培育|引进|实施|完成|带动|面向|全省|我省|省内|全市|我市|市内)")
NOUN_END = re.compile(r"(围绕|与|和|及|在|对|开展|进行|参与|通过|实现|用于|落地|线上|现场|启动|等|的|为)")


def _measure(text: str, m: re.Match, clause_a: int, clause_b: int) -> str:
    """What a figure counts: the noun before it (会员单位118家) or, after a verb, the noun after it
    (邀请30余位院士)."""
    before = re.sub(r"^(?:[（(]?[一二三四五六七八九十\d]+[、.．)）])", "", text[clause_a:m.start()])
    verbs = list(VERB.finditer(before))
    head = before[verbs[-1].end():] if verbs else before
    head = re.sub(r"^(各类|累计|其中|共|已)", "", head)
    if re.fullmatch(r"[\u4e00-\u9fff]{2,12}", head):
        return head
    after = NOUN_END.split(text[m.end():clause_b])[0][:12]
    return re.sub(r"[\s“”]", "", after) or head or m.group("unit")


MONEY_OR_SHARE = ("元", "美元", "%", "％", "个百分点")
CLAUSE_END = re.compile(r"[，,；;。]")
YEAR = re.compile(r"\d{4}$")
DIGIT = re.compile(r"\d")      # (the class FIGURE's numbers are made of)


def extract_indicators(doc) -> None:
    text = doc.raw.text
    taken = Intervals((x.start, x.end) for x in doc.mentions)
    place = doc.ctx.place
    named = [x for x in doc.mentions if x.label in ("Institution", "Program")]   # sorted by start
    named_starts = [x.start for x in named]
    events = [x for x in doc.mentions if x.label == "Event"]
    event_starts = [x.start for x in events]
    policies = [x for x in doc.mentions if x.label == "Policy" and x.source != "inner"]
    policy_starts = [x.start for x in policies]
    by_para: dict[int, tuple[list, list]] = {}      # paragraph → its named mentions and their starts, in order
    for x in named:
        s = doc.sentence_of(x.start)
        if s is not None:
            ms_, st_ = by_para.setdefault(s.para, ([], []))
            ms_.append(x)
            st_.append(x.start)
    digits = [d.start() for d in DIGIT.finditer(text)]     # a figure has a digit: most sentences have none
    for sent in doc.st.sentences:
        i = bisect.bisect_left(digits, sent.start)
        if i == len(digits) or digits[i] >= sent.end:
            continue
        para_ms = None
        last = None       # the subject of the sentence's previous figure
        for m in FIGURE.finditer(text, sent.start, sent.end):
            if taken.contains(m.start()):
                continue
            if YEAR.match(m.group("num")) and text[m.end("num"): m.end("num") + 1] in "年-":
                continue
            if text[m.start() - 1: m.start()] in "第等和及" or text[m.end(): m.end() + 1] in "年月日号":
                continue
            if para_ms is None:   # named earlier in the same paragraph
                para, para_starts = by_para.get(sent.para, ([], []))
                para_ms = para[:bisect.bisect_left(para_starts, sent.start)]
            value, unit, qualifier = value_of(m)
            ca = max(text.rfind(c, sent.start, m.start()) for c in "，,；;：:")
            ca = max(ca + 1, sent.start)
            cb_m = CLAUSE_END.search(text, m.end(), sent.end)
            cb = cb_m.start() if cb_m else sent.end
            here_ms = [x for x in in_range(named, named_starts, sent.start, m.start()) if x.end <= m.start()]
            follows = last is not None and ca > sent.start and FOLLOW_ON.match(text, ca)
            subject = _counted(doc, named, named_starts, m.end(), cb) or _recipient(doc, sent, m.start()) or \
                (last if follows else None) or _event_outcome(doc, events, event_starts, sent, ca, m) or \
                _policy_target(doc, policies, policy_starts, sent, m) or _named_in_clause(doc, here_ms, ca, m, unit) or \
                _programme_units(doc, named, named_starts, sent, ca, m) or \
                _subject(doc, sent, text[sent.start:m.start()], para_ms + here_ms, place, sent.start, taken)
            if subject is None:
                continue
            last = subject
            measure = _measure(text, m, ca, cb)
            if unit == "元" and measure == unit:
                measure = "金额"
            node = Node("Indicator", f"{subject.name}·{measure}={value}{unit}",
                        properties={"measure": measure, "value": value, "unit": unit, "qualifier": qualifier})
            node.key = norm(f"{subject.id}|{measure}|{value}|{unit}")
            ev = doc.evidence(m.start(), m.end())
            node.evidence.append(ev)
            doc.entities[node.id] = node
            doc.add_rel("HAS_INDICATOR", subject, node, m.start(), m.end())


def _counted(doc, named, named_starts, pos: int, clause_end: int) -> Node | None:
    """The programme or institution named right after the figure: the units it counts."""
    gap = COUNTS_NEXT.match(doc.raw.text, pos, clause_end)
    nxt = in_range(named, named_starts, gap.end(), gap.end() + 2 if doc.raw.text[gap.end():gap.end() + 1] == "“" else gap.end() + 1)
    return doc.node_for(nxt[0]) if nxt else None


EVENT_FIGURE = re.compile(alt(FIGURES["event_outcome"]))
# a sentence opening on the event of the one before (after a date or a comma at most)
EVENT_AGAIN = re.compile(rf"[^，,。；]{{0,12}}?(?:{alt(FIGURES['event_again'])})")
POLICY_TARGET = re.compile(alt(FIGURES["policy_target"]))
ISSUED_BEFORE = re.compile(rf"(?:{ISSUE_WORD.pattern})了?\s*$")     # 印发《X》, not 印发的《X》 (cited there)


# a clause that goes on about the figure before it: …发放贷款236亿元，带动商业贷款163亿元
FOLLOW_ON = re.compile(r"\s*(?:带动|拉动|撬动|其中|同比|占|惠及|覆盖)")


def _event_outcome(doc, events, event_starts, sent, clause_a: int, m: re.Match) -> Node | None:
    """举办…对接会，参加银行机构23家，达成意向授信额度42亿元: the figures are the event's; also in the
    next sentence when it opens on the event again (…博览会在乌鲁木齐举办。展会吸引32个国家…)."""
    text = doc.raw.text
    if not EVENT_FIGURE.search(text, clause_a, m.start()):
        return None
    before = in_range(events, event_starts, sent.start, m.start())
    if before:
        return doc.node_for(before[-1])
    prev = doc.sentence_before(sent)
    if prev is None or prev.para != sent.para or not EVENT_AGAIN.match(text, sent.start):
        return None
    before = in_range(events, event_starts, prev.start, prev.end)
    return doc.node_for(before[-1]) if before else None


OTHER_PARTY = re.compile(r"(?:与|和|同|向|对|为)\s*$")
COUNT_GAP = re.compile(r"[共计累达到有约近超过余多（）()\s]*")
INSTRUMENT = re.compile(rf"(?:{alt(FIGURES['instrument'])})[“\s]*$")


def _means(doc, x) -> bool:
    """A name written as the means of the work, or listed with one: 通过“特岗计划”, 依托西藏大学、拉萨师范高等专科学校."""
    text, start = doc.raw.text, x.start
    by_end = doc.mention_ends()
    while text[start - 1: start] in ("、", "和", "及") and (prev := by_end.get(start - 1)) is not None:
        start = prev.start
    return INSTRUMENT.search(text, max(0, start - 3), start) is not None


PROGRAMME_UNITS = re.compile(alt(FIGURES["programme_unit_words"]))


def _programme_units(doc, named, named_starts, sent, clause_a: int, m: re.Match) -> Node | None:
    """联合开展智慧健康养老应用试点示范，截至2021年底共遴选示范企业167家: units counted with the
    programme's own word (示范, 试点) are the units of the programme the sentence named before."""
    if not PROGRAMME_UNITS.search(doc.raw.text, clause_a, m.start()):
        return None
    before = [x for x in in_range(named, named_starts, sent.start, clause_a) if x.label == "Program"
              and PROGRAMME_UNITS.search(x.name)]
    return doc.node_for(before[-1]) if before else None


def _named_in_clause(doc, here_ms, clause_a: int, m: re.Match, unit: str) -> Node | None:
    """争取中央城镇老旧小区改造补助资金28.6亿元, “一村一幼”幼教点3117个: the programme or institution named
    in the figure's own clause; not a name the figure counts (实施老旧小区改造项目42个, 农民合作社3.6万家)."""
    inside = [x for x in here_ms if x.start >= clause_a and not _means(doc, x)]
    if not inside:
        return None
    x = inside[-1]
    gap = doc.raw.text[x.end:m.start()]
    if unit not in MONEY_OR_SHARE and COUNT_GAP.fullmatch(gap):
        return None
    if "、" in gap or OTHER_PARTY.search(gap):      # …工程、15所普通高中; A与32家企业签订
        return None
    return doc.node_for(x)


def _policy_target(doc, policies, policy_starts, sent, m: re.Match) -> Node | None:
    """印发《X》，提出到2025年全市绿氢产能达到40万吨: a figure the document sets is the document's."""
    text = doc.raw.text
    issued = [x for x in in_range(policies, policy_starts, sent.start, m.start())
              if x.end <= m.start() and ISSUED_BEFORE.search(text, max(sent.start, x.start - 8), x.start)]
    if not issued or not POLICY_TARGET.search(text, issued[-1].end, m.start()):
        return None
    return doc.node_for(issued[-1])


def _recipient(doc, sent, pos: int) -> Node | None:
    """A place or institution the figure's sentence says receives the support: 对宝鸡市的…支持…428个."""
    text = doc.raw.text
    gaz = doc.rec.gaz
    for p in gaz.place_re.finditer(text, sent.start, pos):
        if RECIPIENT.search(text, max(sent.start, p.start() - 3), p.start()) and \
                re.match(r"的?[^，。；]{0,12}?(?:支持|资金|投入|补助|扶持)", text[p.end():pos]):
            place = gaz.places[p.group(0)]
            return _place_node(doc, place, p.group(0), p.start(), p.end())
    return None


NATION_RANKING = re.compile(alt(FIGURES["nation_ranking"]))
CLAUSE_OPENING = re.compile(rf"(?:^|[，,；;：:。])\s*(?:{ADVERBIALS})?\s*$")


def _the_nation(before: str, here: re.Match, offset: int, taken: Intervals) -> bool:
    """全国 (我国) opening a clause as the country whose figure follows: not inside a body's name
    (全国政协, 全国老龄办), not after a word (作为全国油茶主产区), not ranking (全国首创)."""
    return (not taken.contains(offset + here.start()) and CLAUSE_OPENING.search(before, 0, here.start()) is not None
            and not NATION_RANKING.match(before, here.end()))


def _subject(doc, sent, before: str, para_ms, place, offset: int, taken: Intervals) -> Node | None:
    here = HERE.search(before)
    while here and here.group(0) in FIGURES["nation_forms"] and not _the_nation(before, here, offset, taken):
        here = HERE.search(before, here.end())
    if here and here.group(0) in FIGURES["nation_forms"]:
        return _place_node(doc, NATION, here.group(0), offset + here.start(), offset + here.end())
    if here and place is not None:
        # 全省 in a city office's letter is the province's, 全市 the city's
        level = {"省": "province", "市": "city", "县": "county"}.get(next((c for c in here.group(0) if c in "省市县"), ""))
        scoped = {"province": doc.ctx.province, "city": doc.ctx.city, "county": doc.ctx.county}.get(level or "")
        p = scoped or place
        return _place_node(doc, p, here.group(0), offset + here.start(), offset + here.end())
    subj = getattr(sent, "subjects", None) or []
    explicit = [s for s in subj if doc.replier is None or s.id != doc.replier.id]
    if explicit:
        return explicit[0]
    para_ms = [x for x in para_ms if not _means(doc, x)]
    if para_ms:
        return doc.node_for(para_ms[-1])
    if subj and doc.replier is not None and subj[0].id == doc.replier.id and place is not None:
        # the replier's work across its territory: the figure is the jurisdiction's (GUIDE)
        return _place_node(doc, place, place.name, offset, offset)
    return subj[0] if subj else None


def _place_node(doc, place, surface: str, a: int, b: int) -> Node:
    key = f"Place:{norm(place.name)}"
    node = doc.entities.get(key)
    if node is None:
        node = doc.entities[key] = Node("Place", place.name, kind=place.level)
        node.aliases.add(place.short)
    if surface.startswith("我"):
        node.aliases.add(surface)
    doc.add_evidence(node, a, b)
    return node
