"""Entity mentions: where a name occurs in the text, what it names, its canonical form.

Recognizers are small functions over the text; each yields Mention records."""
from __future__ import annotations

import re
from functools import lru_cache
from dataclasses import dataclass, field

from kg import data
from kg.extract.names import CAMPUS, Gazetteer, Place
from kg.extract.trie import WordMatch, union

LEX = data.load("lexicon")
CJK = r"\u4e00-\u9fff"
NAME_CHARS = re.compile(rf"[{CJK}A-Za-z0-9·\.\-—()（）]")
VERSION = r"(?:\d+(?:\.\d+)?(?![\d.]|\s*[千万亿元个项家所人名次件台套亩吨%]))?"   # 教育信息化2.0, not 资金1200万元


@dataclass(slots=True)     # a letter makes thousands, most of them dropped again
class Mention:
    start: int
    end: int
    surface: str
    label: str
    name: str                       # canonical name
    kind: str = ""
    aliases: set[str] = field(default_factory=set)
    properties: dict = field(default_factory=dict)
    source: str = ""                # which recognizer found it (for debugging)


def alt(words) -> str:
    """Any of `words`, the longest first (as a trie: see kg.extract.trie)."""
    return union(words)


INST_SUFFIX = LEX["institution_suffix"]
PROG_SUFFIX = LEX["program_suffix"]
EVENT_SUFFIX = LEX["event_suffix"]
POLICY_KIND = LEX["policy_kind"]
STRONG_INST = set(LEX["words"]["strong_institution_suffix"])
FOREIGN = data.load("foreign")
# the words between a state (or a region) and its body's ending: no verb, conjunction or particle among them
_NAME_CHAR = r"(?:(?![与和及同的在对向并等了是将为从])[\u4e00-\u9fff])"
FOREIGN_BODY = re.compile(rf"(?:{alt(n for st in FOREIGN['state'] for n in st['names'])}){_NAME_CHAR}{{0,10}}"
                          rf"(?:{alt(FOREIGN['state_body_endings'])})")
SAR_GOVERNMENT = {f: r["government"] for r in FOREIGN["sar"] for f in r["forms"]}
SAR_BODY = re.compile(rf"(?P<form>{alt(SAR_GOVERNMENT)})(?:(?P<mid>{_NAME_CHAR}{{1,8}}?)(?P<end>{alt(FOREIGN['sar_body_endings'])})"
                      rf"|(?<=政府))")
# a school's or university's ending is strong when it ends in a strong one (职业技术学院 in 学院)
STRONG_ENDINGS = frozenset(STRONG_INST | {x for x, kind in INST_SUFFIX.items()
                                          if kind in ("university", "school") and x.endswith(tuple(STRONG_INST))})
# a quoted name and the words after it that make it a programme: “一村一幼”专项资金, “三智”合作试点,
# “四好农村路”示范县创建活动, “农村淘宝”项目
QUOTED_NAME = re.compile(rf"“([^“”\n]{{2,40}})”((?:(?!等|和|及|与|的|支持|开展|实施)[{CJK}]){{0,8}}(?:{alt(PROG_SUFFIX)}|(?:项目|活动|政策)(?![式制化型性]))"
                         rf"(?![{CJK}]{{0,2}}(?:专区|平台|系统)))?")
PERIOD = re.compile(r"[十]?[一二三四五六七八九十]+五")
# the words after a quote that end an event's name: “智汇潇湘”人才发展大会, “信号升格”推进会 (not 等…会, …的会议)
QUOTED_EVENT_TAIL = re.compile(rf"(?:(?!等|和|及|与|的|在|对)[{CJK}A-Za-z0-9]){{0,10}}?(?:{alt(EVENT_SUFFIX)})(?![{CJK}]{{0,2}}(?:期间|上|中))")
INNER_SITE = re.compile(r"[\u4e00-\u9fff]{2,}(?:网|网站|客户端|服务平台|信息平台|监管平台|数据平台|系统)$")
STRONG_INST_KINDS = {"research_institute", "university", "school", "media", "museum", "association", "hospital", "enterprise"}
QUOTED_SYSTEM = re.compile(rf"[\u4e00-\u9fff]{{0,10}}?(?:{alt(LEX['words']['system_endings'])})(?![\u4e00-\u9fff]{{0,3}}(?:专区|模块))")
# a bare level opening a name (省农科院, 市青少年科技教育中心); not 市场, 市民, 省会, 区域, 县域…
BODY_END = re.compile(rf"(?:{alt(STRONG_INST)}|部|厅|局|委|办|院|会|所|政府|中心)$")
CAMPUS_END = re.compile(r"[(（][^()（）]{1,8}[)）]$")     # 中国地质大学（武汉）: a body with its campus
QUOTE_THEN_STOP = re.compile(r"”[对向为与和在把从将]")
UNIT_OF_UNIVERSITY = {"学部"}
AGENCY_END = re.compile(r"(?:厅|局|委员会|委|办|办公室)$")
UNIVERSITY_BEFORE = re.compile(r"(大学|(?<![科工])学院)[\u4e00-\u9fff]{2,10}$")
LEVEL_OPENING = re.compile(r"^(自治区|省|市|县|区)(?!场|民|区|会|域|级|属|内|外|直|委|政府)")
GENERIC = sorted(LEX["words"]["generic_words"], key=len, reverse=True)
GENERIC_RUN = re.compile(f"(?:{alt(GENERIC)})+")
GENERIC_SET = frozenset(GENERIC)
GENERIC_LENGTHS = sorted({len(w) for w in GENERIC})
LEFT_STOPS = sorted(LEX["words"]["left_stops"], key=len, reverse=True)
STOPS_BY_LAST = {}
for _w in LEFT_STOPS:
    STOPS_BY_LAST.setdefault(_w[-1], []).append(_w)   # a stop is looked up by the character it ends with
