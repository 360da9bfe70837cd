"""Work out the next batch in a background thread while the caller stores this one.

An import spends most of its time in two places: Python reading and checking the file, and
the database writing the figures. Run one after the other, their times add up; with the
reading in a thread they overlap (the database works in its own process, and the calling
thread waits on the socket with the GIL released). ADR 13.

The thread only iterates the source; it never touches the database, so it needs no
connection of its own and cannot see or break the caller's transaction.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterable, Iterator

_DONE = object()
# How long the thread waits to hand over a batch before checking whether the caller stopped.
_POLL_SECONDS = 0.1


class _Failed:
    def __init__(self, error: BaseException) -> None:
        self.error = error


def read_ahead[T, P](
    items: Iterable[T], batch_size: int, prepare: Callable[[list[T]], P], *, ahead: int = 1
) -> Iterator[P]:
    """`prepare(batch)` for each list of `batch_size` items (the last may be shorter), worked
    out in a background thread at most `ahead` batches in advance, so memory stays bounded.

    An exception raised while producing is raised here, in the caller's thread, after the
    batches made before it. If the caller stops early (an error, or `close()`), the thread
    is told to stop and is waited for, so it never outlives the call.
    """
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    handover: queue.Queue = queue.Queue(maxsize=max(ahead, 1))
    stop = threading.Event()
    worker = threading.Thread(
        target=_produce,
        args=(items, batch_size, prepare, handover, stop),
        name="read-ahead",
        daemon=True,
    )
    worker.start()
    try:
        while (got := handover.get()) is not _DONE:
            if isinstance(got, _Failed):
                raise got.error
            yield got
    finally:
        stop.set()
        worker.join()


def _produce(items: Iterable, size: int, prepare, handover: queue.Queue, stop) -> None:
    try:
        batch: list = []
        for item in items:
            batch.append(item)
            if len(batch) >= size:
                if not _hand_over(prepare(batch), handover, stop):
                    return
                batch = []
        if batch and not _hand_over(prepare(batch), handover, stop):
            return
        _hand_over(_DONE, handover, stop)
    except BaseException as error:  # handed to the caller's thread and raised there
        _hand_over(_Failed(error), handover, stop)


def _hand_over(item, handover: queue.Queue, stop) -> bool:
    """Put `item` in the queue unless the caller has stopped; True when it was handed over."""
    while not stop.is_set():
        try:
            handover.put(item, timeout=_POLL_SECONDS)
            return True
        except queue.Full:
            continue
    return False
