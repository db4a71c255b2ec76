"""Synthetic reply letters with a gold graph each, for benchmarks and as a large extra test
of extraction.

    python benchmarks/synthetic.py OUT --n 1000 [--seed 1]

writes OUT/corpus/synthetic-000000.txt … and OUT/gold/synthetic-000000.json (the format of
the shared gold files, annotated by the rules of GUIDE.md). Letter i depends only on
(seed, i), so any slice of a corpus can be regenerated, in any order, on any number of
processes.

Bodies, places and universities come from the project's naming data (kg/data), so every
province, city and department the extractor knows can turn up. The words that vary a
letter's content (topics, fields, firm names, people's names) are generator vocabulary
below: made-up names, none taken from a real letter.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.data import load  # noqa: E402
from kg.extract.mentions import INST_SUFFIX, policy_kind, suffix_kind  # noqa: E402  (kinds: the naming data)

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾萧田董潘袁蔡蒋余于杜叶程魏苏吕丁任沈姚卢"
GIVEN = "建国志明海峰晓东丽华文军红梅伟刚国庆春玉英秀兰德荣永光辉振宇新民淑芳宏伟子涵浩然思远雨欣"
TOPICS = ["加快科技成果转化", "激发科技人才创新活力", "支持民营企业技术创新", "推进产学研深度融合",
          "完善科技金融服务体系", "培育壮大高新技术企业", "加强基础研究投入", "建设区域科技创新中心",
          "促进数字经济与实体经济融合", "优化创新创业生态", "支持新型研发机构发展", "推动制造业数字化转型"]
FIELDS = ["新材料", "生物医药", "人工智能", "新能源汽车", "集成电路", "现代农业", "高端装备", "节能环保",
          "数字经济", "氢能", "光电信息", "精细化工"]
BRANDS = ["华信", "恒通", "远航", "博睿", "鼎盛", "新锐", "弘毅", "启明", "中研", "天成", "瑞丰", "嘉和",
          "海纳", "正泰", "长盈", "智远", "北辰", "东方晟", "蓝海", "金桥"]
FIRM_TRADES = ["科技", "生物科技", "新材料科技", "智能装备", "电子", "医药", "信息技术", "能源科技"]
POLICY_HEADS = ["关于加快{f}产业发展的若干措施", "关于促进科技成果转移转化的实施意见",
                "关于支持{f}领域创新平台建设的通知", "关于进一步完善科技创新投入机制的若干意见",
                "{f}产业高质量发展三年行动计划", "关于推动{f}产业集群发展的实施方案"]
NATIONAL_POLICIES = ["中华人民共和国促进科技成果转化法", "中华人民共和国科学技术进步法",
                     "国家创新驱动发展战略纲要"]
PROGRAM_FORMS = [("“{f}揭榜挂帅”专项", "special_fund"), ("{f}产业化培育专项", "special_fund"),
                 ("科技型企业梯度培育工程", "project"), ("{f}关键核心技术攻关工程", "project"),
                 ("“科技特派员”行动", "campaign"), ("{f}创新人才培训计划", "training")]
EVENTS = [("{y}年{p}{f}创新创业大赛", "conference"), ("{y}{p}科技成果对接会", "fair"),
          ("{p}{f}产业发展论坛", "forum"), ("{p}科技金融推进会", "meeting")]
THEMES = ["强化政策支持", "加强平台建设", "深化开放合作", "推进改革创新", "优化服务保障", "加强人才培养",
          "完善体制机制", "推动成果转化", "加大投入力度", "营造创新氛围"]
PROSE = ["坚持需求导向和问题导向，进一步完善工作机制，推动各项政策措施落地见效",
         "积极营造尊重知识、尊重人才、尊重创造的良好氛围，持续激发各类创新主体活力",
         "通过政策宣讲、上门服务等方式，帮助企业用足用好各项支持政策",
         "加强部门协同和上下联动，形成工作合力，切实解决企业反映的突出问题",
         "下一步，我们将认真研究您提出的意见建议，进一步加大工作力度，推动相关工作取得更大成效",
         "同时，注重发挥市场在资源配置中的决定性作用，更好发挥政府作用",
         "围绕产业链部署创新链，围绕创新链布局产业链，推动科技创新与产业发展深度融合",
         "持续优化项目评审和经费管理方式，赋予科研人员更大的技术路线决定权和经费使用权",
         "建立健全跟踪问效机制，定期对政策实施情况开展评估，及时总结推广好的经验做法",
         "鼓励高校和科研院所面向企业需求开展技术攻关，推动更多科技成果在本地转化落地"]
UNIT = {"province": "省", "city": "市"}


@dataclass
class Gold:
    """The gold graph of one letter, built alongside its text."""
    doc: str
    entities: list = field(default_factory=list)
    relationships: list = field(default_factory=list)
    indicators: list = field(default_factory=list)
    _by_key: dict = field(default_factory=dict)

    def entity(self, label: str, name: str, aliases=(), kind: str | None = None, required: bool = True,
               **props) -> str:
        key = (label, name)
        e = self._by_key.get(key)
        if e is None:
            prefix = {"Agency": "A", "Institution": "I", "Program": "P", "Policy": "L", "Event": "E",
                      "Person": "H", "Proposal": "R", "Document": "D", "Place": "G"}[label]
            e = {"id": f"{prefix}{sum(x['id'][0] == prefix for x in self.entities) + 1}", "label": label,
                 "name": name, "aliases": [], "required": required}
            if kind:
                e["kind"] = kind
            if props:
                e["properties"] = props
            self.entities.append(e)
            self._by_key[key] = e
        for a in aliases:
            if a != name and a not in e["aliases"]:
                e["aliases"].append(a)
        return e["id"]

    def rel(self, rtype: str, source: str, target: str, required: bool = True) -> None:
        r = {"type": rtype, "source": source, "target": target, "required": required}
        if r not in self.relationships:
            self.relationships.append(r)

    def indicator(self, subject: str, measure: str, value, unit: str, qualifier: str = "exact") -> None:
        self.indicators.append({"subject": subject, "measure": measure, "value": value, "unit": unit,
                                "qualifier": qualifier, "required": True})

    def as_dict(self) -> dict:
        return {"document": self.doc, "schema_version": 1, "entities": self.entities,
                "relationships": self.relationships, "indicators": self.indicators}


@dataclass
class Body:
    canonical: str
    short: str          # 省发改委, 市科技局
    kind: str
    abbr: str = ""      # the character of its document numbers (科 in 吉科发)
    self_ref: str = ""  # 我厅, 我局, 我委


@lru_cache(maxsize=1)
def _pools():
    """Departments a province and a city have, from the naming data: (canonical template, shortest form)."""
    out = {"province": [], "city": []}
    for e in load("bodies")["local"]:
        tpl, kind = e["canonical"], e.get("kind", "department")
        if kind != "department" or "办公" in tpl or not tpl.startswith("{place}"):
            continue
        short = min(e["forms"], key=len)
        if tpl.endswith("厅") or (tpl.endswith("委员会") and e.get("bare") is not True):
            out["province"].append((tpl, short))
        if tpl.endswith("局") or tpl.endswith("委员会"):
            out["city"].append((tpl, short))
    return out


@lru_cache(maxsize=1)
def _places():
    return [p for p in load("divisions")["province"] if p["cities"] and p.get("kind") != "municipality"]


class Letter:
    """One synthetic letter: text paragraphs and the gold graph, written together."""

    def __init__(self, seed: int, i: int):
        self.r = random.Random(f"{seed}:{i}")
        self.doc_id = f"synthetic-{i:06d}"
        self.gold = Gold(self.doc_id + ".txt")
        r = self.r
        prov = r.choice(_places())
        self.level = "city" if r.random() < 0.4 else "province"
        city = r.choice([c for c in prov["cities"] if not c.endswith(("州", "地区", "盟"))] or [prov["name"]])
        if self.level == "province":
            self.place, self.place_short, self.abbr = prov["full"], prov["name"], prov["abbr"]
        else:
            self.place, self.place_short, self.abbr = city + "市", city, city[0]
        pool = _pools()[self.level]
        self.bodies = [self._body(tpl, short) for tpl, short in pool]
        first = [b for b in self.bodies if "科学技术" in b.canonical] or self.bodies
        self.replier = r.choice(first) if r.random() < 0.7 else r.choice(self.bodies)
        self.year = r.randint(2016, 2024)
        self.paras: list[str] = []
        self.replier_id = self.gold.entity("Agency", self.replier.canonical, [self.replier.short], "department")
        self.place_id = self.gold.entity("Place", self.place, [self.place_short], required=False)

    def _body(self, tpl: str, short: str) -> Body:
        unit = UNIT[self.level]
        canonical = tpl.format(place=self.place)
        tail = canonical[-1] if canonical[-1] in "厅局" else "委"
        return Body(canonical, unit + short, "department", short[0], "我" + tail)

    # -- pieces: each writes a sentence and its gold facts ---------------------
    def co_issued_policy(self) -> str:
        r, g = self.r, self.gold
        others = r.sample([b for b in self.bodies if b is not self.replier], r.randint(2, 6))
        f = r.choice(FIELDS)
        title = self.place + r.choice(POLICY_HEADS).format(f=f)
        pid = g.entity("Policy", title, kind=policy_kind(title))
        g.rel("ISSUED", self.replier_id, pid)
        for b in others:
            g.rel("ISSUED", g.entity("Agency", b.canonical, [b.short], "department"), pid)
        names = "、".join(b.short for b in others)
        verb = r.choice(["联合", "会同"])
        act = r.choice(["出台", "印发", "制定出台"])
        if r.random() < 0.5:
            return f"{verb}{names}等{len(others)}部门{act}《{title}》，{r.choice(['进一步优化创新生态', '明确了支持方向和重点任务'])}。"
        return f"{verb}{names}{act}《{title}》，{r.choice(['推动政策落地见效', '形成政策合力'])}。"

    def implementing_policy(self) -> str:
        r, g = self.r, self.gold
        law = r.choice(NATIONAL_POLICIES)
        title = f"{self.place}贯彻落实〈{law}〉实施办法"
        shown = f"{self.place}贯彻落实＜{law}＞实施办法"
        pid = g.entity("Policy", title, kind="regulation")
        lid = g.entity("Policy", law, kind=policy_kind(law))
        g.rel("IMPLEMENTS", pid, lid)
        g.rel("ISSUED", self.replier_id, pid)
        return f"{self.replier.self_ref}{r.choice(['起草印发', '印发'])}《{shown}》，细化了成果转化收益分配等规定。"

    def program(self) -> str:
        r, g = self.r, self.gold
        form, kind = r.choice(PROGRAM_FORMS)
        # a province's or city's own programme carries its name, as most do (吉林省…“双千工程”)
        name = self.place_short + form.format(f=r.choice(FIELDS))
        pid = g.entity("Program", name.strip("“”"), [name], kind)
        g.rel("LEADS", self.replier_id, pid)
        verb = r.choice(["启动实施", "组织实施", "设立"]) if kind == "special_fund" else r.choice(["启动实施", "组织开展"])
        n = r.randint(12, 480)
        unit = r.choice(["项", "个"])
        g.indicator(pid, "支持项目", n, unit)
        return f"{verb}{name}，累计支持项目{n}{unit}。" if r.random() < 0.5 else \
            f"{verb}{name}，共支持项目{n}{unit}，带动企业加大研发投入。"

    def _firm(self) -> str:
        r = self.r
        return self.place_short + r.choice(BRANDS) + r.choice(FIRM_TRADES) + r.choice(["有限公司", "股份有限公司"])

    def _institution(self, f: str) -> tuple[str, str]:
        r = self.r
        x = r.random()
        if x < 0.4:
            u = r.choice(load("bodies")["university"])["names"]
            return u[0], r.choice(u)
        if x < 0.7:
            n = self._firm()
            return n, n
        n = f"{self.place}{f}{r.choice(['研究院', '技术研究所', '工程技术研究中心'])}"
        return n, n

    def _members(self, f: str, k: int):
        seen, out = set(), []
        while len(out) < k:
            full, shown = self._institution(f)
            if full not in seen:
                seen.add(full)
                out.append((full, shown))
        return out

    def alliance(self) -> str:
        r, g = self.r, self.gold
        f = r.choice(FIELDS)
        name = f"{self.place}{f}产业技术创新{r.choice(['联盟', '战略联盟'])}"
        aid = g.entity("Institution", name, kind="alliance")
        g.rel("SUPPORTS", self.replier_id, aid, required=False)
        members = self._members(f, r.randint(2, 5))
        total = len(members) + r.randint(5, 60)
        for full, shown in members:
            mid = g.entity("Institution", full, [shown], _inst_kind(full))
            g.rel("MEMBER_OF", mid, aid)
        listed = "、".join(s for _, s in members)
        g.indicator(aid, "成员单位", total, "家")
        return (f"{name}于{self.year - r.randint(1, 5)}年成立，已发展成员单位{total}家，包括{listed}等，"
                f"{r.choice(['围绕产业共性技术开展联合攻关', '推动创新资源开放共享'])}。")

    def event(self) -> str:
        r, g = self.r, self.gold
        form, kind = r.choice(EVENTS)
        name = form.format(y=self.year - 1, p=self.place_short, f=r.choice(FIELDS))
        eid = g.entity("Event", name, kind=kind)
        g.rel("ORGANIZED", self.replier_id, eid)
        verb = r.choice(["举办", "成功举办", "组织召开"]) if kind in ("meeting", "forum") else r.choice(["举办", "成功举办"])
        return f"{verb}“{name}”，{r.choice(['搭建产学研对接平台', '推动一批项目现场签约'])}。"

    def cooperation(self) -> str:
        r, g = self.r, self.gold
        u = r.choice(load("bodies")["university"])["names"]
        uid = g.entity("Institution", u[0], [u[0]], "university")
        g.rel("COOPERATES_WITH", self.replier_id, uid)
        agreement = r.choice(['战略合作协议', '科技合作框架协议'])
        lab = f"{r.choice(FIELDS)}联合实验室"       # (drawn in this order: the letters of a seed stay the same)
        g.entity("Institution", lab, kind="research_institute", required=False)   # named, if only by its field
        return f"与{u[0]}签订{agreement}，共建{lab}。"

    def pilot(self) -> str:
        r, g = self.r, self.gold
        f = r.choice(FIELDS)
        name = f"{self.place_short}{f}科技成果赋权改革试点"
        short = f"{self.place_short}{f}赋权试点"
        shown = r.choice([name, short])
        pid = g.entity("Program", name, [shown], kind="pilot")
        g.rel("LEADS", self.replier_id, pid)
        members = self._members(f, r.randint(2, 4))
        total = len(members) + r.randint(3, 20)
        for full, m_shown in members:
            g.rel("PARTICIPATES_IN", g.entity("Institution", full, [m_shown], _inst_kind(full)), pid)
        listed = "、".join(s for _, s in members)
        return f"启动{name}，将{listed}等{total}家单位纳入{shown}。"

    def place_figure(self) -> str:
        r, g = self.r, self.gold
        n = r.randint(100, 9000)
        what = r.choice(["高新技术企业", "科技型中小企业", "技术合同登记"])
        unit = "项" if what == "技术合同登记" else "家"
        g.indicator(self.place_id, what, n, unit)
        here = {"province": "全省", "city": "全市"}[self.level]
        return f"截至{self.year - 1}年底，{here}{what}达到{n}{unit}。"

    PIECES = ("co_issued_policy", "implementing_policy", "program", "alliance", "event", "cooperation",
              "pilot", "place_figure")

    def write(self) -> tuple[str, dict]:
        r, g = self.r, self.gold
        session = f"{UNIT[self.level]}政协{r.choice(['十二', '十三', '十四'])}届{r.choice(['一', '二', '三', '四', '五'])}次会议"
        number = f"{r.randint(1, 900)}" if r.random() < 0.5 else f"{self.year}{r.randint(1, 999):04d}"
        person = r.choice(SURNAMES) + "".join(r.sample(GIVEN, r.randint(1, 2)))
        topic = r.choice(TOPICS)
        proposal = f"关于{topic}的提案"
        pid = g.entity("Proposal", proposal, [], None, number=number, session=session)
        cppcc = f"中国人民政治协商会议{self.place}委员会"   # named only inside the session: optional
        g.entity("Agency", cppcc, [f"{UNIT[self.level]}政协"], "consultative", required=False)
        hid = g.entity("Person", person, [person + "委员"], None, role="委员")
        g.rel("PROPOSED", hid, pid)
        title = f"关于{session}第{number}号提案的答复"
        docno = f"{self.abbr}{self.replier.abbr}{r.choice(['函', '提'])}〔{self.year}〕{r.randint(1, 300)}号"
        month, day = r.randint(5, 10), r.randint(1, 28)
        date = f"{self.year}-{month:02d}-{day:02d}"
        did = g.entity("Document", title, [docno], "reply", doc_number=docno, date=date)
        g.rel("ISSUED", self.replier_id, did)
        g.rel("REPLIES_TO", did, pid)
        heads = [c + "、" for c in "一二三四五六七八九十"]
        # a seed-sized letter (about 3,900 characters, like corpus/): sections of facts and prose
        sections = r.randint(9, 10)
        themes = r.sample(THEMES, sections)
        body = []
        for k in range(sections):
            body.append(f"　　{heads[k]}{themes[k]}")
            facts = [getattr(self, name)() for name in r.sample(self.PIECES, r.randint(2, 4))]
            prose = [p + "。" for p in r.sample(PROSE, r.randint(4, 7))]
            mixed = r.sample(facts + prose, len(facts) + len(prose))
            # a paragraph that turns to an alliance goes on about it (GUIDE: the sentences after it
            # have it as subject), so an alliance closes its paragraph
            mixed.sort(key=lambda x: "已发展成员单位" in x)
            body.append("　　" + "".join(mixed))
        text = "\n".join([
            f"　　{title}",
            f"　　{docno}",
            "",
            f"{person}委员：",
            f"　　您在{session}上提出的《{proposal}》收悉。经认真研究，现答复如下：",
            *body,
            "　　感谢您对我们工作的关心和支持。",
            "",
            f"　　{self.replier.canonical}",
            f"　　{self.year}年{month}月{day}日",
            "",
        ])
        return text, g.as_dict()


def _inst_kind(name: str) -> str:
    return suffix_kind(name, INST_SUFFIX) or "institution"


def letter(i: int, seed: int = 1) -> tuple[str, str, dict]:
    """(doc_id, text, gold) of letter i."""
    text, gold = Letter(seed, i).write()
    return f"synthetic-{i:06d}", text, gold


def write_corpus(out: Path, n: int, seed: int = 1, start: int = 0, with_gold: bool = True) -> Path:
    (out / "corpus").mkdir(parents=True, exist_ok=True)
    if with_gold:
        (out / "gold").mkdir(parents=True, exist_ok=True)
    for i in range(start, start + n):
        doc_id, text, gold = letter(i, seed)
        (out / "corpus" / f"{doc_id}.txt").write_text(text, encoding="utf-8")
        if with_gold:
            (out / "gold" / f"{doc_id}.json").write_text(json.dumps(gold, ensure_ascii=False, indent=1),
                                                         encoding="utf-8")
    return out / "corpus"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--no-gold", action="store_true")
    a = ap.parse_args(argv)
    write_corpus(a.out, a.n, a.seed, with_gold=not a.no_gold)
    print(f"wrote {a.n} letters to {a.out / 'corpus'}" + ("" if a.no_gold else f" and gold to {a.out / 'gold'}"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
