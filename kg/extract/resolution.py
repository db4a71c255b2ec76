"""Stage "resolution": mentions of one letter grouped into its entities.

Reads `doc.mentions`; writes `doc.entities` and `doc.entity_of`. Same label and canonical name
make one entity, and so do the abbreviations a letter uses for what it named in full (赋权试点 for
职务科技成果赋权改革试点, a policy without its place, a second plate, a bare 共同体)."""
from __future__ import annotations

import bisect
import re
from typing import TYPE_CHECKING

from kg import data
from kg.extract.mentions import Mention, alt, clean_name, policy_name
from kg.extract.spans import Intervals
from kg.records import Node, norm

if TYPE_CHECKING:
    from kg.extract.document import Doc


SHORT_FORM_LABELS = {"Program", "Policy", "Agency", "Event", "Institution"}   # the labels a letter abbreviates
EDITION = re.compile(r"^(?:第[\d一二三四五六七八九十百]+届|首届|\d{4}年?)")


QUOTED_OPENING = re.compile(r"“[^”]{2,20}”")


def resolve(doc) -> None:
    _resolve(doc)


def _place_head(doc, name: str) -> str:
    m = doc.rec.gaz.place_re.match(name)
    return m.group(0) if m else ""


def _subsequence(short: str, long: str) -> bool:
    it = iter(long)
    return all(ch in it for ch in short)


def _resolve(doc: Doc) -> None:
    """Group mentions into entities: same label and canonical name, plus abbreviations
    of programs (赋权试点 ⊂ 职务科技成果赋权改革试点), a policy named without its place
    prefix, two-plate bodies and bare anaphora (共同体)."""
    plate_of = {}
    for m in doc.mentions:
        if "_plate_of" in m.properties:
            plate_of[id(m)] = m.properties["_plate_of"]
    by_id = {id(m): m for m in doc.mentions}
    canon: dict[int, tuple[str, str]] = {}
    for m in doc.mentions:
        target = by_id.get(plate_of.get(id(m)), m)
        canon[id(m)] = (target.label, target.name)
    # each label's names in order of first mention, without repeats (a dict per label: no list scans)
    firsts: dict[str, dict[str, None]] = {}
    for label, name in canon.values():
        firsts.setdefault(label, {})[name] = None
    names_by_label = {label: list(names) for label, names in firsts.items()}
    places = doc.rec.gaz.places
    remap: dict[tuple[str, str], tuple[str, str]] = {}
    for label, names in names_by_label.items():
        if label in SHORT_FORM_LABELS and len(names) >= 2:
            _short_forms(doc, label, names, places, remap)
    first_of_brand: dict[str, str] = {}
    for n in names_by_label.get("Institution", []):
        if (q := QUOTED_OPENING.match(n)) is not None:
            # “长江渝融通”货币信贷大数据系统 … “长江渝融通”线上服务平台: one brand, the name first given
            if q.group(0) in first_of_brand:
                remap[("Institution", n)] = ("Institution", first_of_brand[q.group(0)])
            else:
                first_of_brand[q.group(0)] = n
    for k in list(canon):
        seen = set()
        while canon[k] in remap and canon[k] not in seen:
            seen.add(canon[k])
            canon[k] = remap[canon[k]]
    keys: dict[tuple[str, str], str] = {}     # (label, name) → entity key, normalised once
    for m in doc.mentions:
        label, name = canon[id(m)]
        key = keys.get((label, name))
        if key is None:
            key = keys[(label, name)] = f"{label}:{norm(name)}"
        node = doc.entities.get(key)
        if node is None:
            node = doc.entities[key] = Node(label, name, kind=m.kind)
        node.aliases.add(clean_name(m.surface) if m.label != "Policy" else policy_name(m.surface.strip("《》")))
        node.aliases |= m.aliases
        if doc.raw.original and (written := doc.raw.original[m.start:m.end]) != m.surface:
            # a letter in traditional characters: the form as written is an alias of the simplified name
            node.aliases.add(clean_name(written) if m.label != "Policy" else policy_name(written.strip("《》")))
        if m.kind and not node.kind:
            node.kind = m.kind
        for k, v in m.properties.items():
            if not k.startswith("_"):
                node.properties.setdefault(k, v)
        doc.add_evidence(node, m.start, m.end)
        doc.entity_of[id(m)] = key
    _bare_anaphora(doc)


# what a short form shares with the full name it stands for, by label: only names alike in it
# are compared (a letter names a hundred bodies; comparing every pair was a tenth of extraction)
_ALIKE = {
    "Program": lambda n, nn: nn[-2:],
    "Policy": lambda n, nn: nn[-1:],
    "Agency": lambda n, nn: (nn[:3], nn[-1:]),
    "Institution": lambda n, nn: nn[-4:],
}


BRACKETED = re.compile(r"[(（]([^()（）]{2,8})[)）]")