INST_RE = re.compile(alt(INST_SUFFIX))
PROG_END = re.compile(rf"(?:{alt(PROG_SUFFIX)}){VERSION}")
# a fund named by a bare 资金 after a verb that allocates it (安排林业草原生态保护恢复资金): a long enough
# name only (安排补助资金, 下达中央财政资金 name no fund)
BARE_FUND = {w: 6 for w in LEX["words"]["bare_fund_endings"]}
FUND_TABLE = {**{w: "special_fund" for w in BARE_FUND}, **PROG_SUFFIX}
BARE_PROGRAMME = {w: 6 for w in LEX["words"]["bare_programme_endings"]}
CATEGORY_OPENINGS = tuple(LEX["words"]["category_openings"])
WORK_PROGRAMME = LEX["words"]["work_programme_endings"]
LEAD_TABLE = {**WORK_PROGRAMME, **{w: "project" for w in BARE_PROGRAMME}, **PROG_SUFFIX}
LEAD_END = re.compile(rf"(?:(?:{alt(list(PROG_SUFFIX) + list(BARE_PROGRAMME))}){VERSION}|(?:{alt(WORK_PROGRAMME)})(?=工作))")
FUND_END = re.compile(alt([k for k, v in PROG_SUFFIX.items() if v == "special_fund"] + list(BARE_FUND)))
FUND_NAME_END = re.compile(rf"(?:{alt(k for k, v in PROG_SUFFIX.items() if v == 'special_fund')})$")   # 专项基金: a programme
EVENT_END = re.compile(alt(EVENT_SUFFIX))
EDITION_EVENT = LEX["words"]["edition_event_endings"]
HELD_TABLE = {**EDITION_EVENT, **EVENT_SUFFIX}
HELD_END = re.compile(alt(HELD_TABLE))            # what a verb that holds an event may name
EDITION_OPENING = re.compile(r"(?:第[\d一二三四五六七八九十百]+届|首届|\d{4}年?)")
TRIG = {k: re.compile(alt(v)) for k, v in LEX["triggers"].items()}
RECURRING = re.compile(alt(LEX["words"]["recurring"]))  # 持续举办…培训班 is a programme, not one event
NOT_NAME = re.compile(alt(LEX["words"]["not_names"]))


def in_set_phrase(text: str, a: int, b: int) -> bool:
    """Does a set phrase that names nothing (中小学, 中心城市, 人类命运共同体) overlap text[a:b]?"""
    return any(m.start() < b and m.end() > a for m in NOT_NAME.finditer(text, max(0, a - 8), b + 4))


_SUFFIX_RE: dict[int, re.Pattern] = {}


def suffix_kind(name: str, table: dict) -> str | None:
    """The kind a name's ending gives it (the longest ending in `table`), or None."""
    pat = _SUFFIX_RE.get(id(table))
    if pat is None:
        pat = _SUFFIX_RE[id(table)] = re.compile(rf"({alt(table)}){VERSION}$")
    m = pat.search(name)
    return table[m.group(1)] if m else None


PARK_SHORT = LEX["park_short"]
PARK_BODY = re.compile(r"管委会|管理委员会")
# a town's or a subdistrict's body, found from its ending: 曲梁镇人民政府, 某某街道办事处
TOWN_BODY = re.compile(r"(?P<kind>镇|乡|街道)(?P<unit>人民政府|政府|党委|办事处)")
JOINS = re.compile(alt(LEX["triggers"]["attend"]))   # 组织我国选手参加第45届世界技能大赛: the event starts after the verb
COUNTED = re.compile(r"[\d一二三四五六七八九十百千万余多几数]+\s*[家个所名位项类批座]")   # 12家银行: a count
COUNTED_AFTER = re.compile(r"\s*[\d一二三四五六七八九十百千万余多]+\s*[个家所座处]")   # 建立双边技术转移中心7个: counted, a category
COUNT_INSIDE = re.compile(r"\d+\s*[家个所名位座]")    # 区属5家医院: a count of things, not a name
COUNTED_AT = re.compile(r"[\d一二三四五六七八九十百千万余多几数]+\s*[家个所名位项类批座处项]")
NATIONAL_OPENINGS = ("中国", "中华")
INNER_STOPS = "和经"     # stops that also occur in names right after a place (乐山嘉和…, 福建省数字经济…)
STOP_EXCEPTION = re.compile(alt(LEX["words"]["stop_exceptions"]))   # words a stop begins inside a name (有限公司)


def _ends_generic(core: str) -> bool:
    """Does the name's core end with a generic word (…民办)? Only then may it be a category."""
    return any(core[-n:] in GENERIC_SET for n in GENERIC_LENGTHS if n <= len(core))


def _after_place(text: str, pos: int, places, floor: int) -> bool:
    """Is `pos` one or two characters after a place name (乐山嘉|和, 福建省数字|经济)?"""
    for r in (1, 2):
        e = pos - r
        if any(e - n >= floor and text[e - n:e] in places for n in range(2, 12)):   # 新疆维吾尔自治区: 8
            return True
    return False


def _opens_place(text: str, pos: int, places) -> bool:
    """Does a place name begin at `pos` (和|田地区: the stop is the place's first character)?"""
    return any(text[pos:pos + n] in places for n in range(2, 8))


def left_extent(text: str, end: int, floor: int = 0, max_len: int = 30, places=None) -> int:
    """Scan left from `end` over name characters; stop at punctuation or a stop word."""
    i = end
    depth = 0
    while i > floor and end - i < max_len:
        ch = text[i - 1]
        finals = STOPS_BY_LAST.get(ch)
        if finals is None and ch not in "()（）“”":
            # most characters: a name's character or the scan's end, no stop word and no bracket to weigh
            if not ("\u4e00" <= ch <= "\u9fff" or _name_char(ch)):
                break
            i -= 1
            continue
        stop = None
        for w in finals or ():
            if text.startswith(w, i - len(w)) and i - len(w) >= floor and not STOP_EXCEPTION.match(text, i - len(w)) \
                    and not (len(w) > 1 and text[max(floor, i - len(w) - 2): i - len(w)] in NATIONAL_OPENINGS):
                stop = w      # (a national firm's name goes on after 中国: 中国联合网络通信…, no verb there)
                break
        # a one-character stop (为, 和, 同…) also occurs inside names (华为, 同方): it ends the name
        # only when what lies to its right is already a name of its own, and not when a place name
        # and a word of one or two characters come right before it (乐山嘉和…, 福建省数字经济…)
        if depth == 0 and stop and (len(stop) > 1 or (end - i >= 2 and not is_generic(text[i:end], "")
                                                       and not (stop in INNER_STOPS and places
                                                                and _after_place(text, i - 1, places, floor))
                                                       and not (places and _opens_place(text, i - 1, places)))):
            break
        if ch in ")）":
            depth += 1
        elif ch in "(（":
            if depth == 0:
                break
            depth -= 1
        elif not _name_char(ch) and ch not in "“”":
            break
        i -= 1
    return i


