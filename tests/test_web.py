"""The HTTP API and the web page: filters, pagination, errors, safety, a property test of the
OpenAPI schema, and the page driven in Debian's headless Chromium."""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import threading
import time
from pathlib import Path

import pytest

from newsledger import Ledger

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
HOSTILE = ('<script>window.__pwned = 1</script> Kenyan police arrested dozens of protesters in '
           'Nairobi on Tuesday. <img src=x onerror="window.__pwned = 2"> The opposition '
           'condemned the arrests.')
ARTICLES = [
    {"outlet": "Harbor Times", "published": "2024-03-05", "title": "Water cannon at the shoal",
     "text": "Chinese coast guard ships fired water cannon at a Philippine supply boat near "
             "Second Thomas Shoal on Monday, Philippine officials said. China's foreign "
             "ministry denied that its forces had attacked the boat."},
    {"outlet": "Island Post", "published": "2024-03-05", "title": "Supply mission blocked",
     "text": "Chinese coast guard ships fired water cannon at a Philippine resupply boat on "
             "Monday, the Philippine military said. The United States condemned the attack."},
    {"outlet": "Evil Gazette", "published": "2024-03-06",
     "title": "<b onmouseover=\"window.__pwned = 3\">Unrest</b> in Nairobi", "text": HOSTILE},
]


@pytest.fixture(scope="module")
def web_db(tmp_path_factory) -> Path:
    """A ledger of three short articles written for these tests, and the bundled examples."""
    folder = tmp_path_factory.mktemp("web")
    feed = folder / "articles.jsonl"
    feed.write_text("\n".join(json.dumps(a) for a in ARTICLES) + "\n", encoding="utf-8")
    db = folder / "web.db"
    with Ledger(db, coder="rules") as ledger:  # the lexicon: the tests know its codes
        report = ledger.ingest([feed, ROOT / "examples" / "articles"])
    assert report.failed == []
    return db


@pytest.fixture(scope="module")
def app(web_db):
    from newsledger.web import create_app

    return create_app(web_db)


@pytest.fixture(scope="module")
def client(app):
    from fastapi.testclient import TestClient

    with TestClient(app) as opened:
        yield opened


def shoal_story(client) -> dict:
    stories = client.get("/api/stories").json()["items"]
    found = [s for s in stories if "Island Post" in s["outlets"]]
    assert found, stories
    return client.get(f"/api/stories/{found[0]['id']}").json()


# -- the API ------------------------------------------------------------------------------------


def test_stats_count_what_was_stored(client, web_db):
    stats = client.get("/api/stats").json()
    with Ledger(web_db, readonly=True) as ledger:
        assert stats == ledger.stats()
    assert stats["articles"] >= 3 and stats["events"] > 0


def test_a_story_brings_its_articles_events_claims_and_timeline(client):
    story = shoal_story(client)
    assert {a["outlet"] for a in story["article_list"]} == {"Harbor Times", "Island Post"}
    assert story["events"] and story["timeline"]
    assert sum(sum(t["quad_classes"].values()) for t in story["timeline"]) == len(
        [e for e in story["events"] if e["date"]])
    disputed = [c for c in story["claims"] if c["status"] == "disputed"]
    assert disputed and "CHNGOV" in disputed[0]["denied_by"]
    timeline = client.get(f"/api/stories/{story['id']}/timeline").json()
    assert timeline == story["timeline"]


@pytest.mark.parametrize("query, holds", [
    ("actor=CHN", lambda e: "CHN" in (e["source"] or {}).get("code", "")[:3] + (
        e["target"] or {}).get("code", "")[:3]),
    ("source=CHN", lambda e: e["source"]["code"].startswith("CHN")),
    ("target=PHL", lambda e: e["target"]["code"].startswith("PHL")),
    ("cameo=11", lambda e: e["cameo"].startswith("11")),
    ("cameo=19", lambda e: e["cameo"].startswith("19")),
    ("quad_class=3", lambda e: e["quad_class"] == 3),
    ("plover=ACCUSE", lambda e: e["plover"]["event"] == "ACCUSE"),
    ("since=2024-03-05&until=2024-03-05", lambda e: e["date"] == "2024-03-05"),
    ("modality=asserted", lambda e: e["modality"] == "asserted"),
])
def test_event_filters_keep_only_what_matches(client, query, holds):
    everything = client.get("/api/events?limit=500").json()
    found = client.get(f"/api/events?{query}&limit=500").json()
    assert found["items"], query
    assert all(holds(e) for e in found["items"]), query
    assert found["total"] == len(found["items"]) < everything["total"]


