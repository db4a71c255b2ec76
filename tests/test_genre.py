"""The shapes of the genre, class by class, on short letters written for these tests: the
letter's frame (titles, metadata, salutations, acknowledgements, the replier), the naming
of bodies at every level, and the relationship patterns settled in the annotation guide."""
from conftest import letter
from kg.extract.structure import parse


def figures_of(v, node) -> set:
    """The values of the indicators a node carries."""
    return {v.g.nodes[r.target].properties["value"] for r in v.g.relationships.values()
            if r.type == "HAS_INDICATOR" and r.source == node.id}


# -- the frame -----------------------------------------------------------------

def test_reply_titles_of_every_shape():
    assert parse("深圳市某委员会关于市政协第 20230001 号重点提案办理意见的函\n\n民盟深圳市委会:\n").title \
        == "深圳市某委员会关于市政协第20230001号重点提案办理意见的函"
    # a web page's headline with its site name, and a bullet with the publishing date
    assert parse("关于十四届全国人大三次会议第0001号建议的答复摘要-某某网\n正文\n").title \
        == "关于十四届全国人大三次会议第0001号建议的答复摘要"
    assert parse("  • 对市政协十四届三次会议第0002号提案的答复 2020-12-29\n\n  王五委员:\n").title \
        == "对市政协十四届三次会议第0002号提案的答复"


def test_metadata_several_fields_to_a_line_or_key_and_value_on_two_lines():
    st = parse("信息名称\n对某某建议的答复\n信息所属单位\n发展规划司\n"
               "索引号: 000019705/2025-000273 主办单位: 国家能源局\n\n您提出的关于某事的建议收悉。\n")
    assert st.meta["信息名称"] == "对某某建议的答复"
    assert st.meta["信息所属单位"] == "发展规划司"
    assert st.meta["主办单位"] == "国家能源局" and st.meta["索引号"] == "000019705/2025-000273"


def test_salutations_with_a_count_and_acknowledgements_without_收悉():
    st = parse("曹某等4位委员:\n你们提出的《关于修建乡村道路的提案》(第172号)交由我们办理,现答复如下:\n")
    assert (st.recipient, st.recipient_role) == ("曹某", "委员")
    assert st.proposal_title == "关于修建乡村道路的提案" and st.proposal_number == "172"
    st = parse("李某委员:\n接到市政协第十四届三次会议第0566号“关于发展循环经济的建议”的提案,我委高度重视。\n")
    assert st.proposal_title == "关于发展循环经济的建议" and st.proposal_number == "0566"
    assert st.session == "市政协第十四届三次会议"


def test_a_collective_proposal_of_a_democratic_party_committee():
    v = letter("民盟某某市委会:\n你们提出的《关于加快发展某某产业的提案》收悉。现答复如下:\n一、好。\n\n"
               "郑州市科学技术局\n2024年5月1日\n")
    party = v.node("民盟某某市委会")
    assert party is not None and party.label == "Institution" and party.kind == "party"
    assert ("民盟某某市委会", "关于加快发展某某产业的提案") in v.rels("PROPOSED")
    assert v.node("民盟郑州市委会").name == "中国民主同盟郑州市委员会" if v.node("民盟郑州市委会") else True
    v = letter("民建郑州市委:\n你们提出的《关于某事的提案》收悉。\n\n郑州市科学技术局\n2024年5月1日\n")
    assert ("中国民主建国会郑州市委员会", "关于某事的提案") in v.rels("PROPOSED")


def test_the_replier_from_the_title_the_document_number_or_the_opening_sentence():
    # the title's head
    v = letter("河南省教育厅关于省政协十二届三次会议第1号提案的答复\n\n张三委员:\n您提出的《关于甲的提案》收悉。\n"
               "一、2020年,出台《河南省某某办法》。\n")
    assert ("河南省教育厅", "河南省某某办法") in v.rels("ISSUED")
    # the department's abbreviation in the document number, in a province's letter
    v = letter("对省政协十二届三次会议第2号提案的答复\n教政复字〔2020〕82号\n\n张三委员:\n您提出的《关于乙的提案》收悉。\n"
               "近年来,我省高度重视河南省的中小学教育。\n")
    assert {s for s, _t in v.rels("ISSUED")} == {"河南省教育厅"}
    # a ministry's letter: the body its first sentence says takes the proposal up
    v = letter("关于政协十三届全国委员会第三次会议第3号提案答复的函\n\n您提出的《关于丙的提案》收悉,现答复如下:\n"
               "教育部高度重视人工智能教育。2018年,印发《教育信息化2.0行动计划》。\n")
    assert ("中华人民共和国教育部", "教育信息化2.0行动计划") in v.rels("ISSUED")


def test_a_body_named_first_is_not_the_replier_by_default():
    # 会同省科技厅: a co-handler, never the replier; with no signature nobody issues the plan
    v = letter("《关于丁的建议》收悉。我厅十分重视。现答复如下:\n2019年,会同省科技厅、省财政厅出台《某某七条措施》。\n")
    issuers = {s for s, t in v.rels("ISSUED") if t == "某某七条措施"}
    assert "省科技厅" not in issuers and all(not s.endswith("科学技术厅") for s in issuers - {"省科技厅"}) \
        or issuers == set()


def test_an_untitled_reply_carries_every_name_it_is_cited_by():
    v = letter("张三代表:\n您提出的《关于戊的建议》(第94号)收悉。现答复如下:\n一、好。\n")
    doc = next(n for n in v.g.nodes.values() if n.label == "Document")
    assert doc.name == "对第94号建议的答复"
    assert "对《关于戊的建议》的答复" in doc.aliases


# -- naming ----------------------------------------------------------------------

def test_counties_and_districts_of_the_whole_country():
    v = letter("李某委员:\n接到第1号“关于甲的建议”的提案,我委会同市商务局、静海区政府认真研究。\n\n"
               "天津市发展和改革委员会\n2020年12月29日\n")
    assert v.node("静海区政府").name == "天津市静海区人民政府"
    v = letter("对政协文山州十三届一次会议第1号提案的答复\n\n张某委员:\n你们提出的《关于乙的提案》收悉。\n"
               "州教育体育局编制了《文山州某某专项规划》。\n\n文山州教育体育局\n2022年7月5日\n")
    assert v.node("文山州教育体育局").name == "文山壮族苗族自治州教育体育局"
    # 会同 is a verb here, not 会同县 of another province
    v = letter("我局会同县财政局出台《某县办法》。\n\n红安县科学技术局\n2024年5月10日\n")
    assert v.node("县财政局").name == "红安县财政局"


def test_party_departments_local_offices_campuses_and_parks():
    v = letter("2021年,我厅牵头联合省委组织部等九个部门制定《某某若干措施》。\n\n福建省教育厅\n2021年6月1日\n")
    assert v.node("省委组织部").name == "中共福建省委组织部"
    assert v.node("中国共产党福建省委员会") is None
    v = letter("我行会同国家金融监督管理总局湖北监管局,支持工商银行武汉分行、湖北银行等12家银行发放贷款。\n\n"
               "中国人民银行湖北省分行\n2024年1月1日\n")
    assert v.node("国家金融监督管理总局湖北监管局").label == "Agency"
    assert v.node("工商银行武汉分行").name == "中国工商银行武汉分行"
    assert not any(n.name.startswith("12家") for n in v.g.nodes.values())
    v = letter("哈尔滨工业大学(深圳)正与鹏城实验室联合推进人才培育合作。支持宝鸡高新区建设。\n\n深圳市科技创新委员会\n2023年1月1日\n")
    assert v.node("哈尔滨工业大学(深圳)").label == "Institution"
    assert ("哈尔滨工业大学(深圳)", "鹏城实验室") in v.rels("COOPERATES_WITH")
    assert v.node("宝鸡高新区").name == "宝鸡高新技术产业开发区"


def test_a_national_letter_reads_bare_names_as_national_bodies():
    v = letter("关于政协十三届全国委员会第三次会议第4号提案答复的函\n\n您提出的《关于丁的提案》收悉。\n"
               "工业和信息化部联合发展改革委等15个部门成立工作专班。\n")
    assert ("中华人民共和国工业和信息化部", "中华人民共和国国家发展和改革委员会") in v.rels("COOPERATES_WITH")


def test_schools_and_the_nouns_that_only_look_like_them():
    v = letter("如人民小学开发特色课程,督促推动广南县者兔乡糯乍小学教学楼建设。我省中小学普及人工智能教育。\n\n"
               "某县教育局\n2024年1月1日\n")
    assert v.node("人民小学").kind == "school" and v.node("广南县者兔乡糯乍小学") is not None
    assert not any("中小学" in n.name for n in v.g.nodes.values() if n.label == "Institution")


# -- relationships ---------------------------------------------------------------

