"""Scaling out: the language stages on a Dask cluster.

Reading, cleaning and the duplicate check stay with the caller (they need one view of what is
already stored, and cost little next to parsing); batches of fresh articles go to the workers,
which load the spaCy pipeline and the knowledge bases once per worker process and send back
small results (articles and their analyses, never ``Doc``s); the caller stores them in one
SQLite ledger, in input order, so a run on a cluster gives the same ledger as a run on a laptop.

    newsledger ingest corpus/ --dask tcp://scheduler:8786    # an existing cluster
    newsledger ingest corpus/ --dask local:4                 # four local worker processes

Workers should run one thread each (``dask worker --nthreads 1 --nworkers N``): a spaCy pipeline
is not meant to be shared between threads. Every worker needs newsledger and the same spaCy
pipeline installed. A worker that dies takes no data with it: Dask runs its batches again
elsewhere.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from . import nlp
from .errors import ConfigError, Errors

LOCAL = re.compile(r"^local(?::(\d+))?$")
IN_FLIGHT_PER_WORKER = 2


def _distributed():
    try:
        import distributed
    except ImportError as error:
        raise ConfigError(Errors.E305.format(detail=error)) from None
    return distributed


@contextmanager
def cluster(address: str, *, timeout: float = 20) -> Iterator[Any]:
    """A ``dask.distributed.Client`` for ``address``: a scheduler address
    (``tcp://host:8786``), or ``local`` / ``local:N`` for N single-threaded worker processes
    on this machine (all cores by default), closed on exit. ``timeout``: seconds to wait for
    a remote scheduler."""
    distributed = _distributed()
    local = LOCAL.match(address)
    if local:
        import os

        workers = int(local.group(1) or os.cpu_count() or 1)
        with distributed.LocalCluster(n_workers=max(1, workers), threads_per_worker=1,
                                      processes=True, dashboard_address=":0") as running, \
                distributed.Client(running) as client:
            yield client
        return
    try:
        client = distributed.Client(address, timeout=f"{timeout}s")
    except (OSError, TimeoutError) as error:
        raise ConfigError(Errors.E306.format(address=address, detail=error)) from None
    try:
        yield client
    finally:
        client.close()


def workers(client: Any) -> int:
    """How many workers the client's cluster has now."""
    return max(1, len(client.scheduler_info().get("workers", {})))


def map_docs(client: Any, func: Callable[..., Any], items: Iterable[Any],
             text_of: Callable[[Any], str], *, model: str | None = None,
             batch_size: int = nlp.BATCH_SIZE, prepare: Callable[[], object] | None = None,
             n_process: int = 1) -> Iterator[Any]:
    """``nlp.map_docs`` on the workers of ``client`` (a ``dask.distributed.Client``): each
    worker loads the pipeline and runs ``prepare`` once, parses whole batches and sends back
    ``func(item, doc)`` for each item, in the order of ``items``. ``n_process`` is ignored (the
    cluster has its own workers); it is accepted so that both functions take the same
    arguments."""
    yield from map_batches(client, nlp.run_prepared, nlp.batches(items, batch_size),
                           func, text_of, model, prepare)


def map_batches(client: Any, task: Callable[..., list[Any]], batches: Iterable[list[Any]],
                *args: Any) -> Iterator[Any]:
    """``task(batch, *args)`` for each batch on the cluster, results flattened in batch order.

    A few batches per worker are in flight at once: enough to keep every worker busy, few
    enough that a large corpus is never held in memory whole. ``args`` are small (the task's
    settings) and travel with each batch.
    """
    pending: deque[Any] = deque()
    for batch in batches:
        pending.append(client.submit(task, batch, *args, pure=False))
        if len(pending) >= IN_FLIGHT_PER_WORKER * workers(client):
            yield from _take(pending.popleft())
    while pending:
        yield from _take(pending.popleft())


def _take(future: Any) -> list[Any]:
    try:
        return future.result()
    finally:
        future.release()
