"""Naming knowledge compiled for matching: places, local and national bodies."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from kg import data
from kg.extract.trie import Words, union

CN_NUM = "〇零一二三四五六七八九十百"
COMMON_STEMS = "城郊矿和与及市省区县各本全大小东西南北中上下内外"
# the characters a bare short name (民进, 民盟, 建行) may follow inside a sentence
BARE_PARTY_AFTER = set("、和与及同由经向的等是为在对将据请")


def _inside_word(text: str, m: re.Match) -> bool:
    """A short name (two characters) right after a character that could begin a word with it."""
    prev = text[m.start() - 1: m.start()]
    return len(m.group(0)) <= 2 and "\u4e00" <= prev <= "\u9fff" and prev not in BARE_PARTY_AFTER


CAMPUS = re.compile(r"[(（]([\u4e00-\u9fff]{2,4})[)）]")


@dataclass(frozen=True)
class Place:
    name: str        # full official name as bodies carry it (吉林省, 郑州市, 厦门市思明区, 旺苍县)
    short: str       # short name (吉林, 郑州, 思明)
    level: str       # province | city | county
    province: str    # full name of the province
    city: str = ""   # a county's prefecture-level city (or municipality), if any


class LocalMatch:
    """A place + form match (吉林省|科技厅), read like a regex match with named groups."""

    def __init__(self, text: str, s: int, e: int, tail: re.Match):
        self.text, self.s, self.e, self.tail, self.rejected = text, s, e, tail, False

    def start(self) -> int:
        return self.s

    def end(self) -> int:
        return self.tail.end()

    def group(self, name=0) -> str:
        if name == "prefix":
            return self.text[self.s:self.e]
        if name in ("term", "form"):
            return self.tail.group(name)
        return self.text[self.s:self.tail.end()]

    def reject(self) -> None:
        self.rejected = True


@dataclass(frozen=True)
class BodyMatch:
    start: int
    end: int
    surface: str
    canonical: str
    kind: str
    label: str = "Agency"
    resolved: bool = True     # False when a relative prefix (省/市) found no place


def _written_in_full(text: str, start: int, surface: str, canonical: str) -> int:
    """Where a body's name starts when the text writes the head of its canonical name before the
    form found (中华人民共和国|乌鲁木齐海关: one name, the whole of it)."""
    head = canonical[: len(canonical) - len(surface)]
    if head and canonical.endswith(surface) and text.endswith(head, 0, start):
        return start - len(head)
    return start


class Gazetteer:
    def __init__(self):
        div = data.load("divisions")
        bodies = data.load("bodies")
        self.lex = data.load("lexicon")
        self.provinces: dict[str, Place] = {}
        self.cities: dict[str, Place] = {}
        self.by_abbr: dict[str, Place] = {}
        self.places: dict[str, Place] = {}       # every surface form → place
        for p in div["province"]:
            pl = Place(p["full"], p["name"], "province", p["full"])
            self.provinces[p["full"]] = pl
            self.by_abbr[p["abbr"]] = pl
            self.places[p["full"]] = pl
            self.places.setdefault(p["name"], pl)
            if p.get("kind") == "municipality":
                self.cities[p["full"]] = Place(p["full"], p["name"], "city", p["full"])
            for c in p["cities"]:
                full = c if c.endswith(("自治州", "盟", "地区")) else c + "市"
                cp = Place(full, c, "city", p["full"])
                self.cities[full] = cp
                self.places.setdefault(full, cp)
                # a short city name that is also a province's keeps the province
                self.places.setdefault(c, cp)
        self.counties: dict[str, list[Place]] = {}   # a county's surface form → every county so named
        self._add_divisions()
        # local body forms → (canonical template, kind, bare, prefix_only)
        self.local_forms: dict[str, tuple[str, str, bool, bool]] = {}
        self.local_label: dict[str, str] = {}     # forms of local institutions (省农科院): not Agency
        self.local_short: dict[str, str] = {}     # the name a form takes after a bare short place (重庆金融监管局)
        for b in bodies["local"]:
            for f in b["forms"]:
                self.local_forms[f] = (b["canonical"], b.get("kind", "department"), b.get("bare", False),
                                       b.get("prefix_only", False))
                if "label" in b:
                    self.local_label[f] = b["label"]
                if "short_place" in b:
                    self.local_short[f] = b["short_place"]
        self.level_prefix = {p: lvl for lvl, ps in bodies["levels"].items() for p in ps}
        self.self_forms = bodies["self"]["forms"]
        self.national: dict[str, tuple[str, str, str]] = {}   # form → (canonical, kind, label)
        for b in bodies["national"]:
            for f in b["names"]:
                self.national[f] = (b["names"][0], b["kind"], "Agency")
        for b in bodies["national_institution"]:
            for f in b["names"]:
                self.national[f] = (b["names"][0], b["kind"], "Institution")
        self.national_bare: dict[str, str] = bodies.get("national_bare", {})
        self.office_units: list[str] = bodies.get("local_office", {}).get("units", [])
        self.party: dict[str, str] = {f: b["names"][0] for b in bodies.get("party", []) for f in b["names"]}
        self.university: dict[str, str] = {}
        for b in bodies["university"]:
            for f in b["names"]:
                self.university[f] = b["names"][0]
        self.doc_prefix: dict[str, list[str]] = bodies.get("doc_prefix", {})
        self.doc_prefix_order = sorted(self.doc_prefix, key=len, reverse=True)
        self._compile()

    def _add_divisions(self):
        """Prefecture- and county-level divisions from the national table (kg/data/admin_divisions.tsv):
        文山州 is 文山壮族苗族自治州; 思明区 is 厦门市思明区 (a district carries its city's name), 旺苍县 itself."""
        from kg.data import divisions as dv
        by_code = {d.code: d for d in dv.divisions()}
        for d in dv.divisions():
            prov = by_code.get(d.province)
            if prov is None or prov.name not in self.provinces:
                continue
            if d.level == "prefecture":
                cp = self.cities.get(d.name) or Place(d.name, d.short_forms[0] if d.short_forms else d.name, "city", prov.name)
                self.cities.setdefault(d.name, cp)
                for f in (d.name, *d.short_forms):
                    if len(f) >= 2 and f not in self.provinces:
                        self.places.setdefault(f, cp)
            elif d.level == "county" and not (len(d.name) == 2 and d.name[0] in COMMON_STEMS):
                # 城区, 郊区, 和县: a one-character stem that is a common word makes no name in prose
                parent = by_code.get(d.parent or "")
                city = self.cities.get(parent.name) if parent else None
                full = city.name + d.name if city and d.kind == "区" else d.name
                pl = Place(full, d.short_forms[0] if d.short_forms else d.name, "county", prov.name,
                           city.name if city else "")
                # the forms that carry their kind (旺苍县, 思明区, 峨边县): a bare 旺苍 or 会同 is left alone,
                # not a bare name of three characters or more (满洲里海关, 霍尔果斯口岸): no word is one
                for f in {d.name, full, *(x for x in d.short_forms if x not in d.bare_forms or len(x) >= 3)}:
                    self.counties.setdefault(f, []).append(pl)
                    self.places.setdefault(f, pl)

    def county(self, surface: str, province: Place | None, city: Place | None) -> Place | None:
        """The county a form names where the letter is (朝阳区 in a Changchun letter), or the only one."""
        cands = self.counties.get(surface, [])
        full = [c for c in cands if c.name == surface and c.city and surface.startswith(c.city)]
        if len(full) == 1:
            return full[0]     # written with its city (北京市延庆区): that district wherever the letter is from
        for scope in ((city.name if city else None), (province.name if province else None)):
            if scope:
                hits = [c for c in cands if scope in (c.city, c.province)]
                if len(hits) == 1:
                    return hits[0]
        if province is not None:
            return None       # a province's letter names its own counties (我局会同县财政局: not 会同县)
        return cands[0] if len(cands) == 1 else None

    def _compile(self):
        alt = union
        named_places = [p for p in self.places]
        prefixes = named_places + list(self.level_prefix)
        forms = [f for f, v in self.local_forms.items()]
        # a local body is a place (or a level: 省, 市, 县) then a body's form: the places are found in one
        # pass (Aho-Corasick), the form is matched where each place ends
        self.prefixes = Words(prefixes)
        self.local_tail = re.compile(rf"(?P<term>第[{CN_NUM}\d]+届)?(?P<form>{alt(forms)})")
        self._forms_alt = alt(forms)
        bare = [f for f, v in self.local_forms.items() if v[2]]
        self.bare_re = re.compile(rf"(?P<form>{alt(bare)})")
        self.national_re = re.compile(alt(self.national))
        self.self_re = re.compile(alt(self.self_forms))
        self.place_re = Words(named_places)
        self.county_re = Words(self.counties)
        self.university_re = re.compile(alt(self.university))
        self.national_bare_re = re.compile(alt(self.national_bare))
        # national bodies and national banks have offices in places (中国人民银行重庆市分行, 工商银行南京分行)
        agencies = [f for f, v in self.national.items() if v[2] == "Agency" or v[1] == "financial"]
        self.office_re = re.compile(rf"(?P<body>{alt(agencies)})(?P<corp>股份有限公司|有限责任公司|有限公司)?"
                                    rf"(?P<place>{alt(named_places)})(?P<unit>{alt(self.office_units)})")
        # a democratic party's committee: 民盟深圳市委会, 九三学社上海市委员会, 民进中央
        self.party_re = re.compile(rf"(?P<party>{alt(self.party)})(?:(?P<place>{alt(prefixes)})"
                                   rf"(?:区(?=委))?(?P<unit>委员会|委会|委|基层委员会|总支|支部)|(?P<central>中央委员会|中央))?")

    @lru_cache(maxsize=64)
    def _county_re(self, name: str) -> re.Pattern:
        return re.compile(rf"{re.escape(name)}(?P<form>{self._forms_alt})")

    # -- places -------------------------------------------------------------
    def place(self, surface: str) -> Place | None:
        return self.places.get(surface) or self.places.get(surface.rstrip("市省"))

    def abbr_of(self, province: Place) -> str:
        return next((a for a, p in self.by_abbr.items() if p is province), "")

    def province_of(self, p: Place) -> Place:
        return self.provinces.get(p.province, p)

    # -- bodies -------------------------------------------------------------
    def local_bodies(self, text: str, province: Place | None, city: Place | None, county: Place | None = None):
        """Every local body in `text`, its canonical name expanded from the context."""
        if county is not None:
            # the letter's own county, which the data does not list: 红安县财政局
            for m in self._county_re(county.name).finditer(text):
                template, kind, _bare, prefix_only = self.local_forms[m.group("form")]
                if not prefix_only:
                    yield BodyMatch(m.start(), m.end(), m.group(0), template.format(place=county.name, short=county.short), kind,
                                    self.local_label.get(m.group("form"), "Agency"))
        for m in self._local_matches(text):
            prefix, form = m.group("prefix"), m.group("form")
            template, kind, _bare, prefix_only = self.local_forms[form]
            level = self.level_prefix.get(prefix)
            if level is None and prefix in self.counties:
                place = self.county(prefix, province, city)
                if place is None:
                    m.reject()      # not this letter's county (我局会同县财政局): a shorter prefix may be
                    continue
            elif level is None:
                place = self.places[prefix]
                if prefix_only and prefix not in (place.name,) and len(prefix) < 2:
                    continue
            elif level == "province":
                place = province
            elif level == "city":
                place = city
            else:
                place = county
            if prefix_only and level is None and not prefix.endswith(("省", "市", "区", "州", "县", "旗", "盟")):
                continue   # 吉林委 is not a party committee
            if level == "county" and prefix_only and county is None:
                continue   # 县委 with no county of the letter's own to read it with
            if place is None:
                yield BodyMatch(m.start(), m.end(), m.group(0), m.group(0), kind, resolved=False)
                continue
            if level is None and prefix == place.short and form in self.local_short:
                template = self.local_short[form]
            canonical = template.format(place=place.name, short=place.short)
            start = _written_in_full(text, m.start(), m.group(0), canonical)
            yield BodyMatch(start, m.end(), text[start:m.end()], canonical, kind, self.local_label.get(form, "Agency"))

    def _local_matches(self, text: str):
        """place + form matches, leftmost first and not overlapping; at each start the longest
        place that a form follows (吉林省科技厅), a shorter one if the consumer rejects it."""
        occ = self.prefixes.occurrences(text)
        done = 0
        for s in sorted(occ):
            if s < done:
                continue
            for e in occ[s]:
                t = self.local_tail.match(text, e)
                if t is None:
                    continue
                m = LocalMatch(text, s, e, t)
                yield m
                if not m.rejected:
                    done = t.end()
                    break

    def bare_bodies(self, text: str, province: Place | None):
        """Province-level departments named with no prefix (科技厅 in a province's letter)."""
        if province is None:
            return
        for m in self.bare_re.finditer(text):
            template, kind, _, _ = self.local_forms[m.group("form")]
            yield BodyMatch(m.start(), m.end(), m.group(0), template.format(place=province.name, short=province.short), kind,
                            self.local_label.get(m.group("form"), "Agency"))

    def national_bare_bodies(self, text: str):
        """In a national body's reply: 发展改革委 is 国家发展改革委."""
        for m in self.national_bare_re.finditer(text):
            canonical, kind, label = self.national[self.national_bare[m.group(0)]]
            yield BodyMatch(m.start(), m.end(), m.group(0), canonical, kind, label)

    def local_offices(self, text: str):
        """A national body's office in a place: 中国人民银行重庆市分行, 国家金融监督管理总局湖北监管局."""
        for m in self.office_re.finditer(text):
            canonical = self.national[m.group("body")][0]
            body = m.group("body") if canonical.startswith("中华人民共和国") else canonical
            name = f"{body}{m.group('place')}{m.group('unit')}"     # the place as the office itself writes it
            if m.group("corp"):
                name = m.group(0)      # 中国建设银行股份有限公司重庆市分行: a firm's branch keeps its registered name
            _c, kind, label = self.national[m.group("body")]
            yield BodyMatch(m.start(), m.end(), m.group(0), name, "financial" if kind == "financial" else "local_office",
                            label)

    def national_bodies(self, text: str):
        for m in self.national_re.finditer(text):
            canonical, kind, label = self.national[m.group(0)]
            if _inside_word(text, m):
                continue    # 创建行动: the letters of words, not 建行
            yield BodyMatch(m.start(), m.end(), m.group(0), canonical, kind, label)

    def party_bodies(self, text: str, province: Place | None, city: Place | None):
        """Democratic parties and their committees, canonical with the place named or implied (省委会)."""
        for m in self.party_re.finditer(text):
            full = self.party[m.group("party")]
            if m.group("central"):
                canonical = full + "中央委员会"
            elif m.group("place"):
                prefix = m.group("place")
                level = self.level_prefix.get(prefix)
                place = self.places.get(prefix) if level is None else province if level == "province" else city
                if place is None:
                    continue
                canonical = f"{full}{place.name}委员会"
            else:
                canonical = full
                if _inside_word(text, m):
                    continue    # 市民进出城区: the letters of a word, not 民进
            yield BodyMatch(m.start(), m.end(), m.group(0), canonical, "party", "Institution")

    def universities(self, text: str):
        for m in self.university_re.finditer(text):
            canonical, end = self.university[m.group(0)], m.end()
            # a campus in another city is a university of its own: 哈尔滨工业大学(深圳), 哈工大（威海）
            c = CAMPUS.match(text, end)
            if c and c.group(1) in self.places:
                canonical, end = f"{canonical}({c.group(1)})", c.end()
            yield BodyMatch(m.start(), end, text[m.start():end], canonical, "university", "Institution")

    def canonical_body(self, surface: str, province: Place | None, city: Place | None,
                       county: Place | None = None) -> BodyMatch | None:
        """The canonical form of a string that is exactly one body's name."""
        s = surface.strip()
        for finder in (lambda: self.local_offices(s), lambda: self.local_bodies(s, province, city, county),
                       lambda: self.national_bodies(s),
                       lambda: self.bare_bodies(s, province), lambda: self.party_bodies(s, province, city)):
            for m in finder():
                if m.start == 0 and m.end == len(s):
                    return m
        return None


    def county_of(self, signer: str, province: Place | None, city: Place | None) -> Place | None:
        """The county or district of a signer the data does not list (红安县科学技术和经济信息化局)."""
        s = signer[len(city.name):] if city and signer.startswith(city.name) else signer
        if (m := self.county_re.match(s)) is not None:
            return self.county(m.group(0), province, city)
        m = re.match(r"^([\u4e00-\u9fff]{1,4}?(?:县|区|旗))", signer)
        if not m or m.group(1) in self.places or (city and signer.startswith(city.name)):
            return None
        return Place(m.group(1), m.group(1)[:-1], "county", province.name if province else "")


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    return Gazetteer()