def test_titles_listed_after_one_verb_or_one_body_share_its_issuers():
    v = letter("州教育体育局编制了《某州甲规划》《某州乙规划》《某州丙规划》。市工信局依据工信部《甲准入条件》《乙规范条件》等文件开展工作。\n\n"
               "文山州教育体育局\n2024年1月1日\n")
    assert {t for s, t in v.rels("ISSUED") if s.endswith("教育体育局") and v.node(t).label == "Policy"} \
        == {"某州甲规划", "某州乙规划", "某州丙规划"}
    assert {t for s, t in v.rels("ISSUED") if s == "中华人民共和国工业和信息化部"} == {"甲准入条件", "乙规范条件"}


def test_a_law_passed_by_a_body_named_after_由():
    v = letter("《中华人民共和国某某法》已由中华人民共和国第十二届全国人民代表大会常务委员会第二十五次会议于2016年12月25日通过。\n")
    assert ("全国人民代表大会常务委员会", "中华人民共和国某某法") in v.rels("ISSUED")


def test_a_title_that_names_its_issuer_is_not_the_citing_subjects():
    v = letter("近年来,相继出台《国务院关于推行某某制度的意见》等政策。国办发24号文件提出持续开展某某提升行动。\n\n"
               "人力资源社会保障部\n2019年9月13日\n")
    issuers = {s for s, t in v.rels("ISSUED") if t == "国务院关于推行某某制度的意见"}
    assert issuers == {"中华人民共和国国务院"}
    assert ("中华人民共和国人力资源和社会保障部", "某某提升行动") not in v.rels("LEADS")


def test_joint_issuers_before_联合_and_partners_after_会同():
    v = letter("我行认真贯彻落实中国人民银行、科技部等部门联合印发的《关于支持某某的通知》。"
               "2019年,会同省科技厅出台《某某办法》。\n\n中国人民银行江苏省分行\n2024年1月1日\n")
    assert {s for s, t in v.rels("ISSUED") if t == "关于支持某某的通知"} == {"中国人民银行", "中华人民共和国科学技术部"}
    assert {s for s, t in v.rels("ISSUED") if t == "某某办法"} == {"中国人民银行江苏省分行", "江苏省科学技术厅"}


def test_the_subject_joined_to_bodies_counted_after_等():
    v = letter("此前,我部会同国家发展改革委、财政部等9部门联合印发《关于实施某某改造工程的指导意见》。"
               "中国人民银行、科技部等七部门联合印发的《关于支持某某的通知》。\n\n中华人民共和国民政部\n2022年1月1日\n")
    assert {s for s, t in v.rels("ISSUED") if t == "关于实施某某改造工程的指导意见"} == {
        "中华人民共和国民政部", "中华人民共和国国家发展和改革委员会", "中华人民共和国财政部"}
    # bodies counted with 等 and no subject joined to them: the subject only names them
    assert {s for s, t in v.rels("ISSUED") if t == "关于支持某某的通知"} == {"中国人民银行", "中华人民共和国科学技术部"}


def test_a_document_carried_out_when_named_again_or_called_the_measure_of_another():
    v = letter("2017年,自治区人民政府印发《关于推进某某中心建设的实施意见》。为贯彻落实该实施意见,我厅联合印发"
               "《某某发展三年行动计划》。2022年,我厅印发《某某产业发展规划》,该规划是落实自治区能源局印发的"
               "《自治区某某发展规划》的具体举措。根据这一通知,我厅开展工作。\n\n新疆维吾尔自治区商务厅\n2023年1月1日\n")
    impl = v.rels("IMPLEMENTS")
    assert ("某某发展三年行动计划", "关于推进某某中心建设的实施意见") in impl
    assert ("某某产业发展规划", "自治区某某发展规划") in impl
    # 这一通知 names no notice before it: nothing is carried out
    assert len(impl) == 2


def test_a_pilot_named_again_by_its_bare_ending():
    v = letter("2016年，在承德市、上海市等15个城市启动长期护理保险制度试点。中国人民健康保险股份有限公司、"
               "中国人寿保险股份有限公司等商业保险机构参与试点经办服务。\n"
               "二、某某大学参与试点。\n\n国家医疗保障局\n2024年6月1日\n")
    takers = {s for s, t in v.rels("PARTICIPATES_IN") if t == "长期护理保险制度试点"}
    # the pilot of the paragraph, not one named in another
    assert takers == {"中国人民健康保险股份有限公司", "中国人寿保险股份有限公司"}


def test_a_programme_named_before_工作_by_示范_or_创建():
    v = letter("我厅组织开展电子商务进农村综合示范工作，疏附县等12个县纳入国家电子商务进农村综合示范县。"
               "国家卫生健康委组织开展全国示范性老年友好型社区创建工作。"
               "推进先进技术试验示范，开展示范工作。\n\n新疆维吾尔自治区商务厅\n2018年6月1日\n")
    programmes = {n.name for n in v.g.nodes.values() if n.label == "Program"}
    # the designated units (…示范县) are the programme's, not another programme
    assert programmes == {"电子商务进农村综合示范", "全国示范性老年友好型社区创建"}
    assert ("新疆维吾尔自治区商务厅", "电子商务进农村综合示范") in v.rels("LEADS")


def test_an_event_named_by_活动_or_演练_only_with_its_year_or_edition():
    v = letter("2018年11月，我局承办2018中国·雷山苗年活动。我局举办系列宣传活动。我局联合举办2018年雷山县防汛应急演练。"
               "我局组织应急演练。\n\n雷山县文体广电旅游局\n2019年1月1日\n")
    assert {n.name for n in v.g.nodes.values() if n.label == "Event"} == {"2018中国·雷山苗年活动", "2018年雷山县防汛应急演练"}
    assert ("雷山县文体广电旅游局", "2018中国·雷山苗年活动") in v.rels("ORGANIZED")


def test_customs_and_maritime_offices_county_cities_by_bare_name_and_a_signature_with_two_plates():
    v = letter("关于自治区十三届人大二次会议第0286号建议办理情况的答复（摘要）\n\n李某代表：\n"
               "你们提出的《关于提升口岸通关便利化水平的建议》收悉。满洲里海关高度重视，现答复如下：\n"
               "一、我关支持满洲里边民互市贸易区建设。我关与舟山海事局联合举办海上应急救援演练。\n")
    assert v.node("满洲里海关").name == "中华人民共和国满洲里海关"
    assert v.node("舟山海事局").name == "中华人民共和国舟山海事局"
    title = "关于自治区十三届人大二次会议第0286号建议办理情况的答复（摘要）"
    assert ("中华人民共和国满洲里海关", title) in v.rels("ISSUED")
    w = letter("关于市政协九届四次会议第67号提案的答复\n\n张某委员：\n您提出的《关于某事的提案》收悉。现答复如下：\n"
               "一、我局开展某某工作。\n\n珠海市市场监督管理局（珠海市知识产权局）\n2019年6月25日\n")
    assert ("珠海市市场监督管理局", "关于市政协九届四次会议第67号提案的答复") in w.rels("ISSUED")


def test_a_plan_named_for_a_programme_with_方案_carries_it_out():
    v = letter("开展渔船安全生产百日攻坚行动。我局印发《舟山市渔船安全生产百日攻坚行动方案（2021年）》。"
               "国务院办公厅印发《国务院办公厅关于印发渔船安全生产百日攻坚行动方案的通知》。\n\n舟山市应急管理局\n2021年6月1日\n")
    impl = v.rels("IMPLEMENTS")
    assert ("舟山市渔船安全生产百日攻坚行动方案（2021年）", "渔船安全生产百日攻坚行动") in impl
    # the notice that issues a plan is not the plan
    assert not any(s.endswith("的通知") for s, _t in impl)


def test_a_later_clause_of_the_jurisdiction_names_no_issuer_and_places_in_a_list_are_no_firms():
    v = letter("国家体育总局、国家发展改革委联合印发《冰雪运动发展规划（2016—2025年）》后，"
               "自治区出台了《新疆维吾尔自治区冰雪运动发展规划（2017—2025年）》。"
               "我局组织省内企业与浙江、广东等主销区企业签订产销合作协议。\n\n伊犁哈萨克自治州体育局\n2019年6月1日\n")
    assert {s for s, t in v.rels("ISSUED") if t.startswith("冰雪运动发展规划")} == {
        "国家体育总局", "中华人民共和国国家发展和改革委员会"}
    assert not {s for s, t in v.rels("ISSUED") if t.startswith("新疆")}
    assert not [n for n in v.g.nodes.values() if n.label == "Institution"]


def test_a_vocational_college_is_named_wherever_it_stands():
    v = letter("我局与湖北三峡职业技术学院联合举办养老护理员职业技能培训班。\n\n长阳土家族自治县民政局\n2017年6月1日\n")
    college = v.node("湖北三峡职业技术学院", "Institution")
    assert college is not None and college.kind == "university"


