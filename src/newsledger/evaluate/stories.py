"""Story clustering scored on ECB+ (``ecbplus_dev.jsonl``), on its frozen dev part.

The documents of ``split.dev_part`` (20% of the file, never tuned on: ``scripts/tune_stories.py``
reads ``train_part``) are ingested in file order into an empty in-memory ledger (the documents
have no dates, and their text is tokenised), through the whole pipeline. Each document's story is
compared with its gold ``subtopic`` (one real-world event) and ``topic`` by B³: for every
document, the share of its story that shares its gold cluster (precision) and the share of its
gold cluster that shares its story (recall), averaged over documents.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from ..ledger import Ledger
from ..stories import settings
from ..stories.merge import embedding_threshold
from .gold import ecbplus_records
from .report import Score, scorer
from .split import dev_part


def b_cubed(predicted: dict[str, str], gold: dict[str, str]) -> dict[str, float]:
    """B³ precision, recall and F1 of a clustering (item → cluster) against gold."""
    by_predicted: dict[str, set[str]] = {}
    by_gold: dict[str, set[str]] = {}
    for item, cluster in predicted.items():
        by_predicted.setdefault(cluster, set()).add(item)
    for item, cluster in gold.items():
        by_gold.setdefault(cluster, set()).add(item)
    precision = recall = 0.0
    for item in gold:
        ours = by_predicted[predicted[item]]
        theirs = by_gold[gold[item]]
        shared = len(ours & theirs)
        precision += shared / len(ours)
        recall += shared / len(theirs)
    n = len(gold) or 1
    precision, recall = precision / n, recall / n
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def cluster_documents(texts: list[str], pipeline=None, *, workers: int = 1) -> list[str]:
    """The story of each text, ingested in order into an empty ledger."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "documents.jsonl"
        path.write_text("\n".join(json.dumps({"text": t}) for t in texts) + "\n",
                        encoding="utf-8")
        with Ledger(":memory:", model=pipeline.model if pipeline else None,
                    knowledge=pipeline.knowledge if pipeline else None) as ledger:
            ledger.ingest(path, workers=workers)
            source_story = dict(ledger.conn.execute(
                "SELECT s.source, sa.story_id FROM article_sources s JOIN story_articles sa"
                " ON sa.article_id = s.article_id"))
            duplicate_story = dict(ledger.conn.execute(
                "SELECT a.source, sa.story_id FROM articles a JOIN story_articles sa"
                " ON sa.article_id = a.id"))
    stories = []
    for line in range(1, len(texts) + 1):
        where = f"{path.absolute()}:{line}"
        stories.append(source_story.get(where) or duplicate_story.get(where) or f"lost{line}")
    return stories


@scorer("stories")
def stories(folder: Path, pipeline) -> Score:
    documents = dev_part("ecbplus_dev.jsonl", ecbplus_records(folder))
    assigned = cluster_documents([d.text for d in documents], pipeline)
    predicted = {d.id: story for d, story in zip(documents, assigned)}
    figures = {}
    for level in ("subtopic", "topic"):
        gold = {d.id: getattr(d, level) for d in documents}
        for key, value in b_cubed(predicted, gold).items():
            figures[f"{level}_{key}"] = value
    return Score(
        name="stories", gold="ecbplus_dev.jsonl",
        method="the dev part's documents ingested in file order (undated, tokenised text) into an"
               " empty ledger; B³ of the stories against gold subtopics (one real-world event)"
               " and topics",
        figures=figures,
        notes=["settings: " + ", ".join(f"{k} {v}" for k, v in settings().to_dict().items())
               + f"; merged events: sentence similarity ≥ {embedding_threshold()}"],
        counts={"documents": len(documents), "stories": len(set(assigned)),
                "articles_in_no_story": sum(story.startswith("lost") for story in assigned),
                "gold_subtopics": len({d.subtopic for d in documents}),
                "gold_topics": len({d.topic for d in documents})})