@lru_cache(maxsize=1 << 14)
def _name_char(ch: str) -> bool:
    return NAME_CHARS.match(ch) is not None


def is_generic(name: str, suffix: str) -> bool:
    """A candidate made only of generic heads (全省重点企业, 各类科研机构) is a category, not a name."""
    core = name[: len(name) - len(suffix)] if suffix and name.endswith(suffix) else name
    return _all_generic(core)


@lru_cache(maxsize=1 << 15)
def _all_generic(core: str) -> bool:
    return not core or GENERIC_RUN.fullmatch(core) is not None


# patterns of the hot paths, compiled once (a re.sub(r"…") looks its pattern up in re's cache at every call)
YEAR_OPENING = re.compile(r"^\d{4}年度?")
PLAN_ITEM = re.compile(r"(计划)项目$")
TRAILING_BRACKET = re.compile(r"[(（][^)）]*[)）]$")
LEADING_STOP = re.compile(r"^[对向为将与和在把从]")
LEAD_AT_END = re.compile(rf"(?:{TRIG['lead'].pattern})(?:了)?$")
ORGANIZE_AT_END = re.compile(rf"(?:{TRIG['organize'].pattern})$")
PLAIN_WORDS = re.compile(rf"[{CJK}A-Za-z0-9]+")
TITLE_MARKS = re.compile(r"[《》\n]")
SPACE = re.compile(r"[\s\u3000]+")


def program_name(name: str) -> str:
    """A programme's standing name: without the year of one round or the 项目 of one call."""
    return PLAN_ITEM.sub(r"\1", YEAR_OPENING.sub("", name))


@lru_cache(maxsize=1 << 16)
def clean_name(s: str) -> str:
    """`s` without spaces (a name broken across lines). Cached: a letter cleans the same names many times."""
    return SPACE.sub("", s) if SPACE.search(s) else s


# -- policy titles ------------------------------------------------------------

def book_titles(text: str):
    """Spans of 《…》 titles, outermost only, with nested ＜…＞/〈…〉/《…》 titles inside."""
    out = []
    depth, start = 0, None
    for mark in TITLE_MARKS.finditer(text):      # only the marks and line ends, not every character
        i, ch = mark.start(), mark.group(0)
        if ch == "《":
            if depth == 0:
                start = i
            depth += 1
        elif ch == "》" and depth:
            depth -= 1
            if depth == 0:
                out.append((start, i + 1))
        elif ch == "\n" and depth:
            depth, start = 0, None   # an unclosed title does not run past its line
    return out


INNER = re.compile(r"[＜〈<《]([^＜〈<《＞〉>》]+)[＞〉>》]")


def policy_name(raw: str) -> str:
    """Canonical form of a title: inner marks as 〈〉, no line-break spaces."""
    s = clean_name(raw)
    return _OPEN_MARK.sub("〈", _CLOSE_MARK.sub("〉", s))


_OPEN_MARK, _CLOSE_MARK = re.compile(r"[＜<《]"), re.compile(r"[＞>》]")


def policy_kind(name: str) -> str:
    return suffix_kind(TRAILING_BRACKET.sub("", name), POLICY_KIND) or "document"


# -- the recognizer -----------------------------------------------------------