def test_hosting_an_event_together_is_no_cooperation_of_its_own_and_carrying_out_a_programme_together_is():
    v = letter("2021年10月，我局与浙江省人民政府在杭州共同举办2021中国快递物流发展论坛。"
               "我局与中国邮政集团有限公司签订战略合作协议。\n\n国家邮政局\n2022年6月1日\n")
    assert {s for s, t in v.rels("ORGANIZED")} == {"国家邮政局", "浙江省人民政府"}
    assert v.rels("COOPERATES_WITH") == {("国家邮政局", "中国邮政集团有限公司")}
    w = letter("中国邮政集团有限公司与中国邮政储蓄银行股份有限公司协同实施“邮政+电商+金融”助农工程。\n\n国家邮政局\n2022年6月1日\n")
    assert w.rels("COOPERATES_WITH") == {("中国邮政集团有限公司", "中国邮政储蓄银行股份有限公司")}


def test_bodies_of_foreign_states_and_of_the_special_administrative_regions():
    v = letter("我关与俄罗斯联邦后贝加尔斯克海关签订合作备忘录。我局与澳门经济局在横琴共同举办首届珠澳知识产权合作论坛。"
               "俄罗斯企业参加交易会。与澳门大学开展合作。\n\n中华人民共和国满洲里海关\n2019年6月1日\n")
    foreign = {n.name for n in v.g.nodes.values() if n.label == "Agency" and n.kind == "foreign"}
    assert foreign == {"俄罗斯联邦后贝加尔斯克海关", "澳门特别行政区政府经济局"}
    assert v.node("澳门大学", "Institution") is not None
    # a local office signed with its full name replies
    assert ("中华人民共和国满洲里海关", "俄罗斯联邦后贝加尔斯克海关") in v.rels("COOPERATES_WITH")
    assert {s for s, _t in v.rels("ISSUED")} >= {"中华人民共和国满洲里海关"}


def test_a_short_name_stands_for_a_merged_department_only_by_its_initials_or_its_last_part():
    v = letter("我局与州教育局、州文化体育广播电视和旅游局共同主办冬季运动会。我局承办全国高山滑雪青年锦标赛。\n\n"
               "伊犁哈萨克自治州体育局\n2019年8月6日\n")
    assert v.node("伊犁哈萨克自治州文化体育广播电视和旅游局", "Agency") is not None
    assert ("伊犁哈萨克自治州体育局", "全国高山滑雪青年锦标赛") in v.rels("ORGANIZED")
    # the body that signs is its own, not a short form of another the letter lists
    u = letter("联合市水利局、市科工信局出台《某某办法》。\n\n乌鲁木齐市科学技术局\n2020年8月1日\n")
    signer = u.node("乌鲁木齐市科学技术局", "Agency")
    assert signer is not None and signer.name == "乌鲁木齐市科学技术局"
    assert "我局" not in u.node("乌鲁木齐市科学技术和工业信息化局", "Agency").aliases
    # 自然资源局 is the last part of 规划和自然资源局: one body
    w = letter("我局会同市规划和自然资源局开展工作。市自然资源局牵头编制规划。\n\n大庆市科学技术局\n2019年8月6日\n")
    assert {n.name for n in w.g.nodes.values() if n.label == "Agency" and "自然资源" in n.name} == {"大庆市规划和自然资源局"}


def test_welfare_homes_of_a_county_are_named_with_it():
    v = letter("县社会福利院实行公建民营。推动县中医医院与县社会福利院签订医养结合合作协议。\n\n长阳土家族自治县民政局\n2017年6月1日\n")
    home = v.node("长阳土家族自治县社会福利院", "Institution")
    assert home is not None and home.kind == "welfare"
    assert ("长阳土家族自治县中医医院", "长阳土家族自治县社会福利院") in v.rels("COOPERATES_WITH")


def test_selecting_pilot_units_leads_the_programme_and_a_partner_hosts_the_event():
    v = letter("在全省范围遴选10个县作为“河南省某某教育实验区”。2019年5月,与联合国教科文组织在北京召开国际某某大会。\n\n"
               "河南省教育厅\n2020年7月8日\n")
    assert ("河南省教育厅", "河南省某某教育实验区") in v.rels("LEADS")
    hosts = {s for s, t in v.rels("ORGANIZED") if t == "国际某某大会"}
    assert hosts == {"河南省教育厅", "联合国教育、科学及文化组织"}


def test_quoted_projects_listed_with_their_codes_are_led_by_the_subject():
    v = letter("省科技厅立项实施了“钛合金材料产业化”(编号:2011KT01)、“石油装备示范基地建设”(编号:2014KT03)等重大专项。\n\n"
               "陕西省科学技术厅\n2016年10月1日\n")
    assert {t for s, t in v.rels("LEADS")} >= {"钛合金材料产业化", "石油装备示范基地建设"}


# -- indicators ------------------------------------------------------------------

def _figures(v):
    return {(v.g.nodes[r.source].name, v.g.nodes[r.target].properties["value"])
            for r in v.g.relationships.values() if r.type == "HAS_INDICATOR"}


def test_figures_belong_to_what_they_count_or_who_receives_them():
    v = letter("在全省范围遴选 10 个(市、县、区)作为“河南省某某教育实验区”。"
               "“十二五”以来,省科技厅对宝鸡市的项目资金支持力度不断加大,共计428个,累计支持资金13792万元。"
               "我州实施了甲工程、15所普通高中建设项目。\n\n河南省教育厅\n2020年7月8日\n")
    figures = _figures(v)
    assert ("河南省某某教育实验区", 10) in figures
    assert ("宝鸡市", 428) in figures and ("宝鸡市", 137920000) in figures


def test_a_metadata_table_row_and_a_city_congress_session():
    st = parse("| 索引号 | 1133/2023-00045 | 发布机构 | 杭州市经济和信息化局 |\n"
               "| 名称 | 关于市十四届人大二次会议第112号建议的答复 | 文号 | 杭经信函〔2023〕33号 |\n\n"
               "赵丽、钱强代表：\n  你们提出的《关于某某的建议》收悉。\n")
    assert st.title == "关于市十四届人大二次会议第112号建议的答复"
    assert st.meta["发布机构"] == "杭州市经济和信息化局" and st.session == "市十四届人大二次会议"
    assert (st.recipient, st.co_recipients) == ("赵丽", ["钱强"])


def test_a_programme_run_jointly_is_led_by_each_body():
    v = letter("我部与国家邮政局联合开展“快递进村”工程。\n\n商务部\n2021年7月2日\n")
    assert {s for s, t in v.rels("LEADS")} == {"中华人民共和国商务部", "国家邮政局"}


def test_towns_and_development_zones_management_committees():
    v = letter("我局会同曲梁镇人民政府、宝鸡高新区管委会开展工作。第五届数字中国建设峰会在福州举办。\n\n新密市住房和城乡建设局\n2022年5月1日\n")
    assert v.node("曲梁镇人民政府").label == "Agency"
    assert v.node("宝鸡高新区管委会").name == "宝鸡高新技术产业开发区管理委员会"
    assert v.node("第五届数字中国建设峰会").label == "Event"


def test_units_entered_into_a_pilot_and_members_of_an_association():
    v = letter("2022年,电子科技大学、西南交通大学等8所高校被纳入国家赋予科研人员职务科技成果所有权试点。"
               "成都市技术转移协会的成员单位包括四川大学、成都理工大学等32家单位。\n\n成都市科学技术局\n2023年6月1日\n")
    assert {s for s, t in v.rels("PARTICIPATES_IN")} == {"电子科技大学", "西南交通大学"}
    assert {s for s, t in v.rels("MEMBER_OF") if t == "成都市技术转移协会"} == {"四川大学", "成都理工大学"}


def test_programmes_listed_together_by_their_endings():
    v = letter("依托重大科技专项、制造业高质量发展专项等加强关键核心技术攻关。\n\n工业和信息化部\n2020年10月1日\n")
    assert v.node("制造业高质量发展专项").label == "Program"


def test_a_letter_in_traditional_characters_keeps_its_forms_as_aliases(tmp_path):
    from conftest import View
    from kg.pipeline import extract_one
    f = tmp_path / "trad.txt"
    f.write_text("陳大文委員：\n您提出的《關於推進智慧醫療建設的提案》收悉。\n我委會同市科技局出台了《廣州市智慧醫院建設實施方案》。\n\n"
                 "廣州市衛生健康委員會\n2022年8月1日\n", encoding="utf-8")
    v = View(extract_one(f))
    n = v.node("广州市科学技术局")
    assert n is not None and "市科技局" in n.aliases
    assert v.node("廣州市智慧醫院建設實施方案").name == "广州市智慧医院建设实施方案"


# -- shapes met on further real letters (session 2) ----------------------------------

