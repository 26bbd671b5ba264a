import signal

import pytest

from libcontainer import errors
from libcontainer.signals import parse_signal


@pytest.mark.parametrize("text, number", [
    ("TERM", signal.SIGTERM), ("SIGKILL", signal.SIGKILL), ("kill", signal.SIGKILL),
    ("9", 9), ("15", 15), ("SIGRTMIN+1", signal.SIGRTMIN + 1), ("HUP", signal.SIGHUP),
])
def test_names_and_numbers(text, number):
    assert parse_signal(text) == number


@pytest.mark.parametrize("text", ["", "0", "999", "NOPE", "SIGRTMIN+99", "-1"])
def test_bad_signals(text):
    with pytest.raises(errors.PyruncError, match="not a valid signal"):
        parse_signal(text)
