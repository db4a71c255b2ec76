"""Relationships from sentence patterns. Trigger words live in kg/data/lexicon.toml;
each pattern is a small function over one sentence and the mentions in it."""
from __future__ import annotations

import bisect
import re

from kg import data
from kg.extract.mentions import LIST_NUMBER, Mention, TRIG, alt, is_generic, clean_name, INST_SUFFIX, suffix_kind, before_list
from kg.extract.spans import Cover, Intervals, in_range
from kg.extract.structure import DATE_CN, iso_date
from kg.extract.trie import Words
from kg.records import Node, norm

LEX = data.load("lexicon")
ADVERBIALS = alt(LEX["sentence"]["leading_adverbials"])
LEAD_IN = re.compile(rf"^(?:[（(]?[一二三四五六七八九十\d]+[、.．)）]\s*)?(?:(?:{ADVERBIALS}|(?:根据|按照|依据|围绕|针对|为了|为)[^，,。]{{2,30}}[，,]|(?:\d{{4}}年|(?:同|当|次|今|去|上|本)年)?(?:\d{{1,2}}月(?:份)?)?(?:\d{{1,2}}日)?(?:以来|起|开始)?(?<=[年月日来份起始])|“[^”]{{2,8}}”(?:期间|以来))[，,、\s]*)*")
CLAUSE_SEP_CHARS = "，,；;：:"
CLAUSE_SEP = re.compile(f"[{CLAUSE_SEP_CHARS}]")
ISSUE_WORD = re.compile(alt(LEX['triggers']['issue'] + LEX['triggers']['pass']))
ISSUE_TAIL = re.compile(rf"(?:{ISSUE_WORD.pattern})(?:了|的)?\s*$")
PLANNED = re.compile(r"(加快|研究|抓紧|正在|拟|将|计划|推动)(制定|出台|制订|起草|编制)")
IMPL_AFTER = re.compile(r"^(?:的)?(?:贯彻落实|落实|实施)(?:方案|细则|意见|办法)")
LIST_TAIL = re.compile(r"等\s*(?:[\d一二三四五六七八九十百]+\s*(?:家|所|个|类|项|名|位|种))?([^、；;，。]*)")
CATEGORY = LEX["category_kind"]
CATEGORY_LONGEST_FIRST = sorted(CATEGORY.items(), key=lambda x: -len(x[0]))
SUBJECT_LABELS = ("Agency", "Institution")
# a sentence whose subject is a document: 《意见》提出…, 国办发24号文件要求…
POLICY_SPEAKS = re.compile(r"(?:《[^》]{2,80}》|[^，。；]{2,20}?(?:文件|意见|通知|方案|规划|纲要))(?:中)?(?:提出|要求|明确|规定|指出|强调)")


def extract_relations(doc) -> None:
    _title_facts(doc)
    top = _top_level(doc.mentions)
    carried: dict[int, list[Node]] = {}
    top_starts = [m.start for m in top]
    sentences = doc.st.sentences
    for sent, can_fire in zip(sentences, _rules_by_sentence(doc.raw.text, sentences)):
        ms = in_range(top, top_starts, sent.start, sent.end)
        lead_end = LEAD_IN.match(sent.text).end()      # (it always matches: every part is optional)
        subj, partners = _subject(doc, sent, ms, lead_end)
        if not subj and POLICY_SPEAKS.match(sent.text, lead_end):
            subj = []      # 国办发24号文件提出…开展X: the policy's programme, not the replier's
        elif subj and all(s.label == "Institution" for s in subj):
            carried[sent.para] = subj      # a paragraph about an alliance goes on about it
        elif not subj:
            subj = carried.get(sent.para) or ([doc.replier] if doc.replier else [])
        sent.subjects = subj
        # a rule runs only where its words occur, or where the sentence names what it relates
        labels = {m.label for m in ms}
        for rule in _RULES_OF[can_fire & (_NO_LABEL | sum(b for lab, b in _NEEDS_LABEL if lab in labels))]:
            rule(doc, sent, ms, subj, partners)
    _cooperation_in_names(doc)
    _implementing_titles(doc)
    _named_in_category_lists(doc, top)


def _top_level(ms: list[Mention]) -> list[Mention]:
    outer = Cover([(o.start, o.end) for o in ms if o.source != "inner"])
    return [m for m in ms if m.source != "inner" and "_issued" not in m.properties
            and "_plate_of" not in m.properties and not outer.inside(m.start, m.end)]


def _title_facts(doc) -> None:
    by_id = {id(m): m for m in doc.mentions}
    for m in doc.mentions:
        if "_issued" in m.properties and m.label in SUBJECT_LABELS:
            pol = by_id.get(m.properties["_issued"])
            if pol is not None:
                doc.add_rel("ISSUED", doc.node_for(m), doc.node_for(pol), pol.start, pol.end)
                doc.titled_issuers.add(doc.node_for(pol).id)
        if "_part_of" in m.properties and (whole := by_id.get(m.properties["_part_of"])) is not None:
            doc.add_rel("PART_OF", doc.node_for(m), doc.node_for(whole), whole.start, whole.end)
        for inner_id in m.properties.get("_implements", []):
            inner = by_id.get(inner_id)
            if inner is not None:
                doc.add_rel("IMPLEMENTS", doc.node_for(m), doc.node_for(inner), m.start, m.end)