def test_story_status_and_corroboration_filters(client):
    story = shoal_story(client)
    in_story = client.get(f"/api/events?story={story['id']}&limit=500").json()
    assert {e["id"] for e in in_story["items"]} == {e["id"] for e in story["events"]}
    disputed = client.get("/api/events?status=disputed").json()["items"]
    assert disputed and all(e["source"]["code"].startswith("CHN") for e in disputed)
    corroborated = client.get("/api/events?min_corroboration=2").json()["items"]
    assert corroborated, "the water cannon attack is reported by two outlets"
    for event in corroborated:
        merged = client.get(f"/api/events/{event['id']}").json()["merged"]
        assert merged["corroboration"] >= 2
        assert {"Harbor Times", "Island Post"} <= set(merged["outlets"])


def test_events_are_paginated_with_a_stable_total(client):
    first = client.get("/api/events?limit=2&offset=0").json()
    second = client.get("/api/events?limit=2&offset=2").json()
    everything = client.get("/api/events?limit=500").json()
    assert first["total"] == second["total"] == everything["total"] > 4
    assert [e["id"] for e in first["items"] + second["items"]] == [
        e["id"] for e in everything["items"][:4]]


@pytest.mark.parametrize("path", [
    "/api/events?quad_class=9", "/api/events?since=yesterday", "/api/events?limit=0",
    "/api/events?limit=100000", "/api/events?cameo=abc", "/api/events?status=rumoured",
    "/api/dyad?first=PRK", "/api/network?actor=%3Cscript%3E",
])
def test_bad_parameters_are_rejected_with_422(client, path):
    response = client.get(path)
    assert response.status_code == 422
    assert response.json()["detail"]


@pytest.mark.parametrize("path", [
    "/api/articles/0123456789abcdef", "/api/events/0123456789abcdef",
    "/api/stories/0123456789abcdef", "/api/stories/0123456789abcdef/timeline",
    "/no-such-page", "/static/../pyproject.toml",
])
def test_unknown_ids_and_pages_are_404(client, path):
    assert client.get(path).status_code == 404


def test_an_article_carries_every_event_with_its_sentence_span(client):
    listed = client.get("/api/articles?search=water%20cannon").json()["items"]
    assert listed
    article = client.get(f"/api/articles/{listed[0]['id']}").json()
    assert article["events"] and article["story_id"]
    for event in article["events"]:
        start, end = event["sentence"]["span"]
        assert article["text"][start:end] == event["sentence"]["text"]
        if event["source"]:
            s, e = event["source"]["span"]
            assert article["text"][s:e] == event["source"]["text"]


def test_actor_network_dyad_and_timeline(client):
    actor = client.get("/api/actors/CHN").json()
    codes = {c["code"]: c["mentions"] for c in actor["codes"]}
    assert {"CHN", "CHNGOV"} <= set(codes) and codes["CHN"] == actor["mention_count"]
    partners = {p["partner"] for p in actor["partners"]}
    assert "PHL" in partners and "PHL" in actor["series"]
    network = client.get("/api/network?actor=CHN").json()
    assert {n["id"] for n in network["nodes"]} == partners | {"CHN"}
    assert all(edge["source"] == "CHN" and edge["events"] >= 1 for edge in network["edges"])
    dyad = client.get("/api/dyad?first=CHN&second=PHL&by=day").json()
    forward = sum(p["events"] for p in dyad["forward"])
    assert forward == client.get("/api/events?source=CHN&target=PHL").json()["total"]
    timeline = client.get("/api/timeline?actor=CHN&target=PHL&by=day").json()
    assert sum(p["events"] for p in timeline) == forward


def test_claims_board_lists_who_asserts_and_who_denies(client):
    claims = client.get("/api/claims?status=disputed").json()["items"]
    assert claims
    for claim in claims:
        assert claim["status"] == "disputed" and claim["asserted_by"] and claim["denied_by"]
        assert claim["event"]["id"] == claim["event_id"]