def test_a_letter_run_into_one_line_is_read_from_after_the_salutation():
    v = letter("王某委员: 您提出的《关于发展某产业的建议》(第0001号)收悉。经与市科技局、市经济信息委共同研究,"
               "现答复如下。一是联合出台《某某工作要点》。\n", "one-line")
    # an unsigned municipality letter: 市X is the municipality's (the only place it names)
    v2 = letter("李某委员: 您提出的《关于某事的建议》收悉。经与市科技局、重庆金融监管局、重庆证监局研究,现答复如下。\n")
    assert v.node("关于发展某产业的建议", "Proposal") is not None
    assert v.node("王某", "Person") is not None
    assert v2.node("市科技局").name == "重庆市科学技术局"
    # after a bare short place, 金融监管局 is the national regulator's office; 证监局 the CSRC's
    assert v2.node("重庆金融监管局").name == "国家金融监督管理总局重庆监管局"
    assert v2.node("重庆证监局").name == "中国证券监督管理委员会重庆监管局"


def test_the_footer_names_the_replier_and_a_county_level_city_reads_its_own_市():
    v = letter("张某、李某委员:\n你们提出的关于完善某商业区设施的提案已收悉。现答复如下:\n"
               "我局拟作为一项建设计划报请市政府,市民进出城区更加方便。\n2022年9月23日\n"
               "联系单位:新密市住房和城乡建设局\n联 系 人:王某\n")
    assert v.node("我局").name == "新密市住房和城乡建设局"
    assert v.node("市政府").name == "新密市人民政府"
    assert v.node("中国民主促进会") is None      # 市民进出: the letters of a word, not 民进


def test_a_district_letter_reads_市X_as_its_citys_and_its_own_party_committee():
    v = letter("深圳市南山区教育局关于区政协第1号提案的答复\n\n张某委员:\n您提出的《关于某事的提案》收悉。\n"
               "我局会同市教育局、区委组织部开展调研。\n\n深圳市南山区教育局\n2023年5月1日\n")
    assert v.node("市教育局").name == "深圳市教育局"
    assert v.node("区委组织部").name == "中共深圳市南山区委组织部"


def test_a_news_post_about_a_reply_its_proposer_in_a_sentence_and_bodies_that_build_together():
    v = letter("某网 >> 省内新闻\n\n某协会主席王小明关于加强某基地建设的提案获省农业厅肯定答复\n\n"
               "2014年4月,某省协会主席王小明通过民革海南省委员会政协提出的《关于加强某基地建设的建议集体提案(第0001号)"
               "政协在会议后交由海南省农业厅进行办理。省农业厅答复内容如下:\n"
               "近年来,党中央、国务院、中央各部委高度重视。2013年12月,农业部和海南省政府共建的某中心投入使用。\n")
    assert not v.names("Document") or all("肯定答复" not in d for d in v.names("Document"))
    assert ("王小明", "关于加强某基地建设的建议") in v.rels("PROPOSED")
    assert ("中国国民党革命委员会海南省委员会", "关于加强某基地建设的建议") in v.rels("PROPOSED")
    assert v.rel("COOPERATES_WITH", "农业部", "海南省政府") is not None
    assert not any("中央各部委" in n for n in v.names("Agency"))


def test_named_platforms_and_institutions_of_the_letters_own_place():
    v = letter("海南省农业厅关于省政协第1号提案的答复\n\n张某委员:\n您提出的《关于某事的提案》收悉。\n"
               "一、打造“某某通”货币信贷大数据系统,设立“某某通”线上服务平台。持续升级“某资本通”平台。\n"
               "二、省农科院、省农业技术推广服务中心和中国就业培训技术指导中心参与。\n\n海南省农业厅\n2014年5月1日\n")
    sys_ = v.node("“某某通”货币信贷大数据系统", "Institution")
    assert sys_ is not None and "“某某通”线上服务平台" in sys_.aliases     # one brand, one entity
    assert v.node("“某资本通”平台", "Institution") is not None
    assert v.node("省农科院").name == "海南省农业科学院" and v.node("省农科院").label == "Institution"
    assert v.node("省农业技术推广服务中心").name == "海南省农业技术推广服务中心"
    assert v.node("中国就业培训技术指导中心") is not None


def test_salutations_with_a_greeting_signatures_with_the_date_on_their_line_and_proposal_records():
    st = parse("对市政协十三届二次会议第0456号提案的答复\n\n王芳委员，您好！\n您提出的“关于某事的提案”收悉。\n")
    assert (st.recipient, st.recipient_role) == ("王芳", "委员")
    v = letter("陈静代表：\n您领衔提出的《关于发展冰雪旅游的建议》（第56号）已收悉，现答复如下：\n"
               "一、我委印发了《黑龙江省冰雪旅游产业发展规划》。\n\n黑龙江省发展和改革委员会　2022年6月30日\n")
    assert ("黑龙江省发展和改革委员会", "黑龙江省冰雪旅游产业发展规划") in v.rels("ISSUED")
    # a disclosure page's record of the proposal, with no salutation
    v = letter("提案人：周涛、李华\n提案号：第125号\n提案题目：关于建设智慧农业示范区的提案\n承办单位：成都市农业农村局\n\n"
               "答复内容：\n一、2022年，我局启动实施数字农业试点项目。\n")
    assert {("周涛", "关于建设智慧农业示范区的提案"), ("李华", "关于建设智慧农业示范区的提案")} <= v.rels("PROPOSED")
    assert ("成都市农业农村局", "数字农业试点项目") in v.rels("LEADS")
    # a democratic party's committee of an autonomous region: 民建广西区委会
    v = letter("民建广西区委会：\n你们提出的《关于加强科技成果转化的提案》收悉。\n\n广西壮族自治区科学技术厅\n2022年7月15日\n")
    assert ("中国民主建国会广西壮族自治区委员会", "关于加强科技成果转化的提案") in v.rels("PROPOSED")


def test_products_listed_before_their_category_and_a_programme_named_again_carries_its_figures():
    v = letter("张某委员:\n您提出的《关于科技金融的建议》收悉。\n"
               "一、形成甲价值信用贷款、乙价值信用贷款、技改专项贷等政策性产品体系。"
               "深化甲价值信用贷款改革,累计为137家科技型企业发放甲价值信用贷款23.5亿元。\n\n中国人民银行重庆市分行\n2025年9月1日\n")
    prog = v.node("甲价值信用贷款", "Program")
    assert prog is not None and v.node("技改专项贷", "Program") is not None
    figures = figures_of(v, prog)
    assert 2350000000 in figures


def test_hosts_after_由_units_where_a_pilot_runs_and_a_fund_that_invested():
    v = letter("湖北省科学技术厅关于省人大第1号建议的答复\n\n王某代表：\n您提出的《关于某事的建议》收悉。\n"
               "一、由省委组织部、省人社厅联合主办的第三届湖北省创新创业大赛吸引1200个项目参赛。\n"
               "二、在武汉大学、华中科技大学等5所高校开展职务科技成果赋权改革试点。\n"
               "三、湖北省高新技术产业投资基金投资了武汉光迅科技股份有限公司。\n\n湖北省科学技术厅\n2021年7月10日\n")
    assert v.rels("ORGANIZED") == {("中共湖北省委组织部", "第三届湖北省创新创业大赛"),
                                   ("湖北省人力资源和社会保障厅", "第三届湖北省创新创业大赛")}
    assert {("武汉大学", "职务科技成果赋权改革试点"), ("华中科技大学", "职务科技成果赋权改革试点")} <= v.rels("PARTICIPATES_IN")
    assert ("湖北省高新技术产业投资基金", "武汉光迅科技股份有限公司") in v.rels("INVESTED_IN")


def test_a_regions_letter_keeps_its_figures_on_the_programme_and_hospitals_that_join_up_cooperate():
    v = letter("对自治区政协第1号提案的答复\n\n马某委员：\n您提出的《关于基层医疗的提案》收悉。\n"
               "一、宁夏医科大学总医院与固原市人民医院组建紧密型医疗联合体。\n"
               "二、实施基层卫生人才能力提升培训项目，累计培训乡村医生3200余人次。在吴忠市、中卫市开展县域医共体建设试点。\n\n"
               "宁夏回族自治区卫生健康委员会\n2020年8月3日\n")
    assert v.rel("COOPERATES_WITH", "宁夏医科大学总医院", "固原市人民医院") is not None
    prog = v.node("基层卫生人才能力提升培训项目", "Program")
    assert prog is not None
    # the region's letter names cities but is not a city's: the figure is the programme's, not 银川's
    assert figures_of(v, prog)