def _subject(doc, sent, ms, lead_end: int):
    """Explicit subject(s) at the start of a sentence (after its lead-in, ending at `lead_end`), and partners joined by 与."""
    text = doc.raw.text
    subj, pos = _bodies_from(doc, ms, sent.start + lead_end)
    partners: list[Node] = []
    if subj and text[pos: pos + 1] in "与同":
        pos += 1
        for m in ms:
            if m.start == pos and m.label in SUBJECT_LABELS:
                partners.append(doc.node_for(m))
                pos = m.end + (1 if text[m.end: m.end + 1] == "、" else 0)
    if subj and text[pos: pos + 1] == "的":
        return [], []
    return subj, partners


def _bodies_from(doc, ms, pos: int) -> tuple[list[Node], int]:
    """The bodies written one after another from `pos` (joined by 、 or 和), and where they end."""
    text, out = doc.raw.text, []
    for m in ms:
        if m.start < pos:
            continue
        if m.start != pos or m.label not in SUBJECT_LABELS:
            break
        out.append(doc.node_for(m))
        pos = m.end
        if text[pos: pos + 1] in "、和":
            pos += 1
        else:
            break
    return out, pos


def _clause_start(text: str, sent_start: int, pos: int) -> int:
    """Where the clause holding `pos` begins: after the last separator (CLAUSE_SEP's characters) before it."""
    if pos <= sent_start:
        return pos
    return max(sent_start, *(text.rfind(c, sent_start, pos) + 1 for c in CLAUSE_SEP_CHARS))


def _clause_subject(doc, sent, ms, a: int) -> list[Node]:
    """The bodies that open a later clause of the sentence and act in it: 中共中央办公厅…印发《…》后，
    国家林业和草原局组织开展…: the clause's own subject, not the sentence's."""
    if a <= sent.start:
        return []
    text = doc.raw.text
    lead = LEAD_IN.match(text[a:sent.end])      # (anchored with ^: matched on the clause itself)
    out, pos = _bodies_from(doc, ms, a + (lead.end() if lead else 0))
    # a body that acts: a verb follows it (not 的, nor a list going on, nor the clause's end)
    if out and (text[pos: pos + 1] in "的、，,。；;" or pos >= sent.end):
        return []
    return out


def _bodies_in(doc, ms, a, b):
    return [doc.node_for(m) for m in ms if a <= m.start and m.end <= b and m.label in SUBJECT_LABELS]


# what may stand between two titles of one list: 《A》《B》, 《A》(国发〔2018〕11号)、《B》和《C》
TITLE_LIST_GAP = re.compile(r"^\s*(?:[(（][^()（）]{0,40}[)）])?\s*[、和及与，,]?\s*$")
CITES = re.compile(alt(LEX["triggers"]["cite"]))
PASSIVE_BY = re.compile(r"[^，。；]{0,8}?由")


def _issued(doc, sent, ms, subj, partners):
    text = doc.raw.text
    prev_end = sent.start
    carried = None        # (issuers, date) of the title before, for the titles listed after it
    for i, m in enumerate(ms):
        if m.label != "Policy":
            continue
        window = text[prev_end:m.start]
        prev_end = m.end
        pol = doc.node_for(m)
        listed = carried is not None and TITLE_LIST_GAP.match(window)
        t = ISSUE_TAIL.search(window)
        # a body written right before the title issued it: 工信部《废钢铁加工行业准入条件》
        adjacent, first = _bodies_right_before(doc, ms[:i], m.start)
        if adjacent and AND_OTHERS.search(window) and JOINS_BEFORE.search(text, sent.start, first):
            adjacent = adjacent + [x for x in subj + partners if x not in adjacent]   # 我部会同A、B等9部门联合印发《X》
        if listed and not adjacent:
            issuers, date = carried
        elif adjacent:
            issuers, date = adjacent, ""
        elif t:
            if PLANNED.search(window[-12:]):
                pol.properties["status"] = "planned"
                carried = None
                continue
            clause_a = _clause_start(text, sent.start, m.start - len(window) + t.start())
            if clause_a > sent.start and JURISDICTION.fullmatch(text, clause_a, m.start - len(window) + t.start()):
                carried = None
                continue     # …印发《A》后，自治区出台了《B》: the region, no body named, and not the sentence's subject
            # 我行认真贯彻落实A、B联合印发的《X》: who carries X out is not who issued it
            cites = list(CITES.finditer(text, clause_a, m.start - len(window) + t.start()))
            if cites:
                clause_a = cites[-1].end()
            issuers = _bodies_in(doc, ms, clause_a, m.start)
            if pol.id in doc.titled_issuers and not issuers:
                issuers = []     # 出台《国务院关于…的意见》: the title names its issuer, the subject only cites it
            elif not issuers or _joins_subject(text, window, m.start, _first_body_at(ms, clause_a, m.start)):
                issuers = issuers + subj + partners
            dates = list(DATE_CN.finditer(window))
            date = iso_date(dates[-1]) if dates else ""
        else:
            issuers, date = _passive_issuers(doc, sent, ms, m), ""
            if not issuers:
                carried = None
                continue
        if IMPL_AFTER.match(text[m.end: m.end + 8]):
            carried = None
            continue   # 制定《B》贯彻落实方案: the plan implements B, nobody here issued B
        if pol.id in doc.titled_issuers and not adjacent:
            issuers = [x for x in issuers if x not in subj]
        carried = (issuers, date)
        if date:
            pol.properties.setdefault("date", date)
        for who in issuers:
            doc.add_rel("ISSUED", who, pol, min(m.start, sent.start), m.end, date=date)


