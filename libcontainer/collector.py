"""When Python's cyclic garbage collector runs in pyrunc.

A call lives for milliseconds and makes no garbage worth a pass: the
collector's passes over the objects that imports create cost about 1 ms of
every create or run. runtime/main.py turns it off first thing; what may wait
for hours (a foreground process, `events`, `logs --follow`) turns it back on."""
import gc


def off():
    gc.disable()


def on_for_a_long_wait():
    # What exists by now lives until exit: kept out of every later pass.
    gc.freeze()
    gc.enable()