WORDS = data.load("lexicon")["words"]
UNIT_DESIGNATION = re.compile(rf"^(?:{alt(WORDS['programme_unit_levels'])})?(?P<base>.{{4,}}?)(?:{alt(WORDS['programme_units'])})$")


def _short_forms(doc: Doc, label: str, names: list[str], places, remap: dict) -> None:
    """remap[(label, short)] = (label, full) for the short forms among one label's names
    (the last full name in the letter's order wins, as before)."""
    normed = [(x, norm(x)) for x in names]     # once per name, not once per pair
    replier = doc.ctx.replier if doc.ctx is not None else None
    if label == "Program":
        by_norm = {xn: x for x, xn in normed}
        for x, xn in normed:
            if (d := UNIT_DESIGNATION.match(xn)) is not None and (base := by_norm.get(d.group("base"))) is not None:
                remap[(label, x)] = (label, base)     # 国家电子商务进农村综合示范县: the units of 电子商务进农村综合示范
    if label == "Event":
        # 朝阳国际消费季 for 第三届“朝阳国际消费季”: the full name without its edition
        keys = [EDITION.sub("", xn).strip("“”") for _x, xn in normed]
    else:
        keys = [_ALIKE[label](x, xn) for x, xn in normed]
    groups: dict = {}
    for named, k in zip(normed, keys):
        groups.setdefault(k, []).append(named)
    for (n, nn), k in zip(normed, keys):
        if label == "Event":
            cands = groups.get(nn, ())      # the full names whose bare form is this one
        else:
            cands = () if k is None else groups.get(k, ()) if nn else normed
        for other, on in cands:
            if len(on) <= len(nn) or other == n:
                continue
            if label == "Program" and len(nn) >= 4 and _subsequence(nn, on):
                remap[(label, n)] = (label, other)
            elif label == "Policy" and on.endswith(nn) and on[: len(on) - len(nn)] in places:
                remap[(label, n)] = (label, other)
            elif label == "Policy" and len(nn) <= 4 and on.endswith(nn) \
                    and sum(xn.endswith(nn) and xn != nn for _x, xn in normed) == 1:
                remap[(label, n)] = (label, other)   # 《指引》 for the one 《…工作指引》 of the letter
            elif label == "Agency" and len(nn) >= 5 and _subsequence(nn, on) and n != replier \
                    and not on.startswith(nn) and (head := _place_head(doc, nn)) == _place_head(doc, on) \
                    and _short_of_merged(nn[len(head):], on[len(head):]):
                # (中国人民银行 and its 江苏省分行, 深圳市 and 深圳市南山区 教育局 are two bodies each; the body that
                # signs the letter is its own, as the frame names it: 科学技术局 beside 市科工信局)
                remap[(label, n)] = (label, other)   # 省扶贫局 and 省扶贫开发局 in one letter: one body
            elif label == "Event":
                remap[(label, n)] = (label, other)
            elif label == "Institution" and "“" in n and "“" in other and _subsequence(nn, on):
                remap[(label, n)] = (label, other)   # 中科院“一院三所” ⊂ 中科院在长“一院三所”
            elif label == "Institution" and len(nn) >= 6 and _subsequence(nn, on) \
                    and (q := BRACKETED.search(on)) is not None and q.group(1) in nn:
                # 乌鲁木齐集结中心 for 中欧班列（乌鲁木齐）集结中心: the short form keeps the qualifier
                # (中国地质大学 without its （武汉） is another body)
                remap[(label, n)] = (label, other)


def _short_of_merged(short: str, full: str) -> bool:
    """Whether a department's short name can stand for a merged one (X和Y局): by its initials
    (人社局 for 人力资源和社会保障局) or by its last part (自然资源局 for 规划和自然资源局, 数据局 for
    政务服务和数据管理局); 体育局 is another body than 文化体育广播电视和旅游局."""
    if "和" not in full or short[:1] == full[:1]:
        return True
    return _subsequence(short, full[full.rindex("和") + 1:])


def _bare_anaphora(doc: Doc) -> None:
    """A bare alliance noun (共同体, 联盟) refers to the last named one before it."""
    text = doc.raw.text
    named = Intervals((x.start, x.end) for x in doc.mentions)
    added = []
    for word in ("共同体", "联盟"):
        refs = sorted((x for x in doc.mentions if x.label == "Institution" and x.name.endswith(word)), key=lambda x: x.end)
        ends = [x.end for x in refs]
        for m in re.finditer(word, text):
            if named.contains(m.start()):
                continue
            k = bisect.bisect_right(ends, m.start())     # the last one named before it
            if not k:
                continue
            ref = refs[k - 1]
            alias = Mention(m.start(), m.end(), word, "Institution", ref.name, ref.kind, source="anaphora")
            added.append(alias)
            doc.entity_of[id(alias)] = doc.entity_of[id(ref)]
            doc.node_for(alias).aliases.add(word)
    doc.mentions += added
    doc.mentions.sort(key=lambda m: (m.start, -(m.end - m.start)))
