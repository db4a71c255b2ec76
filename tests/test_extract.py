"""Each extraction pattern, on letters written for the tests."""
import pytest

from conftest import FIXTURES, letter

HUBEI = FIXTURES / "hubei-kjt-2023-101.txt"
XIANNING = FIXTURES / "xianning-kjj-2024-12.txt"


@pytest.fixture(scope="module")
def hubei(request):
    from conftest import View
    from kg.pipeline import extract_one
    return View(extract_one(HUBEI))


def test_provincial_short_forms_expand_with_the_replying_province(hubei):
    for short, full in [("省财政厅", "湖北省财政厅"), ("省人社厅", "湖北省人力资源和社会保障厅"),
                        ("省教育厅", "湖北省教育厅")]:
        assert hubei.node(short).name == full


def test_national_ministries_get_full_names(hubei):
    assert hubei.node("科技部").name == "中华人民共和国科学技术部"
    assert hubei.node("教育部").name == "中华人民共和国教育部"


def test_two_plates_are_one_body(hubei):
    n = hubei.node("湖北省市场监督管理局")
    assert n is not None and "省知识产权局" in n.aliases
    assert hubei.node("省知识产权局") is n


def test_co_issuers_of_a_plan_include_the_replying_agency(hubei):
    issuers = {s for s, t in hubei.rels("ISSUED") if t == "湖北省科技成果转化激励办法"}
    assert issuers == {"湖北省科学技术厅", "湖北省财政厅", "湖北省人力资源和社会保障厅", "湖北省市场监督管理局"}


def test_nested_title_is_two_policies_with_head_issuers_and_implements(hubei):
    outer = "贯彻落实〈科技部教育部关于加强高校科技成果转化工作的若干意见〉实施方案"
    inner = "科技部教育部关于加强高校科技成果转化工作的若干意见"
    assert hubei.node(outer, "Policy") and hubei.node(inner, "Policy")
    assert hubei.rel("IMPLEMENTS", outer, inner)
    assert {s for s, t in hubei.rels("ISSUED") if t == inner} == {"中华人民共和国科学技术部", "中华人民共和国教育部"}
    assert {s for s, t in hubei.rels("ISSUED") if t == outer} == {"湖北省科学技术厅", "湖北省教育厅"}


def test_subjectless_sentences_have_the_replying_agency_as_subject(hubei):
    assert hubei.rel("LEADS", "湖北省科学技术厅", "百校千企工程")
    assert hubei.rel("LEADS", "湖北省科学技术厅", "“揭榜攻关”专项")
    assert hubei.rel("SUPPORTS", "湖北省科学技术厅", "武汉光谷技术转移服务中心")
    assert hubei.rel("ORGANIZED", "湖北省科学技术厅", "2023年湖北科技成果对接大会")
    assert hubei.rel("ORGANIZED", "湖北省科学技术厅", "中国科学院技术转移工作会议")


def test_cooperation_with_short_named_universities(hubei):
    for u in ("武汉大学", "华中科技大学", "华中农业大学"):
        assert hubei.rel("COOPERATES_WITH", "湖北省科学技术厅", u), u
    assert hubei.node("武大").name == "武汉大学"


def test_alliance_members_and_investments(hubei):
    members = {s for s, t in hubei.rels("MEMBER_OF") if t == "湖北省技术转移联盟"}
    assert members == {"武汉大学", "华中科技大学", "湖北长江科技有限公司", "楚天智能集团"}
    invested = {t for s, t in hubei.rels("INVESTED_IN") if s == "湖北省技术转移联盟"}
    assert invested == {"武汉星辰材料有限公司", "襄阳云帆电子有限公司"}


def test_pilot_units(hubei):
    r = hubei.rel("PARTICIPATES_IN", "武汉理工大学", "科技成果赋权改革试点")
    assert r and r.properties["role"] == "pilot_unit"


def test_generic_mentions_are_not_entities(hubei):
    all_names = {n.name for n in hubei.g.nodes.values()}
    assert not all_names & {"有关部门", "各高校", "高校", "科技型企业"}


def test_indicators_are_normalized(hubei):
    inds = {(hubei.g.nodes[r.source].name, hubei.g.nodes[r.target].properties["value"],
             hubei.g.nodes[r.target].properties["qualifier"])
            for r in hubei.g.relationships.values() if r.type == "HAS_INDICATOR"}
    assert ("湖北省技术转移联盟", 56, "exact") in inds
    assert ("湖北省技术转移联盟", 250000000, "exact") in inds
    assert ("湖北省", 120, "exact") in inds
    assert ("湖北省", 3000, "approximately") in inds


