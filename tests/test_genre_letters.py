"""80 reply letters of the genre written for this project (tests/genre_letters: four batches by four
annotators who never saw the extractor, each with a gold graph under ../shared/eval/GUIDE.md), scored
by kg's own scorer. A floor that only moves up, like the shared corpus's; the figures are in README."""
from pathlib import Path

from kg.evaluate import evaluate

HERE = Path(__file__).parent / "genre_letters"
FLOOR = {"entity_f1": 0.94, "relation_f1": 0.87, "duplicates": 5, "canonical": 0.97}


def test_written_letters_meet_the_floor():
    lines = []
    total = evaluate(HERE / "corpus", HERE / "gold", out=lines.append)
    assert len(lines) == 81        # every letter has its gold file, and the micro-average
    assert total.entity[2] >= FLOOR["entity_f1"], lines[-1]
    assert total.relation[2] >= FLOOR["relation_f1"], lines[-1]
    assert total.duplicates <= FLOOR["duplicates"], lines[-1]
    assert total.canonical >= FLOOR["canonical"], lines[-1]
