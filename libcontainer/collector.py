"""How often Python's cyclic garbage collector runs in pyrunc.

By default it passes over the young objects every 700 new ones: some ten
times while a create imports its modules, about 1 ms in all, with nothing to
free. A call of the command makes a few thousand objects; only a long one
(an image load, hours of relaying a terminal) makes many more, and may make
cycles. So runtime/main.py has it run after every RARELY new objects: never
in a lifecycle call, still in time for the rest."""
import gc

RARELY = 50_000


def rarely():
    gc.set_threshold(RARELY)