def test_reply_proposal_and_proposer(hubei):
    doc = hubei.node("关于省政协十三届一次会议第101号委员提案的答复", "Document")
    assert doc.properties["doc_number"] == "鄂科函〔2023〕45号" and doc.properties["date"] == "2023-06-18"
    assert hubei.rel("REPLIES_TO", doc.name, "关于加快建设科技成果转化平台的建议")
    assert hubei.rel("PROPOSED", "张三", "关于加快建设科技成果转化平台的建议")
    assert hubei.rel("ISSUED", "湖北省科学技术厅", doc.name).properties["date"] == "2023-06-18"


def test_city_letter_from_a_web_page(view_of):
    v = view_of(XIANNING)
    assert v.node("我局").name == "咸宁市科学技术局"
    assert v.node("市财政局").name == "咸宁市财政局"
    r = v.rel("ISSUED", "咸宁市财政局", "咸宁市科技特派员工作管理办法")
    assert r and r.properties["date"] == "2023-05"
    assert v.node("咸宁市科技特派员工作管理办法").properties["doc_number"] == "咸科发〔2023〕9号"
    assert v.rel("COOPERATES_WITH", "咸宁市科学技术局", "咸宁市财政局")
    planned = v.node("咸宁市县域创新驱动发展实施方案")
    assert planned.properties["status"] == "planned"
    assert not v.rel("ISSUED", "咸宁市科学技术局", planned.name)
    assert v.node("对第12号建议的答复", "Document") is not None


def test_every_fact_has_evidence_pointing_into_the_text(hubei):
    text = HUBEI.read_text(encoding="utf-8")
    for r in hubei.g.relationships.values():
        assert r.evidence, r
        for ev in r.evidence:
            assert 0 <= ev.start <= ev.end <= len(text)
            assert ev.sentence and ev.sentence in text
    for n in hubei.g.nodes.values():
        assert n.evidence, n.name


def test_bodies_of_two_provinces_stay_apart():
    a = letter("关于第1号提案的答复\n\n赵六委员：\n您提出的《关于甲的建议》收悉。\n联合省教育厅印发《关于乙的通知》。\n\n四川省科学技术厅\n2023年1月2日\n")
    b = letter("关于第2号提案的答复\n\n钱七委员：\n您提出的《关于丙的建议》收悉。\n联合省教育厅印发《关于丁的通知》。\n\n广东省科学技术厅\n2023年1月2日\n")
    assert a.node("省教育厅").name == "四川省教育厅"
    assert b.node("省教育厅").name == "广东省教育厅"


def test_document_number_prefix_gives_the_province():
    v = letter("对第3号提案的答复\n苏科函〔2021〕3号\n\n孙八委员：\n您提出的《关于戊的建议》收悉。\n会同省财政厅出台《关于己的意见》。\n")
    assert v.node("省财政厅").name == "江苏省财政厅"


def test_a_ministry_replies_to_an_npc_deputy(view_of):
    v = view_of(FIXTURES / "most-2023-1234.txt")
    most = "中华人民共和国科学技术部"
    assert v.node("我部").name == most and v.node("科学技术部").name == most
    assert v.rel("PROPOSED", "王明", "关于加快培育新型研发机构的建议")      # a title with no quotation marks
    policy = "关于促进新型研发机构发展的指导意见"
    assert {s for s, t in v.rels("ISSUED") if t == policy} == {
        most, "中华人民共和国国家发展和改革委员会", "中华人民共和国财政部"}
    assert v.node(policy).properties["doc_number"] == "国科发政〔2019〕313号"
    assert v.rel("LEADS", most, "科技创新2030—重大项目")
    assert v.rel("SUPPORTS", most, "北京量子信息科学研究院") and v.rel("SUPPORTS", most, "之江实验室")
    assert v.rel("COOPERATES_WITH", most, "上海市人民政府")
    assert v.node("张江综合性国家科学中心") is not None
    assert v.node("全国人民代表大会") is None          # the header's session names no actor
    assert v.node("新型研发机构高质量发展行动方案").properties["status"] == "planned"


def test_a_county_page_with_a_metadata_block(view_of):
    v = view_of(FIXTURES / "hongan-kjj-2024-8.txt")
    doc = v.node("对县十九届人大三次会议第8号建议的答复", "Document")
    assert doc.properties["index_number"] == "11421100MB1234567X/2024-00012"
    assert doc.properties["date"] == "2024-05-10"
    assert v.node("我局").name == "红安县科学技术和经济信息化局"
    assert v.node("县财政局").name == "红安县财政局"          # a county the data does not list
    assert {s for s, t in v.rels("ISSUED") if t == "红安县中小企业数字化转型专项资金管理办法"} == {
        "红安县科学技术和经济信息化局", "红安县财政局"}
    assert v.rel("PROPOSED", "刘芳", "关于支持县域中小企业数字化转型的建议")
    assert v.rel("COOPERATES_WITH", "红安县科学技术和经济信息化局", "武汉理工大学")


