"""``Knowledge``: everything newsledger knows, from the package's data and a user's folders.

    knowledge = Knowledge(data=["my-knowledge/"])       # plus $NEWSLEDGER_DATA, if set
    pipeline = Pipeline(knowledge=knowledge)
    knowledge.warnings                                  # user lines that were skipped

A ``Knowledge`` holds the actors (countries, seats, organisations, media, people, agents), the
event lexicon and frames, the speech cues and modality rules of claims, the cleaning rules and
outlets, the story settings and merge windows, the places, and the models (the learned event
coder and the sentence classifier). Each is built the first time it is used, once per
``Knowledge``; nothing is shared between two ``Knowledge`` objects, so two configurations live
side by side in one process. Callers that pass none get ``default()``: the package's data with
the folders of ``$NEWSLEDGER_DATA``.

A user folder has the shape of ``newsledger/data`` (the same file names and formats, every file
optional). How its entries combine with the package's, per kind (also in the README, "Extending
the knowledge"):

- tables (``actors/*.tsv``, ``outlets.tsv``): a row with the same key replaces the package's row
  (countries and sectors by ``code``; seats, organisations and media by ``name``; agents by
  ``phrase``; outlets by domain), other rows are added;
- ``actors/people.yaml``: a person with the same name replaces the package's, others are added;
- ``actors/collectives.txt``, ``stories/stopwords.txt``: lines are added;
- ``events/classes.yaml`` and the ``classes`` of lexicon files: members are added to the class;
- ``events/lexicon/*.yaml``: patterns are added; one with the same text as the package's
  (``"provide @weapons"``) replaces it;
- settings files (``events/frames.yaml``, ``claims/speech.yaml``, ``cleaning.yaml``,
  ``actors/naming.yaml``): lists are extended, mappings merged key by key, single values replaced;
- ``stories/clustering.yaml``, ``stories/merge.yaml``: values replaced key by key (a merge
  window per CAMEO root);
- models (``events/classifier.npz``, ``models/coder/``): the last folder that has one wins.

Later folders win over earlier ones; ``$NEWSLEDGER_DATA``'s come before those passed in code or
with ``--data``. A malformed line of a user file is skipped and reported in ``warnings`` with
its file and line; a malformed package file is a ``ConfigError``.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable, Sequence
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from .actors.kb import ActorTables, KnowledgeBase, load_default, read_tables
from .claims.rules import SpeechRules
from .context.modality import ModalityRules
from .errors import ConfigError, Errors
from .events.extract import Cues, Extractor, Frames
from .events.lexicon import Lexicon
from .events.lexicon import load as load_lexicon
from .gazetteer import Country, Gazetteer
from .layers import layered_rows, merge_spec, read_yaml, user_files, user_lines, user_specs
from .resources import data_path, split_list

if TYPE_CHECKING:
    from .actors.resolve import Resolver
    from .context.place import Places
    from .events.classify import SentenceClassifier
    from .events.learned import SentenceModel
    from .ingest.clean import Cleaner, CleaningRules
    from .stories.cluster import Settings
    from .stories.merge import MergeSettings

ENVIRONMENT = "NEWSLEDGER_DATA"
T = TypeVar("T")


def environment_folders() -> tuple[Path, ...]:
    """The user folders named in ``$NEWSLEDGER_DATA`` (``os.pathsep``-separated)."""
    value = os.environ.get(ENVIRONMENT, "")
    return tuple(Path(part) for part in value.split(os.pathsep) if part.strip())


class Knowledge:
    """The package's knowledge with user folders over it, each kind built on first use.

    data: user folders, in the shape of ``newsledger/data`` (later ones win).
    environment: also read the folders of ``$NEWSLEDGER_DATA`` (before ``data``).

    Raises ``ConfigError`` (E321) for a folder that does not exist.
    """

    def __init__(self, data: Iterable[str | Path] = (), *, environment: bool = True) -> None:
        folders = [*(environment_folders() if environment else ()), *(Path(d) for d in data)]
        for folder in folders:
            if not folder.is_dir():
                raise ConfigError(Errors.E321.format(path=folder, detail=(
                    "no such folder" if not folder.exists() else "not a folder")))
        self.folders: tuple[Path, ...] = tuple(dict.fromkeys(f.resolve() for f in folders))
        self._warnings: list[str] = []
        self._built: dict[tuple, Any] = {}
        self._lock = threading.RLock()

    def __repr__(self) -> str:
        return f"Knowledge(data={[str(f) for f in self.folders]})"

    def __reduce__(self):
        # Sent to worker processes as its folders; each process builds its own once.
        return shared, (self.folders,)

    def _in(self, *parts: str) -> list[Path]:
        """The folders ``parts`` of each user folder."""
        return [folder.joinpath(*parts) for folder in self.folders]

    def _once(self, key: tuple, build):
        """``build()``, once per key for this Knowledge (thread-safe)."""
        found = self._built.get(key)
        if found is None:
            with self._lock:
                found = self._built.get(key)
                if found is None:
                    found = self._built[key] = build()
        return found

    # -- warnings -----------------------------------------------------------------------------

    @property
    def warnings(self) -> list[str]:
        """User lines that were skipped, each naming its file and line. Reads every user file
        (not the models) to find them; the package's files are not re-checked."""
        if self.folders:
            self.check()
        with self._lock:
            return list(dict.fromkeys(self._warnings))

    def check(self) -> None:
        """Read every user file now (its warnings go to ``warnings``)."""
        if not self.folders:
            return
        for name in ("actor_tables", "gazetteer", "lexicon", "frames", "cues", "speech_rules",
                     "cleaning_spec", "outlets", "media", "story_settings", "merge_settings",
                     "stopwords"):
            getattr(self, name)

    # -- places and actors --------------------------------------------------------------------

    @cached_property
    def gazetteer(self) -> Gazetteer:
        """Countries (``actors/countries.tsv``; a user row with the same code replaces one)."""
        rows = layered_rows(data_path("actors", "countries.tsv"),
                            user_files(self.folders, "actors", "countries.tsv"),
                            lambda row: row["code"].upper(), self._warnings)
        return Gazetteer([Country(code=row["code"], name=row["name"],
                                  aliases=split_list(row["aliases"]),
                                  adjectives=split_list(row["adjectives"]),
                                  capitals=split_list(row["capital"]), region=row["region"])
                          for row in rows])

    @cached_property
    def places(self) -> Places:
        """The place index (countries, regions, cities) over ``gazetteer``."""
        from .context.place import Places

        return Places(self.gazetteer)

    @cached_property
    def actor_tables(self) -> ActorTables:
        tables = read_tables(extra=self._in("actors"))
        self._warnings += tables.warnings
        return tables

    def knowledge_base(self, model: str | None = None, dictionaries: Sequence[str] = ()
                       ) -> KnowledgeBase:
        """The actor knowledge base, tokenised by the spaCy pipeline ``model``, with the
        PETRARCH/Phoenix ``dictionaries`` added (a file whose name contains "agents" is read
        as agents). Built once per (model, dictionaries); skipped dictionary lines are in its
        ``warnings``."""
        dictionaries = tuple(str(d) for d in dictionaries)
        return self._once(("kb", model, dictionaries),
                          lambda: self._build_kb(model, dictionaries))

    def _build_kb(self, model: str | None, dictionaries: tuple[str, ...]) -> KnowledgeBase:
        from . import nlp
        from .actors.petrarch import load_actors, load_agents

        tokenizer = nlp.load(model).tokenizer

        def tokenize(text: str) -> list[str]:
            return [t.text for t in tokenizer(text) if not t.is_space]

        kb = load_default(tokenize, places=self.gazetteer, tables=self.actor_tables)
        for path in dictionaries:
            if "agent" in Path(path).name.lower():
                load_agents(kb, Path(path), tokenize)
            else:
                load_actors(kb, Path(path), tokenize)
        return kb

    def resolver(self, model: str | None = None, dictionaries: Sequence[str] = ()) -> Resolver:
        """The actor resolver over ``knowledge_base(model, dictionaries)``."""
        from .actors.resolve import Resolver

        dictionaries = tuple(str(d) for d in dictionaries)
        return self._once(("resolver", model, dictionaries), lambda: Resolver(
            self.knowledge_base(model, dictionaries), self.gazetteer, self.places))

    # -- events -------------------------------------------------------------------------------

    @cached_property
    def lexicon(self) -> Lexicon:
        """The event lexicon: ``events/classes.yaml`` and ``events/lexicon/*.yaml``."""
        return load_lexicon(extra=self._in("events"), warnings=self._warnings)

    @cached_property
    def frames_spec(self) -> dict[str, Any]:
        return self._settings(("events", "frames.yaml"))

    @cached_property
    def frames(self) -> Frames:
        """The frames of ``events/frames.yaml`` (modal verbs, coded frames, commitments…)."""
        return frames_from(self.frames_spec)

    @cached_property
    def cues(self) -> Cues:
        """Cue words of the event extractor (``events/negations.txt``,
        ``events/target_prepositions.txt``; a user's words are added)."""
        return Cues.load(extra=self._in("events"))

    @cached_property
    def coder(self) -> Extractor:
        """The rule coder: the lexicon, frames and cue words over the parse."""
        return Extractor(self.lexicon, self.frames, self.cues)

    def event_model(self, folder: str | Path | None = None) -> SentenceModel:
        """The learned event coder in ``folder``, else in the last user folder with a
        ``models/coder/``, else the package's; loaded once per folder for this Knowledge."""
        from .events.learned import MODEL_DIR, SentenceModel

        chosen = Path(folder) if folder else self._last("models", "coder", kind="dir") or MODEL_DIR
        return self._once(("coder", str(chosen)), lambda: SentenceModel(chosen))

    def classifier(self, path: str | Path | None = None) -> SentenceClassifier | None:
        """The sentence classifier at ``path``, else the last user ``events/classifier.npz``,
        else the package's (None when the package has none)."""
        from .events.classify import SentenceClassifier

        chosen = Path(path) if path else (self._last("events", "classifier.npz")
                                          or data_path("events", "classifier.npz"))
        if not path and not chosen.exists():
            return None
        return self._once(("classifier", str(chosen)), lambda: SentenceClassifier.load(chosen))

    def _last(self, *parts: str, kind: str = "file") -> Path | None:
        found = [p for p in self._in(*parts) if (p.is_dir() if kind == "dir" else p.is_file())]
        return found[-1] if found else None

    # -- claims -------------------------------------------------------------------------------

    @cached_property
    def speech_spec(self) -> dict[str, Any]:
        return self._settings(("claims", "speech.yaml"))

    @cached_property
    def speech_rules(self) -> SpeechRules:
        """Reporting verbs, statement nouns, denial and confirmation verbs, claim nouns and the
        codes of statements (``claims/speech.yaml``)."""
        return speech_rules_from(self.speech_spec)

    @cached_property
    def modality_rules(self) -> ModalityRules:
        """The cues of possible, conditional and intended events (``claims/speech.yaml`` and
        the frames)."""
        return modality_rules_from(self.speech_spec, self.frames)

    # -- ingest -------------------------------------------------------------------------------

    @cached_property
    def cleaning_spec(self) -> dict[str, Any]:
        return self._settings(("cleaning.yaml",))

    @cached_property
    def cleaning_rules(self) -> CleaningRules:
        """The page-furniture patterns (``cleaning.yaml``; a user's patterns are added)."""
        from .ingest.clean import Cleaner, CleaningRules

        if not self.folders:
            return CleaningRules()
        return CleaningRules(spec=self.cleaning_spec)

    def cleaner(self) -> Cleaner:
        """A cleaner with these rules, countries, outlets and media (one per ingest run)."""
        from .ingest.clean import Cleaner

        if not self.folders:
            return Cleaner()
        return Cleaner(self.cleaning_rules, self.gazetteer, outlets=self.outlets,
                       media=self.media)

    @cached_property
    def outlets(self) -> dict[str, tuple[str, str | None]]:
        """Outlets by domain: (name, country) from ``outlets.tsv`` (domain, name, country; no
        header). A user line with the same domain replaces the package's."""
        from .ingest.clean import read_outlets

        table = dict(read_outlets(data_path("outlets.tsv")))
        for path in user_files(self.folders, "outlets.tsv"):
            for row in read_user_tsv_lines(path, ("domain", "name", "country"), self._warnings):
                table[row["domain"].lower()] = (row["name"], row["country"] or None)
        return table

    @cached_property
    def media(self) -> dict[str, tuple[str, str | None]]:
        """Media actors by lower-cased name and alias: (code, country), for outlets' codes."""
        table: dict[str, tuple[str, str | None]] = {}
        for row in self.actor_tables.media:
            for name in (row["name"], *split_list(row.get("aliases") or "")):
                key = name.strip().lower().removeprefix("the ")
                if key:
                    table.setdefault(key, (row["code"], row.get("country") or None))
        return table

    # -- stories ------------------------------------------------------------------------------

    @cached_property
    def story_settings(self) -> dict[str, Any]:
        """The story clustering settings (``stories/clustering.yaml``), values replaced key by
        key by a user's file."""
        return self._settings(("stories", "clustering.yaml"), lists="replace")

    @cached_property
    def merge_settings(self) -> dict[str, Any]:
        """The settings of merging reports into one event (``stories/merge.yaml``: the
        sentence similarity and the window in days per CAMEO root)."""
        return self._settings(("stories", "merge.yaml"), lists="replace")

    def story_config(self) -> Settings | None:
        """The story clustering settings as ``stories.cluster.Settings``, or None when no
        user folder changes them (then the clusterer reads the package's)."""
        files = user_files(self.folders, "stories", "clustering.yaml")
        if not files:
            return None
        from .stories.cluster import Settings

        return _checked(Settings.from_spec, self.story_settings, files)

    def merge_config(self) -> MergeSettings | None:
        """The merge settings as ``stories.merge.MergeSettings``, or None when no user folder
        changes them (then merging reads the package's)."""
        files = user_files(self.folders, "stories", "merge.yaml")
        if not files:
            return None
        from .stories.merge import MergeSettings

        return _checked(MergeSettings.from_spec, self.merge_settings, files)

    @property
    def merge_windows(self) -> dict[str, int]:
        """The merge windows: days by CAMEO root (``default`` for the others)."""
        from .stories.merge import settings

        config = self.merge_config()
        return dict((config or settings()).windows)

    @cached_property
    def stopwords(self) -> frozenset[str]:
        """Words story terms leave out (``stories/stopwords.txt``; a user's are added)."""
        from .stories.features import stopwords

        return stopwords() | frozenset(user_lines(self.folders, "stories", "stopwords.txt"))

    # -- settings files -----------------------------------------------------------------------

    def _settings(self, parts: tuple[str, ...], *, lists: str = "add") -> dict[str, Any]:
        """A YAML settings file of the package with each user's over it (``merge_spec``)."""
        spec = read_yaml(data_path(*parts)) or {}
        for _, user in user_specs(self.folders, parts, self._warnings):
            spec = merge_spec(spec, user, lists=lists)
        return spec


