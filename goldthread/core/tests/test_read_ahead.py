"""Reading the next batch in a background thread (imports, ADR 13)."""

from __future__ import annotations

import threading
import time

import pytest

from goldthread.core.read_ahead import read_ahead


def test_batches_come_in_order_and_the_last_one_holds_what_is_left():
    assert list(read_ahead(range(7), 3, list)) == [[0, 1, 2], [3, 4, 5], [6]]


def test_an_empty_source_gives_no_batches():
    assert list(read_ahead([], 3, list)) == []


def test_each_batch_is_prepared_in_the_background_thread():
    caller = threading.get_ident()
    seen = list(read_ahead(range(4), 2, lambda batch: threading.get_ident()))
    assert len(seen) == 2
    assert caller not in seen


def test_a_failure_while_reading_is_raised_to_the_caller_after_the_batches_before_it():
    def source():
        yield from range(4)
        raise ValueError("row 5 is broken")

    got = []
    with pytest.raises(ValueError, match="row 5 is broken"):
        for batch in read_ahead(source(), 2, list):
            got.append(batch)
    assert got == [[0, 1], [2, 3]]


def test_a_failure_while_preparing_is_raised_to_the_caller_too():
    def prepare(batch):
        raise RuntimeError("cannot encode")

    with pytest.raises(RuntimeError, match="cannot encode"):
        list(read_ahead(range(3), 2, prepare))


def test_the_thread_reads_at_most_one_batch_ahead_of_the_caller():
    read = []

    def source():
        for n in range(100):
            read.append(n)
            yield n

    batches = read_ahead(source(), 10, list)
    next(batches)
    time.sleep(0.3)  # time enough for the thread to run ahead if it could
    # The batch handed over, one waiting in the queue and one being filled.
    assert len(read) <= 31
    batches.close()


def test_a_caller_that_stops_early_stops_the_thread_as_well():
    before = threading.active_count()
    batches = read_ahead(iter(range(1_000_000)), 10, list)
    assert next(batches) == list(range(10))
    batches.close()
    assert threading.active_count() == before
    assert not [t for t in threading.enumerate() if t.name == "read-ahead"]


def test_a_batch_size_below_one_is_refused():
    with pytest.raises(ValueError, match="at least 1"):
        list(read_ahead(range(3), 0, list))