class Recognizer:
    def __init__(self, gaz: Gazetteer, text: str, province: Place | None, city: Place | None,
                 protected: list[tuple[int, int]], county: Place | None = None, national: bool = False):
        self.gaz, self.text, self.province, self.city, self.county = gaz, text, province, city, county
        self.national = national        # a national body's reply: bare 发展改革委 is the national one
        self.protected = protected      # spans no free-standing recognizer may enter (titles, noise)

    def _local_all(self) -> list:
        """The local bodies of the whole letter, found once."""
        found = self.__dict__.get("_local")
        if found is None:
            found = self.__dict__["_local"] = list(self.gaz.local_bodies(self.text, self.province, self.city, self.county))
        return found

    def _whole(self, finder: str) -> list:
        """A gazetteer finder's matches over the whole letter, found once."""
        key = "_whole_" + finder
        found = self.__dict__.get(key)
        if found is None:
            found = self.__dict__[key] = list(getattr(self.gaz, finder)(self.text))
        return found

    def named_spans(self):
        """Spans of the bodies the naming data knows (national and local), for telling a verb
        from the same characters inside a name (组织 in 联合国教科文组织)."""
        cover = self.__dict__.get("_named")
        if cover is None:
            from kg.extract.spans import Cover
            spans = [(bm.start, bm.end) for bm in self._whole("national_bodies")]
            spans += [(bm.start, bm.end) for bm in self._local_all()]
            spans += [(bm.start, bm.end) for bm in self._whole("universities")]
            spans += [(bm.start, bm.end) for bm in self._whole("local_offices")]
            cover = self.__dict__["_named"] = Cover(spans)
            cover.exact = set(spans)
        return cover

    def inside_protected(self, a: int, b: int) -> bool:
        cover = self.__dict__.get("_protected")
        if cover is None:
            from kg.extract.spans import Intervals
            cover = self.__dict__["_protected"] = Intervals(self.protected)
        return cover.covers(a, b)

    def city_for(self, pos: int) -> Place | None:
        """The city that 市X refers to at `pos`: the nearest city named earlier in the sentence."""
        floor = max(0, pos - 300)
        sent_start = max(floor - 1, *(self.text.rfind(c, floor, pos) for c in "。\n"))
        best = None
        for m in self.gaz.place_re.finditer(self.text, sent_start + 1, pos):
            p = self.gaz.places[m.group(0)]
            if p.level == "city":
                best = p
        return best or self.city

    def bodies(self, a: int = 0, b: int | None = None, allow_protected: bool = False) -> list[Mention]:
        b = len(self.text) if b is None else b
        seg = self.text[a:b]
        found: list[Mention] = []
        g = self.gaz
        local = self._local_all() if (a, b) == (0, len(self.text)) else g.local_bodies(seg, self.province, self.city, self.county)
        for bm in local:
            s, e = a + bm.start, a + bm.end
            nxt = self.text[e:e + 1]
            if bm.surface.endswith("委") and g.local_forms.get("委") and bm.canonical.startswith("中国共产党") and nxt in "托员会屈婉派任":
                continue
            canonical, ok = bm.canonical, bm.resolved
            if bm.surface.startswith("市") and (c := self.city_for(s)) is not None:
                canonical = g.local_bodies(c.name + bm.surface[1:], self.province, c).__next__().canonical
                ok = True
            if not ok:
                continue
            if self.text[s - 1: s] == "各":
                continue
            found.append(Mention(s, e, bm.surface, bm.label, canonical, bm.kind, source="local"))
        whole = (a, b) == (0, len(self.text))
        for bm in (self._whole("local_offices") if whole else g.local_offices(seg)):
            found.append(Mention(a + bm.start, a + bm.end, bm.surface, bm.label, bm.canonical, bm.kind, source="office"))
        for bm in (self._whole("national_bodies") if whole else g.national_bodies(seg)):
            found.append(Mention(a + bm.start, a + bm.end, bm.surface, bm.label, bm.canonical, bm.kind, source="national"))
        if self.national:
            for bm in g.national_bare_bodies(seg):
                found.append(Mention(a + bm.start, a + bm.end, bm.surface, bm.label, bm.canonical, bm.kind, source="national"))
        for bm in g.party_bodies(seg, self.province, self.city):
            found.append(Mention(a + bm.start, a + bm.end, bm.surface, bm.label, bm.canonical, bm.kind, source="party"))
        for bm in g.bare_bodies(seg, self.province):
            found.append(Mention(a + bm.start, a + bm.end, bm.surface, bm.label, bm.canonical, bm.kind, source="bare"))
        found = longest_first(found)
        if not allow_protected:
            found = [m for m in found if not self.inside_protected(m.start, m.end)]
        return found

    def universities(self) -> list[Mention]:
        out = []
        for bm in self._whole("universities"):
            before, after = self.text[bm.start - 1: bm.start], self.text[bm.end: bm.end + 1]
            # a short form counts only as a whole word: between delimiters or connectives
            if bm.surface != bm.canonical and not (before in "、，,与和同及：:（(“" and after in "、，,与和等及）)”。"):
                continue
            if self.inside_protected(bm.start, bm.end):
                continue
            out.append(Mention(bm.start, bm.end, bm.surface, "Institution", bm.canonical, "university", source="university"))
        return out

    def institutions(self, a: int = 0, b: int | None = None, strict: bool = True) -> list[Mention]:
        """Names ending in an institution suffix (大学, 有限公司, 中心…)."""
        b = len(self.text) if b is None else b
        out = []
        for m in INST_RE.finditer(self.text, a, b):
            suffix = m.group(0)
            end = m.end()
            if strict and suffix not in STRONG_ENDINGS and suffix not in UNIT_OF_UNIVERSITY:
                continue      # a weak ending (平台, 学校) names something only in a relation's slot
            if not strict and (suffix in STRONG_ENDINGS or suffix in UNIT_OF_UNIVERSITY):
                continue      # in a slot only the weak endings: the strong ones are found everywhere
            if in_set_phrase(self.text, m.start(), end):
                continue      # 一流大学城, 中心城市, 中小学, 人类命运共同体: the ending is part of a common noun
            start = left_extent(self.text, m.start(), a, places=self.gaz.places)
            # a name does not run across a body the data knows: 州教育体育局高度重视学校
            for x in self.named_spans().spans_in(start, m.start()):
                cut = left_extent(self.text, m.start(), max(a, x[1]), places=self.gaz.places)
                if cut > x[1]:
                    start = cut   # a verb between: the body is the sentence's subject, not part of the name
                # else the name goes on from the body: 哈工大(深圳)未来技术学院 is one of its units
            if self.text[start - 1: start] == "与" and (joined := self._joined_by_与(start - 1)) is not None:
                start = joined    # 中国社会福利与养老服务协会, 中国科学院东北地理与农业生态研究所: one name
            while self.text[start:start + 1] == "“" and "”" not in self.text[start:end]:
                start += 1    # an opening quote whose name runs past this ending
            if (q := QUOTE_THEN_STOP.search(self.text, start, end)) is not None:
                start = q.end()   # 依托“苏州综合金融服务平台”向|银行: a quoted name, a verb's object, then this one
            if (num := LIST_NUMBER.match(self.text, start, m.start())) is not None:
                start = num.end()     # （一）|中欧班列集结中心建设: a heading's number is no part of a name
            name = clean_name(self.text[start:end])
            if len(name) - len(suffix) < 2 or is_generic(name, suffix) or COUNTED.match(name) or COUNT_INSIDE.search(name) \
                    or COUNTED_AFTER.match(self.text, end) \
                    or (not strict and FUND_NAME_END.search(name)) \
                    or (_ends_generic(name[: len(name) - len(suffix)]) and is_generic(self._bare(name, suffix), suffix)):
                continue
            if (start, end) in self.named_spans().exact or self.named_spans().inside(start, end):
                continue      # 中国人民银行, 中国人民银行西宁中心|支行: a body the naming data knows, found by its own recognizer
            if suffix in UNIT_OF_UNIVERSITY and (u := UNIVERSITY_BEFORE.search(self.text, max(a, m.start() - 14), m.start())):
                # 大连理工大学建设工程学部: the faculty's name runs from its university's, past verbs inside it
                start = left_extent(self.text, u.start(1), a, places=self.gaz.places)
                name = clean_name(self.text[start:end])
            if suffix in UNIT_OF_UNIVERSITY and not re.search(r"大学|(?<![科工])学院", name[: len(name) - len(suffix)]):
                continue      # 学部 names a university's faculty, nothing else (中国科学院学部 is the academy's)
            if suffix == "中心" and len(name) - len(suffix) < 4:
                continue   # 数据中心, 服务中心: a common noun, not a name
            if self.inside_protected(start, end):
                continue
            if suffix in ("大学", "学院") and (c := CAMPUS.match(self.text, end)) and c.group(1) in self.gaz.places:
                end = c.end()       # 中国地质大学（武汉）: a campus is a university of its own
                name = clean_name(self.text[start:end])
            kind = suffix_kind(name, INST_SUFFIX) or "institution"
            aliases = set()
            if (full := self._with_place(name)) != name:
                aliases.add(name)      # 省农业技术推广服务中心 in a Hainan letter is 海南省农业技术推广服务中心
                name = full
            if suffix in PARK_SHORT and PARK_SHORT[suffix] != suffix:
                aliases.add(name)
                name = name[: len(name) - len(suffix)] + PARK_SHORT[suffix]     # 长沙经开区 → 长沙经济技术开发区
            if kind == "park" and (mc := PARK_BODY.match(self.text, end)) is not None:
                # 宝鸡高新区管委会: the zone's management committee is a government body
                out.append(Mention(start, mc.end(), self.text[start:mc.end()], "Agency", name + "管理委员会",
                                   "department", {n + mc.group(0) for n in {name, *aliases}}, source="suffix"))
                continue
            # the administration of a national park or reserve is a government body (kind "agency")
            label = "Agency" if kind == "agency" else "Institution"
            out.append(Mention(start, end, self.text[start:end], label, name, "department" if kind == "agency" else kind,
                               aliases, source="suffix"))
        return longest_first(out)

    def _bare(self, name: str, suffix: str = "") -> str:
        """A name without what only frames a category: a leading stop (对), a year, the place
        (对普惠性民办幼儿园, 2021年北京市民办幼儿园 are categories)."""
        core = LEADING_STOP.sub("", name)
        core = YEAR_OPENING.sub("", core)
        p = self.gaz.place_re.match(core)
        # the place goes only where words stand between it and the ending (深圳大学 is a name)
        return core[p.end():] if p and len(core) - p.end() - len(suffix) >= 2 else core

    def _joined_by_与(self, pos: int) -> int | None:
        """Where a name that 与 runs through starts: the words before 与 open a name (中国…, a place) and
        are no body of their own (教育部与…, 某公司与…: two parties)."""
        ls = left_extent(self.text, pos, max(0, pos - 16), places=self.gaz.places)
        chunk = self.text[ls:pos]
        if len(chunk) < 4 or (ls, pos) in self.named_spans().exact or BODY_END.search(CAMPUS_END.sub("", chunk)):
            return None
        if not (chunk.startswith(("中国", "全国", "国家", "中华")) or self.gaz.place_re.match(chunk)):
            return None
        inner = [x for x in self.named_spans().spans_in(ls, pos)]
        if inner and (len(rest := self.text[max(x[1] for x in inner):pos]) < 2 or re.fullmatch(r"[正已将还也并均都在]+", rest)):
            return None   # 哈尔滨工业大学(深圳)正与…: a body and an adverb, then its partner
        return ls

    def _with_place(self, name: str) -> str:
        """A name opening with a bare level (省, 自治区, 市, 县, 区) takes the letter's place of that level."""
        m = LEVEL_OPENING.match(name)
        if m is None:
            return name
        level = self.gaz.level_prefix.get(m.group(1))
        place = {"province": self.province, "city": self.city, "county": self.county}.get(level or "")
        return place.name + name[len(m.group(1)):] if place is not None else name

    def foreign_bodies(self) -> list[Mention]:
        """A foreign state's body (俄罗斯联邦后贝加尔斯克海关) or a department of a Special Administrative
        Region's government (澳门经济局 → 澳门特别行政区政府经济局), named as written (kg/data/foreign.toml)."""
        out = []
        for m in FOREIGN_BODY.finditer(self.text):
            if not self.inside_protected(m.start(), m.end()):
                out.append(Mention(m.start(), m.end(), m.group(0), "Agency", m.group(0), "foreign", source="foreign"))
        for m in SAR_BODY.finditer(self.text):
            if self.inside_protected(m.start(), m.end()):
                continue
            gov = SAR_GOVERNMENT[m.group("form")]
            name = gov + m.group("mid") + m.group("end") if m.group("mid") else gov
            out.append(Mention(m.start(), m.end(), m.group(0), "Agency", name, "foreign", source="foreign"))
        return out

    def towns(self) -> list[Mention]:
        """Township bodies the division table does not reach: 曲梁镇人民政府, 来集镇政府, 某某街道办事处."""
        out = []
        for m in TOWN_BODY.finditer(self.text):
            unit = m.group("unit")
            start = left_extent(self.text, m.end("kind"), max(0, m.start() - 6), max_len=8)   # 我局会同|曲梁镇
            town = self.text[start:m.end("kind")]
            if self.inside_protected(start, m.end()):
                continue
            if len(town) < 3 or len(town) > 5 or is_generic(town[:-1], ""):
                continue      # 各乡镇, 全镇
            name = town + ("人民政府" if unit in ("政府", "人民政府") else "办事处" if unit == "办事处" else unit)
            if unit == "党委":
                name = f"中共{town}委员会"
            out.append(Mention(start, m.end(), self.text[start:m.end()], "Agency", name, "government", source="town"))
        return out

    def group_names(self, bodies: list[Mention]) -> list[Mention]:
        """An institution followed by a quoted collective name: 中科院在长“一院三所”."""
        out = []
        for bm in bodies:
            if bm.label != "Institution":
                continue
            m = re.compile(r"(在[\u4e00-\u9fff]{1,2})?“([^”]{2,8})”").match(self.text, bm.end)
            if m and not suffix_kind(m.group(2), PROG_SUFFIX) and not suffix_kind(m.group(2), EVENT_SUFFIX):
                surface = self.text[bm.start: m.end()]
                aliases = {bm.surface + f"“{m.group(2)}”", m.group(2)}
                if bm.name != bm.surface:
                    aliases.add(bm.name + (m.group(1) or "") + f"“{m.group(2)}”")
                out.append(Mention(bm.start, m.end(), surface, "Institution", surface, "research_institute",
                                   aliases, source="group"))
        return out

    def quoted(self) -> list[Mention]:
        """Quoted names typed by their ending: “双千工程” (Program), “…论坛” (Event)."""
        out = []
        for m in QUOTED_NAME.finditer(self.text):
            inner, tail = m.group(1), m.group(2) or ""
            full, end = inner + tail, m.end()
            if self.inside_protected(m.start(), m.end()) or re.search(r"[《》]", inner):
                continue
            if PERIOD.fullmatch(inner) and (not tail or is_generic(tail[:-2], "")):
                continue      # “十三五”, “十四五”国家专项: a planning period, not a name
            if not tail and (INNER_SITE.search(inner) or suffix_kind(inner, INST_SUFFIX) in STRONG_INST_KINDS) \
                    and not suffix_kind(inner, PROG_SUFFIX) and not suffix_kind(inner, EVENT_SUFFIX):
                # “多彩贵州网”, “黔东南民族文化传播研究中心”: a quoted institution or site
                out.append(Mention(m.start(), m.end(), m.group(0), "Institution", inner,
                                   suffix_kind(inner, INST_SUFFIX) or "platform", {inner}, source="quoted"))
                continue
            if not tail and (sys_ := QUOTED_SYSTEM.match(self.text, m.end())) is not None:
                # “长江渝融通”货币信贷大数据系统, “科创资本通”平台: a named system or platform
                surface = self.text[m.start():sys_.end()]
                out.append(Mention(m.start(), sys_.end(), surface, "Institution", surface, "platform",
                                   {inner, inner + sys_.group(0)}, source="quoted"))
                continue
            if not tail and not suffix_kind(inner, EVENT_SUFFIX) and (ev := QUOTED_EVENT_TAIL.match(self.text, end)):
                # “智汇潇湘”人才发展大会, 全省信息通信行业“信号升格”推进会: the quote opens an event's name
                label, kind, end = "Event", suffix_kind(ev.group(0), EVENT_SUFFIX), ev.end()
                tail = self.text[m.end():end]
            elif tail or suffix_kind(full, PROG_SUFFIX):
                label, kind = "Program", suffix_kind(full, PROG_SUFFIX)
            elif suffix_kind(inner, EVENT_SUFFIX):
                label, kind = "Event", suffix_kind(inner, EVENT_SUFFIX)
            elif LEAD_AT_END.search(before_list(self.text, m.start())):
                label, kind = "Program", "project"      # 启动实施“科技创新2030—重大项目”, 立项实施了“A”(编号:…)、“B”
            elif ORGANIZE_AT_END.search(self.text[max(0, m.start() - 6):m.start()]):
                label, kind = "Event", "event"           # 举办“…”
            else:
                continue
            start = m.start()
            # a modifier glued to the quote belongs to the name: 科技成果转化“双千工程”
            ls = left_extent(self.text, start, max_len=12)
            while ls < start and self.text[ls] in "了的和与及、":
                ls += 1       # 实施了“…”: a particle is no modifier
            if label in ("Program", "Event") and ls < start and not self.text[ls:start].startswith(tuple("我省市")) \
                    and not re.search(r"[“”]", self.text[ls:start]) \
                    and (TRIG["lead"].search(self.text, max(0, ls - 4), ls) or TRIG["organize"].search(self.text, max(0, ls - 4), ls)
                         or (tail and label == "Program" and self.text[ls - 1: ls] in "、，,；;：:")):
                start = ls     # (…工程、)学前教育“一村一幼”项目建设工程: a list item's modifier too
            if label == "Event" and tail and (host := self._after_organize(start)) is not None:
                start = host     # 召开全省信息通信行业“信号升格”推进会: the name runs from the verb, as unquoted ones do
            surface = self.text[start:end]
            aliases = {inner if not tail else f"“{inner}”{tail}", inner + tail}
            if start < m.start():
                aliases.add(self.text[m.start():end])
            name = clean_name(surface)
            if name.startswith("“") and name.endswith("”") and name.count("“") == 1:
                name = name[1:-1]          # a wholly quoted name: the quotes are not part of it
            out.append(Mention(start, end, surface, label, name, kind, aliases | {surface}, source="quoted"))
        return out

    def _after_organize(self, pos: int) -> int | None:
        """Where the words between an organising verb (召开, 举办) and `pos` begin, when they are
        a few plain words of one clause: 召开|全省信息通信行业“…”推进会."""
        verb = None
        for verb in TRIG["organize"].finditer(self.text, max(0, pos - 16), pos):
            pass
        if verb is None:
            return None
        a = verb.end() + (1 if self.text[verb.end():verb.end() + 1] == "了" else 0)
        return a if a < pos and PLAIN_WORDS.fullmatch(self.text, a, pos) else None

    def after_trigger(self, trigger: str, label: str, end_re: re.Pattern, table: dict,
                      min_core: dict | None = None) -> list[Mention]:
        """Unquoted names that follow a trigger verb and end with a typed suffix:
        召开…第一次会议 (Event), 启动…试点 (Program); `min_core`: endings whose names need more
        than two characters before them."""
        out = []
        named = self.named_spans()
        for t in TRIG[trigger].finditer(self.text):
            if named.inside(t.start(), t.end()):
                continue
            pos = t.end()
            clause_end = _clause_end(self.text, pos)
            while pos < clause_end:
                m = end_re.search(self.text, pos, clause_end)
                if not m:
                    break
                # an ending followed closely by another ends nothing yet: 国家食品安全示范城市|创建|试点
                while m.start() - pos >= 2 and (nxt := end_re.search(self.text, m.end(), min(clause_end, m.end() + 12))) is not None \
                        and GLUED_WORDS.fullmatch(self.text, m.end(), nxt.start()):
                    m = nxt
                end = m.end()
                if label == "Program" and (glued := PROG_GLUED_TAIL.match(self.text, end)) is not None:
                    end = glued.end()      # 居家和社区基本养老服务提升行动|项目, 智慧健康养老应用试点|示范
                start = pos
                while start < end and self.text[start] in "、和及了“":
                    start += 1
                if (cnt := COUNTED_AT.match(self.text, start, m.start())) is not None:
                    start = cnt.end()      # 开展了10处国家公园体制试点: the count is not the name
                inner = self.named_spans().spans_in(start, m.start()) if label == "Program" else []
                if inner and AGENCY_END.search(self.text, 0, max(x[1] for x in inner)):
                    start = max(x[1] for x in inner)   # 省文化和旅游厅|国家…试点城市: a department is no part of the name
                # 组织开展…, 在北京召开…: a later verb starts the name
                for verb in (TRIG["lead"], TRIG[trigger], JOINS):
                    for v in verb.finditer(self.text, start, m.start()):
                        if m.start() - v.end() >= 2:     # 开展绿色矿山创建|行动: a verb inside the name stays
                            start = v.end()
                # …培训 of 培训计划 ends a programme's name, not an event's
                if label == "Event" and PROG_END.match(self.text, end):
                    break
                seg = self.text[start:end]
                if label == "Program" and "、" in seg:
                    start += seg.rindex("、") + 1
                    seg = self.text[start:end]
                # a title may open an event's name: 召开《陕西省秦岭生态环境保护条例（修订草案）》立法论证会
                plain = TITLE_OPENING.sub("", seg, 1) if label == "Event" else seg
                if re.search(r"[“”《》]", plain) or len(seg) > 60 or len(plain) > 40 or len(plain) - len(m.group(0)) < 2:
                    break
                if "的" in seg:
                    start += seg.rindex("的") + 1
                    seg = self.text[start:end]
                name = clean_name(seg)
                lab, kind = label, table.get(m.group(0), "")
                if label == "Program":
                    name = program_name(name)
                if label == "Event" and RECURRING.search(self.text, max(0, t.start() - 6), t.start()):
                    lab, kind = "Program", "training" if kind == "training" else kind
                if label == "Event" and m.group(0) in EDITION_EVENT and not EDITION_OPENING.match(name):
                    break          # 举办系列宣传活动: no event's name
                need = (min_core or {}).get(m.group(0))      # a bare ending (项目, 资金) needs a long name
                if need and name.startswith(CATEGORY_OPENINGS):
                    break          # 实施一批重点项目: a category of projects
                if len(name) - len(m.group(0)) >= (need or 2) and not is_generic(name, m.group(0)) \
                        and not self.inside_protected(start, end):
                    out.append(Mention(start, end, seg, lab, name, kind, source=trigger))
                pos = end
                if self.text[pos: pos + 1] not in "、和及":
                    break
        return out

    def listed_programmes(self) -> list[Mention]:
        """Programmes listed together, each named by its ending, closed by 等: 依托重大科技专项、
        制造业高质量发展专项等…; the verb before the first item is not part of its name."""
        out = []
        for close in PROG_LIST_END.finditer(self.text):
            end = close.start()
            floor = max(0, end - 120)       # a list runs within its clause: never look back further
            a = max(floor - 1, *(self.text.rfind(c, floor, end) for c in "，,。；;：:\n")) + 1
            items, pos = [], a
            for part in re.split(r"[、和及]", self.text[a:end]):
                items.append((pos, pos + len(part)))
                pos += len(part) + 1
            if len(items) < 2:
                continue
            ends = [PROG_END.search(self.text, max(s_, e_ - 8), e_) for s_, e_ in items]
            if any(m is None or m.end() != e_ for m, (_s, e_) in zip(ends, items)):
                continue          # every item of the list must be named as a programme
            found = []
            for m, (s_, e_) in zip(ends, items):
                start = left_extent(self.text, m.start(), s_, places=self.gaz.places)
                name = clean_name(self.text[start:e_])
                if len(name) - len(m.group(0)) < 2 or is_generic(name, m.group(0)) or len(name) > 24 \
                        or self.inside_protected(start, e_):
                    continue      # a category among names (重大科技专项)
                found.append(Mention(start, e_, self.text[start:e_], "Program", program_name(name),
                                     PROG_SUFFIX.get(m.group(0), ""), source="listed_programme"))
            out += found
        return out

    def listed_products(self) -> list[Mention]:
        """Named products listed before their category: 形成知识价值信用贷款、商业价值信用贷款、技改专项贷等
        政策性产品体系 — each item is a programme (a loan or insurance scheme) though no ending names it."""
        out = []
        for close in PRODUCT_LIST_END.finditer(self.text):
            end = close.start()
            floor = max(0, end - 120)
            a = max(floor - 1, *(self.text.rfind(c, floor, end) for c in "，,。；;：:\n")) + 1
            if (num := LIST_NUMBER.match(self.text, a)) is not None:
                a = num.end()          # 一、形成…: the numbering is no item
            parts, pos = [], a
            for part in self.text[a:end].split("、"):
                parts.append((pos, pos + len(part)))
                pos += len(part) + 1
            if len(parts) < 2:
                continue
            (s0, e0) = parts[0]
            if (v := LEAD_VERB.match(self.text, s0)) is not None:
                parts[0] = (v.end(), e0)       # 形成|知识价值信用贷款
            for s_, e_ in parts:
                name = clean_name(self.text[s_:e_])
                if not (3 <= len(name) <= 14) or re.search(r"[\d的了在是将对和与“”]", name) or is_generic(name, "") \
                        or self.inside_protected(s_, e_):
                    continue
                out.append(Mention(s_, e_, self.text[s_:e_], "Program", name, "financial_product", source="listed_product"))
        return out

    def scoped_events(self) -> list[Mention]:
        """Events named by a strong ending and their scope, wherever they stand: 生态文明贵阳国际论坛,
        中国（贵州）国际酒类博览会, 2021年中国国际服务贸易交易会."""
        out = []
        for m in STRONG_EVENT.finditer(self.text):
            start = left_extent(self.text, m.start(), max(0, m.start() - 30), places=self.gaz.places)
            while self.text[start:start + 1] in "“”":
                start += 1
            name = clean_name(self.text[start:m.end()])
            if len(name) - len(m.group(0)) < 3 or is_generic(name, m.group(0)) or self.inside_protected(start, m.end()):
                continue
            core = name[: len(name) - len(m.group(0))]
            if not (EVENT_SCOPE.search(core) or self.gaz.place_re.match(core) or any(True for _ in self.gaz.place_re.finditer(core))):
                continue
            out.append(Mention(start, m.end(), self.text[start:m.end()], "Event", name,
                               suffix_kind(name, EVENT_SUFFIX) or "event", source="scoped_event"))
        return out

    def ordinal_events(self) -> list[Mention]:
        """Events named by their edition, wherever they stand: 第五届数字中国建设峰会, 第45届世界技能大赛."""
        out = []
        for m in ORDINAL_EVENT.finditer(self.text):
            if self.inside_protected(m.start(), m.end()):
                continue
            end = m.end() + (1 if m.group(0).count("“") > m.group(0).count("”") and self.text[m.end(): m.end() + 1] == "”" else 0)
            if (c := CAMPUS.match(self.text, end)) is not None and c.group(1) in self.gaz.places:
                end = c.end()      # 第三届中国城市更新论坛（重庆）: where it is held is part of its name
            name = clean_name(self.text[m.start():end])
            out.append(Mention(m.start(), end, self.text[m.start():end], "Event", name,
                               suffix_kind(name, EVENT_SUFFIX) or "event", source="ordinal"))
        return out

    def unquoted_policies(self) -> list[Mention]:
        """Plans named without book-title marks: 福建省新型基础设施建设三年行动计划(2023-2025年)."""
        out = []
        tail = _UNQUOTED_TAIL
        for place in self.gaz.place_re.finditer(self.text):
            m = tail.match(self.text, place.end())
            if m is None or re.search(r"[的将和与及]|推进|指导|加快|支持", m.group(0)):
                continue      # a clause, not a name: 山东省人民政府将指导…总体规划
            m = WordMatch(self.text, place.start(), m.end())
            if self.inside_protected(m.start(), m.end()) or self.text[m.start() - 1: m.start()] == "《":
                continue
            before = self.text[max(0, m.start() - 8): m.start()]
            after = self.text[m.end(): m.end() + 6]
            # a named plan is read where a verb handles it: 制定…规划, 推进…总体规划的编制, 根据…规划
            if not re.search(r"(制定|出台|纳入|印发|编制|列入|实施|推进|根据|按照|依据|落实|对照|发布)了?$", before) \
                    and not re.match(r"的?(编制|出台|印发|实施|修编|批复)", after):
                continue
            name = clean_name(m.group(0))
            out.append(Mention(m.start(), m.end(), m.group(0), "Policy", name, policy_kind(name), source="unquoted_policy"))
        for m in _UNQUOTED_ABOUT.finditer(self.text):
            if self.inside_protected(m.start(1), m.end(1)):
                continue
            name = clean_name(m.group(1))
            out.append(Mention(m.start(1), m.end(1), m.group(1), "Policy", name, policy_kind(name), source="unquoted_policy"))
        return out

    def places(self) -> list[Mention]:
        out = []
        for m in self.gaz.place_re.finditer(self.text):
            p = self.gaz.places[m.group(0)]
            if self.inside_protected(m.start(), m.end()):
                continue
            out.append(Mention(m.start(), m.end(), m.group(0), "Place", p.name, p.level, source="place"))
        return out