# -- building the rule objects from their specs ----------------------------------------------


def _checked(build: Callable[[Any], T], spec: Any, files: Sequence[Path]) -> T:
    """``build(spec)``, a bad value reported as a ``ConfigError`` naming the user's ``files``
    (the package's own values are not in question)."""
    try:
        return build(spec)
    except (ValueError, TypeError, KeyError) as error:
        raise ConfigError(Errors.E322.format(path=", ".join(str(f) for f in files),
                                             detail=error)) from None


def frames_from(spec: dict[str, Any]) -> Frames:
    """The ``Frames`` of a ``frames.yaml`` mapping."""
    coded = {verb: {str(k): str(v) for k, v in table.items()}
             for verb, table in (spec.get("coded") or {}).items()}
    commitment = spec.get("commitment") or {}
    return Frames(
        modal=frozenset(spec.get("modal", [])),
        symmetric=frozenset(str(code) for code in spec.get("symmetric", [])),
        coded={verb: {k: v for k, v in table.items() if k not in ("target", "object")}
               for verb, table in coded.items()},
        object_frames=frozenset(verb for verb, table in coded.items()
                                if table.get("object") == "required"),
        agent_targets=frozenset(verb for verb, table in coded.items()
                                if table.get("target") == "agent"),
        commitment_verbs=frozenset(commitment.get("verbs", []))
        | frozenset(commitment.get("adjectives", [])),
        commitment_codes={str(k): str(v) for k, v in (commitment.get("codes") or {}).items()},
        refusal={str(k): str(v) for k, v in (spec.get("refusal") or {}).items()},
        reporting=frozenset(spec.get("reporting", [])),
    )