JURISDICTION = re.compile(rf"\s*(?:{alt(LEX['sentence']['jurisdiction_subjects'])})\s*(?:先后|相继|也|已|还|又)?\s*")
# the subject joined to the bodies named next: 我部会同 (联合, 与) A、B等9部门…
JOINS_BEFORE = re.compile(rf"(?:{alt(LEX['triggers']['co_issue'])})\s*$")
AND_OTHERS = re.compile(r"等\s*[\d一二三四五六七八九十]+\s*个?(?:部门|部委|单位|机构)(?:联合)?(?:印发|发布|出台)?的?$")


def _bodies_right_before(doc, ms, pos: int) -> tuple[list, int]:
    """The bodies written right before a title, and those listed with them: 商务部、财政部、国务院扶贫办《…》;
    and where the first of them starts."""
    text = doc.raw.text
    by_end = {x.end: x for x in ms if x.label in SUBJECT_LABELS}
    if (n_more := AND_OTHERS.search(text, max(0, pos - 16), pos)) is not None and n_more.start() in by_end:
        pos = n_more.start()     # 中国人民银行等七部门《…》: the first of the issuers is named
    out = []
    while (x := by_end.get(pos)) is not None:
        out.append(doc.node_for(x))
        pos = x.start
        if text[pos - 1: pos] in ("、", "和", "及", " ", "\u3000") and pos - 1 in by_end:
            pos -= 1
        else:
            break
    return out[::-1], pos


def _first_body_at(ms, a, b) -> int:
    return next((x.start for x in ms if a <= x.start < b and x.label in SUBJECT_LABELS), b)


def _joins_subject(text: str, window: str, pol_start: int, first_body: int) -> bool:
    """会同省科技厅出台《X》: the subject issues X with them; 中国人民银行、科技部等部门联合印发的《X》:
    the bodies named before 联合 issued it, the subject only cites it."""
    w0 = pol_start - len(window)
    joint = list(re.finditer(r"联合|会同|共同|与", window))
    return any(w0 + j.start() < first_body for j in joint)


def _passive_issuers(doc, sent, ms, m) -> list:
    """《中医药法》已由全国人民代表大会常务委员会…通过: the body after 由 issued it."""
    text = doc.raw.text
    by = PASSIVE_BY.match(text, m.end, sent.end)
    if not by:
        return []
    # the body may sit inside a longer name (…全国人民代表大会常务委员会第二十五次会议)
    body = next((x for x in doc.mentions if by.end() <= x.start <= by.end() + 24 and x.label in SUBJECT_LABELS), None)
    if body is None or not ISSUE_WORD.search(text, body.end, sent.end):
        return []
    return [doc.node_for(body)]


# 贯彻落实《A》, 按照大连市水务局《A》, 贯彻落实X、Y联合印发的《A》: the verb, perhaps the bodies that issued A, then A
# (and the titles listed with it)
IMPLEMENT_TAIL = re.compile(rf"(?:{alt(LEX['triggers']['implement'] + LEX['triggers']['basis'])})[^，,。；;：:《》“”\s]{{0,40}}"
                            rf"\s*(?:《[^》]*》[、和及]?\s*)*$")


# 为贯彻落实该实施意见, 根据这一规划: the citing word, a pointing word, perhaps a qualifier, a document's kind
POLICY_KINDS = alt(sorted(LEX["policy_kind"], key=len, reverse=True))
ANAPHOR_CITE = re.compile(rf"(?:{alt(LEX['triggers']['implement'] + LEX['triggers']['basis'])})"
                          rf"(?:{alt(LEX['triggers']['anaphor'])})[^，,。；;《》“”\s]{{0,4}}?(?P<kind>{POLICY_KINDS})(?:的)?(?:精神|要求)?\s*[，,]")
# 《B》是落实《A》的具体举措: what lies between B and A, and right after A
CARRIED_BETWEEN = re.compile(rf"^[^。；;《》]{{0,12}}?(?:是|为|作为)(?:深入)?(?:{alt(LEX['triggers']['implement'])})[^。；;《》]{{0,30}}$")
CARRIED_AS = re.compile(rf"(?:》)?的(?:{alt(LEX['triggers']['carried_out_as'])})")
ANTECEDENT_REACH = 400      # characters back to the document a pointing word names


def _named_before(doc, pos: int, label: str, wanted, since: int):
    """The last mention of `label` (not inside another's name) ending by `pos` and starting at `since`
    or after whose name passes `wanted`: what a pointing word or a bare ending names again."""
    mentions = doc.mentions                                     # sorted by start
    starts = doc.mention_starts()
    for i in range(bisect.bisect_left(starts, pos) - 1, -1, -1):
        m = mentions[i]
        if m.start < since:
            return None
        if m.end <= pos and m.label == label and m.source != "inner" and wanted(norm(m.name)):
            return m
    return None


def _implements(doc, sent, ms, subj, partners):
    """为贯彻落实《A》，制定了《B》: B implements A (also A named again: 为贯彻落实该意见; and
    《B》是落实《A》的具体举措)."""
    text = doc.raw.text
    policies = [m for m in ms if m.label == "Policy"]
    carried = []
    first = policies[0].start if policies else sent.end
    if (pointed := ANAPHOR_CITE.search(text, sent.start, first)) is not None:
        kind = pointed.group("kind")
        if (a := _named_before(doc, sent.start, "Policy", lambda n: kind in n, sent.start - ANTECEDENT_REACH)) is not None:
            carried.append(a)
    for b, a in zip(policies, policies[1:]):
        if CARRIED_BETWEEN.match(text[b.end:a.start]) and CARRIED_AS.match(text, a.end):
            doc.add_rel("IMPLEMENTS", doc.node_for(b), doc.node_for(a), b.start, a.end)
    prev_end = sent.start
    for m in policies:
        window = text[prev_end:m.start]
        cite = IMPLEMENT_TAIL.search(text, sent.start, m.start)
        issue = ISSUE_TAIL.search(window)
        # 贯彻落实X、Y联合印发的《A》: the issuing words inside what is carried out cite A all the same
        if cite and (not issue or cite.start() < m.start - len(window) + issue.start()):
            carried.append(m)
        elif carried and ISSUE_TAIL.search(window) and not PLANNED.search(window[-12:]):
            for a in carried:
                doc.add_rel("IMPLEMENTS", doc.node_for(m), doc.node_for(a), a.start, m.end)
        prev_end = m.end