def test_a_municipal_commission_answers_a_collective_proposal(view_of):
    v = view_of(FIXTURES / "shanghai-kw-2024-456.txt")
    assert v.node("市科委").name == "上海市科学技术委员会"
    assert v.node("市经济信息化委").name == "上海市经济和信息化委员会"
    proposer = v.node("民盟上海市委")
    assert proposer.label == "Institution"
    assert v.rel("PROPOSED", "民盟上海市委", "关于加强长三角科技创新共同体建设的提案")
    assert v.node("中国共产党上海市委员会") is None     # 民盟上海市委 is not the CPC's committee
    assert {s for s, t in v.rels("ISSUED") if t == "上海市推进长三角科技创新共同体建设实施方案"} == {
        "上海市科学技术委员会", "上海市发展和改革委员会", "上海市经济和信息化委员会"}
    for other in ("江苏省科学技术厅", "浙江省科学技术厅", "安徽省科学技术厅"):
        assert v.rel("COOPERATES_WITH", "上海市科学技术委员会", other)
    assert v.rel("ORGANIZED", "上海市科学技术委员会", "第二届长三角科技交流大会")


def test_a_provincial_department_with_cc_lines_and_category_lists(view_of):
    v = view_of(FIXTURES / "guangdong-gxt-2024-1056.txt")
    me = "广东省工业和信息化厅"
    plan = "广东省发展汽车战略性支柱产业集群行动计划（2021—2025年）"
    assert {s for s, t in v.rels("ISSUED") if t == plan} == {me, "广东省发展和改革委员会", "广东省财政厅"}
    assert v.node(plan).properties["doc_number"] == "粤工信汽车〔2020〕123号"
    assert v.rel("IMPLEMENTS", plan, "新能源汽车产业发展规划（2021—2035年）")   # 贯彻落实《A》…制定出台了《B》
    assert v.node("比亚迪", "Institution") and v.node("广汽埃安", "Institution")   # 比亚迪、广汽埃安等龙头企业
    assert v.rel("SUPPORTS", me, "广汽集团") and v.rel("SUPPORTS", me, "华南理工大学")
    assert v.rel("LEADS", me, "“新能源汽车关键零部件”重点专项")
    # the cc line and the contact line are metadata, not the letter's content
    assert v.node("省政府办公厅") is None and v.node("广东省人民代表大会常务委员会") is None
    inds = {(v.g.nodes[r.source].name, v.g.nodes[r.target].properties["value"])
            for r in v.g.relationships.values() if r.type == "HAS_INDICATOR"}
    assert ("广东省", 2532000) in inds and ("“新能源汽车关键零部件”重点专项", 350000000) in inds


def test_a_municipal_commission_with_second_level_headings(view_of):
    v = view_of(FIXTURES / "tianjin-fgw-2023-0088.txt")
    me = "天津市发展和改革委员会"
    assert v.node("我委").name == me
    measures = "天津市促进人工智能产业发展若干措施"          # 措施 is a policy too
    assert {s for s, t in v.rels("ISSUED") if t == measures} == {me, "天津市科学技术局", "天津市工业和信息化局"}
    assert v.rel("LEADS", me, "人工智能产业发展专项资金")
    members = {s for s, t in v.rels("MEMBER_OF") if t == "天津市人工智能产业联盟"}
    assert members == {"南开大学", "天津大学", "天津麒麟信息技术有限公司", "曙光信息产业股份有限公司"}
    assert v.rel("COOPERATES_WITH", me, "华为技术有限公司")     # 为 inside a name does not cut it
    assert v.rel("PROPOSED", "九三学社天津市委员会", "关于加快人工智能产业发展的提案")
    assert v.rel("ORGANIZED", me, "2023世界智能大会")


def test_short_forms_keep_the_name_the_letter_gives():
    v = letter("对第7号提案的答复\n\n郑十委员：\n您提出的《关于壬的建议》收悉。\n"
               "我局会同市经信局、市工信局出台《成都市甲办法》。\n\n成都市科学技术局\n2023年5月6日\n")
    assert v.node("市经信局").name == "成都市经济和信息化局"     # not renamed to 工业和信息化局
    assert v.node("市工信局").name == "成都市工业和信息化局"