def speech_rules_from(spec: dict[str, Any]) -> SpeechRules:
    """The ``SpeechRules`` of a ``speech.yaml`` mapping."""
    return SpeechRules(
        reporting=frozenset(spec["reporting"]),
        statement_nouns=frozenset(spec["statement_nouns"]),
        denial_verbs=frozenset(spec["denial_verbs"]),
        confirmation_verbs=frozenset(spec["confirmation_verbs"]),
        claim_nouns=frozenset(spec["claim_nouns"]),
        statement_code=str(spec["statement_code"]),
        accusation_code=str(spec["accusation_code"]),
        responsibility_code=str(spec["responsibility_code"]),
        responsibility_verbs=frozenset(spec["responsibility_verbs"]),
    )


def modality_rules_from(spec: dict[str, Any], frames: Frames) -> ModalityRules:
    """The ``ModalityRules`` of a ``speech.yaml`` mapping and the frames."""
    return ModalityRules(
        possible_auxiliaries=frozenset(spec["possible_auxiliaries"]),
        possible_governors=frozenset(spec["possible_governors"]),
        possible_adverbs=frozenset(spec["possible_adverbs"]),
        conditions=frozenset(spec["conditions"]),
        intention_frames=frames.modal - frames.commitment_verbs,
    )


def read_user_tsv_lines(path: Path, columns: Sequence[str], warnings: list[str]
                        ) -> list[dict[str, str]]:
    """The rows of a user's headerless tab-separated file with ``columns``; a line with
    another number of fields is skipped with a warning naming file and line."""
    rows = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        warnings.append(f"{path}: cannot be read ({exc}); skipped")
        return rows
    for number, line in enumerate(lines, start=1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) != len(columns) or not fields[0].strip():
            warnings.append(f"{path}:{number}: expected {len(columns)} tab-separated fields "
                            f"({', '.join(columns)}), found {len(fields)}; line skipped")
            continue
        rows.append({name: value.strip() for name, value in zip(columns, fields)})
    return rows