QUOTED_ITEM = re.compile(r"(?:“[^“”\n]{2,40}”(?:[(（][^()（）\n]{0,30}[)）])?[、和及]?\s*)+$")


def before_list(text: str, pos: int) -> str:
    """The few characters before a list of quoted items that `pos` is one of: 立项实施了“A”(编号:1)、“B”."""
    a = max(0, pos - 400)
    head = text[a:pos]
    m = QUOTED_ITEM.search(head)
    if m:
        head = head[:m.start()]
    return head[-8:]


# 第五届数字中国建设峰会: an edition and an event's ending (not a session: 第十三届人民代表大会…会议)
PROG_LIST_END = re.compile(r"等(?=[\u4e00-\u9fff])")
PRODUCT_LIST_END = re.compile(r"等(?:[\u4e00-\u9fff]{0,6}?)(?:产品体系|产品|业务品种)")
LIST_NUMBER = re.compile(r"\s*(?:[（(]?[一二三四五六七八九十\d]+[、.．)）]|[一二三四五六七八九十]是)\s*")
LEAD_VERB = re.compile(r"(?:形成|推出|推广|创新|开发|打造|设立|包括|推动|落地)(?:了)?")
ORDINAL_EVENT = re.compile(rf"(?:第[\d一二三四五六七八九十百]+|首)届(?!全国人民代表大会|人民代表大会|委员会)"
                           rf"(?:(?!人民代表大会|委员会|会议)[{CJK}A-Za-z0-9·—（）()“”]){{2,24}}?(?:{alt(set(EVENT_SUFFIX) - {'会议'})})")
