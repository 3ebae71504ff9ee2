"""Short invented news articles for the reliability benchmarks and tests, and the checks they
share. Every article is built by code from a seed, so a run can be repeated exactly.

    from corpus import articles, write_jsonl, ledger_state
"""

from __future__ import annotations

import json
import random
import sqlite3
from pathlib import Path
from typing import Any

COUNTRIES = [
    ("Japan", "Tokyo"), ("South Korea", "Seoul"), ("China", "Beijing"), ("Russia", "Moscow"),
    ("France", "Paris"), ("Germany", "Berlin"), ("Brazil", "Brasilia"), ("India", "New Delhi"),
    ("Kenya", "Nairobi"), ("Egypt", "Cairo"), ("Turkey", "Ankara"), ("Mexico", "Mexico City"),
    ("Canada", "Ottawa"), ("Nigeria", "Abuja"), ("Indonesia", "Jakarta"), ("Peru", "Lima"),
    ("Poland", "Warsaw"), ("Vietnam", "Hanoi"), ("Iran", "Tehran"), ("Israel", "Jerusalem"),
    ("Ukraine", "Kyiv"), ("Pakistan", "Islamabad"), ("Argentina", "Buenos Aires"),
    ("Philippines", "Manila"), ("Ethiopia", "Addis Ababa"), ("Sweden", "Stockholm"),
]
TOPICS = ["fishing rights", "a gas pipeline", "border crossings", "grain exports", "visa rules",
          "a rail link", "port fees", "water sharing", "cyber security", "tariffs on steel",
          "a new embassy", "student exchanges", "flood relief", "debt relief", "air routes"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
SENTENCES = [
    "{a} and {b} held talks in {city} on {day} about {topic}.",
    "The foreign minister of {a} met the ambassador of {b} to discuss {topic}.",
    "{a} accused {b} of violating an agreement on {topic}.",
    "{b} denied the accusation and called it baseless.",
    "Officials in {city} said {a} would send {n} inspectors to {b} next month.",
    "{a} criticised {b} for expelling {n} diplomats on {day}.",
    "Police in {city} used tear gas against {n} protesters angry about {topic}.",
    "{a} agreed to provide {n} million dollars in aid to {b} for {topic}.",
    "The president of {a} praised {b} for its help with {topic}.",
    "{b} threatened to impose sanctions on {a} over {topic}.",
    "Troops from {a} arrested {n} people near the border with {b} on {day}.",
    "{a} and {b} signed an agreement on {topic} in {city}.",
    "A spokesman for {b} said the government rejected the proposal from {a}.",
    "{a} urged {b} to resume negotiations on {topic}.",
    "Ministers from {a} will visit {city} to talk about {topic}, officials said.",
    "{b} recalled its ambassador from {a} after the dispute over {topic}.",
]


def article(seed: int) -> dict[str, Any]:
    """One short article (4 to 6 sentences, about 80 words) with a title and a date."""
    rng = random.Random(seed)
    (a, _), (b, city) = rng.sample(COUNTRIES, 2)
    topic = rng.choice(TOPICS)
    picked = rng.sample(SENTENCES, rng.randint(4, 6))
    fill = {"a": a, "b": b, "city": city, "topic": topic}
    text = " ".join(s.format(day=rng.choice(DAYS), n=rng.randint(2, 900), **fill) for s in picked)
    text += f" The report was number {seed} in this series."
    return {"title": f"{a} and {b}: {topic} ({seed})", "text": text,
            "published": f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            "outlet": rng.choice(["Harbor Times", "Island Post", "Daily Ledger", "Wire Desk"]),
            "url": f"https://news.example.org/{seed}"}


def articles(count: int, start: int = 0) -> list[dict[str, Any]]:
    return [article(seed) for seed in range(start, start + count)]


def write_jsonl(path: Path, records: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def ledger_state(db: Path) -> dict[str, Any]:
    """The health checks and row counts of the ledger at ``db`` (see
    ``newsledger.store.db.health``), with the count of duplicated rows, which must be 0."""
    from newsledger.store.db import health, table_counts

    conn = sqlite3.connect(db)
    try:
        state = health(conn)
        state["counts"] = table_counts(conn)
        state["doubled"] = conn.execute(
            "SELECT COUNT(*) FROM (SELECT text FROM articles GROUP BY title, text"
            " HAVING COUNT(*) > 1)").fetchone()[0]
        return state
    finally:
        conn.close()


def sound(state: dict[str, Any]) -> bool:
    """No integrity problem, orphan, half-stored article or doubled article."""
    return (state["integrity"] == "ok" and state["foreign_keys"] == 0 and not state["orphans"]
            and state["unanalysed"] == 0 and state["unplaced"] == 0 and state["doubled"] == 0)
