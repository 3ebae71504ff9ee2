"""The language stages over one parsed article: nlp → actors → events → claims and context.

A ``Pipeline`` is a small, picklable description of how to analyse (which spaCy pipeline, which
extra dictionaries, which sentence classifier) and with which ``Knowledge`` (the package's data
and a user's folders, see ``newsledger.knowledge``). The knowledge is built once per
``Knowledge``, on first use; a worker process receives the Knowledge as its folders and builds
its own. ``analyse`` runs where the article was parsed
and returns plain records, never spaCy objects, so results are cheap to send back and store.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .claims import ClaimBuilder, attribution
from .context.modality import modality
from .context.place import location
from .context.quantities import quantities
from .context.when import event_time, owner, time_expressions
from .dates import parse_date
from .events.combine import Policy, decide
from .events.extract import Found
from .events.ontology import ontology, pentacode_of
from .events.records import to_events
from .errors import ConfigError, Errors, InputError
from .knowledge import Knowledge, default
from .model import Analysis, Article, Event, Mention, Sentence

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

    from .actors import ActorMap, Resolver
    from .claims import Source, SpeechRules
    from .events.extract import Extractor
    from .events.classify import SentenceClassifier
    from .events.learned import Reading, SentenceModel

CODERS = ("model", "rules")

# An event whose date ends this long before the article's is background, not news.
BACKGROUND_AFTER = dt.timedelta(days=60)


@dataclass(frozen=True, slots=True)
class Pipeline:
    """How articles are analysed.

    model: the spaCy pipeline (see ``newsledger.nlp.model_name``).
    dictionaries: PETRARCH/Phoenix dictionaries added to the actor knowledge base.
    classifier_path: a sentence classifier other than the one shipped in the package.
    coder: "model" (the learned coder decides, the lexicon refines; the default) or "rules"
        (the lexicon alone, with the sentence classifier: the fast path).
    coder_path: a folder holding an event model other than the shipped one.
    model_events: keep the model's own events where the lexicon finds no act (root level, rule
        "model"). Off by default: they recover events the lexicon misses in political news,
        but on general news most of them are wrong (see events/combine.py, Policy).
    knowledge: the actors, lexicon, speech cues, places and models to use (default: the
        package's data with ``$NEWSLEDGER_DATA``'s folders, ``newsledger.knowledge.default``).
    """

    model: str | None = None
    dictionaries: tuple[str, ...] = ()
    classifier_path: str | None = None
    coder: str = "model"
    coder_path: str | None = None
    model_events: bool = False
    knowledge: Knowledge = field(default_factory=default)

    def __post_init__(self) -> None:
        if self.coder not in CODERS:
            raise ConfigError(Errors.E320.format(value=self.coder, choices=", ".join(CODERS)))

    def resolver(self) -> Resolver:
        """The actor resolver of the knowledge, for this spaCy pipeline and dictionaries."""
        return self.knowledge.resolver(self.model, self.dictionaries)

    def lexicon_coder(self) -> Extractor:
        """The rule coder: the lexicon and frames over the parse."""
        return self.knowledge.coder

    def event_model(self) -> SentenceModel | None:
        """The learned coder, loaded once per Knowledge (None with ``coder="rules"``)."""
        if self.coder != "model":
            return None
        return self.knowledge.event_model(self.coder_path)

    def classifier(self) -> SentenceClassifier | None:
        return self.knowledge.classifier(self.classifier_path)

    def prepare(self) -> None:
        """Build the knowledge the stages need (once per Knowledge, in each process)."""
        from .gazetteer import warm

        self.resolver()
        self.lexicon_coder()
        self.classifier()
        self.event_model()
        self.knowledge.places
        warm()

    def warnings(self) -> list[str]:
        """Lines of user knowledge files and of ``dictionaries`` that were skipped, each naming
        its file and line (reads the user files; builds the knowledge base only when there
        are dictionaries)."""
        found = self.knowledge.warnings
        if self.dictionaries:
            found += self.knowledge.knowledge_base(self.model, self.dictionaries).warnings
        return list(dict.fromkeys(found))

    def analyse(self, article: Article, doc: Doc) -> Analysis:
        """What the language stages find in ``article``, given its parse ``doc``."""
        return _Analyser(self, article, doc).run()

    def analyse_pair(self, article: Article, doc: Doc) -> tuple[Article, Analysis | InputError]:
        """``analyse``, with a failure on one odd article returned as its error (naming the
        article's source) instead of stopping a run of thousands."""
        try:
            return article, self.analyse(article, doc)
        except Exception as error:  # noqa: BLE001 - reported per article, never swallowed
            detail = str(error).splitlines()[0][:200] if str(error) else ""
            return article, InputError(article.source or article.id, Errors.E115.format(
                kind=type(error).__name__, detail=detail))


class _Analyser:
    """The stages over one article, in order: actors, events with their context and sources,
    statements, claims."""

    def __init__(self, pipeline: Pipeline, article: Article, doc: Doc) -> None:
        self.article = article
        self.doc = doc
        self.day = parse_date(article.published)
        dateline = article.dateline
        self.actors: ActorMap = pipeline.resolver().resolve(
            doc, self.day, dateline_country=dateline.country if dateline else None,
            outlet_country=article.outlet_country)
        self.coder = pipeline.lexicon_coder()
        self.model = pipeline.event_model()
        self.pipeline_model_events = pipeline.model_events
        self.classifier = None if self.model else pipeline.classifier()
        knowledge = pipeline.knowledge
        self.rules: SpeechRules = knowledge.speech_rules
        self.modality_rules = knowledge.modality_rules
        self.gazetteer = knowledge.gazetteer
        self.places = knowledge.places
        self.claims = ClaimBuilder(self.rules, self.coder.lexicon, article.id)

    def run(self) -> Analysis:
        sentences = list(self.doc.sents)
        found_in = [(s, self.coder.sentence_events(s, self.actors)) for s in sentences]
        readings: list[Reading | None] = [None] * len(sentences)
        if self.model is not None:
            readings = list(self.model.read([s.text for s in sentences]))
            policy = Policy(self.model.card.event_threshold, self.model.card.contradiction,
                            model_only=self.pipeline_model_events)
            found_in = [(s, decide(found, reading, s, self.actors, policy, number=number))
                        for number, ((s, found), reading) in enumerate(zip(found_in, readings))]
        coded = [s.text for s, found in found_in if found]
        classes = iter(self.classifier.predict("pentacode", coded)
                       if self.classifier and coded else [])
        events: list[Event] = []
        for (sentence, found), reading in zip(found_in, readings):
            if found:
                events += self._sentence(sentence, found, next(classes, None), reading)
            else:  # "Pyongyang has denied the troop deployment": a stance without an event
                self.claims.scan_stances(sentence, self.actors, [])
        return Analysis(
            article_id=self.article.id,
            sentences=[Sentence(s.start_char, s.end_char) for s in self.doc.sents],
            words=sum(1 for t in self.doc if not t.is_punct and not t.is_space),
            mentions=self.actors.mentions(),
            events=events,
            claims=self.claims.claims(),
        )

    def _sentence(self, sentence: Span, found: list[Found], classes: dict[str, float] | None,
                  reading: Reading | None) -> list[Event]:
        triggers = {item.trigger.i for item in found}
        phrases = [(span, owner(span, triggers)) for span in time_expressions(sentence)]
        made: list[tuple[Event, Token]] = []
        content: dict[int, list[tuple[Found, list[Event]]]] = {}
        for item in found:
            sources = attribution(item.trigger, self.actors, self.rules)
            agreement = classes.get(str(pentacode_of(item.code))) if classes else None
            items = to_events(item, sentence, self.article.id, agreement=agreement,
                              symmetric=self.coder.is_symmetric(item.code))
            self._context(items, item, sources, phrases)
            for event in items:
                self.claims.add_event(event, item.trigger, sources)
                made.append((event, item.trigger))
            if sources and sources[0].verb is not None and sources[0].kind == "said":
                content.setdefault(sources[0].verb.i, []).append((item, items))
        statements = self._statements(sentence, content, triggers, classes, phrases, reading)
        self.claims.scan_stances(sentence, self.actors, made)
        return [event for event, _ in made] + statements

    def _context(self, events: list[Event], item: Found, sources: list[Source],
                 phrases: list[tuple[Span, int | None]]) -> None:
        """Sources, modality, date, place and quantities of one found event's records."""
        when = event_time(item.trigger, phrases, self.day, future=item.future)
        mood = modality(item.trigger, self.modality_rules, frame=item.frame, future=item.future,
                        frame_coded=item.via == "frame")
        if item.realis == "hypothetical" and mood == "asserted":
            mood = "conditional"  # the model read "would", "could", "if" where the rules did not
        if when is not None and self.day is not None:
            if when.date > self.day and mood == "asserted":
                mood = "future"
            elif (when.end or when.date) < self.day - BACKGROUND_AFTER and mood == "asserted":
                mood = "background"
        place = location(item.trigger, self.gazetteer, targets={m.head for m in item.targets},
                         dateline=self.article.dateline, index=self.places) \
            or self._article_country()
        amounts = quantities(_argument_tokens(item.trigger))
        chain = [code for source in sources for code in source.codes]
        for event in events:
            event.attributed_to = list(dict.fromkeys(chain))
            event.modality = mood
            if when is not None:
                event.date, event.date_precision, event.date_end = when.iso()
            elif self.day is not None:
                event.date, event.date_precision = self.day.isoformat(), "day"
            event.location = place
            event.quantities = [{k: v for k, v in q.items() if k != "text"} for q in amounts]

    def _article_country(self) -> dict[str, Any] | None:
        """The last resort for an event with no place of its own, in its sentence, dateline or
        article: the country the article is about (most of its mentions of countries), as a
        country-level location marked ``"source": "article"``."""
        code = self.actors.country
        if code is None:
            return None
        found = next((c for c in self.places.candidates(self.gazetteer.countries[code].name)
                      if c.kind == "country" and c.country == code), None)
        return found.as_location("article") if found is not None else None

    def _statements(self, sentence: Span, content: dict[int, list[tuple[Found, list[Event]]]],
                    triggers: set[int], classes: dict[str, float] | None,
                    phrases: list[tuple[Span, int | None]], reading: Reading | None
                    ) -> list[Event]:
        """A statement is an event too: "X said that S" gives X's statement, with the events of
        S as its content; a neutral statement of another actor's hostile act is an accusation,
        a claim of one's own is a claim of responsibility."""
        statements: list[Event] = []
        for verb_index, reported in content.items():
            if verb_index in triggers:
                continue  # the verb is an event of its own ("accused", "warned")
            verb = self.doc[verb_index]
            sources = attribution(reported[0][0].trigger, self.actors, self.rules)
            speakers = [m for m in (sources[0].speakers if sources else []) if m.actor.country]
            if not speakers:
                continue  # "officials said": the source is kept on the content, no statement
            main_item, main_events = reported[0]
            told_as_fact = bool(main_events) and main_events[0].modality in (
                "asserted", "background")
            code, target = self._statement_code(verb, speakers, main_item, told_as_fact)
            statement = Found(code=code, trigger=verb, rule=f"statement:{verb.lemma_.lower()}",
                              sources=speakers, targets=[target] if target else [],
                              specificity=1, via="lexicon", depth=0)
            if reading is not None:
                statement.model_confidence = reading.event * reading.roots.get(code[:2], 0.0)
                statement.provenance = "both" if code[:2] == reading.root else "rule"
            agreement = classes.get(str(pentacode_of(code))) if classes else None
            items = to_events(statement, sentence, self.article.id, agreement=agreement,
                              symmetric=False)
            self._context(items, statement, sources[1:], phrases)
            ids = [event.id for _, events in reported for event in events]
            for event in items:
                event.content = ids
            statements += items
        return statements

    def _statement_code(self, verb: Token, speakers: list[Mention], main: Found,
                        told_as_fact: bool) -> tuple[str, Mention | None]:
        hostile = ontology()[main.code].quad_class >= 3 and told_as_fact
        speaker_countries = {m.actor.country for m in speakers}
        doer = main.sources[0] if main.sources else None
        victim = main.targets[0] if main.targets else None
        if hostile and doer is not None and doer.actor.country in speaker_countries:
            if verb.lemma_.lower() in self.rules.responsibility_verbs:
                return self.rules.responsibility_code, victim
            return self.rules.statement_code, victim
        if hostile and doer is not None:
            return self.rules.accusation_code, doer
        if doer is not None and doer.actor.country not in speaker_countries:
            return self.rules.statement_code, doer
        return self.rules.statement_code, victim


def _argument_tokens(trigger: Token) -> list[Token]:
    """The words of an event's own clause: the trigger's subtree without subordinate clauses."""
    found, stack = [], [trigger]
    while stack:
        token = stack.pop()
        found.append(token)
        for child in token.children:
            if child.pos_ in ("VERB", "AUX") and child.dep_ in ("ccomp", "advcl", "relcl",
                                                                 "parataxis", "conj") and not (
                    child.dep_ == "advcl" and child.tag_ == "VBG"):  # "…, killing 6 people"
                continue
            stack.append(child)
    return found


def article_text(article: Article) -> str:
    """The text the parser reads for ``article``."""
    return article.text
