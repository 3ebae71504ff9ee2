"""What the onnxruntime models of newsledger share: the file check, the thread count, and the
session, built lazily in the process that first runs it.

A process that has built a session must not fork workers (onnxruntime's global state deadlocks
in the child): ``session`` says so (``nlp.mark_fork_unsafe``), and ``nlp.worker_pool`` then
spawns them. Used by the event coder (``events/learned.py``) and the story embedder
(``stories/embed.py``).
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
from pathlib import Path
from typing import Any

from .nlp import mark_fork_unsafe


def sha256(path: Path) -> str:
    """The sha256 of the file at ``path``, read in blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def default_threads() -> int:
    """``NEWSLEDGER_THREADS`` when set; one thread in a worker process (of ``ingest -j N`` or
    a Dask worker), whose siblings use the other cores; otherwise up to four cores."""
    configured = os.environ.get("NEWSLEDGER_THREADS")
    if configured and configured.isdigit():
        return max(1, int(configured))
    if multiprocessing.parent_process() is not None:
        return 1
    return max(1, min(4, os.cpu_count() or 1))


def session(path: Path, threads: int | None = None) -> Any:
    """A CPU onnxruntime session of the model at ``path`` (``threads`` intra-op threads, else
    ``default_threads()``); this process is marked as unsafe to fork from."""
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = threads or default_threads()
    options.inter_op_num_threads = 1
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    mark_fork_unsafe("an onnxruntime session")
    return ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
