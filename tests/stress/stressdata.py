"""Shared pieces of the stress tests: short generated articles (each distinct, each with a
political event in it), written as files, and the subprocess command line of newsledger."""

from __future__ import annotations

import os
import random
import sys
from pathlib import Path



ROOT = Path(__file__).resolve().parents[2]

COUNTRIES = ("France", "Germany", "Kenya", "Chile", "Peru", "Ghana", "Japan", "Brazil", "India",
             "Egypt", "Canada", "Mexico", "Turkey", "Nigeria", "Poland", "Spain")
EVENTS = ("{a} accused {b} of violating the ceasefire on {day}.",
          "The president of {a} met the prime minister of {b} in the capital on {day}.",
          "{a} imposed sanctions on {b} on {day}, officials said.",
          "Police in {a} arrested dozens of protesters on {day}.",
          "{a} signed a trade agreement with {b} on {day}.",
          "The foreign minister of {a} said on {day} that {b} must withdraw its troops.")
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
# Filler words: enough of them that no two generated articles are near-duplicates.
FILLER = ("harbour village council budget election river mountain school hospital bridge "
          "market factory railway museum festival weather harvest province district "
          "parliament committee report survey airport highway stadium library orchard "
          "mine forest coast valley island desert canal tunnel tower garden farm clinic "
          "ferry port bakery quarry refinery mill dam reservoir pipeline lighthouse").split()


def article_texts(n: int, seed: int = 0) -> list[str]:
    """``n`` distinct short news texts, each with one event sentence and filler around it."""
    rng = random.Random(seed)
    texts = []
    for i in range(n):
        a, b = rng.sample(COUNTRIES, 2)
        event = rng.choice(EVENTS).format(a=a, b=b, day=rng.choice(DAYS))
        filler = " ".join(rng.choice(FILLER) for _ in range(40))
        texts.append(f"{event} Reporters noted item {seed}-{i}: {filler}.")
    return texts


def write_articles(folder: Path, n: int, seed: int = 0, prefix: str = "a") -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i, text in enumerate(article_texts(n, seed)):
        path = folder / f"{prefix}{i:05d}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def newsledger_command(db: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "newsledger", "--db", str(db), *args]


def child_env() -> dict[str, str]:
    """The environment of a newsledger child process: this checkout's code, or the frozen copy
    in ``$NEWSLEDGER_SRC`` (for long runs in a working tree others keep editing)."""
    env = dict(os.environ)
    source = os.environ.get("NEWSLEDGER_SRC") or str(ROOT / "src")
    env["PYTHONPATH"] = source + os.pathsep + env.get("PYTHONPATH", "")
    return env




def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(db: Path, port: int, log: Path, timeout: float = 60.0):
    """``newsledger serve`` over ``db`` on 127.0.0.1:``port``, in its own process, once it
    answers."""
    import subprocess
    import time
    import urllib.request

    process = subprocess.Popen(newsledger_command(db, "serve", "--host", "127.0.0.1", "--port",
                                                  str(port)),
                               env=child_env(), stdout=subprocess.DEVNULL,
                               stderr=log.open("wb"))
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited: {log.read_text(errors='replace')[-2000:]}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/stats", timeout=2):
                return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("the server did not start")


# Mixed GETs a reader of the ledger makes (the page's JSON twins).
READS = ("/api/stats", "/api/articles?limit=20", "/api/articles?search=ceasefire&limit=10",
         "/api/events?limit=50", "/api/events?quad_class=4&limit=20", "/api/stories?limit=20",
         "/api/claims?limit=20", "/api/actors?limit=50", "/api/events?since=2000-01-01&limit=5")
