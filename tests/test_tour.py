"""The README's tour, run line by line as written, on what its first line ingests (the bundled
sample, ``examples/articles``): each line must succeed and print something real, and a table must
show what its JSON twin holds."""

from __future__ import annotations

import json
import os
import re
import shlex
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED_GOLD = ROOT.parent / "shared" / "data" / "gold"


def tour_lines() -> list[str]:
    """The commands of the README's "A short tour" block, without their comments."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"## A short tour\n\n```bash\n(.*?)```", readme, re.S)
    assert block, "README.md has no tour"
    lines = []
    for line in block.group(1).splitlines():
        command = re.sub(r"\s+#\s.*$", "", line).strip()
        if command:
            lines.append(command)
    return lines


LINES = tour_lines()


@pytest.fixture(scope="module")
def place(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder like a fresh checkout's: the sample beside it, no ledger yet."""
    folder = tmp_path_factory.mktemp("tour")
    (folder / "examples").symlink_to(ROOT / "examples")
    return folder


def environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("NEWSLEDGER_DB", "COLUMNS")}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    return env


def shell(line: str, place: Path, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["bash", "-c", line], cwd=place, capture_output=True, text=True,
                          env=environment(), timeout=timeout)


def rows(table: str) -> list[str]:
    return [line for line in table.splitlines() if line.startswith("│")]


def test_the_tour_starts_by_ingesting_the_sample():
    assert LINES[0] == "newsledger ingest examples/articles"
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    first = re.search(r"```bash\n(.*?)```", readme, re.S).group(1)
    assert "newsledger ingest examples/articles" in first  # what the README's first command does


@pytest.fixture(scope="module")
def ingested(place: Path) -> Path:
    done = shell(LINES[0], place)
    assert done.returncode == 0, done.stderr
    assert re.match(r"[1-9]\d* added", done.stdout), done.stdout
    return place


def _json_twin(line: str) -> str | None:
    """The same command with --json, for a table command that has a JSON twin."""
    words = shlex.split(line)
    if words[0] != "newsledger" or "--json" in words or len(words) < 2:
        return None
    if words[1] in ("events", "claims", "stories", "actors", "articles", "timeline", "dyad",
                    "story", "actor", "show", "stats", "codes"):
        return line + " --json"
    return None


@pytest.mark.parametrize("line", LINES[1:], ids=[" ".join(shlex.split(x)[1:3]) for x in LINES[1:]])
def test_tour_line(line: str, ingested: Path):
    words = shlex.split(line)
    if words[:2] == ["newsledger", "serve"]:
        return _check_serve(words, ingested)
    if words[:2] == ["newsledger", "eval"]:
        return _check_eval(line, ingested)
    done = shell(line, ingested)
    assert done.returncode == 0, (line, done.stderr)
    assert "Traceback" not in done.stderr
    output = done.stdout.strip()
    assert output, f"{line!r} printed nothing"
    if "--json" in words or words[1] == "extract":
        data = json.loads(output)
        assert data, f"{line!r} printed empty JSON"
        if words[1] == "dyad":
            _check_dyad_json(data, line, ingested)
        if words[1] == "extract":
            assert data["actors"] and data["article"]["published"] == "2024-11-18"
        return
    twin = _json_twin(line)
    if twin is None:
        return
    data = json.loads(shell(twin, ingested).stdout)
    if isinstance(data, list) and words[1] in ("events", "claims", "stories", "actors",
                                               "articles", "timeline", "codes"):
        limit = int(words[words.index("--limit") + 1]) if "--limit" in words else None
        if data:  # the table shows every row its twin holds, one line each
            assert len(rows(output)) == len(data[:limit] if limit else data), line
        else:  # where the coder found nothing, the line says so instead of an empty table
            assert output.startswith("no ") and not rows(output), line
    if words[1] in ("articles", "stories", "actors", "codes", "stats", "events"):
        assert rows(output), f"{line!r} shows no rows: the sample holds some"
    if words[1] == "actor":
        assert data["mention_count"] >= 1 and data["code"] in output
        assert len(rows(output)) == len(data["mentions"])
    if words[1] == "story":
        assert data["article_list"] and data["label"] in output
        assert all(a["id"] in output for a in data["article_list"])
    if words[1] == "show":
        assert data["title"] in output and data["id"].startswith(words[2])


def _check_dyad_json(data: dict, line: str, place: Path) -> None:
    assert {"first", "second", "forward", "backward"} <= set(data)
    table = shell(line.replace(" --json", ""), place).stdout
    if data["forward"] or data["backward"]:
        assert len(rows(table)) == len(data["forward"]) + len(data["backward"])
    else:
        assert table.startswith(f"no events between {data['first']} and {data['second']}")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _check_serve(words: list[str], place: Path) -> None:
    """``serve`` as written (on its port 8000 when that is free, else on another one): the
    page and the API answer, over the tour's ledger."""
    port = 8000
    with socket.socket() as probe:
        if probe.connect_ex(("127.0.0.1", port)) == 0:
            port = _free_port()
            words = [*words, "--port", str(port)]
    server = subprocess.Popen(words, cwd=place, env=environment(), stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/stats", timeout=5) as r:
                    stats = json.load(r)
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(server.stderr.read() if server.poll() is not None
                                         else "serve did not answer") from None
                time.sleep(0.5)
        assert stats["articles"] >= 1
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as page:
            assert page.status == 200 and b"<html" in page.read().lower()
    finally:
        server.terminate()
        server.wait(timeout=30)


def _check_eval(line: str, place: Path) -> None:
    done = shell(line, place, timeout=1800)
    assert "Traceback" not in done.stderr
    if not SHARED_GOLD.is_dir():  # no gold data here: the line says where it comes from
        assert done.returncode == 2 and "--gold DIR" in done.stderr
        return
    assert done.returncode == 0, done.stderr
    assert rows(done.stdout) and re.search(r"\d\.\d{3}", done.stdout)