def test_an_unsigned_excerpts_self_reference_is_the_department_its_topic_and_place_say():
    # 我局 in a letter about schools that names a district: that district's education bureau
    v = letter("张某委员:\n《关于推进中小学人工智能教育的提案》(第1号)收悉。现答复如下:\n"
               "我局高度重视中小学人工智能教育工作,思明区自2020年起在学校开设课程。\n")
    assert v.node("我局").name == "厦门市思明区教育局"
    # a body the letter names as another one is not the writer: 会同省科技厅 → 我厅 is the education department
    v = letter("《关于促进高校科技成果转化的建议》收悉。我厅会同省科技厅开展高校科技成果转化工作,"
               "印发《福建教育系统服务创新发展行动计划》。\n")
    assert v.node("我厅").name == "福建省教育厅"
    assert ("福建省教育厅", "福建教育系统服务创新发展行动计划") in v.rels("ISSUED")
    # no clear topic: no guess
    v = letter("《关于某事的建议》收悉。我局高度重视。\n")
    assert v.node("我局") is None


def test_a_proposal_named_only_in_the_reply_title_a_salutation_naming_nobody_and_colleges():
    v = letter("对《关于加快发展夜间经济的提案》的答复\n\n各位委员：\n你们的提案收悉。现答复如下：\n一、出台《某市夜间经济实施意见》。\n\n"
               "昆明市商务局\n2022年7月8日\n")
    assert v.node("关于加快发展夜间经济的提案", "Proposal") is not None
    assert not v.names("Person")
    v = letter("致公党云南省委：\n贵委提出的关于加强产教融合的提案收悉。\n"
               "一、昆明冶金高等专科学校与云南白药集团股份有限公司共建产业学院。"
               "遴选20所职业院校作为省级“双高计划”建设单位。\n\n云南省教育厅\n2022年8月15日\n")
    assert v.rel("COOPERATES_WITH", "昆明冶金高等专科学校", "云南白药集团股份有限公司") is not None
    prog = v.node("双高计划", "Program")
    assert 20 in figures_of(v, prog)


def test_plans_and_measures_named_without_title_marks_and_a_numbered_list_of_firms():
    v = letter("湖南省工业和信息化厅关于省人大第1号建议的答复\n\n彭某代表：\n您提出的关于某事的建议收悉，现答复如下：\n"
               "一、省政府办公厅印发了湖南省“十四五”制造业高质量发展规划。我厅出台关于促进中小企业专精特新发展的若干措施，"
               "并制定湖南省专精特新“小巨人”企业培育工作方案。\n"
               "四、支持三一重工、中联重科等龙头企业牵头组建湖南省工程机械产业创新联盟。\n\n湖南省工业和信息化厅\n2022年7月20日\n")
    assert {("湖南省人民政府办公厅", "湖南省“十四五”制造业高质量发展规划"),
            ("湖南省工业和信息化厅", "关于促进中小企业专精特新发展的若干措施"),
            ("湖南省工业和信息化厅", "湖南省专精特新“小巨人”企业培育工作方案")} <= v.rels("ISSUED")
    assert v.node("三一重工", "Institution") is not None and v.node("支持三一重工") is None
    assert v.node("湖南省工程", "Program") is None


def test_events_by_their_scope_quoted_institutions_and_sites_and_party_departments_written_with_中共():
    v = letter("中共黔东南州委宣传部关于州政协第103号提案的答复摘要\n\n杨某委员：\n您提出的《关于某事的提案》收悉。"
               "经商州文化广电新闻出版局，现答复如下：\n"
               "一、在“多彩贵州网”开设专栏；与凯里学院共建“黔东南民族文化传播研究中心”。指导黔东南州广播电视台开办节目。\n"
               "二、借助生态文明贵阳国际论坛、中国（贵州）国际酒类博览会等平台推介黔东南。举办首届全国养老护理员职业技能竞赛。\n")
    assert "中共黔东南苗族侗族自治州委宣传部" in {s for s, _t in v.rels("ISSUED")}
    assert v.node("州文化广电新闻出版局").name == "黔东南苗族侗族自治州文化广电新闻出版局"
    for inst in ("多彩贵州网", "黔东南民族文化传播研究中心", "黔东南州广播电视台"):
        assert v.node(inst, "Institution") is not None, inst
    for event in ("生态文明贵阳国际论坛", "中国（贵州）国际酒类博览会", "首届全国养老护理员职业技能竞赛"):
        assert v.node(event, "Event") is not None, event
    assert v.node("借助生态文明贵阳国际论坛") is None


def test_names_that_begin_with_a_stop_character_of_a_place_and_verbs_before_names():
    v = letter("新疆维吾尔自治区人力资源和社会保障厅关于第1号建议的答复\n\n张某代表：\n您提出的《关于某事的建议》收悉。\n"
               "一、支持和田地区技工学校建设实训基地。广州市工贸技师学院对口帮扶喀什技师学院。委托河北大学法学院开展研究。\n")
    assert v.node("和田地区技工学校", "Institution") is not None
    assert v.node("喀什技师学院", "Institution") is not None
    assert v.node("河北大学法学院", "Institution") is not None


def test_quoted_programmes_with_their_endings_funds_allocated_and_counts_before_a_programme():
    v = letter("国家林业和草原局关于第1号提案的答复\n\n张某委员：\n您提出的《关于某事的提案》收悉。\n"
               "一、开展了10处国家公园体制试点。州级财政安排“一村一幼”专项资金1.86亿元。实施“四好农村路”示范县创建活动，"
               "开展“利剑”专项执法行动。推动“十三五”社会服务兜底工程，落实“十四五”国家专项。\n"
               "二、省级财政安排职业教育质量提升专项资金4.6亿元。青海民族大学参加中国非遗传承人群研修研培计划。\n")
    for prog in ("国家公园体制试点", "“一村一幼”专项资金", "“四好农村路”示范县创建活动", "“利剑”专项执法行动",
                 "“十三五”社会服务兜底工程", "职业教育质量提升专项资金"):
        assert v.node(prog, "Program") is not None, prog
    assert v.node("10处国家公园体制试点") is None and v.node("十三五") is None
    assert v.node("“十四五”国家专项") is None
    assert ("青海民族大学", "中国非遗传承人群研修研培计划") in v.rels("PARTICIPATES_IN")


def test_issuers_listed_before_a_title_banner_districts_of_other_cities_and_names_through_与():
    v = letter("山西省商务厅关于第1号提案的办理意见\n\n九三学社中央：\n你们提出的《关于某事的提案》收悉。\n"
               "一、按照商务部、财政部、国务院扶贫办《关于开展电子商务进农村综合示范工作的通知》，盟行政公署印发《某某工作方案》。"
               "与北京市延庆区文化和旅游局签订合作协议。中国社会福利与养老服务协会举办首届全国养老护理员职业技能竞赛。"
               "支持喀什技师学院、和田地区技工学校建设。举办全省新型农业经营主体发展论坛暨农产品产销对接会。\n\n山西省商务厅\n2018年5月1日\n")
    issued = v.rels("ISSUED")
    for body in ("中华人民共和国商务部", "中华人民共和国财政部", "国务院扶贫开发领导小组办公室"):
        assert (body, "关于开展电子商务进农村综合示范工作的通知") in issued, body
    assert ("九三学社中央委员会", "关于某事的提案") in v.rels("PROPOSED")
    assert v.node("北京市延庆区文化和旅游局") is not None
    assert v.node("中国社会福利与养老服务协会", "Institution") is not None and v.node("养老服务协会") is None
    assert v.node("田地区技工学校") is None and v.node("和田地区技工学校") is not None
    assert v.node("全省新型农业经营主体发展论坛暨农产品产销对接会", "Event") is not None


def test_a_uyghur_name_in_the_salutation():
    st = parse("关于第1号建议的答复\n\n艾尔肯·吐尼亚孜代表：\n您提出的《关于某事的建议》收悉。\n")
    assert (st.recipient, st.recipient_role) == ("艾尔肯·吐尼亚孜", "代表")


def test_a_leagues_government_and_a_banners_bodies():
    v = letter("锡林郭勒盟生态环境局关于第1号提案的答复\n\n张某委员：\n您提出的《关于某事的提案》收悉。\n"
               "一、盟行政公署印发《锡林郭勒盟矿山治理工作方案》。\n\n锡林郭勒盟生态环境局\n2020年5月1日\n")
    assert ("锡林郭勒盟行政公署", "锡林郭勒盟矿山治理工作方案") in v.rels("ISSUED")
    v = letter("达拉特旗农牧局关于第1号建议的答复\n\n张某代表：\n您提出的《关于某事的建议》收悉。\n"
               "一、旗自然资源局编制《达拉特旗盐碱地治理实施方案》，报旗政府审定。\n\n达拉特旗农牧局\n2022年5月1日\n")
    assert v.node("旗自然资源局").name == "达拉特旗自然资源局"
    assert v.node("旗政府").name == "达拉特旗人民政府"


