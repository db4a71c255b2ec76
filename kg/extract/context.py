"""Document context: the replying body and its jurisdiction (province, city)."""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from kg.extract.names import Gazetteer, Place
from kg.extract.structure import Structure


@dataclass
class Context:
    province: Place | None
    city: Place | None
    replier: str = ""          # canonical name of the replying body
    replier_kind: str = "department"
    replier_surface: str = ""
    county: Place | None = None
    national: bool = False     # a reply to the national assemblies' proposal

    @property
    def place(self) -> Place | None:
        return self.county or self.city or self.province


def _level_is_city(st: Structure) -> bool:
    head = " ".join([st.title, *st.title_aliases, st.session, st.signer])
    return bool(re.search(r"市(政协|人大)|[市县区][\u4e00-\u9fff]{0,6}(局|委员会|办公室)$", head)) or "市" in st.session[:2]


NATIONAL_SESSION = re.compile(r"全国(?:人大|政协|人民代表大会|委员会)|全国[\u4e00-\u9fff]{0,6}委员会")
UNIT_OF_BODY = re.compile(r"^(.{2,30}?)(?:办公室|办公厅|[\u4e00-\u9fff]{2,8}?(?:处|科|司))$")


def is_national(st: Structure) -> bool:
    """A reply to a proposal of the national assemblies (全国政协, 全国人大)."""
    return bool(NATIONAL_SESSION.search(" ".join([st.session, st.title, *st.title_aliases, st.ack])))


def _as_body(gaz: Gazetteer, s: str, province, city, county=None):
    """The body a string names whole, or the body a unit of it belongs to (教育厅办公室 → 教育厅)."""
    bm = gaz.canonical_body(s, province, city, county)
    if bm is None and s.startswith(("中共", "中国共产党")):
        # 中共黔东南州委宣传部: the party's name written before its committee's department
        bm = gaz.canonical_body(s[2:] if s.startswith("中共") else s[5:], province, city, county)
        bm = bm if bm is not None and bm.canonical.startswith(("中共", "中国共产党")) else None
    if bm is None and (m := UNIT_OF_BODY.match(s)) and not s.endswith("人民政府办公厅"):
        bm = gaz.canonical_body(m.group(1), province, city, county)
    return bm


def _title_head(st: Structure) -> str:
    """The body a reply's title opens with: X关于…的答复, X对…的答复."""
    for t in [st.title, *st.title_aliases]:
        m = re.match(r"^(.{2,30}?)(?:关于|对)", t)
        if m:
            return m.group(1)
    return ""


def _from_doc_number(st: Structure, gaz: Gazetteer, province, city, national: bool):
    """教政复字〔2020〕82号 in a province's letter is its 教育厅's; 人社建字 in a ministry's, 人社部's."""
    if not st.doc_number:
        return None
    s = st.doc_number
    if province is not None and s[0] == gaz.abbr_of(province):
        s = s[1:]
    elif city is not None and s.startswith(city.short[:1]) and not national:
        s = s[1:]
    for abbr in gaz.doc_prefix_order:
        if s.startswith(abbr):
            nat, prov_form, local_form = gaz.doc_prefix[abbr]
            if national:
                return gaz.canonical_body(nat, None, None) if nat else None
            place = city or province
            form = local_form if city is not None else prov_form
            return gaz.canonical_body(place.name + form, province, city) if place and form else None
    return None


def find_context(st: Structure, gaz: Gazetteer) -> Context:
    text = st.text
    province = city = None
    national = is_national(st)
    # 1. the signer's own name (吉林省科学技术厅, 郑州市科学技术局) or the title's head
    head = _title_head(st)
    # (the place may stand inside the name: 中国人民银行重庆市分行, 国家税务总局贵州省税务局)
    own_level = None    # the level of the replier's own place: a province's letter is no city's
    for named in (st.signer, head):
        m = next(gaz.place_re.finditer(named), None) if named else None
        if m:
            p = gaz.places[m.group(0)]
            own_level = p.level
            province = gaz.province_of(p)
            city = p if p.level == "city" and p.name != province.name else None
            if p.level == "county" and p.city and p.city != province.name:
                city = gaz.cities.get(p.city)    # a district's letter: its 市X is its city's (厦门市思明区 → 厦门市)
            break
    # 2. the prefix of the document number (吉科发办〔2022〕110号)
    if province is None and st.doc_number and st.doc_number[0] in gaz.by_abbr:
        province = gaz.by_abbr[st.doc_number[0]]
    # 3. the places the letter names most often (not for a ministry's letter: it names provinces as examples)
    counts: Counter = Counter()
    city_counts: Counter = Counter()
    for m in gaz.place_re.finditer(text):
        p = gaz.places[m.group(0)]
        counts[gaz.province_of(p).name] += 1
        if p.level == "city" and p.name != p.province:
            city_counts[p.name] += 1
    if province is None and counts and not national:
        province = gaz.provinces[counts.most_common(1)[0][0]]
    if city is None and city_counts and own_level != "province" and _level_is_city(st):
        cands = [c for c, _ in city_counts.most_common() if gaz.cities[c].province == (province.name if province else "")]
        if cands:
            city = gaz.cities[cands[0]]
    if province and province.name in gaz.cities and city is None:
        city = gaz.cities[province.name]   # a municipality's 市X is the municipality's
    ctx = Context(province, city)
    ctx.national = national
    # The replying body: the signature, the title's head, the page's publisher, the document number.
    if st.signer or head:
        ctx.county = gaz.county_of(st.signer or head, province, city)
    if ctx.county is not None and ctx.county.name.endswith("市"):
        # a county-level city's letter: its 市X is its own (新密市's 市住建局), not the prefecture's
        ctx.city = ctx.county
        city = ctx.county
    # a name the data does not know is taken as written where it is signed or published (红安县科学技术和经济信息化局)
    sources = [(st.signer, st.signer_from == "signature"), (head, bool(gaz.place_re.match(head))),
               (st.signer if st.signer_from != "signature" else "", True)]
    for surface, signed in sources:
        if not surface:
            continue
        bm = _as_body(gaz, surface, province, city, ctx.county)
        if bm:
            ctx.replier, ctx.replier_kind, ctx.replier_surface = bm.canonical, bm.kind, surface
            break
        if signed and re.search(r"(厅|局|委员会|委|办公室|办|部|院|政府|行)$", surface):
            ctx.replier, ctx.replier_surface = surface, surface
            break
    if not ctx.replier:
        bm = _from_doc_number(st, gaz, province, city, national)
        if bm:
            ctx.replier, ctx.replier_kind = bm.canonical, bm.kind
    return ctx
