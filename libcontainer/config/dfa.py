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
        target = state[1].get(char)
        if target is None:
            code = ord(char)
            for low, high, wide_target in state[2]:
                if low <= code <= high:
                    target = wide_target
                    break
            else:
                return False  # no way on: the start was anchored
        state = states[target]
    return state[0]