# -- one Knowledge per configuration in a process ---------------------------------------------

_SHARED: dict[tuple[Path, ...], Knowledge] = {}
_SHARED_LOCK = threading.Lock()


def shared(folders: Sequence[str | Path] = ()) -> Knowledge:
    """The Knowledge of exactly these user folders (``$NEWSLEDGER_DATA`` not added), one per
    process: how a Pipeline's Knowledge arrives in a worker process, and how ``extract`` and
    ``Ledger`` avoid rebuilding it for the same folders."""
    key = tuple(Path(f).resolve() for f in folders)
    with _SHARED_LOCK:
        found = _SHARED.get(key)
        if found is None:
            found = _SHARED[key] = Knowledge(key, environment=False)
        return found


def default() -> Knowledge:
    """The Knowledge of the package's data and ``$NEWSLEDGER_DATA``'s folders (read now), for
    callers that pass none."""
    return shared(environment_folders())


def of(data: Iterable[str | Path] | Knowledge | None = None) -> Knowledge:
    """The Knowledge for ``data``: a Knowledge as it is, else ``$NEWSLEDGER_DATA``'s folders
    followed by ``data`` (shared per process, see ``shared``)."""
    if isinstance(data, Knowledge):
        return data
    folders = [*environment_folders(), *(Path(d) for d in data or ())]
    for folder in folders:
        if not folder.is_dir():
            raise ConfigError(Errors.E321.format(path=folder, detail=(
                "no such folder" if not folder.exists() else "not a folder")))
    return shared(list(dict.fromkeys(folders)))

