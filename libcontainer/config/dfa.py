"""Run time: re.search() for the compiled schema's patterns, without `re`.

The tables come from regex_to_dfa.compile_pattern(), at generation time.
"""


def search(dfa, text):
    """True when the pattern the table was made from matches somewhere in text."""
    states, anchored_end = dfa
    state = states[0]
    last = len(text) - 1
    for position, char in enumerate(text):
        if state[0] and (not anchored_end or (position == last and char == "\n")):
            return True  # unanchored end: a prefix matched; or `$` before a final newline
        state = _next(states, state, char)
        if state is None:
            return False  # no way on: the start was anchored
    return state[0]


def _next(states, state, char):
    for chars, target in state[1]:
        if char in chars:
            return states[target]
    code = ord(char)
    for low, high, target in state[2]:
        if low <= code <= high:
            return states[target]
    return None