# verbs that put a programme or an event in the subject's hands (启动实施…, 举办…)
ACT_WORDS = tuple(LEX["triggers"]["lead"] + LEX["triggers"]["organize"])
ORGANIZE_WORDS = tuple(LEX["triggers"]["organize"])
# 遴选10个县作为“…实验区”, 确定…为…试点: the agency that selects the units runs the programme
SELECTS = re.compile(rf"(?:{alt(LEX['triggers']['select'])})[^。；]{{0,80}}?(?:作为|为)\s*$")


PASSIVE_HOST = re.compile(rf"由[^，。；]{{2,60}}?(?:联合|共同)?(?:{alt(LEX['triggers']['organize'])})(?:的)?(?=[^，。；]{{0,4}}$)")


def _preceded_by(text: str, a: int, start: int, words: tuple[str, ...]) -> bool:
    """Whether text[a:start] ends with one of `words`, past earlier quoted items of a list."""
    pre = QUOTED_ITEMS_END.sub("", text[a:start])
    pre = COUNT_END.sub("", pre)   # 开展了10处…试点
    pre = PARTICLE_END.sub("", pre)
    # a quoted list whose items carry their own (编号:…) runs past the clause's colons
    return pre.endswith(words) or PARTICLE_END.sub("", before_list(text, start)).endswith(words)


def _leads(doc, sent, ms, subj, partners):
    led: tuple[int, list] | None = None     # (end, who) of the programme led just before
    for i, m in enumerate(ms):
        if m.label != "Program":
            continue
        # a body written right before a programme runs it: 落实工业和信息化部“信号升格”专项行动
        for who in _bodies_right_before(doc, ms[:i], m.start)[0]:
            doc.add_rel("LEADS", who, doc.node_for(m), sent.start, sent.end)
        # the next item of a list of programmes is led alike: 实施X工程和Y试点工程
        if led is not None and doc.raw.text[led[0]:m.start] in ("、", "和", "及", "以及"):
            for who in led[1]:
                doc.add_rel("LEADS", who, doc.node_for(m), sent.start, sent.end)
            led = (m.end, led[1])
            continue
        led = None
        a = _clause_start(doc.raw.text, sent.start, m.start)
        if _preceded_by(doc.raw.text, a, m.start, ACT_WORDS) or \
                SELECTS.search(re.sub(r"“[^”]*”[、和及]\s*$", "", doc.raw.text[sent.start:m.start])):
            # 与X联合开展/共同设立…: each body leads it; 我局联合县人社局实施…: so do the bodies after 联合
            joint = partners if re.search(r"联合|共同|携手", doc.raw.text[sent.start:m.start]) else []
            leaders = [*(_clause_subject(doc, sent, ms, a) or subj), *joint, *_joined_after_联合(doc, ms, a, m.start)]
            for who in leaders:
                doc.add_rel("LEADS", who, doc.node_for(m), sent.start, sent.end)
            led = (m.end, leaders)


def _joined_after_联合(doc, ms, a: int, b: int) -> list:
    """我局联合县人社局、县财政局实施…: the bodies listed right after 联合 in text[a:b] act with the subject."""
    text, out = doc.raw.text, []
    for j in JOINT.finditer(text, a, b):
        pos = j.end()
        while (x := next((y for y in ms if y.start == pos and y.label in SUBJECT_LABELS), None)) is not None:
            out.append(doc.node_for(x))
            pos = x.end + (1 if text[x.end:x.end + 1] in "、和及" else 0)
    return out


def _organized(doc, sent, ms, subj, partners):
    text = doc.raw.text
    for m in ms:
        if m.label != "Event":
            continue
        a = _clause_start(text, sent.start, m.start)
        by = PASSIVE_HOST.search(text, a, m.start)
        if by is not None or _preceded_by(text, a, m.start, ACT_WORDS) or _preceded_by(text, a, m.start, ORGANIZE_WORDS):
            # a body joined by 与 before the verb hosts it too: (教育部)与联合国教科文组织在北京召开…
            co = [doc.node_for(x) for x in ms if x.start < m.start and x.label in SUBJECT_LABELS
                  and text[x.start - 1:x.start] in "与同和" and a <= x.start]
            co += _joined_after_联合(doc, ms, a, m.start)     # 我局联合省林科院举办…: both host it
            # 由省委组织部、省人社厅联合主办的…大赛: the bodies after 由 host it, not the sentence's subject;
            # else the bodies opening the event's clause, else the sentence's subject
            by_hosts = [doc.node_for(x) for x in ms if by.start() < x.start and x.end <= by.end()
                        and x.label in SUBJECT_LABELS] if by is not None else []
            if by_hosts:
                hosts, co = by_hosts, []
            else:
                hosts = _clause_subject(doc, sent, ms, a) or subj
            for who in [*hosts, *co]:
                doc.add_rel("ORGANIZED", who, doc.node_for(m), sent.start, sent.end)


