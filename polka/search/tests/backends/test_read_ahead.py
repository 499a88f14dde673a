"""read_ahead: items come in order from a producer thread, its errors reach the consumer,
and a consumer that stops early does not leave the producer hanging."""

import threading
from collections.abc import Iterator

import pytest

from polka.search.backends.base import read_ahead


def test_items_arrive_in_order():
    assert list(read_ahead(iter(range(50)))) == list(range(50))


def test_the_producers_error_is_raised_to_the_consumer():
    def failing() -> Iterator[int]:
        yield 1
        raise ValueError("broken record")

    with pytest.raises(ValueError, match="broken record"):
        list(read_ahead(failing()))


def test_a_consumer_that_stops_early_stops_the_producer():
    produced: list[int] = []

    def endless() -> Iterator[int]:
        number = 0
        while True:
            produced.append(number)
            yield number
            number += 1

    items = read_ahead(endless(), depth=2)
    assert next(items) == 0
    items.close()
    assert not any(t.name == "search-read-ahead" for t in threading.enumerate())
    assert len(produced) <= 5