def test_every_response_carries_the_security_headers(client):
    for path in ("/", "/api/stats", "/no-such-page"):
        headers = client.get(path).headers
        assert "script-src 'self'" in headers["content-security-policy"]
        assert headers["x-content-type-options"] == "nosniff"


def test_the_page_ships_plotly_from_the_python_package_not_a_cdn(client):
    page = client.get("/stories").text
    assert "http" not in page.split("<body>")[0].replace('name="viewport"', "")
    script = client.get("/static/plotly.min.js")
    assert script.status_code == 200 and b"plotly" in script.content[:2000].lower()


# -- writing ------------------------------------------------------------------------------------


POSTED = {"articles": [{"text": "Chile and Peru signed a fisheries agreement in Lima on "
                                "Friday.", "published": "2024-02-02", "outlet": "Test Wire"}]}


def test_the_server_is_read_only_without_a_token(client, web_db):
    before = client.get("/api/stats").json()
    response = client.post("/api/ingest", json=POSTED,
                           headers={"Authorization": "Bearer anything"})
    assert response.status_code == 403
    assert client.get("/api/stats").json() == before


def test_ingest_needs_the_configured_token(tmp_path, web_db):
    from fastapi.testclient import TestClient

    from newsledger.web import create_app

    db = tmp_path / "copy.db"
    shutil.copy(web_db, db)
    with TestClient(create_app(db, token="s3cret", max_body=20_000)) as writer:
        before = writer.get("/api/stats").json()["articles"]
        assert writer.post("/api/ingest", json=POSTED).status_code == 401
        assert writer.post("/api/ingest", json=POSTED,
                           headers={"Authorization": "Bearer wrong"}).status_code == 401
        empty = {"articles": [{"text": "   "}]}
        assert writer.post("/api/ingest", json=empty,
                           headers={"Authorization": "Bearer s3cret"}).status_code == 422
        huge = {"articles": [{"text": "word " * 10_000}]}
        assert writer.post("/api/ingest", json=huge,
                           headers={"Authorization": "Bearer s3cret"}).status_code == 413
        assert writer.get("/api/stats").json()["articles"] == before
        done = writer.post("/api/ingest", json=POSTED,
                           headers={"Authorization": "Bearer s3cret"})
        assert done.status_code == 201 and done.json()["added"] == 1
        assert writer.get("/api/stats").json()["articles"] == before + 1
        found = writer.get("/api/events?source=CHL&target=PER").json()["items"]
        assert found and found[0]["cameo"].startswith("0")
        again = writer.post("/api/ingest", json=POSTED,
                            headers={"Authorization": "Bearer s3cret"})
        assert again.json()["added"] == 0  # idempotent
        assert writer.get("/api/stats").json()["articles"] == before + 1


def test_an_oversized_body_without_a_length_is_refused(tmp_path, web_db):
    from fastapi.testclient import TestClient

    from newsledger.web import create_app

    with TestClient(create_app(web_db, token="s3cret", max_body=1000)) as writer:
        def chunks():
            for _ in range(10):
                yield b"x" * 500

        response = writer.post("/api/ingest", content=chunks(),
                               headers={"Authorization": "Bearer s3cret",
                                        "Content-Type": "application/json"})
        assert response.status_code == 413


def test_serving_a_missing_ledger_is_a_clear_error(tmp_path):
    from newsledger.errors import LedgerError
    from newsledger.web import create_app

    with pytest.raises(LedgerError, match="no such ledger"):
        create_app(tmp_path / "absent.db")


# -- property test of the OpenAPI schema ------------------------------------------------------


def test_no_request_generated_from_the_openapi_schema_gets_a_server_error(app):
    """schemathesis generates requests for every operation of the schema (valid and invalid
    parameters alike); none may get a 5xx, and every response must match its status code."""
    schemathesis = pytest.importorskip("schemathesis")
    from hypothesis import HealthCheck, given, settings
    from schemathesis.checks import not_a_server_error

    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert {"GET /api/events", "GET /api/dyad", "POST /api/ingest"} <= {
        operation.label for operation in operations}
    tried: dict[str, int] = {}

    for operation in operations:
        @given(case=operation.as_strategy())
        @settings(max_examples=25, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))
        def check(case):
            response = case.call()
            assert response.status_code < 500, (case.path, case.query, response.text[:300])
            case.validate_response(response, checks=[not_a_server_error])
            tried[operation.label] = tried.get(operation.label, 0) + 1

        check()
    assert set(tried) == {operation.label for operation in operations}