def test_an_events_own_figures_a_provinces_total_in_a_city_offices_letter_and_short_names_of_one_body():
    v = letter("中国人民银行西宁中心支行关于第1号建议的答复\n\n张某代表：\n您提出的《关于某事的建议》收悉。\n"
               "一、我行与省扶贫开发局联合召开全省金融扶贫工作推进会，参加银行机构23家，达成意向授信额度42亿元。"
               "截至2019年末，全省扶贫再贷款余额82.6亿元。会同省财政厅、省扶贫局、省教育厅开展对接。\n\n中国人民银行西宁中心支行\n2019年6月1日\n")
    event = v.node("全省金融扶贫工作推进会", "Event")
    figures = figures_of(v, event)
    assert {23, 4200000000} <= figures
    prov = v.node("青海省", "Place")
    assert prov is not None and figures_of(v, prov)
    assert v.node("省扶贫局").name == "青海省扶贫开发局"


def test_the_targets_a_document_sets_and_an_events_figures_told_in_the_next_sentence():
    v = letter("乌鲁木齐市商务局关于第1号建议的答复\n\n张某代表：\n您提出的《关于某事的建议》收悉。\n"
               "一、2022年，市人民政府印发《乌鲁木齐市物流发展规划》，提出到2025年全市社会物流总额达到2.8万亿元。"
               "按照商务部《关于开展某某示范工作的通知》要求，全市共有8个县区开展示范。\n"
               "二、2017年8月，由商务部主办的2017中国—亚欧商品贸易博览会在乌鲁木齐举办。展会吸引32个国家和地区的1800余家企业参展。"
               "全市新增物流企业45家。\n\n乌鲁木齐市商务局\n2023年6月1日\n")
    plan = v.node("乌鲁木齐市物流发展规划", "Policy")
    assert figures_of(v, plan) == {2800000000000}
    # a document only cited (按照《X》要求) sets none of the figures after it
    assert not figures_of(v, v.node("关于开展某某示范工作的通知", "Policy"))
    fair = v.node("2017中国—亚欧商品贸易博览会", "Event")
    assert figures_of(v, fair) == {32, 1800}
    assert 45 in figures_of(v, v.node("乌鲁木齐市", "Place"))


def test_the_countrys_figures_and_a_programme_named_in_the_figures_clause():
    v = letter("江西省卫生健康委员会关于第1号提案的答复\n\n张某委员：\n您提出的《关于某事的提案》收悉。\n"
               "一、截至2015年底，全国全科医生达到18.9万人。一是全国首创某某贷款产品，累计发放贷款12亿元。"
               "赣州市作为全国油茶主产区，新造油茶林42万亩。\n"
               "二、2020年争取中央城镇老旧小区改造补助资金28.6亿元，全省实施老旧小区改造项目42个。\n\n"
               "江西省卫生健康委员会\n2021年6月1日\n")
    nation = v.node("中华人民共和国", "Place")
    assert nation is not None and figures_of(v, nation) == {189000}
    fund = v.node("中央城镇老旧小区改造补助资金", "Program")
    assert figures_of(v, fund) == {2860000000}
    # a name the figure counts (改造项目42个) does not take it: the province's work
    assert not any(42 in figures_of(v, n) for n in v.g.nodes.values() if n.label == "Program")
    assert 42 in figures_of(v, v.node("江西省", "Place"))


def test_the_units_a_programme_counts_are_its_figures():
    v = letter("中华人民共和国民政部关于第1号建议的答复\n\n张某代表：\n您提出的《关于某事的建议》收悉。\n"
               "一、2016年至2020年，我部会同财政部分五批支持203个地区开展中央财政支持居家和社区养老服务改革试点。"
               "工业和信息化部联合开展智慧健康养老应用试点示范，截至2021年底共遴选示范企业167家、示范基地69个，"
               "培训养老护理员2万人。\n\n中华人民共和国民政部\n2022年6月1日\n")
    assert figures_of(v, v.node("中央财政支持居家和社区养老服务改革试点", "Program")) == {203}
    # the units named with the programme's own words; not what else the sentence counts
    assert figures_of(v, v.node("智慧健康养老应用试点示范", "Program")) == {167, 69}


def test_a_name_written_as_the_means_of_the_work_does_not_take_its_figures():
    v = letter("海城市教育局关于第1号建议的答复\n\n张某代表：\n您提出的《关于某事的建议》收悉。\n"
               "一、通过“特岗计划”和公开招聘为乡村学校补充教师146名。依托辽宁大学、鞍山师范学院开展培训，"
               "每年培训乡村教师2300人。\n\n海城市教育局\n2019年6月1日\n")
    place = v.node("海城市", "Place")
    assert {146, 2300} <= figures_of(v, place)
    assert not any(figures_of(v, n) for n in v.g.nodes.values() if n.label in ("Program", "Institution"))


def test_company_names_with_verbs_inside_and_programmes_named_after_a_verb_inside_them():
    v = letter("金寨县住房和城乡建设局关于第1号提案的答复\n\n张某委员：\n您提出的《关于某事的提案》收悉。\n"
               "一、由金寨县城市建设投资有限公司作为项目实施主体，与国网金寨县供电公司签订协议。开展绿色矿山创建行动。"
               "支持黄南州热贡画院建设。推动“一村一幼”向规范化幼儿园转型。与老挝、缅甸等7个东盟国家共建技术转移中心。\n"
               "\n金寨县住房和城乡建设局\n2022年5月1日\n")
    assert v.node("金寨县城市建设投资有限公司", "Institution") is not None
    assert v.node("国网金寨县供电公司", "Institution") is not None
    assert v.node("绿色矿山创建行动", "Program") is not None
    assert v.node("黄南州热贡画院", "Institution") is not None
    assert v.node("规范化幼儿园") is None and v.node("老挝") is None


def test_the_first_of_several_issuers_named_before_a_title():
    v = letter("青海省科技厅关于第1号建议的答复\n\n张某代表：\n您提出的《关于某事的建议》收悉。\n"
               "一、我厅认真贯彻中国人民银行等七部门《关于金融助推脱贫攻坚的实施意见》。\n\n青海省科学技术厅\n2019年6月1日\n")
    assert v.rels("ISSUED") >= {("中国人民银行", "关于金融助推脱贫攻坚的实施意见")}
    assert ("青海省科学技术厅", "关于金融助推脱贫攻坚的实施意见") not in v.rels("ISSUED")


def test_a_page_run_into_one_line_with_its_fields_and_a_report_to_the_congress_committee():
    v = letter("天津市卫生健康委员会关于市十七届人大三次会议第0356号建议的答复　发布时间：2020-07-15　来源：天津市卫生健康委员会"
               "　字号：大 中 小　刘建国代表：您提出的关于加强基层医疗卫生服务能力建设的建议收悉。经会同市财政局研究，现答复如下："
               "一、推进医联体建设。")
    assert ("刘建国", "关于加强基层医疗卫生服务能力建设的建议") in v.rels("PROPOSED")
    assert v.node("天津市卫生健康委员会关于市十七届人大三次会议第0356号建议的答复", "Document") is not None
    v = letter("重庆市住房和城乡建设委员会\n关于市六届人大三次会议第0612号建议办理情况的报告\n渝建函〔2025〕118号\n\n"
               "市人大常委会代表工作委员会：\n　　陈某代表提出的关于加快推进城市更新的建议（第0612号）由市住房城乡建设委主办。"
               "我委高度重视，现将办理情况报告如下：\n")
    assert v.rels("PROPOSED") == {("陈某", "关于加快推进城市更新的建议")}


def test_bank_branches_with_their_registered_names_campuses_and_faculties():
    v = letter("重庆市住房和城乡建设委员会关于第1号建议的答复\n\n张某代表：\n您提出的《关于某事的建议》收悉。\n"
               "一、与中国建设银行股份有限公司重庆市分行签订战略合作协议。与江苏银行股份有限公司苏州分行合作。"
               "与中国地质大学（武汉）、大连理工大学建设工程学部合作。中国科学院学部开展咨询。\n\n重庆市住房和城乡建设委员会\n2025年6月1日\n")
    for inst in ("中国建设银行股份有限公司重庆市分行", "江苏银行股份有限公司苏州分行", "中国地质大学（武汉）", "大连理工大学建设工程学部"):
        assert v.node(inst, "Institution") is not None, inst
    assert v.node("中国科学院学部") is None and v.node("银行股份有限公司") is None


def test_categories_framed_by_a_stop_a_year_or_a_place_and_events_with_their_venue():
    v = letter("北京市教育委员会关于第1号建议的答复\n\n张某代表：\n您提出的《关于某事的建议》收悉。\n"
               "一、安排学前教育专项资金18.6亿元，对普惠性民办幼儿园按每生每年1.2万元补助。"
               "举办2021年北京市民办幼儿园园长培训班。举办第三届中国城市更新论坛（重庆）。"
               "积极争取省文化和旅游厅国家文化和旅游消费试点城市相关政策。在“苏州综合金融服务平台”向银行推送企业名单。\n\n"
               "北京市教育委员会\n2021年5月1日\n")
    assert not {n for n in v.names("Institution") if "幼儿园" in n}
    assert v.node("第三届中国城市更新论坛（重庆）", "Event") is not None
    assert v.node("国家文化和旅游消费试点城市", "Program") is not None
    assert v.node("苏州综合金融服务平台", "Institution") is not None
    assert not any("向银行" in n for n in v.names("Institution"))


