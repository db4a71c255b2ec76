"""Structure of a reply letter: metadata, paragraphs and sentences with offsets."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

CN_NUM = "〇零一二三四五六七八九十百"
DOC_NUMBER = re.compile(r"([\u4e00-\u9fff]{1,12})\s*[〔\[［【(（]\s*(\d{4})\s*[〕\]］】)）]\s*(\d{1,5})\s*号")
DATE_CN = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月(?:\s*(\d{1,2})\s*日)?")
DATE_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
SALUTATION = re.compile(r"^\s*(?:尊敬的)?([\u4e00-\u9fff·]{2,5}?(?:[、，,][\u4e00-\u9fff·]{2,5}?)*)(委员|代表|同志|先生|女士)\s*[:：]")
DATE_HAN = re.compile(r"([〇零○Ｏ一二三四五六七八九]{4})\s*年\s*([一二三四五六七八九十]{1,3})\s*月\s*([一二三四五六七八九十]{1,3})\s*日")
HAN_DIGIT = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "○": 0, "Ｏ": 0}
COLLECTIVE = re.compile(r"^\s*(?:尊敬的)?([\u4e00-\u9fff（）()]{3,30}?(?:委员会|委|会|党|支部|组|小组|界别|联合会|协会))\s*[:：]\s*$")
SESSION = re.compile(rf"((?:全国|省|市|区|县|自治区)?(?:政协|人大)[\u4e00-\u9fff]{{0,6}}?第?[{CN_NUM}\d]+届[{CN_NUM}\d]*(?:次会议)?"
                     rf"(?:第?[{CN_NUM}\d]+次会议)?)")
PROPOSAL_NO = re.compile(r"第?\s*([A-Za-z]?\d{1,9})\s*号\s*(?:委员|代表)?(提案|建议|议案)")
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
    proposal_title: str = ""
    proposal_aliases: list[str] = field(default_factory=list)
    proposal_number: str = ""
    proposal_serial: str = ""
    proposal_submitted: str = ""
    session: str = ""
    signer: str = ""                  # surface form of the signing body
    signer_span: tuple[int, int] | None = None
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


def parse(text: str) -> Structure:
    st = Structure(text=text)
    lines = [(p, l) for p, l in _lines(text)]
    nonempty = [(p, l) for p, l in lines if l.strip()]
    for p, l in lines:
        if NOISE_LINE.match(l) and l.strip():
            st.noise.append((p, p + len(l)))
        for m in META_FIELD.finditer(l):
            key, val = m.group(1), m.group(2).strip()
            if val and key not in st.meta:
                st.meta[key] = val
    # Title(s): lines near the top that end in 答复 (a reply may carry two).
    titles = []
    for p, l in nonempty[:12]:
        s = l.strip()
        m = re.match(r"^(?:标题|题名|名称)\s*[:：]\s*\|?\s*(.+?)\s*\|?$", s)
        if m:
            s = m.group(1)          # a web page's metadata gives the title as a field
        if re.search(r"(答复|答复的函|复函|答复函)$", s) and ("答复" in s or "复函" in s) and len(s) < 80 \
                and not s.startswith("建议答复") and s not in titles:
            titles.append(s)
    if titles:
        numbered = [t for t in titles if re.search(r"\d+号", t)]
        st.title = (numbered or titles)[0]
        st.title_aliases = [t for t in titles if t != st.title]
    # Document number: in the header (before the salutation), outside book-title marks.
    sal = next((p for p, l in nonempty[:20] if SALUTATION.match(l)), None)
    head = text[: sal if sal is not None else max(0, text.find("收悉"))] or text[:300]
    for m in DOC_NUMBER.finditer(head):
        before = head[: m.start()]
        if before.count("《") == before.count("》") and not re.search(r"》\s*[(（]?$", before):
            st.doc_number = re.sub(r"\s+", "", m.group(0))
            break
    # Recipient (the proposer) from the salutation: a person (魏志鹏委员：) or, for a
    # collective proposal, a body (民盟上海市委：).
    received_at = text.find("收悉")
    for p, l in nonempty[:20]:
        m = SALUTATION.match(l)
        if m:
            names = re.split(r"[、，,]", m.group(1))
            st.recipient, st.recipient_role, st.co_recipients = names[0], m.group(2), names[1:]
            st.body_start = p + len(l) + 1
            break
        m = COLLECTIVE.match(l)
        if m and (received_at < 0 or p < received_at) and not l.strip().startswith(("建议答复", "答复")):
            st.recipient, st.recipient_role = m.group(1), "collective"
            st.body_start = p + len(l) + 1
            break
    # Proposal: the title acknowledged as received (…收悉).
    for key in ("建议标题", "提案标题", "议案标题"):
        if st.meta.get(key):
            st.proposal_title = st.meta[key]
            break
    received = text.find("收悉")
    if received > 0:
        sent_start = max(text.rfind("\n", 0, received), text.rfind("。", 0, received)) + 1
        sent = text[sent_start:received]
        cands = [m for m in (re.search(r"《(.+)》", sent), re.search(r"“(.+)”", sent)) if m] or \
            [m for m in (re.search(r"提出的((?:关于)?[^，。《“]{4,60}?的?(?:建议|提案|议案))", sent),) if m]
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
    for src in [st.title] + st.title_aliases + [head]:
        if not st.proposal_number:
            m = PROPOSAL_NO.search(src)
            if m:
                st.proposal_number = m.group(1)
        if not st.session:
            m = SESSION.search(src)
            if m:
                st.session = m.group(1)
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
    for i, h in enumerate(heads):
        for later in heads[i + 1:]:
            if rank[later.kind] <= rank[h.kind]:
                h.end = later.start
                break
    return heads


def _signature_and_date(st: Structure, nonempty) -> None:
    # The signature block: the last lines, a body name followed by a date.
    tail = nonempty[-6:]
    for i in range(len(tail) - 1, -1, -1):
        p, l = tail[i]
        date = find_date(l)
        if date and len(l.strip()) <= 16:
            st.date = date
            for q, prev in reversed(tail[:i]):
                s = prev.strip()
                if 3 <= len(s) <= 40 and not re.search(r"[，。,:：]", s):
                    st.signer = s
                    off = prev.index(s)
                    st.signer_span = (q + off, q + off + len(s))
                    break
            break
    for key in ("发布日期", "成文日期", "时间", "日期"):
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
        for key in ("发文单位", "发布机构", "发文机关", "主办单位(分办单位)", "主办单位", "答复单位"):
            if st.meta.get(key) and "地址" not in st.meta[key]:
                st.signer = st.meta[key]
                break
    if not st.signer:
        # A header line that is only a body's name (web-page bullets), before the title.
        for p, l in nonempty[:8]:
            s = l.strip(" •·\t-*")
            if re.fullmatch(r"[\u4e00-\u9fff]{4,30}(?:厅|局|委员会|委|办公室|办|部|院|政府)", s):
                st.signer = s
                off = l.index(s)
                st.signer_span = (p + off, p + off + len(s))
                break


def split_sentences(text: str, start: int, noise) -> list[Sentence]:
    out: list[Sentence] = []
    para = 0
    pos = start
    noisy = lambda a: any(s <= a < e for s, e in noise)
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
