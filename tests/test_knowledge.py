"""Injectable knowledge: a user's folders over the package's data, one ``Knowledge`` per
configuration, load warnings that reach the user (``newsledger.knowledge``)."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

import newsledger
from newsledger import nlp
from newsledger.errors import ConfigError
from newsledger.events.lexicon import load as load_lexicon
from newsledger.knowledge import ENVIRONMENT, Knowledge, shared
from newsledger.model import Article
from newsledger.pipeline import Pipeline

# The Zephyr Accord is no actor the package knows, and "serenade" no verb of its lexicon.
TEXT = "The Zephyr Accord serenaded Russia on Monday."
DAY = "2024-11-18"
NEW_ACTOR = "IGOZPH"
NEW_CODE = "051"  # Praise or endorse

ORGANIZATIONS = "code\tname\taliases\tkind\tcountry\nIGOZPH\tZephyr Accord\tthe Zephyr Accord\tigo\t\n"
LEXICON = '- code: "051"\n  verbs: [serenade]\n'


@pytest.fixture
def knowledge_folder(tmp_path: Path) -> Path:
    """A user folder that adds one actor and one verb pattern."""
    folder = tmp_path / "knowledge"
    (folder / "actors").mkdir(parents=True)
    (folder / "events" / "lexicon").mkdir(parents=True)
    (folder / "actors" / "organizations.tsv").write_text(ORGANIZATIONS, encoding="utf-8")
    (folder / "events" / "lexicon" / "zephyr.yaml").write_text(LEXICON, encoding="utf-8")
    return folder


@pytest.fixture(autouse=True)
def no_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENVIRONMENT, raising=False)


def _coded(extraction) -> list[tuple[str, str, str, str]]:
    return [(e.source.code if e.source else "", e.cameo, e.target.code if e.target else "",
             e.rule) for e in extraction.events]


def _actor_codes(extraction) -> set[str]:
    return {m.actor.code for m in extraction.analysis.mentions}


def test_a_user_folder_adds_an_actor_and_a_verb_pattern_to_extract(knowledge_folder: Path):
    plain = newsledger.extract(TEXT, DAY, coder="rules")
    assert NEW_ACTOR not in _actor_codes(plain)
    assert not any(cameo == NEW_CODE for _, cameo, _, _ in _coded(plain))

    extended = newsledger.extract(TEXT, DAY, coder="rules", data=[knowledge_folder])
    assert NEW_ACTOR in _actor_codes(extended)
    assert (NEW_ACTOR, NEW_CODE, "RUS", "verb:serenade") in _coded(extended)
    assert extended.warnings == []


def test_two_pipelines_with_different_knowledge_in_one_process(knowledge_folder: Path):
    doc = next(nlp.parse([TEXT]))
    article = Article(id="a1", text=TEXT, published=DAY)
    plain = Pipeline(coder="rules", knowledge=Knowledge(environment=False))
    extended = Pipeline(coder="rules", knowledge=Knowledge([knowledge_folder], environment=False))
    # Either order, and again after the other: each keeps its own knowledge.
    for pipeline in (extended, plain, extended, plain):
        analysis = pipeline.analyse(article, doc)
        codes = {(e.source.code if e.source else None, e.cameo) for e in analysis.events}
        if pipeline is extended:
            assert (NEW_ACTOR, NEW_CODE) in codes
        else:
            assert not any(cameo == NEW_CODE for _, cameo in codes)
            assert NEW_ACTOR not in {m.actor.code for m in analysis.mentions}


def test_a_knowledge_travels_to_workers_as_its_folders(knowledge_folder: Path):
    knowledge = shared([knowledge_folder])
    pipeline = Pipeline(coder="rules", knowledge=knowledge)
    again = pickle.loads(pickle.dumps(pipeline))
    assert again.knowledge is knowledge  # the same process: the same built knowledge
    assert again.knowledge.folders == (knowledge_folder.resolve(),)


def test_environment_variable_adds_its_folders(knowledge_folder: Path, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch):
    other = tmp_path / "empty"
    other.mkdir()
    monkeypatch.setenv(ENVIRONMENT, os.pathsep.join([str(other), str(knowledge_folder)]))
    assert Knowledge().folders == (other.resolve(), knowledge_folder.resolve())
    assert Knowledge(environment=False).folders == ()
    found = newsledger.extract(TEXT, DAY, coder="rules")
    assert (NEW_ACTOR, NEW_CODE, "RUS", "verb:serenade") in _coded(found)
    with newsledger.Ledger(":memory:", coder="rules") as ledger:
        assert knowledge_folder.resolve() in ledger.knowledge.folders


def test_a_missing_folder_is_an_error_naming_it(tmp_path: Path):
    missing = tmp_path / "nowhere"
    with pytest.raises(ConfigError, match="nowhere: no such folder"):
        Knowledge([missing])
    with pytest.raises(ConfigError, match="nowhere"):
        newsledger.extract(TEXT, DAY, coder="rules", data=[missing])


def test_malformed_user_lines_are_skipped_with_file_and_line(knowledge_folder: Path):
    organizations = knowledge_folder / "actors" / "organizations.tsv"
    organizations.write_text(ORGANIZATIONS + "IGOBAD\tonly two fields\n", encoding="utf-8")
    people = knowledge_folder / "actors" / "people.yaml"
    people.write_text("- name: Ada Zephyr\n  roles: [{code: IGOZPH}]\n"
                      "- name: No Roles Here\n", encoding="utf-8")
    lexicon = knowledge_folder / "events" / "lexicon" / "zephyr.yaml"
    lexicon.write_text(LEXICON + '- code: "999"\n  verbs: [moonwalk]\n', encoding="utf-8")
    knowledge = Knowledge([knowledge_folder], environment=False)
    warnings = knowledge.warnings
    assert any(f"{organizations}:3:" in w and "line skipped" in w for w in warnings), warnings
    assert any(f"{people}:3:" in w and "needs a name and roles" in w for w in warnings), warnings
    assert any(f"{lexicon}:3:" in w and "unknown CAMEO code '999'" in w for w in warnings)
    assert len(warnings) == 3
    # The good lines are used; the bad ones are not.
    assert "moonwalk" not in knowledge.lexicon.verbs and "serenade" in knowledge.lexicon.verbs
    names = {row["name"] for row in knowledge.actor_tables.organizations}
    people_names = {record["name"] for _, record in knowledge.actor_tables.people}
    assert "Zephyr Accord" in names and "only two fields" not in names
    assert "Ada Zephyr" in people_names and "No Roles Here" not in people_names
    # A Ledger returns them too.
    with newsledger.Ledger(":memory:", coder="rules", knowledge=knowledge) as ledger:
        assert ledger.warnings == warnings


def test_the_cli_prints_warnings_of_user_files(knowledge_folder: Path):
    organizations = knowledge_folder / "actors" / "organizations.tsv"
    organizations.write_text(ORGANIZATIONS + "IGOBAD\tonly two fields\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != ENVIRONMENT}
    done = subprocess.run([sys.executable, "-m", "newsledger", "--data", str(knowledge_folder),
                           "extract", "-", "--coder", "rules", "--published", DAY],
                          input=TEXT, capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stderr
    assert f"{organizations}:3:" in " ".join(done.stderr.split())
    assert NEW_ACTOR in done.stdout and NEW_ACTOR not in done.stderr
    missing = subprocess.run([sys.executable, "-m", "newsledger", "--data",
                              str(knowledge_folder / "nowhere"), "extract", "-"],
                             input=TEXT, capture_output=True, text=True, env=env, timeout=300)
    assert missing.returncode != 0 and "nowhere" in missing.stderr


def test_a_user_pattern_with_the_same_text_replaces_the_package_one(tmp_path: Path):
    folder = tmp_path / "events"
    (folder / "lexicon").mkdir(parents=True)
    (folder / "lexicon" / "mine.yaml").write_text('- code: "112"\n  verbs: [lambast]\n',
                                                  encoding="utf-8")
    package = load_lexicon()
    assert [(p.text, p.code) for p in package.verbs["lambast"]] == [("lambast", "111")]
    notes: list[str] = []
    extended = load_lexicon(extra=[folder], warnings=notes)
    assert [(p.text, p.code) for p in extended.verbs["lambast"]] == [("lambast", "112")]
    assert notes == []
    # Other patterns are untouched.
    assert {lemma: [p.code for p in ps] for lemma, ps in extended.verbs.items()
            if lemma != "lambast"} == {lemma: [p.code for p in ps]
                                       for lemma, ps in package.verbs.items() if lemma != "lambast"}


def test_a_user_actor_row_with_the_same_name_replaces_the_package_row(tmp_path: Path):
    folder = tmp_path / "knowledge"
    (folder / "actors").mkdir(parents=True)
    (folder / "actors" / "organizations.tsv").write_text(
        "code\tname\taliases\tkind\tcountry\nIGOXUN\tUnited Nations\t\tigo\t\n", encoding="utf-8")
    package = Knowledge(environment=False).actor_tables.organizations
    extended = Knowledge([folder], environment=False).actor_tables.organizations
    assert [r["code"] for r in package if r["name"] == "United Nations"] == ["IGOUNO"]
    assert [r["code"] for r in extended if r["name"] == "United Nations"] == ["IGOXUN"]
    assert len(extended) == len(package)


def test_user_speech_cues_and_settings_add_to_the_package(tmp_path: Path):
    folder = tmp_path / "knowledge"
    (folder / "claims").mkdir(parents=True)
    (folder / "stories").mkdir(parents=True)
    (folder / "claims" / "speech.yaml").write_text("reporting: [trumpet]\n", encoding="utf-8")
    (folder / "stories" / "merge.yaml").write_text("windows: {\"18\": 5}\n", encoding="utf-8")
    (folder / "outlets.tsv").write_text("zephyr.example\tZephyr Post\tFRA\nbroken line\n",
                                        encoding="utf-8")
    package = Knowledge(environment=False)
    extended = Knowledge([folder], environment=False)
    assert "trumpet" in extended.speech_rules.reporting
    assert "trumpet" not in package.speech_rules.reporting
    assert package.speech_rules.reporting < extended.speech_rules.reporting
    assert extended.merge_windows["18"] == 5 and package.merge_windows["18"] != 5
    assert {k: v for k, v in extended.merge_windows.items() if k != "18"} == {
        k: v for k, v in package.merge_windows.items() if k != "18"}
    assert extended.outlets["zephyr.example"] == ("Zephyr Post", "FRA")
    assert "zephyr.example" not in package.outlets
    assert any(f"{folder / 'outlets.tsv'}:2:" in w for w in extended.warnings)


def test_user_cleaning_rules_and_outlets_reach_ingest(tmp_path: Path):
    folder = tmp_path / "knowledge"
    folder.mkdir()
    (folder / "cleaning.yaml").write_text("share:\n  patterns: ['zephyr buttons here']\n",
                                          encoding="utf-8")
    (folder / "outlets.tsv").write_text("zephyr.example\tZephyr Post\tFRA\nbroken line\n",
                                        encoding="utf-8")
    document = {"text": "Russia attacked Ukraine on Monday, officials said.\n"
                        "Zephyr buttons here\n"
                        "Ukraine condemned the attack on Tuesday.",
                "url": "https://zephyr.example/2024/06/24/story", "published": DAY}
    with newsledger.Ledger(":memory:", coder="rules") as plain:
        assert plain.ingest([document]).warnings == []
        article = plain.articles()[0]
        assert "Zephyr buttons here" in article.text and article.outlet != "Zephyr Post"
    with newsledger.Ledger(":memory:", coder="rules", data=[folder]) as extended:
        report = extended.ingest([document])
        article = extended.articles()[0]
        assert "Zephyr buttons here" not in article.text
        assert "Ukraine condemned the attack" in article.text
        assert article.outlet == "Zephyr Post"
    assert any(f"{folder / 'outlets.tsv'}:2:" in w for w in report.warnings)
    assert report.to_dict()["warnings"] == report.warnings


def test_a_user_negation_word_adds_to_the_extractor_cues(tmp_path: Path):
    folder = tmp_path / "knowledge"
    (folder / "events").mkdir(parents=True)
    (folder / "events" / "negations.txt").write_text("# a cue word\nnary\n", encoding="utf-8")
    package = Knowledge(environment=False).coder.cues
    extended = Knowledge([folder], environment=False).coder.cues
    assert "nary" in extended.negations and "nary" not in package.negations
    assert package.negations < extended.negations
    assert extended.target_prepositions == package.target_prepositions


def test_skipped_dictionary_lines_reach_the_ledger_and_the_cli(tmp_path: Path):
    path = tmp_path / "bad.actors.txt"
    path.write_text("SOMEONE_\n\t[XYZGOV 951301-960101]\n\t[XYZ]\nOTHER_ [OTH]\n")
    with newsledger.Ledger(":memory:", coder="rules", dictionaries=[path],
                           knowledge=Knowledge(environment=False)) as ledger:
        [warning] = ledger.warnings
        assert "bad.actors.txt:2" in warning and "951301" in warning
    env = {k: v for k, v in os.environ.items() if k != ENVIRONMENT}
    done = subprocess.run([sys.executable, "-m", "newsledger", "--dictionary", str(path),
                           "extract", "-", "--coder", "rules"],
                          input=TEXT, capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "bad.actors.txt:2" in " ".join(done.stderr.split())


# Two reports of one attack three days apart (root 19: the package's window is 1 day), in
# articles that are not near-duplicates of each other.
ATTACK_REPORTS = [
    {"title": "Attack reported", "published": "2024-06-03",
     "text": "Russian troops attacked Ukraine, officials in Kyiv said. The mayor of Lviv opened "
             "a new library near the river, and farmers sold apples at the market."},
    {"title": "Another report", "published": "2024-06-06",
     "text": "Russian troops attacked Ukraine, officials in Kyiv said. A football club in Odesa "
             "signed two young players, and the weather stayed warm across the coast."},
]


def _story_folder(tmp_path: Path, name: str, text: str) -> Path:
    """A user folder holding one file ``stories/<name>`` with ``text``."""
    folder = tmp_path / "knowledge"
    (folder / "stories").mkdir(parents=True)
    (folder / "stories" / name).write_text(text, encoding="utf-8")
    return folder


def _attack_merges(knowledge: Knowledge) -> set[str]:
    """The merged events of the CAMEO root 19 events of ``ATTACK_REPORTS`` ingested with
    ``knowledge``."""
    with newsledger.Ledger(":memory:", coder="rules", knowledge=knowledge) as ledger:
        assert ledger.ingest(ATTACK_REPORTS).added == 2
        return {row[0] for row in ledger.conn.execute(
            "SELECT merged_id FROM events WHERE substr(cameo, 1, 2) = '19'")}


def test_a_user_stopword_leaves_its_word_out_of_story_terms(tmp_path: Path):
    from newsledger.stories.features import stopwords, terms

    folder = _story_folder(tmp_path, "stopwords.txt", "# words of no story\napples\n")
    package, extended = Knowledge(environment=False), Knowledge([folder], environment=False)
    assert extended.stopwords == package.stopwords | {"apples"}
    assert package.stopwords == stopwords()
    article = Article(id="a", text=ATTACK_REPORTS[0]["text"], title="Apples")
    assert "apples" in terms(article) and "apples" in terms(article, package.stopwords)
    assert "apples" not in terms(article, extended.stopwords)
    assert terms(article, extended.stopwords)["market"] == terms(article)["market"]
    # Through ingest: the ledger's story terms (document frequencies) leave it out.
    for knowledge, counted in ((package, True), (extended, False)):
        with newsledger.Ledger(":memory:", coder="rules", knowledge=knowledge) as ledger:
            ledger.ingest(ATTACK_REPORTS[:1])
            found = {row[0] for row in ledger.conn.execute("SELECT term FROM term_frequencies")}
            assert ("apples" in found) is counted and "market" in found


def test_a_user_merge_window_decides_whether_two_reports_merge(tmp_path: Path):
    from newsledger.stories import merge

    folder = _story_folder(tmp_path, "merge.yaml", 'windows: {"19": 5}\n')
    package, extended = Knowledge(environment=False), Knowledge([folder], environment=False)
    assert package.merge_config() is None  # the merge code reads the package's settings
    config = extended.merge_config()
    assert config.window("19") == 5 and merge.window("19") == 1
    assert config.window("18") == merge.window("18") and config.window("99") == 2
    assert config.embedding_threshold == merge.embedding_threshold()
    assert len(_attack_merges(package)) == 2  # three days apart: two events
    assert len(_attack_merges(extended)) == 1  # within the user's window: one event
    assert merge.window("19") == 1  # the package's settings are untouched


def test_serve_takes_data_folders_and_builds_its_app_with_them(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch):
    import uvicorn
    from typer.testing import CliRunner

    from newsledger.cli import app
    from newsledger.web.app import environment_data, serve_environment

    first = _story_folder(tmp_path / "one", "stopwords.txt", "apples\n")
    second = _story_folder(tmp_path / "two", "merge.yaml", 'windows: {"19": 5}\n')
    db = tmp_path / "l.db"
    newsledger.Ledger(db, coder="rules").close()
    served: list = []
    monkeypatch.setattr(uvicorn, "run", lambda target, **options: served.append(target))
    runner = CliRunner()
    done = runner.invoke(app, ["--db", str(db), "--data", str(first), "serve",
                               "--data", str(second)])
    assert done.exit_code == 0, done.output
    [web_app] = served
    knowledge = web_app.state.knowledge
    assert knowledge.folders == (first.resolve(), second.resolve())
    assert "apples" in knowledge.stopwords and knowledge.merge_config().window("19") == 5
    done = runner.invoke(app, ["--db", str(db), "serve", "--data", str(tmp_path / "missing")])
    assert done.exit_code != 0 and "no such folder" in str(done.exception)
    assert len(served) == 1
    # Worker processes (--workers N) get the same folders through the environment.
    for name, value in serve_environment(db, token=None, max_body=10,
                                         data=[first, second]).items():
        monkeypatch.setenv(name, value)
    assert environment_data() == (str(first.resolve()), str(second.resolve()))


@pytest.mark.parametrize("name, text, said", [
    ("merge.yaml", 'windows: {"19": abc}\n', "window of '19'"),
    ("merge.yaml", "embedding_threshold: high\n", "embedding_threshold"),
    ("clustering.yaml", "threshold: high\n", "'threshold'"),
    ("clustering.yaml", "treshold: 0.3\n", "unknown setting 'treshold'"),
])
def test_a_bad_story_setting_is_an_error_naming_the_file_and_stores_nothing(
        tmp_path, name, text, said):
    folder = _story_folder(tmp_path, name, text)
    with pytest.raises(ConfigError) as caught:
        config = Knowledge([folder], environment=False)
        config.merge_config() if name == "merge.yaml" else config.story_config()
    message = str(caught.value)
    assert str(folder / "stories" / name) in message and said in message
    db = tmp_path / "ledger.db"
    with newsledger.Ledger(db, knowledge=Knowledge([folder], environment=False)) as ledger:
        with pytest.raises(ConfigError):
            ledger.ingest([{"text": TEXT, "published": DAY}])
        assert ledger.conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == 0
    # the package's own settings are unchanged by a user's bad file
    assert Knowledge([], environment=False).merge_config() is None