SUPPORT_PRE = re.compile(rf"(?:{alt(LEX['triggers']['support'])})(?:在[^，。；]{{1,12}}?(?:成立|建设|设立|打造|建立))?\s*$")


def _supports(doc, sent, ms, subj, partners):
    """支持X建设, 支持在…成立X, 支持A、B等…: the subject supports each named one."""
    text = doc.raw.text
    for m in ms:
        if m.label not in ("Institution", "Program") or not SUPPORT_PRE.search(text[sent.start:m.start]):
            continue
        clause_end = _clause_end_at(text, m.start, sent.end)
        # a list closed by its category (…等龙头企业) names institutions even where the data knows none
        closed = bool(LIST_TAIL.search(text, m.start, clause_end))
        for _a, _b, node in _list_items(doc, ms, m.start, clause_end, labels=("Institution", "Program"), create=closed):
            if node is None:
                break          # the list ends where the names end
            _clear_created(node)
            for who in subj:
                doc.add_rel("SUPPORTS", who, node, sent.start, sent.end)
        _supported_builds(doc, sent, ms, subj, m)


# 支持北京师范大学建设|学前教育教师专业发展中心: what the supported body builds
BUILDS = re.compile(r"(?P<lead>牵头)?(?:建设|建立|打造|设立|成立|组建|筹建)")


def _supported_builds(doc, sent, ms, subj, m) -> None:
    """支持A建设B: the subject supports B too, and B, an institution, is a unit of A (not when A
    only leads its founding: 支持A牵头成立B)."""
    if m.label != "Institution" or (b := BUILDS.match(doc.raw.text, m.end)) is None:
        return
    built = next((x for x in ms if x.start == b.end() and x.label in ("Institution", "Program")), None)
    if built is None:
        return
    for who in subj:
        doc.add_rel("SUPPORTS", who, doc.node_for(built), sent.start, sent.end)
    if built.label == "Institution" and not b.group("lead"):
        # (支持A牵头成立B: B, founded by many, is no unit of A)
        doc.add_rel("PART_OF", doc.node_for(built), doc.node_for(m), sent.start, sent.end)


def _clause_end_at(text: str, pos: int, limit: int) -> int:
    m = CLAUSE_SEP.search(text, pos, limit)
    return m.start() if m else limit


COOP = re.compile(alt(LEX["triggers"]["cooperate"]))


TOGETHER = ("共建", "合作", "签署", "签订", "共同建设", "联合建设")
SUBJECTS_TOGETHER = re.compile(r"(?:共同|双方|联合)?(?:" + "|".join(TOGETHER) + ")")


def _listed_runs(doc, ms):
    """Runs of bodies written one after another, joined by 、和及 (与 joins partners to a subject)."""
    text = doc.raw.text
    run: list = []
    for m in ms:
        if m.label not in SUBJECT_LABELS:
            continue
        if run and not (m.start == run[-1].end + 1 and text[run[-1].end] in "、和及"):
            yield run
            run = []
        run.append(m)
    if run:
        yield run


def _cooperates(doc, sent, ms, subj, partners):
    text = doc.raw.text
    for run in _listed_runs(doc, ms):
        # 农业部和海南省政府共建的…, 推动A、B和C签订《…协议》: bodies listed together before joint work work together
        if len(run) >= 2 and SUBJECTS_TOGETHER.match(text, run[-1].end) and text[run[0].start - 1: run[0].start] not in "与同跟":
            nodes = [doc.node_for(m) for m in run]
            for i, a in enumerate(nodes):
                for b in nodes[i + 1:]:
                    doc.add_rel("COOPERATES_WITH", a, b, sent.start, sent.end)
    if partners and COOP.search(sent.text):
        for s in subj:
            for p in partners:
                doc.add_rel("COOPERATES_WITH", s, p, sent.start, sent.end)
    for w in re.finditer(r"与", sent.text):
        pos = sent.start + w.end()
        sep = CLAUSE_SEP.search(sent.text, w.end())
        clause_end = sent.start + (sep.start() if sep else len(sent.text))
        items = _list_items(doc, ms, pos, clause_end, labels=SUBJECT_LABELS,
                            create=bool((t := LIST_TAIL.search(text, pos, clause_end)) and UNIT_CATEGORY.search(t.group(0))))
        if not items:
            continue
        named = [it for it in items if it[2] is not None]
        if not named:
            continue
        rest = text[named[-1][1]:clause_end]
        if not COOP.search(rest):
            continue
        # the subject is whoever stands before 与 (an explicit body) or the sentence's subject
        # whoever stands right before 与, adverbs apart (哈工大(深圳)正与…), else the sentence's subject
        gap = re.search(r"[正已将还也并均]{0,2}$", text[sent.start:sent.start + w.start()])
        before = [m for m in ms if m.end == sent.start + gap.start() and m.label in SUBJECT_LABELS]
        who = [doc.node_for(before[-1])] if before else subj
        for _a, _b, node in items:
            if node is None:
                continue
            for s in who:
                doc.add_rel("COOPERATES_WITH", s, node, sent.start, sent.end)


JOINT = re.compile(r"联合(?!国)")
JOINT_WORK = re.compile(r"(?:等\s*[\d一二三四五六七八九十]+\s*(?:个|家)?(?:部门|单位|机构))?\s*(?:成立|组建|开展|建立|设立|推进|实施|举办)")