# -- the page in a real browser ---------------------------------------------------------------


@pytest.fixture(scope="module")
def server(app):
    """The app served by uvicorn on a free local port."""
    import uvicorn

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not running.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("uvicorn did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    running.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("NEWSLEDGER_REQUIRE_BROWSER"):
            pytest.fail(f"{CHROMIUM} is required here but not installed")
        pytest.skip(f"{CHROMIUM} is not installed (apt install chromium)")
    from playwright import sync_api
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run"])
        yield launched
        launched.close()


@pytest.fixture
def page(browser, tmp_path):
    opened = browser.new_page(viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    opened.on("pageerror", lambda error: errors.append(str(error)))
    opened.errors = errors
    yield opened
    opened.screenshot(path=str(tmp_path / "last.png"), full_page=True)
    opened.close()


def test_browser_story_view_then_event_then_article(server, page, tmp_path):
    page.goto(f"{server}/stories")
    page.wait_for_selector("tr.story-row a")
    page.locator("tr.story-row a", has_text="China").first.click()
    page.wait_for_selector("#timeline .main-svg")  # plotly drew the timeline
    assert page.url.startswith(f"{server}/stories/")
    assert "Harbor Times" in page.inner_text("main") and "Island Post" in page.inner_text("main")
    board = page.locator("tr.claim-row", has_text="disputed")
    assert board.count() >= 1 and "CHNGOV" in board.first.inner_text()
    page.screenshot(path=str(tmp_path / "story.png"), full_page=True)

    row = page.locator("tr.event-row", has_text="175").first
    row.locator("td").first.click()
    assert "selected" in row.get_attribute("class")
    sentence = page.locator("#sentence")
    sentence.locator(".reports", has_text="corroboration").wait_for()
    assert "fired water cannon" in sentence.inner_text()
    assert "Harbor Times" in sentence.inner_text() and "Island Post" in sentence.inner_text()

    sentence.locator("a", has_text="open the article").click()
    page.wait_for_selector("#article-text mark")
    assert page.url.startswith(f"{server}/articles/")
    page.locator("tr.event-row").first.locator("td").nth(1).click()
    active = page.locator("#article-text mark.active")
    assert active.count() == 1 and "fired water cannon" in active.inner_text()
    page.screenshot(path=str(tmp_path / "article.png"), full_page=True)
    assert page.errors == []


def test_browser_hostile_article_renders_as_text(server, page, client, tmp_path):
    found = client.get("/api/articles?search=Nairobi%20protesters").json()["items"]
    hostile = next(a for a in found if a["outlet"] == "Evil Gazette")
    page.goto(f"{server}/articles/{hostile['id']}")
    page.wait_for_selector("#article-text")
    page.hover("#article-title")
    text = page.inner_text("#article-text")
    assert "<script>window.__pwned = 1</script>" in text
    assert 'onerror="window.__pwned = 2"' in text
    assert "<b onmouseover" in page.inner_text("#article-title")
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.locator("#article-text script, #article-text img, #article-title b").count() == 0
    page.screenshot(path=str(tmp_path / "hostile.png"), full_page=True)
    assert page.errors == []


def test_browser_event_explorer_filters_and_shows_the_sentence(server, page):
    from playwright.sync_api import expect

    page.goto(f"{server}/events")
    page.wait_for_selector("#total")
    everything = int(page.inner_text("#total").split()[0])
    page.fill("input[name=source]", "CHN")
    page.click("#filters button")
    page.wait_for_url("**/events?source=CHN")
    expect(page.locator("#total")).not_to_have_text(f"{everything} events")
    shown = int(page.inner_text("#total").split()[0])
    assert 0 < shown < everything
    sources = page.locator("tr.event-row td:nth-child(2)").all_inner_texts()
    assert sources and all(s.startswith("CHN") for s in sources)
    page.locator("tr.event-row td").first.click()
    assert page.locator("#sentence").inner_text().strip() != ""
    assert page.get_attribute("#json-twin", "href") == "/api/events?source=CHN&limit=50&offset=0"
    assert page.errors == []


def test_browser_actor_view_draws_partners(server, page):
    from playwright.sync_api import expect

    page.goto(f"{server}/actors/CHN")
    page.wait_for_selector("#network .main-svg")
    page.wait_for_selector("#partners-goldstein .main-svg")
    assert "PHL" in page.inner_text("main") and "null" not in page.inner_text("main")
    page.locator("#codes a", has_text="CHNGOV").click()
    page.wait_for_url("**/actors/CHNGOV")
    expect(page.locator("h1")).to_have_text(re.compile(r"^CHNGOV"))
    assert "rule" in page.inner_text("main") and page.locator("#codes").count() == 0
    assert page.errors == []


# -- issue 14: offline docs, checked filters, unknown actors, new views -------------------------


@pytest.mark.parametrize("path,field,code", [
    ("/api/events?cameo=999", "cameo", "E307"), ("/api/events?plover=FOO", "plover", "E308"),
    ("/api/events?since=2024-13-45", "since", "E304"),
    ("/api/events?since=2024-06-01&until=2024-01-01", "since", "E310"),
    ("/api/events.csv?cameo=999", "cameo", "E307"),
])
def test_event_filters_use_the_cli_vocabularies(client, path, field, code):
    response = client.get(path)
    assert response.status_code == 422
    problem = response.json()["detail"][0]
    assert problem["loc"] == ["query", field] and f"[{code}]" in problem["msg"]


def test_vocabulary_lists_the_values_of_the_filters(client):
    from newsledger.events.ontology import ontology

    words = client.get("/api/vocabulary").json()
    assert {c["code"] for c in words["cameo"]} == set(ontology().codes)
    assert {"ACCUSE", "ASSAULT"} <= set(words["plover"]) and "FOO" not in words["plover"]
    assert words["status"] == ["reported", "disputed", "denied", "confirmed"]


def test_an_unknown_actor_is_404_and_a_known_one_is_not(client):
    missing = client.get("/api/actors/XYZ")
    assert missing.status_code == 404 and "XYZ" in missing.json()["detail"]
    assert client.get("/api/actors/CHN").status_code == 200
    assert client.get("/api/actors/CHNGOV").status_code == 200


def test_docs_come_from_this_server_not_a_cdn(client):
    page = client.get("/docs")
    assert page.status_code == 200
    sources = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert sources and all(s.startswith("/") or s.startswith("data:") for s in sources)
    assert "<script>" not in page.text  # no inline script: the CSP forbids it
    for asset in ("/static/swagger/swagger-ui-bundle.js", "/static/swagger/swagger-ui.css",
                  "/static/docs.js"):
        served = client.get(asset)
        assert served.status_code == 200 and len(served.content) > 100, asset
    assert client.get("/static/swagger/../../pyproject.toml").status_code == 404


def test_browser_docs_render_the_operations(server, page):
    page.goto(f"{server}/docs")
    page.wait_for_selector(".opblock")
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert "/api/events" in [p.replace("\u200b", "") for p in paths]
    assert len(paths) >= 10
    assert page.errors == []


def test_browser_a_bad_filter_shows_a_message_and_keeps_the_form(server, page):
    page.goto(f"{server}/events?cameo=999")
    page.wait_for_selector("#filter-problem")
    assert "E307" in page.inner_text("#error-cameo")
    assert page.locator("#filters select[name=cameo]").count() == 1
    assert "Could not load" not in page.inner_text("main") and '{"detail"' not in page.content()
    page.goto(f"{server}/events")
    page.wait_for_selector("#total")
    page.fill("#filter-since", "2024-06-01")
    page.fill("#filter-until", "2024-01-01")
    page.click("#filters button")
    page.wait_for_selector("#filter-problem")
    assert "E310" in page.inner_text("#error-since")
    assert page.input_value("#filter-since") == "2024-06-01"  # the form keeps what was typed
    page.select_option("#filter-quad_class", "4")
    page.fill("#filter-until", "")
    page.fill("#filter-since", "")
    page.click("#filters button")
    page.wait_for_url("**/events?quad_class=4")
    page.wait_for_selector("#total")
    assert page.locator("#filter-problem").count() == 0
    assert page.errors == []


def test_browser_actors_list_and_unknown_actor(server, page, client):
    page.goto(f"{server}/actors")
    page.wait_for_selector("tr.actor-row")
    listed = client.get("/api/actors?limit=500").json()["items"]
    assert page.locator("tr.actor-row").count() == len(listed)
    page.locator("tr.actor-row a", has_text="CHNGOV").first.click()
    page.wait_for_url("**/actors/CHNGOV")
    page.goto(f"{server}/actors/XYZ")
    page.wait_for_selector(".problem")
    assert "no actor with code 'XYZ'" in page.inner_text(".problem")
    assert page.errors == []


def test_browser_articles_list_search_and_original_links(server, page, client):
    page.goto(f"{server}/articles")
    page.wait_for_selector("tr.article-row")
    everything = client.get("/api/articles?limit=200").json()["items"]
    assert page.locator("tr.article-row").count() == len(everything)
    with_url = [a for a in everything if (a.get("url") or "").startswith("http")]
    assert with_url  # the sample feed's items have links
    hrefs = page.locator("tr.article-row a.external").evaluate_all(
        "links => links.map(l => l.getAttribute('href'))")
    assert set(hrefs) == {a["url"] for a in with_url}
    page.fill("#search input[name=search]", "water cannon")
    page.click("#search button")
    page.wait_for_url("**/articles?search=water%20cannon")
    page.wait_for_selector("h1:has-text('matching')")
    found = client.get("/api/articles?search=water%20cannon").json()["items"]
    titles = page.locator("tr.article-row td:nth-child(2)").all_inner_texts()
    assert titles == [a["title"] for a in found] and 0 < len(titles) < len(everything)
    page.fill("#search input[name=search]", "zebra")
    page.click("#search button")
    page.wait_for_selector("#no-articles")
    assert page.errors == []


def test_browser_csv_link_downloads_the_filtered_events(server, page, client, tmp_path):
    import csv

    page.goto(f"{server}/events?quad_class=4")
    page.wait_for_selector("#total")
    total = client.get("/api/events?quad_class=4").json()["total"]
    with page.expect_download() as download:
        page.click("#download-csv")
    path = tmp_path / "events.csv"
    download.value.save_as(path)
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == total > 0
    assert {r["quad_class"] for r in rows} == {"4"}
    assert page.errors == []


def test_browser_sortable_columns_and_cameo_names(server, page):
    page.goto(f"{server}/events")
    page.wait_for_selector("tr.event-row")
    page.locator("th", has_text="date").first.click()
    dates = page.locator("tr.event-row td:nth-child(1)").all_inner_texts()
    assert dates == sorted(dates)
    page.locator("th", has_text="date").first.click()
    assert page.locator("tr.event-row td:nth-child(1)").all_inner_texts() == sorted(dates,
                                                                                     reverse=True)
    cell = page.locator("tr.event-row td:nth-child(3) span[title]").first
    code, _, name = cell.inner_text().partition(" ")
    assert code.isdigit() and name and name in (cell.get_attribute("title") or "")
    assert page.errors == []


def test_browser_map_draws_the_located_events_offline(server, page, client):
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(f"{server}/events")
    page.wait_for_selector("#map .main-svg")
    every = client.get("/api/events?limit=500").json()
    placed = [e for e in every["items"] if e["location"] and e["location"]["lat"] is not None]
    assert placed  # the sample's datelines and places give some events coordinates
    page.wait_for_selector("#map .scattergeo .point")
    assert page.locator("#map .scattergeo .point").count() == len(placed)
    assert page.locator("#map .countries path, #map .countries").count() >= 1  # outlines drawn
    assert page.inner_text("#map-note").startswith(f"{len(placed)} of {every['total']} events")
    assert f"{server}/static/map/world_110m.json" in requested
    assert all(url.startswith(server) or url.startswith("data:") for url in requested), requested
    page.select_option("#filter-quad_class", "1")
    page.click("#filters button")
    page.wait_for_url("**/events?quad_class=1")
    page.wait_for_selector("#map .main-svg")
    verbal = [e for e in placed if e["quad_class"] == 1]
    if verbal:
        page.wait_for_selector("#map .scattergeo .point")
    assert page.locator("#map .scattergeo .point").count() == len(verbal)
    assert page.errors == []
