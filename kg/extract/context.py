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

    @property
    def place(self) -> Place | None:
        return self.county or self.city or self.province


def _level_is_city(st: Structure) -> bool:
    head = " ".join([st.title, *st.title_aliases, st.session, st.signer])
    return bool(re.search(r"市(政协|人大)|[市县区][\u4e00-\u9fff]{0,6}(局|委员会|办公室)$", head)) or "市" in st.session[:2]


def find_context(st: Structure, gaz: Gazetteer) -> Context:
    text = st.text
    province = city = None
    # 1. the signer's own name (吉林省科学技术厅, 郑州市科学技术局)
    if st.signer:
        m = gaz.place_re.match(st.signer)
        if m:
            p = gaz.places[m.group(0)]
            province = gaz.province_of(p)
            city = p if p.level == "city" and p.name != province.name else None
    # 2. the prefix of the document number (吉科发办〔2022〕110号)
    if province is None and st.doc_number and st.doc_number[0] in gaz.by_abbr:
        province = gaz.by_abbr[st.doc_number[0]]
    # 3. the places the letter names most often
    counts: Counter = Counter()
    city_counts: Counter = Counter()
    for m in gaz.place_re.finditer(text):
        p = gaz.places[m.group(0)]
        counts[gaz.province_of(p).name] += 1
        if p.level == "city" and p.name != p.province:
            city_counts[p.name] += 1
    if province is None and counts:
        province = gaz.provinces[counts.most_common(1)[0][0]]
    if city is None and city_counts and _level_is_city(st):
        cands = [c for c, _ in city_counts.most_common() if gaz.cities[c].province == (province.name if province else "")]
        if cands:
            city = gaz.cities[cands[0]]
    if province and province.name in gaz.cities and city is None and _level_is_city(st):
        city = gaz.cities[province.name]   # a municipality's 市X is the municipality's
    ctx = Context(province, city)
    if st.signer:
        ctx.county = gaz.county_of(st.signer, province, city)
        bm = gaz.canonical_body(st.signer, province, city, ctx.county)
        ctx.replier_surface = st.signer
        if bm:
            ctx.replier, ctx.replier_kind = bm.canonical, bm.kind
        elif re.search(r"(厅|局|委员会|委|办公室|办|部|院|政府)$", st.signer):
            ctx.replier = st.signer
    return ctx