def _joint_with(doc, sent, ms, subj, partners):
    """工业和信息化部联合发展改革委等15个部门成立…专班: the bodies after 联合 work with the subject.
    (联合…印发《X》 is ISSUED, decided in _issued.)"""
    text = doc.raw.text
    for j in JOINT.finditer(text, sent.start, sent.end):
        items, pos = [], j.end()
        while (m := next((x for x in ms if x.start == pos and x.label in SUBJECT_LABELS), None)) is not None:
            items.append(doc.node_for(m))
            pos = m.end + (1 if text[m.end:m.end + 1] in "、和及" else 0)
        if not items or not JOINT_WORK.match(text, pos if text[pos - 1:pos] not in "、和及" else pos - 1):
            continue
        before = [m for m in ms if m.end == j.start() and m.label in SUBJECT_LABELS]
        for s in ([doc.node_for(before[-1])] if before else subj):
            for p in items:
                doc.add_rel("COOPERATES_WITH", s, p, sent.start, sent.end)


# 关于进一步加强乡村医生队伍建设的实施意见 carries out 国务院办公厅关于进一步加强乡村医生队伍建设的指导意见
TOPIC_TITLE = re.compile(r"关于(?P<topic>[^《》〈〉]{6,}?)的(?P<kind>[\u4e00-\u9fff]{1,6})$")
IMPLEMENTING_KINDS = tuple(LEX["words"]["implementing_kinds"])
PROGRAMME_PLAN_KINDS = tuple(LEX["words"]["programme_plan_kinds"])
PLAN_TAIL = re.compile(r"(?:[(（][^()（）]{2,16}[)）])?")


def _implementing_titles(doc) -> None:
    """A letter's policy named 关于X的实施意见 (实施方案, 实施细则…) carries out the policy on the same X
    it cites under another kind (…关于X的指导意见): the implementing document of a lower level; a plan
    named for a programme (广东省“信号升格”专项行动实施方案) carries out that programme."""
    programmes = {norm(m.name): m for m in doc.mentions if m.label == "Program" and len(norm(m.name)) >= 4}
    if programmes:
        for m in doc.mentions:
            if m.label != "Policy":
                continue
            name = norm(m.name)
            for kind in IMPLEMENTING_KINDS + PROGRAMME_PLAN_KINDS:
                i = name.find(kind)
                if i <= 0 or (kind in PROGRAMME_PLAN_KINDS and not PLAN_TAIL.fullmatch(name, i + len(kind))):
                    continue     # …行动方案 at the name's end (its years after it), not inside 关于印发…方案的通知
                head = name[:i]
                prog = next((p for k, p in programmes.items() if head.endswith(k)), None)
                if prog is not None:
                    doc.add_rel("IMPLEMENTS", doc.node_for(m), doc.node_for(prog), m.start, m.end)
                    break
    by_topic: dict[str, list] = {}
    for m in doc.mentions:
        if m.label == "Policy" and (t := TOPIC_TITLE.search(m.name)) is not None:
            by_topic.setdefault(t.group("topic"), []).append((t.group("kind").startswith(IMPLEMENTING_KINDS), m))
    for found in by_topic.values():
        doers = {doc.node_for(m).id: m for impl, m in found if impl}
        done = {doc.node_for(m).id: m for impl, m in found if not impl}
        if len(doers) == 1 and len(done) == 1:
            (a,), (b,) = doers.values(), done.values()
            doc.add_rel("IMPLEMENTS", doc.node_for(a), doc.node_for(b), min(a.start, b.start), max(a.end, b.end))


def _cooperation_in_names(doc) -> None:
    """院省合作委员会 of 中国工程院、吉林省人民政府: bodies listed in a cooperation's name cooperate."""
    starts = [x.start for x in doc.mentions]       # the mentions are sorted by start
    for m in doc.mentions:
        if m.label not in ("Event", "Institution") or "合作" not in m.name:
            continue
        inner = [x for x in in_range(doc.mentions, starts, m.start, m.end) if x is not m and x.end <= m.end
                 and x.label in SUBJECT_LABELS]
        cut = doc.raw.text.find("合作", m.start, m.end)
        inner = [x for x in inner if x.end <= cut]
        for i, a in enumerate(inner):
            for b in inner[i + 1:]:
                if doc.raw.text[a.end:b.start] in ("、", "和", "与"):
                    doc.add_rel("COOPERATES_WITH", doc.node_for(a), doc.node_for(b), m.start, m.end)


# …等龙头企业, …等10家高校: a list closed by its category
CATEGORY_CLOSE = re.compile(r"(?<![高同平相对均中初上次优特头一二三])等\s*(?:[\d一二三四五六七八九十百]+\s*[家所个])?"
                            r"(?:龙头|重点|骨干|科技型|领军|头部|知名)?(?:企业|高校|院校|科研院所|医院|单位)")
QUOTED_ITEMS_END = re.compile(r"(?:“[^”]*”[、和及]?\s*)+$")
COUNT_END = re.compile(r"[\d一二三四五六七八九十百千万余多]+\s*[家个所处项批座类]$")
PARTICLE_END = re.compile(r"(了|好)$")


# the verb that may open a list's first item: 支持A、B等龙头企业
LIST_HEAD_VERB = re.compile(rf"(?:{TRIG['lead'].pattern}|{TRIG['support'].pattern}|推动|培育|引进|鼓励|包括|加强与|与)")
NOT_AN_ITEM = re.compile(r"[\d的了在是将对和与]|^第")