def test_bodies_listed_before_joint_work_cooperate_and_a_subjects_partners_do_not_among_themselves():
    v = letter("广东省通信管理局关于第1号建议的答复\n\n张某代表：\n您提出的《关于某事的建议》收悉。\n"
               "一、推动中国电信股份有限公司广东分公司、中国联合网络通信有限公司广东省分公司和中国铁塔股份有限公司广东省分公司"
               "签订《农村地区5G网络共建共享合作协议》。我局与省应急管理厅建立预警信息发布联动机制。"
               "由某县城市建设投资有限公司与国网某县供电公司、某县自来水有限公司签订协议。\n\n广东省通信管理局\n2024年5月1日\n")
    coop = {frozenset(p) for p in v.rels("COOPERATES_WITH")}
    firms = ["中国电信股份有限公司广东分公司", "中国联合网络通信有限公司广东省分公司", "中国铁塔股份有限公司广东省分公司"]
    assert {frozenset((a, b)) for i, a in enumerate(firms) for b in firms[i + 1:]} <= coop
    assert frozenset(("广东省通信管理局", "广东省应急管理厅")) in coop
    assert frozenset(("国网某县供电公司", "某县自来水有限公司")) not in coop


def test_bodies_after_联合_lead_the_programme_with_the_subject():
    v = letter("雷山县文体广电旅游局关于第1号提案的答复\n\n张某委员：\n您提出的《关于某事的提案》收悉。\n"
               "一、我局联合县人社局实施“非遗+扶贫”就业工坊项目。\n\n雷山县文体广电旅游局\n2019年5月1日\n")
    leads = v.rels("LEADS")
    assert {("雷山县文体广电旅游局", "“非遗+扶贫”就业工坊项目"), ("雷山县人力资源和社会保障局", "“非遗+扶贫”就业工坊项目")} <= leads


def test_a_clause_that_goes_on_about_the_figure_before_it_keeps_its_subject():
    v = letter("张某委员:\n您提出的《关于科技金融的建议》收悉。\n"
               "一、形成甲价值信用贷款、乙价值信用贷款等政策性产品体系。累计发放甲价值信用贷款23.5亿元，带动商业贷款16.3亿元。\n\n"
               "中国人民银行重庆市分行\n2025年9月1日\n")
    prog = v.node("甲价值信用贷款", "Program")
    figures = figures_of(v, prog)
    assert {2350000000, 1630000000} <= figures


def test_events_whose_names_open_with_a_quote_are_named_from_the_verb():
    v = letter("湖南省科学技术厅关于第1号提案的答复\n\n张某委员：\n您提出的《关于某事的提案》收悉。\n"
               "一、在韶关召开全省信息通信行业“信号升格”推进会。举办“一带一路”国际合作高峰论坛。"
               "召开了“智汇潇湘”人才发展大会，签约项目10个。举办“科技活动周”等活动。\n")
    for event in ("全省信息通信行业“信号升格”推进会", "“一带一路”国际合作高峰论坛", "“智汇潇湘”人才发展大会"):
        assert v.node(event, "Event") is not None, event
        assert ("湖南省科学技术厅", v.node(event, "Event").name) in v.rels("ORGANIZED"), event
    # the quoted words alone are no event, nor a name cut at the quote
    assert v.node("一带一路") is None and v.node("智汇潇湘") is None
    assert not any(n.startswith(("一带一路”", "信息通信行业")) for n in v.names("Event"))
    assert v.node("科技活动周", "Event") is not None      # a wholly quoted one keeps its own name


def test_a_document_made_on_the_basis_of_another_and_a_lower_levels_implementing_opinion_carry_it_out():
    v = letter("瓦房店市水利局关于第45号建议的答复\n\n张某代表：\n您提出的《关于某事的建议》收悉。\n"
               "一、我局按照大连市水务局《关于做好农村饮水安全巩固提升工程规划编制工作的通知》要求，编制完成《瓦房店市农村饮水安全巩固提升工程规划》。"
               "根据《国务院办公厅关于进一步加强乡村医生队伍建设的指导意见》和省卫生厅《关于进一步加强乡村医生队伍建设的实施意见》，配置人员。"
               "根据《关于推进职业教育发展的通知》，开展调研。\n")
    plan, notice = "瓦房店市农村饮水安全巩固提升工程规划", "关于做好农村饮水安全巩固提升工程规划编制工作的通知"
    assert ("瓦房店市水利局", plan) in v.rels("ISSUED") and ("大连市水务局", notice) in v.rels("ISSUED")
    assert (plan, notice) in v.rels("IMPLEMENTS")
    assert ("关于进一步加强乡村医生队伍建设的实施意见", "国务院办公厅关于进一步加强乡村医生队伍建设的指导意见") in v.rels("IMPLEMENTS")
    # a policy cited with nothing made on its basis implements nothing, and nothing implements it
    assert not any("职业教育" in a or "职业教育" in b for a, b in v.rels("IMPLEMENTS"))
    assert len(v.rels("IMPLEMENTS")) == 2


def test_a_medical_alliance_and_its_members_and_what_a_supported_body_builds():
    v = letter("天津市卫生健康委员会关于第1号提案的答复\n\n张某委员：\n您提出的《关于某事的提案》收悉。\n"
               "一、由天津医科大学总医院牵头组建和平区医疗联合体，成员包括和平区劝业场街社区卫生服务中心、和平区南市街社区卫生服务中心等12家机构。"
               "组建一批创新联合体。\n二、我委支持北京师范大学建设学前教育教师专业发展中心。\n")
    assert v.node("和平区医疗联合体", "Institution").kind == "alliance"
    assert ("和平区劝业场街社区卫生服务中心", "和平区医疗联合体") in v.rels("MEMBER_OF")
    assert v.node("创新联合体") is None and v.node("一批创新联合体") is None     # a category, not a name
    assert ("天津市卫生健康委员会", "学前教育教师专业发展中心") in v.rels("SUPPORTS")
    assert ("学前教育教师专业发展中心", "北京师范大学") in v.rels("PART_OF")


def test_a_meeting_named_by_the_title_it_discusses():
    v = letter("陕西省人民代表大会常务委员会法制工作委员会关于第88号建议的答复\n\n张某代表：\n您提出的《关于某事的建议》收悉。\n"
               "一、2018年5月，我委组织召开《陕西省秦岭生态环境保护条例（修订草案）》立法论证会，邀请专家18名参加论证。"
               "召开全省河长制工作部署会。\n")
    event = "《陕西省秦岭生态环境保护条例（修订草案）》立法论证会"
    assert v.node(event, "Event").kind == "meeting"
    assert ("陕西省人民代表大会常务委员会法制工作委员会", v.node(event).name) in v.rels("ORGANIZED")
    assert v.node("陕西省秦岭生态环境保护条例（修订草案）", "Policy") is not None    # the title is a policy of its own
    assert v.node("全省河长制工作部署会", "Event") is not None


def test_what_is_set_up_is_named_by_any_institution_ending():
    v = letter("重庆市住房和城乡建设委员会关于第612号建议的答复\n\n张某代表：\n您提出的《关于某事的建议》收悉。\n"
               "一、联合重庆市城市建设投资（集团）有限公司设立重庆城市更新基金，首期规模50亿元。"
               "我委与重庆大学建筑城规学院共建城市更新研究中心。加大基金支持力度。\n")
    assert v.node("重庆城市更新基金", "Institution") is not None
    assert v.node("城市更新研究中心", "Institution") is not None
    assert v.node("基金支持力度") is None and v.node("基金") is None


def test_an_ending_followed_closely_by_another_ends_nothing_yet():
    v = letter("湖南省市场监督管理局关于第521号建议的答复\n\n张某代表：\n您提出的《关于某事的建议》收悉。\n"
               "一、长沙市、株洲市纳入国家食品安全示范城市创建试点。召开座谈会暨培训会。召开全省科技工作座谈会暨培训会。\n")
    assert v.node("国家食品安全示范城市创建试点", "Program") is not None
    assert v.node("国家食品安全示范城市") is None
    assert v.node("全省科技工作座谈会暨培训会", "Event") is not None
    assert v.node("座谈会暨培训会") is None          # no name before the first ending: a generic meeting


