"""Structure of a reply letter: metadata, paragraphs and sentences with offsets."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from kg import data
from kg.extract.spans import Intervals
from kg.extract.trie import union

FRAME = data.load("lexicon")["frame"]

CN_NUM = "〇零一二三四五六七八九十百"
DOC_NUMBER = re.compile(r"([\u4e00-\u9fff]{1,12})\s*[〔\[［【(（]\s*(\d{4})\s*[〕\]］】)）]\s*(\d{1,5})\s*号")
DATE_CN = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月(?:\s*(\d{1,2})\s*日)?")
DATE_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
ROLES = "|".join(FRAME["proposer_roles"])
# 魏志鹏委员：, 张三、李四委员：, 曹芝萓等4位委员：, 刘低炉等3名代表：
_PNAME = r"(?:[\u4e00-\u9fff]{1,8}·[\u4e00-\u9fff·]{1,12}|[\u4e00-\u9fff]{2,5}?)"   # 艾尔肯·吐尼亚孜
SALUTATION = re.compile(rf"^\s*(?:尊敬的)?({_PNAME}(?:[、，,]{_PNAME})*)"
                        rf"(?:等\s*(?:[\d一二三四五六七八九十]+\s*(?:位|名|人))?)?({ROLES})\s*(?:[:：]|[,，]?\s*(?:您|你们)好\s*[!！:：,，]?)")
DATE_HAN = re.compile(r"([〇零○Ｏ一二三四五六七八九]{4})\s*年\s*([一二三四五六七八九十]{1,3})\s*月\s*([一二三四五六七八九十]{1,3})\s*日")
HAN_DIGIT = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "○": 0, "Ｏ": 0}
COLLECTIVE = re.compile(r"^\s*(?:尊敬的)?([\u4e00-\u9fff（）()]{3,30}?(?:委员会|委|会|党|支部|组|小组|界别|联合会|协会|中央))\s*[:：]\s*$")
# 省政协十二届五次会议, 政协十三届全国委员会第三次会议, 十四届全国人大一次会议, 市政协2023年度
SESSION = re.compile(rf"((?:全国|省|市|区|县|州|自治区)?(?:政协|人大)[\u4e00-\u9fff]{{0,6}}?第?[{CN_NUM}\d]+届"
                     rf"(?:全国委员会|[\u4e00-\u9fff]{0,10}?委员会|全国人民代表大会|人民代表大会)?[{CN_NUM}\d]*(?:次会议)?(?:第?[{CN_NUM}\d]+次会议)?"
                     rf"|(?:全国|省|市|区|县|州)?第?[{CN_NUM}\d]+届(?:全国)?(?:人大|政协|人民代表大会)(?:常委会)?第?[{CN_NUM}\d]+次会议"
                     rf"|(?:全国|省|市|区|县|州)?(?:政协|人大)\d{{4}}年度?)")
PROPOSAL_NO = re.compile(r"第?\s*([A-Za-z]?\d{1,9})\s*号\s*(?:委员|代表|重点|集体|[(（][^)）]{1,12}[)）])?(提案|建议|议案)")
SENTENCE_END = re.compile(r"[。！？!?]|\n")
# Web-page scaffolding that never holds facts.
NOISE_LINE = re.compile(r"^\s*(?:[（(]?\s*(?:联系人|联系电话|联系单位|抄送|抄报|附件)\s*[:：].*|!\[.*|\|[\s|]*|Copyright.*|版权所有.*|主办单位[:：].*地址.*|.*邮编[:：]?\s*\d{6}.*|[|\s]+)$")
META_FIELD = re.compile(r"([\u4e00-\u9fff()（）]{2,12})\s*[:：]\s*\|?\s*([^|\n]*?)\s*(?=\||$)")


@dataclass
class Sentence:
    start: int
    end: int
    text: str
    para: int


@dataclass
class Part:
    """A numbered section (一、…) or item (1.…) of the letter, or its 下一步 part."""
    kind: str            # section | item | next_steps
    number: str
    title: str           # the heading line's first sentence
    start: int
    end: int


SECTION = re.compile(r"^[\s\u3000]*([一二三四五六七八九十]+)[、.．]\s*([^。\n]*)")
ITEM = re.compile(r"^[\s\u3000]*(\d{1,2})[.．、]\s*([^。\n]*)")
NEXT_STEPS = re.compile(r"^[\s\u3000]*(下一步|今后)")


@dataclass
class Structure:
    text: str
    title: str = ""
    title_aliases: list[str] = field(default_factory=list)
    doc_number: str = ""
    date: str = ""
    index_number: str = ""
    recipient: str = ""               # the proposer (a body, for a collective proposal)
    recipient_role: str = ""
    co_recipients: list[str] = field(default_factory=list)   # further proposers: 张三、李四委员
    addressee: str = ""                 # a body the report is addressed to that did not propose (代表工作委员会)
    proposer_bodies: list[str] = field(default_factory=list)  # bodies a proposal came through (通过民革X省委员会提出)
    ack: str = ""                     # the sentence acknowledging the proposal (…收悉)
    proposal_title: str = ""
    proposal_aliases: list[str] = field(default_factory=list)
    proposal_number: str = ""
    proposal_serial: str = ""
    proposal_submitted: str = ""
    session: str = ""
    signer: str = ""                  # surface form of the signing body
    signer_span: tuple[int, int] | None = None
    signer_from: str = ""             # signature | metadata | header: how much to trust it
    meta: dict = field(default_factory=dict)   # fields of a web page's metadata table
    body_start: int = 0
    sentences: list[Sentence] = field(default_factory=list)
    noise: list[tuple[int, int]] = field(default_factory=list)
    parts: list[Part] = field(default_factory=list)


def _han_number(s: str) -> int:
    """一 → 1, 十二 → 12, 二十三 → 23."""
    if "十" not in s:
        return HAN_DIGIT[s]
    tens, _, ones = s.partition("十")
    return (HAN_DIGIT[tens] if tens else 1) * 10 + (HAN_DIGIT[ones] if ones else 0)


def find_date(line: str) -> str:
    """A full date in a line, in Arabic (2022年7月6日) or Chinese numerals (二〇二二年七月六日)."""
    m = DATE_CN.search(line)
    if m and m.group(3):
        return iso_date(m)
    m = DATE_HAN.search(line)
    if m:
        year = "".join(str(HAN_DIGIT[c]) for c in m.group(1))
        return f"{year}-{_han_number(m.group(2)):02d}-{_han_number(m.group(3)):02d}"
    return ""


def iso_date(m: re.Match) -> str:
    y, mo, d = m.group(1), m.group(2), m.group(3)
    return f"{y}-{int(mo):02d}" + (f"-{int(d):02d}" if d else "")


def _lines(text: str):
    pos = 0
    for line in text.split("\n"):
        yield pos, line
        pos += len(line) + 1


def _spaced(word: str) -> str:
    """A field name as laid out in tables: 索 引 号, 名   称."""
    return r"\s*".join(map(re.escape, word))


META_KEYS = sorted({*FRAME["title_keys"], *FRAME["publisher_keys"], *FRAME["date_keys"], *FRAME["other_keys"]},
                   key=len, reverse=True)
# a known field name at the start of a line or after a separator, followed by its colon or by the line's end
KNOWN_FIELD = re.compile(rf"(?:^|(?<=[\s|]))(?P<key>{'|'.join(_spaced(k) for k in META_KEYS)})\s*(?:[:：]|$)")
META_KEY_SET = frozenset(META_KEYS)
TITLE_END = re.compile(rf"(?:{union(FRAME['title_endings'])})(?:{union(FRAME['title_notes'])})?$")
SITE_SUFFIX = re.compile(r"\s*[-_—|｜]\s*[\u4e00-\u9fffA-Za-z]{2,16}(?:网|网站|门户)$")
TRAILING_TIME = re.compile(r"\s*\d{4}[-/.]\d{1,2}[-/.]\d{1,2}(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?\s*$")
RECEIVED = re.compile(union(FRAME["received"]))
NEWS_HEADLINE = re.compile(r"(?:获|得到|获得)[\u4e00-\u9fff]{0,12}?(?:肯定|满意|积极|正式|书面)答复$")
BULLET = " \t\u3000\xa0•·*-"


def _meta_fields(lines) -> dict:
    """Fields of a page's metadata: 'key: value' (several on a line), or a key alone on its line
    with the value on the next one (information-disclosure tables)."""
    meta: dict = {}
    pending = None
    for _p, l in lines:
        s = l.strip(BULLET + "|")
        if not s:
            continue
        cells = [c.strip() for c in l.strip().strip("|").split("|")]
        if len(cells) >= 2 and "|" in l:
            # a table row: | 名称 | 值 | 文号 | 值 |
            for k, v in zip(cells, cells[1:]):
                key = re.sub(r"\s+", "", k.rstrip(":："))
                if key in META_KEY_SET and v and re.sub(r"\s+", "", v.rstrip(":：")) not in META_KEY_SET:
                    meta.setdefault(key, v)
        hits = list(KNOWN_FIELD.finditer(s))
        if pending and not hits:
            meta.setdefault(pending, s)
            pending = None
            continue
        pending = None
        for i, m in enumerate(hits):
            key = re.sub(r"\s+", "", m.group("key"))
            end = hits[i + 1].start() if i + 1 < len(hits) else len(s)
            # a table row: the value is the first cell after the key (名称: | 值 | 类型: …)
            val = next((c.strip(" \t\u3000") for c in s[m.end():end].split("|") if c.strip(" \t\u3000")), "")
            if val:
                meta.setdefault(key, val)
            elif i == len(hits) - 1 and m.end() == len(s):
                pending = key
        for m in META_FIELD.finditer(s):      # any other 'key: value' pair, as written
            key, val = m.group(1), m.group(2).strip()
            if val and key not in meta and not KNOWN_FIELD.search(val):
                meta[key] = val
    return meta


_PERSON = data.load("lexicon")["person"]
SURNAMES = re.sub(r"\s+", "", _PERSON["surnames"])
IN_BODY_PROPOSER = re.compile(
    rf"(?:^|[，,、\s]|{union(_PERSON['name_after'])})(?P<name>[{SURNAMES}][\u4e00-\u9fff]{{1,2}}?)(?P<role>委员|代表)?"
    rf"(?:等[\d一二三四五六七八九十]*[位名人]?)?(?:通过(?P<via>[\u4e00-\u9fff]{{3,20}}?)(?:在|向)?(?:政协|人大)?)?"
    rf"(?:领衔)?(?:提出|提交)")


PROPOSED_BY = re.compile(rf"(?<![\u4e00-\u9fff])([\u4e00-\u9fff·]{{2,12}}?)({ROLES})(?:等\s*[\d一二三四五六七八九十]*\s*[位名人]?)?(?:领衔)?提出的"
                         rf"[《“]?((?:关于)?[^，。《》“”]{{4,80}}?(?:建议|提案|议案))")
ADDRESS_END = re.compile(r"[:：](?=\s*(?:您|你们|贵))")
TITLE_INLINE = re.compile(rf"^\s*(\S{{6,80}}?(?:{union(FRAME['title_endings'])}))(?=[\s\u3000]|发布|来源|时间|日期)")
SALUTATION_INLINE = re.compile(rf"(?<=[\s\u3000。：:])({_PNAME}(?:[、，,]{_PNAME})*)(?:等\s*[\d一二三四五六七八九十]*\s*[位名人]?)?"
                               rf"({ROLES})\s*[:：]\s*(?=您|你们|贵)")
ADDRESSEE_BODY = re.compile(r"(?:人大常委会|人民代表大会常务委员会|政协)[\u4e00-\u9fff]*(?:委员会|工委)$|提案委员会$")


def _named_people(names: str) -> list[str]:
    return [x for x in re.split(r"[、，,]", names) if x not in ("各位", "诸位", "尊敬的各位")]


def _clean_title(s: str) -> str:
    s = s.strip(BULLET)
    s = TRAILING_TIME.sub("", s)
    s = SITE_SUFFIX.sub("", s)
    return s.strip(BULLET)


def _is_reply_title(s: str) -> bool:
    if NEWS_HEADLINE.search(s):
        return False     # a news item about a reply (…的提案获省农业厅肯定答复) is not the reply's title
    return bool(TITLE_END.search(s)) and len(s) < 100 and not s.startswith(("建议答复", "答复如下")) \
        and ("答复" in s or "复函" in s or "意见" in s or re.search(r"(提案|建议|议案)", s) is not None)


def _ack_window(text: str, start: int) -> tuple[int, int]:
    """The clause that acknowledges the proposal: …《X》收悉, 接到…“X”的提案, …交由我们办理."""
    for m in RECEIVED.finditer(text, start, min(len(text), start + 3000)):
        a = max(text.rfind("\n", 0, m.start()), text.rfind("。", 0, m.start())) + 1
        addressed = [x.end() for x in ADDRESS_END.finditer(text, a, m.start())]
        if addressed:
            a = addressed[-1]     # 刘建国代表：您提出的…: after the salutation of a page run into one line
        e = re.compile(r"[，,。；;\n]").search(text, m.end())
        b = e.start() if e else len(text)
        if re.search(r"提案|建议|议案|《", text[a:b]):
            return a, b
    return -1, -1


def parse(text: str) -> Structure:
    st = Structure(text=text)
    lines = [(p, l) for p, l in _lines(text)]
    nonempty = [(p, l) for p, l in lines if l.strip()]
    for p, l in lines:
        if NOISE_LINE.match(l) and l.strip():
            st.noise.append((p, p + len(l)))
    # the header: everything before the salutation (or the acknowledgement), at most 60 lines
    ack_a, ack_b = _ack_window(text, 0)
    sal_i = next((i for i, (p, l) in enumerate(nonempty[:60]) if SALUTATION.match(l)
                  and (ack_a < 0 or p <= ack_a)), None)
    header = nonempty[: sal_i if sal_i is not None else 60]
    if sal_i is None and ack_a >= 0:
        header = [(p, l) for p, l in header if p < ack_a]
    st.meta = _meta_fields(header)
    # Title(s): a metadata title field, then lines of the header that end like a reply's title.
    titles = []
    for key in FRAME["title_keys"]:
        t = _clean_title(st.meta.get(key, ""))
        if t and _is_reply_title(t) and t not in titles:
            titles.append(t)
    for p, l in header:
        t = _clean_title(l)
        if KNOWN_FIELD.match(t):
            continue
        if _is_reply_title(t) and t not in titles:
            titles.append(t)
    one_line = bool(nonempty) and 0 <= ack_a < nonempty[0][0] + len(nonempty[0][1])   # the letter begins on its first line
    if not titles and one_line and (m := TITLE_INLINE.match(nonempty[0][1])):
        titles.append(m.group(1))     # a page scraped into one line: its title runs up to the first field
    if titles:
        numbered = [t for t in titles if re.search(r"\d+\s*号", t)]
        st.title = re.sub(r"\s+", "", (numbered or titles)[0])
        st.title_aliases = [re.sub(r"\s+", "", t) for t in titles if re.sub(r"\s+", "", t) != st.title]
    # Document number: in the header (before the salutation), outside book-title marks.
    head_end = header[-1][0] + len(header[-1][1]) if header else 0
    head = text[:max(head_end, 0)] or text[:300]
    for m in DOC_NUMBER.finditer(head):
        before = head[: m.start()]
        if before.count("《") == before.count("》") and not re.search(r"》\s*[(（]?$", before):
            st.doc_number = re.sub(r"\s+", "", m.group(0))
            break
    # Recipient (the proposer) from the salutation: a person (魏志鹏委员：) or, for a
    # collective proposal, a body (民盟上海市委：).
    for p, l in nonempty[:60]:
        if ack_a >= 0 and p > ack_a:
            break
        m = SALUTATION.match(l)
        if m:
            names = _named_people(m.group(1))
            if names:     # 各位委员: a salutation that names nobody
                st.recipient, st.recipient_role, st.co_recipients = names[0], m.group(2), names[1:]
            # a page that runs the whole letter into one line: the body starts after the colon
            st.body_start = p + (m.end() if l[m.end():].strip() else len(l) + 1)
            break
        m = COLLECTIVE.match(l)
        if m and not l.strip().startswith(("建议答复", "答复")) and not KNOWN_FIELD.match(l.strip()):
            st.recipient, st.recipient_role = m.group(1), "collective"
            st.body_start = p + len(l) + 1
            break
    if not st.recipient and ack_a >= 0 and (m := SALUTATION_INLINE.search(text, max(0, ack_a - 60), ack_a + 4)):
        # …字号：大 中 小　刘建国代表：您提出的…: the salutation inside a page run into one line
        names = _named_people(m.group(1))
        if names:
            st.recipient, st.recipient_role, st.co_recipients = names[0], m.group(2), names[1:]
        st.body_start = max(st.body_start, m.end())
    if st.recipient_role == "collective" and ADDRESSEE_BODY.search(st.recipient):
        # a report to the congress's committee (…建议办理情况的报告 to 市人大常委会代表工作委员会): not the proposer
        st.addressee, st.recipient = st.recipient, ""
    if not st.body_start and ack_a >= 0:
        st.body_start = ack_a
    if not st.recipient and (m := PROPOSED_BY.search(text, st.body_start, st.body_start + 400)):
        # 陈志远代表提出的关于…的建议（第0612号）由市住房城乡建设委主办: no salutation, the proposer in a sentence
        st.recipient, st.recipient_role = m.group(1), m.group(2)
        if not st.proposal_title:
            st.proposal_title = m.group(3)
    # Proposal: the title acknowledged as received (…收悉, 交由我们办理, 接到…的提案).
    for key in FRAME["proposal_title_keys"]:
        if st.meta.get(key):
            st.proposal_title = st.meta[key]
            break
    sent = st.ack = text[ack_a:ack_b] if ack_a >= 0 else ""
    if sent:
        cands = [m for m in (re.search(r"《(.+)》", sent), re.search(r"“(.+)”", sent)) if m] or \
            [m for m in (re.search(r"(?:提出的|提出|接到|收到)((?:关于)?[^，。《“]{4,60}?的?(?:建议|提案|议案))", sent),
                         re.search(r"(关于[^，。《“]{4,60}?的?(?:建议|提案|议案))", sent)) if m]
        m = min(cands, key=lambda m: m.start()) if cands else None   # the outermost quotation
        if m:
            title = m.group(1).strip()
            if not st.proposal_title:
                st.proposal_title = title
            elif title != st.proposal_title:
                st.proposal_aliases.append(title)
        m = re.search(r"[(（]\s*(第?\s*[A-Za-z]?\d+\s*号[^)）]*)[)）]", sent)
        if m:
            st.proposal_aliases.append(m.group(1).strip())
            num = re.search(r"[A-Za-z]?\d+", m.group(1))
            st.proposal_number = num.group(0)
    if not st.proposal_title:
        for t in [st.title, *st.title_aliases]:      # 对《关于加快发展夜间经济的提案》的答复
            if (m := re.search(r"[《“]((?:关于)?[^《》“”]{4,80}?(?:建议|提案|议案))[》”]", t)) is not None:
                st.proposal_title = m.group(1)
                break
    for src in [sent, st.title] + st.title_aliases + [head]:
        if not st.proposal_number:
            m = PROPOSAL_NO.search(src)
            if m:
                st.proposal_number = m.group(1)
        if not st.session:
            m = SESSION.search(src)
            if m:
                st.session = m.group(1)
    if not st.recipient:
        for key in FRAME["proposer_keys"]:     # 提案人: 张三、李四 on a disclosure page
            names = [x for x in re.split(r"[、，,\s]+", st.meta.get(key, "")) if re.fullmatch(r"[\u4e00-\u9fff·]{2,5}", x)]
            if names:
                st.recipient, st.recipient_role, st.co_recipients = names[0], "代表" if "代表" in key else "委员", names[1:]
                break
    if not st.recipient and sent and (m := IN_BODY_PROPOSER.search(sent)):
        # a repost names the proposer in a sentence: …协会主席周大卫通过民革海南省委员会提出的《…》
        st.recipient, st.recipient_role = m.group("name"), m.group("role") or "委员"
        if m.group("via"):
            st.proposer_bodies.append(m.group("via"))
    if not st.proposal_number and (m := re.search(r"第\s*([A-Za-z]?\d{1,9})\s*号", sent)):
        st.proposal_number = m.group(1)     # 接到…第0566号“关于…的建议”的提案
    if st.meta.get("编号") and st.meta["编号"] != st.proposal_number:
        st.proposal_serial = st.meta["编号"]
    if st.meta.get("提交日期"):
        st.proposal_submitted = st.meta["提交日期"]
    st.index_number = st.meta.get("索引号", "")
    if not st.index_number:
        m = re.search(r"\b(\d{6,}/\d{4}-\d{3,})\b", text[:300])
        st.index_number = m.group(1) if m else ""
    _signature_and_date(st, nonempty)
    st.sentences = split_sentences(text, st.body_start, st.noise)
    st.parts = _parts(st, lines)
    return st


def _parts(st: Structure, lines) -> list[Part]:
    """Sections, items and the 下一步 part; each runs to the next heading of its kind or above."""
    end_of_body = st.signer_span[0] if st.signer_span else len(st.text)
    heads = []
    for p, l in lines:
        if p < st.body_start or p >= end_of_body:
            continue
        for kind, pat in (("section", SECTION), ("item", ITEM), ("next_steps", NEXT_STEPS)):
            m = pat.match(l)
            if m:
                number = m.group(1) if kind != "next_steps" else ""
                title = m.group(2).strip() if kind != "next_steps" else l.strip().split("。")[0]
                heads.append(Part(kind, number, title, p + (len(l) - len(l.lstrip(" \t\u3000"))), end_of_body))
                break
    rank = {"section": 0, "next_steps": 0, "item": 1}
    # each part ends where the next part of its rank or above starts: one pass from the end
    next_at = [None, None]        # the start of the nearest later head of rank ≤ 0, ≤ 1
    for h in reversed(heads):
        r = rank[h.kind]
        if next_at[r] is not None:
            h.end = next_at[r]
        for k in range(r, 2):
            next_at[k] = h.start
    return heads


FOOTER_FIELD = re.compile(rf"^\s*({'|'.join(map(re.escape, FRAME['footer_keys']))})\s*[:：]\s*"
                          r"([\u4e00-\u9fff（）()]{4,40}?(?:厅|局|委员会|委|办公室|办|部|院|政府|行|中心))\s*$")


SIGNED_AND_DATED = re.compile(r"^\s*([\u4e00-\u9fff（）()]{4,40}?(?:厅|局|委员会|委|办公室|办|部|院|政府|行|中心|署))"
                              r"[\s\u3000]+(?:\d{4}|[〇零○Ｏ一二三四五六七八九]{4})\s*年[^，。]{2,8}日\s*$")


SECOND_PLATE = re.compile(r"([\u4e00-\u9fff]{4,30})[（(][\u4e00-\u9fff]{4,30}[）)]")


def _signature_and_date(st: Structure, nonempty) -> None:
    # The signature block: the last lines, a body name followed by a date.
    tail = nonempty[-6:]
    for i in range(len(tail) - 1, -1, -1):
        p, l = tail[i]
        date = find_date(l)
        if date and len(l.strip()) > 16 and (sig := SIGNED_AND_DATED.match(l)) is not None:
            # 黑龙江省发展和改革委员会　2022年6月30日: the body and the date on one line
            st.date = date
            st.signer, st.signer_from = sig.group(1), "signature"
            st.signer_span = (p + sig.start(1), p + sig.end(1))
            break
        if date and len(l.strip()) <= 16:
            st.date = date
            for q, prev in reversed(tail[:i]):
                s = prev.strip()
                if 3 <= len(s) <= 40 and not re.search(r"[，。,:：]", s):
                    if (plate := SECOND_PLATE.fullmatch(s)) is not None:
                        s = plate.group(1)     # 珠海市市场监督管理局（珠海市知识产权局）: the body, its second plate aside
                    st.signer, st.signer_from = s, "signature"
                    off = prev.index(s)
                    st.signer_span = (q + off, q + off + len(s))
                    break
            break
    for key in FRAME["date_keys"]:
        if not st.date and st.meta.get(key):
            m = DATE_ISO.search(st.meta[key]) or DATE_CN.search(st.meta[key])
            if m:
                st.date = iso_date(m)
    if not st.date:
        # A bare ISO date among the header lines (web-page bullets).
        for p, l in nonempty[:10]:
            m = DATE_ISO.search(l)
            if m and len(l.strip()) <= 20:
                st.date = iso_date(m)
                break
    if not st.signer:
        # an unsigned letter's footer: 联系单位:新密市住房和城乡建设局
        for q, l in nonempty[-8:]:
            m = FOOTER_FIELD.match(l)
            if m:
                st.signer, st.signer_from = m.group(2), "signature"
                st.signer_span = (q + m.start(2), q + m.end(2))
                break
    if not st.signer:
        for key in FRAME["publisher_keys"]:
            if st.meta.get(key) and "地址" not in st.meta[key]:
                st.signer, st.signer_from = st.meta[key].split()[0], "metadata"
                break
    if not st.signer:
        # A header line that is only a body's name (web-page bullets), before the title.
        for p, l in nonempty[:8]:
            s = l.strip(" •·\t-*")
            if re.fullmatch(r"[\u4e00-\u9fff]{4,30}(?:厅|局|委员会|委|办公室|办|部|院|政府)", s):
                st.signer, st.signer_from = s, "header"
                off = l.index(s)
                st.signer_span = (p + off, p + off + len(s))
                break


def split_sentences(text: str, start: int, noise) -> list[Sentence]:
    out: list[Sentence] = []
    para = 0
    pos = start
    noisy = Intervals(noise).contains
    for m in SENTENCE_END.finditer(text, start):
        end = m.end() if m.group(0) != "\n" else m.start()
        _add(out, text, pos, end, para, noisy)
        if m.group(0) == "\n":
            para += 1
        pos = m.end()
    _add(out, text, pos, len(text), para, noisy)
    return out


def _add(out, text, a, b, para, noisy):
    seg = text[a:b]
    stripped = seg.strip(" \t\u3000\r\xa0")
    if not stripped or noisy(a + (len(seg) - len(seg.lstrip(" \t\u3000\r\xa0")))):
        return
    s = a + seg.index(stripped)
    out.append(Sentence(s, s + len(stripped), stripped, para))