def _named_in_category_lists(doc, top) -> None:
    """比亚迪、广汽埃安等龙头企业: the items of a list closed by a category are named institutions."""
    text = doc.raw.text
    named = Intervals((m.start, m.end) for m in doc.mentions)
    for sent in doc.st.sentences:
        if text.find("等", sent.start, sent.end) < 0:
            continue      # (CATEGORY_CLOSE begins with it; its look-behind keeps the regex from finding it fast)
        for close in CATEGORY_CLOSE.finditer(text, sent.start, sent.end):
            end = close.start()
            start = end
            while start > sent.start and text[start - 1] not in "，,。；;：:“”《》（）()":
                start -= 1
            if (num := LIST_NUMBER.match(text, start, end)) is not None:
                start = num.end()        # 四、支持A、B等龙头企业: the numbering is no item
            # the list is the run of 、-separated items right before 等; its head may carry a verb
            items = text[start:end].split("、")
            if len(items) < 2:
                continue
            first = items[0]
            verb = LIST_HEAD_VERB.search(first)
            if verb:
                items[0] = first[verb.end():]
            pos = start + len(first) - len(items[0])
            for item in items:
                a, b = pos, pos + len(item)
                pos = b + 1
                name = clean_name(item)
                if not (2 <= len(name) <= 16) or is_generic(name, "") or NOT_AN_ITEM.search(name):
                    continue
                if named.overlaps(a, b):
                    continue          # holds a named entity already (联合中南大学: a verb and a university)
                node = _new_institution(doc, name, a, b)
                _clear_created(node)


def _list_items(doc, ms, a, b, labels=("Institution",), create=False, category_kind=""):
    """Items of a list 'X、Y等N家Z；W等M所V' between a and b: (start, end, Node|None)."""
    text = doc.raw.text
    items = []
    pos = a
    starts = {m.start: m for m in ms}
    while pos < b:
        while pos < b and text[pos] in "、；;和及与 　" and pos not in starts:   # 和田地区…: a name, no conjunction
            pos += 1
        if pos >= b:
            break
        tail = LIST_TAIL.match(text, pos)
        if tail:
            cat = tail.group(1)
            kind = next((k for c, k in CATEGORY_LONGEST_FIRST if c in cat), "")
            for it in items:
                if it[3] == "" and kind:
                    it[3] = kind
            pos = tail.end()
            continue
        m = starts.get(pos)
        if m is not None:
            items.append([m.start, m.end, doc.node_for(m) if m.label in labels else None, ""])
            pos = m.end
            continue
        end = pos
        while end < b and text[end] not in "、；;，,。" and not LIST_TAIL.match(text, end):
            end += 1
        if end == pos:
            break
        raw = clean_name(text[pos:end])
        node = None
        # (a place is no institution: 与浙江、广东等主销区企业签订…)
        if create and 2 <= len(raw) <= 30 and not is_generic(raw, "") and not re.search(r"\d", raw) \
                and not re.search(r"[的了在是将对]", raw) and doc.rec.gaz.place(raw) is None:
            node = _new_institution(doc, raw, pos, end)
        items.append([pos, end, node, ""])
        pos = end
    for it in items:
        if it[2] is not None and it[3] and it[2].label == "Institution" and it[2].properties.get("_created"):
            it[2].kind = it[3]
    return [(s, e, n) for s, e, n, _k in items]


def _new_institution(doc, name: str, a: int, b: int) -> Node:
    surface = name
    gaz = doc.rec.gaz
    kind = None
    if name in gaz.university:                 # a list item that is a known short form: 川大 is 四川大学
        name, kind = gaz.university[name], "university"
    elif gaz.national.get(name, ("", "", ""))[2] == "Institution":
        name, kind = gaz.national[name][0], gaz.national[name][1]
    key = f"Institution:{norm(name)}"
    node = doc.entities.get(key)
    if node is None:
        node = doc.entities[key] = Node("Institution", name, kind=kind or suffix_kind(name, INST_SUFFIX) or "institution")
        node.properties["_created"] = True
    node.aliases.add(surface)
    doc.add_evidence(node, a, b)
    return node


def _list_after(doc, sent, ms, trig_re, create=True):
    """Lists right after a trigger word; the first item must be a named entity."""
    text = doc.raw.text
    starts = {m.start for m in ms}
    for t in trig_re.finditer(sent.text):
        a = sent.start + t.end()
        if text[a:a + 1] == "了" and a + 1 in starts:
            a += 1            # 投资了X
        if a not in starts or any(m.start < sent.start + t.start() < m.end for m in ms):
            continue
        end_m = re.compile(r"[，,。]").search(text, a, sent.end)
        b = end_m.start() if end_m else sent.end
        yield t, _list_items(doc, ms, a, b, create=create)


GROUP_KINDS = ("alliance", "association")     # bodies that have members: 联盟, 共同体, 协会, 学会


def _members(doc, sent, ms, subj, partners):
    alliance = [s for s in subj if s.label == "Institution" and s.kind in GROUP_KINDS]
    for t in TRIG["include"].finditer(sent.text):
        a = sent.start + t.end()
        if not alliance:
            # the group named last before 包括: …协会牵头成立全国社区居家养老服务联盟，成员包括…
            before = [m for m in ms if m.label == "Institution" and m.end <= a - len(t.group(0))
                      and doc.node_for(m).kind in GROUP_KINDS]
            alliance = [doc.node_for(before[-1])] if before else []
        if not alliance:
            return
        for _s, _e, node in _list_items(doc, ms, a, sent.end, create=True):
            if node is not None and node.id != alliance[0].id and node.label == "Institution":
                _clear_created(node)
                doc.add_rel("MEMBER_OF", node, alliance[0], sent.start, sent.end)
        break


def _clear_created(node):
    node.properties.pop("_created", None)


