"""polka.core.bulk.collector_paused: the cyclic collector is off inside (nested or from two
threads at once), back as it was when the last pause ends, and the cycles made meanwhile are
collected then, or at each batch's end with young_collected."""

import gc
import threading
import weakref

from polka.core.bulk import collector_paused, young_collected


class Node:
    def __init__(self) -> None:
        self.me = self  # a cycle: reference counting alone never frees it


def test_the_collector_is_off_inside_and_back_after_the_last_pause():
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer pause still holds
    assert gc.isenabled()


def test_a_pause_started_elsewhere_keeps_the_collector_off_until_it_ends():
    inside, release = threading.Event(), threading.Event()

    def other() -> None:
        with collector_paused():
            inside.set()
            release.wait(10)

    thread = threading.Thread(target=other)
    thread.start()
    assert inside.wait(10)
    with collector_paused():
        pass
    assert not gc.isenabled()
    release.set()
    thread.join()
    assert gc.isenabled()


def test_a_collector_turned_off_before_stays_off():
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_cycles_made_during_the_pause_are_collected_when_it_ends():
    with collector_paused():
        node = Node()
        gone = weakref.ref(node)
        del node
        [[] for _ in range(5_000)]  # enough new containers to start a collection if it ran
        assert gone() is not None
    assert gone() is None


def test_a_batch_done_frees_its_cycles_while_the_pause_goes_on():
    with collector_paused():
        node = Node()
        gone = weakref.ref(node)
        del node
        young_collected()
        assert gone() is None
        assert not gc.isenabled()


def test_the_end_of_a_pause_walks_what_was_made_during_it_not_the_whole_heap():
    generations: list[int] = []

    def seen(phase: str, info: dict) -> None:
        if phase == "start":
            generations.append(info["generation"])

    gc.collect()
    gc.callbacks.append(seen)
    try:
        with collector_paused():
            node = Node()
            gone = weakref.ref(node)
            young_collected()  # still referenced: it survives into the middle generation
            del node
        assert gone() is None
    finally:
        gc.callbacks.remove(seen)
    assert generations == [0, 1]