_SE = LEX["words"]["strong_event"]
STRONG_EVENT = re.compile(alt(_SE["endings"]))
EVENT_SCOPE = re.compile(rf"{alt(_SE['scope'])}|^\d{{4}}年?|^(?:第[\d一二三四五六七八九十百]+|首)届")
# a plan named without title marks after its place: 福建省|新型基础设施建设三年行动计划(2023-2025年)
_POLICY_ENDS = "规划|纲要|行动计划|实施方案|工作方案|若干措施|实施意见|指导意见|管理办法|实施办法|实施细则"
_UNQUOTED_TAIL = re.compile(rf"(?:[{CJK}0-9\-—]|“[{CJK}0-9]{{1,10}}”){{2,30}}?(?:{_POLICY_ENDS})(?:[(（]\d{{4}}[-—]\d{{4}}年[)）])?")
# a title written without marks after the verb that issues it: 出台关于促进中小企业发展的若干措施
_UNQUOTED_ABOUT = re.compile(rf"(?:制定|出台|印发|发布|制发|颁布)(?:了)?(关于(?:[{CJK}0-9、]|“[{CJK}0-9]{{1,10}}”){{4,60}}?"
                             rf"(?:若干措施|措施|意见|办法|通知|方案|规定|细则|决定|条例))(?=[，,。；;、和及]|$)")


CLAUSE_END = re.compile(r"[，,。；;！？\n：:]")
TITLE_OPENING = re.compile(r"^《[^《》\n]{2,40}》")
PROG_GLUED_TAIL = re.compile(alt(LEX["words"]["programme_glued_tails"]) + rf"(?![{CJK}])")
GLUED_WORDS = re.compile(rf"(?:(?![、和及与等的])[{CJK}]){{0,4}}")


def _clause_end(text: str, pos: int) -> int:
    m = CLAUSE_END.search(text, pos)
    return m.start() if m else len(text)


def longest_first(ms: list[Mention]) -> list[Mention]:
    """Drop mentions contained in a longer one of the same recognizer pass."""
    ms = sorted(ms, key=lambda m: (m.start, -(m.end - m.start)))
    out: list[Mention] = []
    for m in ms:
        if out and m.start >= out[-1].start and m.end <= out[-1].end:
            continue
        if out and m.start < out[-1].end:
            continue  # overlapping: keep the earlier, longer one
        out.append(m)
    return out