def _invested(doc, sent, ms, subj, partners):
    investors = [s for s in subj if s.label in SUBJECT_LABELS]
    if not investors:
        return
    for _t, items in _list_after(doc, sent, ms, TRIG["invest"]):
        for _s, _e, node in items:
            if node is not None and node.label == "Institution":
                _clear_created(node)
                for who in investors:
                    doc.add_rel("INVESTED_IN", who, node, sent.start, sent.end)


SEND_TO = re.compile(rf"将(.+?)(?:{alt(LEX['triggers']['participate'])})(?:为期[^，。]*?的)?$")   # 将A、B推荐参加…


UNIT_CATEGORY = re.compile(r"企业|公司|高校|院校|学校|大学|院所|医院|单位|机构|园区|银行|协会|学会")
PILOT_AT = re.compile(r"在([^，。；在]{2,80}?)(?:等\s*[\d一二三四五六七八九十百]+\s*(?:家|所|个|类)[\u4e00-\u9fff]{0,8})?"
                      r"(?:开展|实施|启动|推进|推行|先行先试)(?:了)?$")
ENTERED = re.compile(rf"(?:被|已|均|先后|成功)*(?:{alt(LEX['triggers']['participate'])})(?:为期[^，。]*?的)?$")


# 参与试点, 纳入试点: the pilot named before in the paragraph, by its bare ending
BARE_PILOT = re.compile(rf"(?:{alt(LEX['triggers']['participate'])})(?:了)?(?P<bare>{alt(LEX['words']['bare_pilots'])})")


def _participates(doc, sent, ms, subj, partners):
    text = doc.raw.text
    targets = [(m, m.start) for m in ms]           # a programme and where the sentence names it
    for b in BARE_PILOT.finditer(text, sent.start, sent.end):
        if not any(x.start <= b.start("bare") < x.end for x in ms) and \
                (p := _named_before(doc, b.start(), "Program", lambda n: n.endswith(b.group("bare")),
                                    doc.paragraph_start(sent))) is not None:
            targets.append((p, b.start("bare")))
    for m, at in targets:
        if m.label not in ("Program", "Policy"):
            continue
        pre = text[sent.start:at]
        t = SEND_TO.search(pre)
        if t:
            a, b = sent.start + t.start(1), sent.start + t.end(1)
        elif m.label == "Program" and "在" in pre[-100:] and (t := PILOT_AT.search(pre, max(0, len(pre) - 100))) is not None:
            # 在武汉大学、华中科技大学等5所高校开展…试点: the units where the programme runs take part
            a, b = sent.start + t.start(1), sent.start + t.end(1)
        elif (t := ENTERED.search(pre)) is not None:
            # 电子科技大学、西南交通大学等8所高校被纳入…试点: the listed units before the verb
            b = sent.start + t.start()
            a = _clause_start(text, sent.start, b)
        else:
            continue
        tail = LIST_TAIL.search(text, a, b)
        # units named only by a list closed with a category of units (…等8所高校), not fields (…等重点领域)
        has_count = bool(tail) and bool(UNIT_CATEGORY.search(tail.group(0)))
        for _s, _e, node in _list_items(doc, ms, a, b, create=has_count):
            if node is not None and node.label in ("Institution", "Agency"):
                _clear_created(node)
                doc.add_rel("PARTICIPATES_IN", node, doc.node_for(m), sent.start, sent.end, role="pilot_unit")


# Each sentence rule with the words without which it cannot fire (None: always tried).
RULES = (     # (rule, the label of a mention it needs in the sentence, the words it needs)
    (_issued, "Policy", None),
    (_implements, None, LEX["triggers"]["implement"] + LEX["triggers"]["basis"]),
    (_leads, "Program", None),
    (_organized, "Event", None),
    (_supports, None, LEX["triggers"]["support"]),
    (_cooperates, None, ["与", *TOGETHER]),
    (_joint_with, None, ["联合"]),      # 联合国 too: the rule's own pattern (JOINT) passes it over
    (_members, None, LEX["triggers"]["include"]),
    (_invested, None, LEX["triggers"]["invest"]),
    (_participates, None, LEX["triggers"]["participate"] + ["在"]),
)
# every rule's words in one automaton: one pass over the letter tells each sentence which rules
# can fire in it (a search per rule and sentence cost more than the rules that fire)
_RULE_FINDER = Words(w for _r, _l, words in RULES for w in words or ())
_RULE_BITS = [sum(1 << i for i, (_r, _l, words) in enumerate(RULES) if words and w in words) for w in _RULE_FINDER.words]
_NO_WORDS = sum(1 << i for i, (_r, _l, words) in enumerate(RULES) if words is None)
# the rules that need a label, by label; those that need none; the rules of each set of bits, in order
_NEEDS_LABEL = [(lab, sum(1 << i for i, (_r, la, _w) in enumerate(RULES) if la == lab))
                for lab in sorted({la for _r, la, _w in RULES if la})]
_NO_LABEL = sum(1 << i for i, (_r, la, _w) in enumerate(RULES) if la is None)
_RULES_OF = [tuple(r for i, (r, _l, _w) in enumerate(RULES) if bits >> i & 1) for bits in range(1 << len(RULES))]


def _rules_by_sentence(text: str, sentences) -> list[int]:
    """For each sentence, the rules (bits of RULES) whose words occur wholly inside it."""
    starts = [s.start for s in sentences]
    bits = [_NO_WORDS] * len(sentences)
    for w, a, b in _RULE_FINDER.hits(text):
        i = bisect.bisect_right(starts, a) - 1
        if i >= 0 and b <= sentences[i].end:
            bits[i] |= _RULE_BITS[w]
    return bits
