"""Metadata and structure of reply letters."""
from conftest import FIXTURES, SEED
from kg.extract.structure import parse


def test_seed_metadata():
    st = parse(SEED.read_text(encoding="utf-8"))
    assert st.title == "对省政协十二届五次会议第L37号委员提案的答复"
    assert st.doc_number == "吉科发办〔2022〕110号"
    assert (st.recipient, st.recipient_role) == ("魏志鹏", "委员")
    assert st.proposal_title == "关于激发科技人才活力助力创新型省份建设的建议"
    assert st.proposal_number == "L37"
    assert st.session == "省政协十二届五次会议"
    assert st.signer == "吉林省科学技术厅"
    assert st.date == "2022-07-06"


def test_sections_items_and_next_steps():
    text = SEED.read_text(encoding="utf-8")
    st = parse(text)
    sections = [p for p in st.parts if p.kind == "section"]
    assert [p.number for p in sections] == ["一", "二", "三"]
    assert sections[0].title == "多部门联动，制定统一制度规范，释放科研人员活力"
    items = [p for p in st.parts if p.kind == "item"]
    assert [p.number for p in items[:4]] == ["1", "2", "3", "4"] and len(items) == 15
    assert text[items[0].start:items[0].end].lstrip().startswith("1.启动职务科技成果赋权改革试点")
    nxt = [p for p in st.parts if p.kind == "next_steps"]
    assert len(nxt) == 1 and text[nxt[0].start:nxt[0].end].lstrip().startswith("下一步，推动高校创新链与产业链紧密结合")
    assert "吉林省科学技术厅" not in text[nxt[0].start:nxt[0].end]   # the signature is not part of it
    # parts nest: every item lies inside a section
    for it in items:
        assert any(s.start <= it.start and it.end <= s.end for s in sections)


def test_sentences_carry_offsets_into_the_text():
    text = SEED.read_text(encoding="utf-8")
    st = parse(text)
    assert len(st.sentences) > 40
    for s in st.sentences:
        assert text[s.start:s.end] == s.text
    assert any(s.text.startswith("下一步") for s in st.sentences)


def test_web_page_metadata_table_and_untitled_reply():
    st = parse((FIXTURES / "xianning-kjj-2024-12.txt").read_text(encoding="utf-8"))
    assert st.title == ""
    assert st.proposal_title == "关于支持县域特色产业科技创新的建议"
    assert st.proposal_number == "12" and st.proposal_serial == "2024012"
    assert st.signer == "市科技局"
    assert st.doc_number == ""          # the 〔2023〕9号 in the body belongs to a policy
    # navigation and footer lines are not sentences
    assert not any("Copyright" in s.text or s.text.startswith("![") for s in st.sentences)


def test_headline_with_two_titles_prefers_the_numbered_one():
    st = parse("关于立即制订《某市条例》的提案的答复\n关于市政协第十五届一次会议第20230539号提案的答复\n\n尊敬的王五委员:\n您提出的关于“关于立即制订《某市条例》的提案”的提案收悉。\n")
    assert st.title == "关于市政协第十五届一次会议第20230539号提案的答复"
    assert st.title_aliases == ["关于立即制订《某市条例》的提案的答复"]
    assert st.proposal_title == "关于立即制订《某市条例》的提案"
    assert st.proposal_number == "20230539"


def test_dates_in_chinese_numerals_and_several_proposers():
    st = parse("对第5号提案的答复\n\n张三、李四委员：\n你们提出的《关于庚的提案》收悉。现答复如下：\n一、好。\n\n"
               "甘肃省科学技术厅\n二〇二三年十二月二十一日\n")
    assert st.date == "2023-12-21"
    assert st.signer == "甘肃省科学技术厅"
    assert (st.recipient, st.co_recipients, st.recipient_role) == ("张三", ["李四"], "委员")


def test_a_title_that_is_a_letter_of_reply():
    st = parse("甘肃省科学技术厅关于省政协十二届五次会议第0321号提案答复的函\n甘科函〔2021〕12号\n\n王五委员：\n您提出的《关于辛的提案》收悉。\n")
    assert st.title == "甘肃省科学技术厅关于省政协十二届五次会议第0321号提案答复的函"
    assert st.proposal_number == "0321" and st.doc_number == "甘科函〔2021〕12号"
