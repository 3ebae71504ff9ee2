"""The ledger: idempotent ingest, duplicates, bad input that costs nothing else, safe storage."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path

import pytest

from newsledger import Ledger, LedgerError
from newsledger.store.db import latest_version

STORY = (
    "The foreign ministers of Chile and Peru met in Lima on Tuesday to discuss a maritime border "
    "dispute that has strained relations between the two neighbours for a decade. Both sides "
    "said the talks had been constructive and agreed to meet again in Santiago next month. "
    "Peru's minister told reporters that a joint commission would map the disputed waters, "
    "while Chile's delegation said fishing rights would be settled first. The dispute flared "
    "last year when coast guard vessels from both countries confronted each other near the "
    "boundary line, and diplomats have since worked to lower tensions."
)
THIRD = (
    "Lawmakers in Ghana approved a new budget on Thursday after weeks of debate over spending "
    "cuts demanded by international lenders. The finance minister said the plan would restore "
    "growth, but opposition members walked out before the vote, calling it unfair to workers."
)
OTHER = (
    "Farmers in northern Kenya blocked a highway on Monday to protest against rising fuel "
    "prices, police said. Hundreds of people gathered near the town of Isiolo, and officers "
    "used tear gas to disperse the crowd after talks with local leaders broke down. The "
    "government has promised to review the fuel levy within two weeks."
)


def distinct_texts(n: int) -> list[str]:
    """``n`` short texts that share no run of four words (so none is a near-duplicate)."""
    import random

    rng = random.Random(7)
    words = ("minister army court village council border election protest talks treaty "
             "police budget harbour province rebels envoy summit farmers sanctions vote").split()
    return [" ".join(rng.choice(words) for _ in range(60)) + "." for _ in range(n)]


def write(folder: Path, name: str, content: str | bytes) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


def dump(db: Path, ids: set[str] | None = None) -> str:
    """A digest of the stored rows of the article tables (of the articles ``ids``, or all), to
    prove that nothing changed."""
    conn = sqlite3.connect(db)
    rows = []
    for table, key in (("articles", "id"), ("article_sources", "article_id"),
                       ("fingerprints", "article_id"), ("sentences", "article_id")):
        for row in conn.execute(f"SELECT *, {key} FROM {table} ORDER BY {key}"):
            if ids is None or row[-1] in ids:
                rows.append(repr(tuple(row)))
    conn.close()
    return hashlib.sha256("\n".join(rows).encode()).hexdigest()


def test_ingest_stores_articles_with_sentences(ledger: Ledger, tmp_path: Path):
    write(tmp_path / "in", "a.txt", STORY)
    report = ledger.ingest(tmp_path / "in")
    assert (report.added, report.duplicates, report.failed) == (1, 0, [])
    [article] = ledger.articles()
    assert article.text == STORY
    count = ledger.conn.execute("SELECT COUNT(*) FROM sentences WHERE article_id = ?",
                                (article.id,)).fetchone()[0]
    assert count == 4


def test_reingesting_the_same_folder_adds_nothing(ledger: Ledger, tmp_path: Path, db: Path):
    write(tmp_path / "in", "a.txt", STORY)
    write(tmp_path / "in", "b.txt", OTHER)
    assert ledger.ingest(tmp_path / "in").added == 2
    before = dump(db)
    again = ledger.ingest(tmp_path / "in")
    assert (again.added, again.duplicates, again.unchanged) == (0, 0, 2)
    assert dump(db) == before


def test_samples_are_stored_once(ledger: Ledger, samples: Path):
    assert ledger.ingest(samples).added == 2
    assert ledger.ingest(samples).added == 0
    assert ledger.stats()["articles"] == 2


def test_same_article_in_other_boilerplate_is_a_duplicate_of_the_first(ledger: Ledger,
                                                                       tmp_path: Path):
    first = write(tmp_path, "plain.txt", f"Chile and Peru Hold Border Talks\n\n{STORY}\n"
                                         "Related News :\nKenya fuel protests")
    page = write(tmp_path, "page.html", f"""<html><head><title>World | Example Times</title>
        </head><body><nav>Home World Sport</nav><article>
        <h1>Chile and Peru hold border talks, agree to meet again</h1>
        <p>By Ana Silva</p><p>{STORY}</p><p>Share on Facebook | Tweet | Email</p>
        </article><aside>Most read: Kenya fuel protests</aside></body></html>""")
    ledger.ingest(first)
    report = ledger.ingest(page)
    assert (report.added, report.duplicates) == (0, 1)
    original = ledger.articles(search="Chile Peru", duplicates=False)[0]
    copies = [a for a in ledger.articles() if a.duplicate_of == original.id]
    assert len(copies) == 1 and copies[0].similarity >= 0.8


def test_wire_copy_with_a_new_headline_is_a_duplicate(ledger: Ledger, tmp_path: Path):
    write(tmp_path / "in", "1.jsonl", json.dumps({"title": "Border talks in Lima", "text": STORY,
                                                  "outlet": "Wire A"}) + "\n" +
          json.dumps({"title": "Chile, Peru agree to keep talking", "text": STORY,
                      "outlet": "Paper B"}) + "\n")
    report = ledger.ingest(tmp_path / "in")
    assert (report.added, report.duplicates) == (1, 1)
    dup = [a for a in ledger.articles() if a.duplicate_of]
    assert dup[0].outlet == "Paper B"
    analysed = ledger.conn.execute("SELECT COUNT(*) FROM articles WHERE analysed = 1").fetchone()[0]
    assert analysed == 1


def test_exact_copy_from_another_source_is_recorded_as_a_source(ledger: Ledger, tmp_path: Path):
    write(tmp_path / "a", "story.txt", STORY)
    write(tmp_path / "b", "story.txt", STORY)
    ledger.ingest(tmp_path / "a")
    report = ledger.ingest(tmp_path / "b")
    assert (report.added, report.duplicates) == (0, 1)
    [article] = ledger.articles()
    assert len(ledger.sources(article.id)) == 2


def test_different_articles_are_not_duplicates(ledger: Ledger, tmp_path: Path):
    write(tmp_path / "in", "a.txt", STORY)
    write(tmp_path / "in", "b.txt", OTHER)
    report = ledger.ingest(tmp_path / "in")
    assert (report.added, report.duplicates) == (2, 0)


def test_bad_inputs_are_reported_and_cost_nothing_else(ledger: Ledger, tmp_path: Path, db: Path):
    good = tmp_path / "good"
    write(good, "kept.txt", OTHER)
    ledger.ingest(good)
    stored = {a.id for a in ledger.articles()}
    before = dump(db, stored)

    bad = tmp_path / "mixed"
    write(bad, "story.txt", STORY)
    write(bad, "scan.txt", b"%PDF-1.4\x00\x00\x01binary")
    write(bad, "latin1.txt", "Caf\xe9 talks in Lima".encode("latin-1"))
    write(bad, "empty.txt", b"")
    write(bad, "huge.html", b"<html><body>" + b"<p>word </p>" * (50_000_000 // 12) +
          b"</body></html>")
    write(bad, "dump.jsonl", json.dumps({"text": THIRD}) + "\n"
          + '{"text": "The talks ended without')
    write(bad, "feed.xml", "<<< definitely not a feed")
    report = ledger.ingest(bad)

    reasons = {Path(e.source.split(":")[0]).name: e.code for e in report.failed}
    assert reasons == {"scan.txt": "E112", "latin1.txt": "E104", "empty.txt": "E102",
                       "huge.html": "E105", "dump.jsonl": "E106", "feed.xml": "E108"}
    assert all(e.source.startswith(str(bad)) for e in report.failed)
    assert report.added == 2  # story.txt and the good line of dump.jsonl
    assert ledger.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert ledger.stats()["articles"] == 3
    # What was stored before the bad folder is untouched, row for row.
    assert dump(db, stored) == before


def test_a_crash_mid_ingest_keeps_finished_batches_and_a_sound_file(tmp_path: Path, db: Path,
                                                                    monkeypatch):
    folder = tmp_path / "in"
    for i, text in enumerate(distinct_texts(10)):
        write(folder, f"{i:02}.txt", text)
    import newsledger.ledger as ledger_module

    real = ledger_module.Pipeline.analyse
    calls = {"n": 0}

    def failing(self, article, doc):
        calls["n"] += 1
        if calls["n"] == 7:
            raise KeyboardInterrupt  # the run is stopped (an error in one article is not)
        return real(self, article, doc)

    monkeypatch.setattr(ledger_module.Pipeline, "analyse", failing)
    with Ledger(db) as ledger, pytest.raises(KeyboardInterrupt):
        ledger.ingest(folder, batch_size=3)
    with Ledger(db) as ledger:
        assert ledger.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert ledger.stats()["articles"] == 6  # two whole batches of three
        monkeypatch.setattr(ledger_module.Pipeline, "analyse", real)
        report = ledger.ingest(folder, batch_size=3)
        assert (report.added, report.unchanged) == (4, 6)
        assert ledger.stats()["articles"] == 10


def test_parallel_workers_give_the_same_ledger(tmp_path: Path):
    folder = tmp_path / "in"
    for i, text in enumerate(distinct_texts(7)):
        write(folder, f"{i}.txt", text)
    with Ledger(tmp_path / "one.db") as one, Ledger(tmp_path / "two.db") as two:
        r1 = one.ingest(folder)
        r2 = two.ingest(folder, workers=2, batch_size=2)
        assert (r1.added, r1.duplicates) == (r2.added, r2.duplicates)
        rows = "SELECT article_id, idx, start, end FROM sentences ORDER BY 1, 2"
        assert one.conn.execute(rows).fetchall() == two.conn.execute(rows).fetchall()


def test_full_text_search(ledger: Ledger, tmp_path: Path):
    write(tmp_path / "in", "a.txt", STORY)
    write(tmp_path / "in", "b.txt", OTHER)
    ledger.ingest(tmp_path / "in")
    assert [a.text[:12] for a in ledger.articles(search="tear gas")] == [OTHER[:12]]
    assert ledger.articles(search='maritime "(') and not ledger.articles(search="zebra")


def test_article_by_id_prefix_and_unknown_id(ledger: Ledger, tmp_path: Path):
    write(tmp_path / "in", "a.txt", STORY)
    ledger.ingest(tmp_path / "in")
    [article] = ledger.articles()
    assert ledger.article(article.id[:6]).id == article.id
    with pytest.raises(LedgerError, match="E204"):
        ledger.article("ffffffffffffffff")


def test_schema_is_versioned(ledger: Ledger):
    version = ledger.conn.execute("SELECT MAX(version) FROM schema_version").fetchone()[0]
    assert version == latest_version()
    assert ledger.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_a_newer_ledger_is_refused(db: Path):
    Ledger(db).close()
    conn = sqlite3.connect(db)
    conn.execute("INSERT INTO schema_version VALUES (9999, 'future', 'now')")
    conn.commit()
    conn.close()
    with pytest.raises(LedgerError, match="E202"):
        Ledger(db)


def test_a_foreign_sqlite_file_is_refused_and_left_alone(db: Path):
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE accounts (id INTEGER)")
    conn.commit()
    conn.close()
    with pytest.raises(LedgerError, match="E201"):
        Ledger(db)
    tables = sqlite3.connect(db).execute("SELECT name FROM sqlite_master").fetchall()
    assert tables == [("accounts",)]


def test_a_file_that_is_not_sqlite_is_refused(db: Path):
    db.write_text("just some text, not a database " * 100)
    with pytest.raises(LedgerError, match="E203"):
        Ledger(db)


def test_memory_ledger(tmp_path: Path):
    write(tmp_path, "a.txt", STORY)
    with Ledger(":memory:") as ledger:
        assert ledger.ingest(tmp_path / "a.txt").added == 1
