"""Which relation rules a sentence runs: one automaton pass over the letter must choose exactly
what a search of each rule's words in each sentence would (kg/extract/relations.py, RULES)."""
import itertools

from kg.extract import relations
from kg.extract.relations import RULES, _rules_by_sentence
from kg.extract.structure import Sentence, parse


def _naive(sentence: str, labels: set[str]) -> list:
    """The rules the old loop ran: its label present (if it needs one) and any of its words in the sentence."""
    return [rule for rule, label, words in RULES
            if (label is None or label in labels) and (words is None or any(w in sentence for w in words))]


def _chosen(bits: int, labels: set[str]) -> list:
    needs = sum(b for lab, b in relations._NEEDS_LABEL if lab in labels)
    return list(relations._RULES_OF[bits & (relations._NO_LABEL | needs)])


def test_each_rule_word_selects_its_rules_in_its_sentence_only():
    for rule, _label, words in RULES:
        for w in words or ():
            text = f"我省持续推进相关工作。有关部门{w}有关单位开展工作。下一步将继续努力。"
            sentences = parse(text).sentences
            bits = _rules_by_sentence(text, sentences)
            for s, b in zip(sentences, bits):
                chosen = _chosen(b, {"Policy", "Program", "Event"})
                assert (rule in chosen) == (w in s.text), (w, s.text)
                assert chosen == _naive(s.text, {"Policy", "Program", "Event"}), (w, s.text)


def test_a_word_across_two_sentences_fires_nothing():
    # sentences cut between two characters of a word (a splitter may cut a long run without marks)
    text = "双方加强合作共赢"
    sentences = [Sentence(0, 5, text[:5], 0), Sentence(5, len(text), text[5:], 0)]     # 双方加强合|作共赢
    for s, b in zip(sentences, _rules_by_sentence(text, sentences)):
        assert _chosen(b, set()) == _naive(s.text, set()), s.text
    assert relations._cooperates not in _chosen(_rules_by_sentence(text, sentences)[0], set())


def test_labels_gate_the_rules_that_need_them():
    text = "我厅印发实施方案并与省教育厅合作。"
    (s,) = parse(text).sentences
    (bits,) = _rules_by_sentence(text, [s])
    for k in range(4):
        for labels in itertools.combinations(["Policy", "Program", "Event", "Agency"], k):
            assert _chosen(bits, set(labels)) == _naive(s.text, set(labels)), labels