def test_a_joint_official_letter_is_a_policy_and_a_fund_named_by_a_bare_资金():
    v = letter("国家林业和草原局关于第2145号提案的答复\n\n张某委员：\n您提出的《关于某事的提案》收悉。\n"
               "一、我局会同自然资源部联合印发《关于做好自然保护区范围及功能分区优化调整前期有关工作的函》。"
               "2020年中央财政安排林业草原生态保护恢复资金约80亿元，安排补助资金100万元，下达中央财政资金50万元。\n")
    letter_ = "关于做好自然保护区范围及功能分区优化调整前期有关工作的函"
    assert v.node(letter_, "Policy").kind == "letter"
    assert {("国家林业和草原局", letter_), ("中华人民共和国自然资源部", letter_)} <= v.rels("ISSUED")
    assert v.node("林业草原生态保护恢复资金", "Program").kind == "special_fund"
    assert v.node("补助资金") is None and v.node("中央财政资金") is None


def test_offices_of_the_state_council_a_headings_number_state_owned_firms_and_glued_programme_words():
    v = letter("中华人民共和国民政部关于十三届全国人大四次会议第1472号建议的答复\n\n张某代表：\n您提出的《关于某事的建议》收悉。\n"
               "（一）中欧班列集结中心建设。\n"
               "我部与财政部联合实施居家和社区基本养老服务提升行动项目。工业和信息化部、民政部联合开展智慧健康养老应用试点示范。"
               "全国老龄办、国务院医改办、国务院法制办参与。鄂尔多斯市国有资产投资控股集团有限公司出资2亿元。\n")
    for body in ("全国老龄工作委员会办公室", "国务院深化医药卫生体制改革领导小组办公室", "国务院法制办公室"):
        assert v.node(body, "Agency") is not None, body
    assert v.node("中欧班列集结中心", "Institution") is not None and v.node("（一）中欧班列集结中心") is None
    assert v.node("鄂尔多斯市国有资产投资控股集团有限公司", "Institution") is not None
    assert ("中华人民共和国民政部", "居家和社区基本养老服务提升行动项目") in v.rels("LEADS")
    assert v.node("智慧健康养老应用试点示范", "Program") is not None


def test_a_relative_date_before_the_subject_and_a_joint_host_after_联合():
    v = letter("鄂尔多斯市能源局关于第87号建议的答复\n\n张某代表：\n您提出的《关于某事的建议》收悉。\n"
               "一、远景科技集团在我市建设的鄂尔多斯零碳产业园已入驻企业12家。同年9月，我局承办2022鄂尔多斯氢能产业发展大会。"
               "我局联合内蒙古工业大学举办全市氢能技术培训班。\n")
    assert v.rels("ORGANIZED") == {("鄂尔多斯市能源局", "2022鄂尔多斯氢能产业发展大会"), ("鄂尔多斯市能源局", "全市氢能技术培训班"),
                                   ("内蒙古工业大学", "全市氢能技术培训班")}


def test_joint_laboratories_projects_run_by_name_and_counts_that_name_nothing():
    v = letter("中华人民共和国国家卫生和计划生育委员会关于十二届全国人大四次会议第5863号建议的答复\n\n张某代表：\n"
               "您提出的《关于某事的建议》收悉。\n一、我委与中国林业科学研究院亚热带林业研究所共建油茶良种选育联合实验室。"
               "我委指导中国老龄事业发展基金会设立社区养老服务专项基金。我委会同教育部等部门实施农村订单定向医学生免费培养项目。"
               "实施一批重点项目。深圳市罗湖区整合区属5家医院组建罗湖医院集团。\n")
    assert v.node("油茶良种选育联合实验室", "Institution") is not None
    assert v.node("社区养老服务专项基金").label == "Program"          # one node: a special fund is a programme
    assert ("中华人民共和国国家卫生和计划生育委员会", "农村订单定向医学生免费培养项目") in v.rels("LEADS")
    assert not any("重点项目" in n for n in v.names("Program"))
    assert v.node("深圳市罗湖区整合区属5家医院") is None and v.node("罗湖医院集团", "Institution") is not None


def test_institutions_counted_after_their_ending_are_a_category_and_a_photography_show_is_an_event():
    v = letter("平遥县文物局关于第12号建议的答复\n\n张某代表：\n您提出的《关于某事的建议》收悉。\n"
               "一、目前已与埃及、约旦等国建立双边技术转移中心7个，建成县级电子商务公共服务中心15个。"
               "依托平遥国际摄影大展等文化品牌。\n")
    assert v.node("双边技术转移中心") is None and v.node("县级电子商务公共服务中心") is None
    assert v.node("平遥国际摄影大展", "Event") is not None


def test_a_later_clause_opened_by_a_body_has_that_body_as_its_subject():
    v = letter("国家林业和草原局关于第2145号提案的答复\n\n张某委员：\n您提出的《关于某事的提案》收悉。\n"
               "一、中共中央办公厅、国务院办公厅印发《建立国家公园体制总体方案》后，国家林业和草原局组织开展国家公园体制试点。\n")
    assert v.rels("LEADS") == {("国家林业和草原局", "国家公园体制试点")}
    assert ("中华人民共和国国务院办公厅", "建立国家公园体制总体方案") in v.rels("ISSUED")
    v = letter("湖北省科学技术厅关于第1号提案的答复\n\n张某委员：\n您提出的《关于某事的提案》收悉。\n"
               "一、2019年，科技部印发通知，省财政厅举办全省科技金融对接会。\n")
    assert v.rels("ORGANIZED") == {("湖北省财政厅", "全省科技金融对接会")}


def test_a_body_right_before_a_programme_runs_it_and_a_plan_named_for_a_programme_carries_it_out():
    v = letter("广东省通信管理局关于第1187号提案的答复\n\n张某委员：\n您提出的《关于某事的提案》收悉。\n"
               "一、落实工业和信息化部“信号升格”专项行动，我局会同省工业和信息化厅联合印发《广东省“信号升格”专项行动实施方案（2024—2025年）》。\n")
    campaign = v.node("“信号升格”专项行动", "Program").name
    plan = v.node("广东省“信号升格”专项行动实施方案（2024—2025年）", "Policy").name
    assert v.rels("LEADS") == {("中华人民共和国工业和信息化部", campaign)}      # carried out here, run by the ministry
    assert (plan, campaign) in v.rels("IMPLEMENTS")


def test_lists_of_programmes_are_led_alike_and_what_is_carried_out_may_name_its_issuers():
    v = letter("江西省林业局关于第215号建议的答复\n\n张某代表：\n您提出的《关于某事的建议》收悉。\n"
               "一、2014年起，我局与省财政厅联合实施平遥城墙保护维修工程和古城传统民居保护修缮试点工程。"
               "为贯彻落实国家林业和草原局、国家发展改革委、财政部联合印发的《加快油茶产业发展三年行动方案（2023—2025年）》，"
               "省委办公厅、省政府办公厅印发《江西省油茶产业高质量发展三年行动计划（2023—2025年）》。\n")
    for prog in ("平遥城墙保护维修工程", "古城传统民居保护修缮试点工程"):
        assert {("江西省林业局", prog), ("江西省财政厅", prog)} <= v.rels("LEADS"), prog
    plan, national = "江西省油茶产业高质量发展三年行动计划（2023—2025年）", "加快油茶产业发展三年行动方案（2023—2025年）"
    assert (v.node(plan).name, v.node(national).name) in v.rels("IMPLEMENTS")
    assert ("中华人民共和国财政部", v.node(national).name) in v.rels("ISSUED")


def test_an_alliance_founded_with_support_its_members_and_a_stake_taken():
    v = letter("中华人民共和国民政部关于第1472号建议的答复\n\n张某代表：\n您提出的《关于某事的建议》收悉。\n"
               "一、我部支持中国社会福利与养老服务协会牵头成立全国社区居家养老服务联盟，成员包括泰康保险集团股份有限公司、"
               "北京诚和敬投资有限责任公司等120余家单位。鄂尔多斯市国有资产投资控股集团有限公司出资2亿元，参股设立内蒙古鄂尔多斯绿氢装备制造有限公司。\n")
    alliance = "全国社区居家养老服务联盟"
    assert {("泰康保险集团股份有限公司", alliance), ("北京诚和敬投资有限责任公司", alliance)} == v.rels("MEMBER_OF")
    assert ("中华人民共和国民政部", alliance) in v.rels("SUPPORTS") and not v.rels("PART_OF")
    assert ("鄂尔多斯市国有资产投资控股集团有限公司", "内蒙古鄂尔多斯绿氢装备制造有限公司") in v.rels("INVESTED_IN")


def test_a_short_form_that_keeps_the_bracketed_qualifier_and_a_campus_before_与():
    v = letter("新疆维吾尔自治区商务厅关于第312号建议的答复\n\n张某代表：\n您提出的《关于某事的建议》收悉。\n"
               "一、推进中欧班列（乌鲁木齐）集结中心建设。乌鲁木齐集结中心已开行班列1000列。中国地质大学（武汉）与中国地质大学合作。\n")
    hub = v.node("乌鲁木齐集结中心", "Institution")
    assert hub is not None and hub.name == "中欧班列（乌鲁木齐）集结中心"
    assert v.node("中国地质大学（武汉）").name != v.node("中国地质大学").name     # a campus is a body of its own
