"""Build time: turn a JSON Schema `pattern` into a DFA table for dfa.search().

The compiled schema must not import `re` (with enum, ~5 ms) on the path of
every `create`, so its patterns are compiled here, once, into plain tables.
Only a subset of Python's regex syntax is understood: literals, escaped
punctuation, \\n \\t \\r \\f \\v, classes ([a-z], [^...]), `.`, groups
((...), (?:...)), `|`, the quantifiers * + ? {m} {m,} {m,n}, `^` as the first
character and `$` as the last. Anything else raises UnsupportedPattern, so a
schema change that needs more fails at generation time, not at run time.

The result means what re.search(pattern, text) means, `$` matching before a
final newline included (tests compare the two on many strings).
"""

MAX_CODE = 0x10FFFF
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "f": "\f", "v": "\v"}
_PUNCTUATION = set(".^$*+?()[]{}|\\-/ ")
_MAX_NFA_STATES = 5000


class UnsupportedPattern(ValueError):
    pass


# ---------------------------------------------------------------------------
# parsing: a tree of ("set", ranges) ("cat", [..]) ("alt", [..]) ("rep", node, lo, hi)

class _Parser:
    def __init__(self, text):
        self.text, self.pos = text, 0

    def fail(self, why):
        raise UnsupportedPattern(f"pattern {self.text!r}: {why} at {self.pos}")

    def peek(self):
        return self.text[self.pos] if self.pos < len(self.text) else None

    def take(self):
        ch = self.peek()
        if ch is None:
            self.fail("unexpected end")
        self.pos += 1
        return ch

    def alternation(self):
        branches = [self.sequence()]
        while self.peek() == "|":
            self.pos += 1
            branches.append(self.sequence())
        return branches[0] if len(branches) == 1 else ("alt", branches)

    def sequence(self):
        items = []
        while self.peek() not in (None, "|", ")"):
            items.append(self.quantified(self.atom()))
        return ("cat", items)

    def quantified(self, node):
        while self.peek() in ("*", "+", "?", "{"):
            ch = self.take()
            low, high = {"*": (0, None), "+": (1, None), "?": (0, 1)}.get(ch, (None, None))
            if ch == "{":
                low, high = self.braces()
            if self.peek() == "?":  # lazy: the same strings match
                self.pos += 1
            node = ("rep", node, low, high)
        return node

    def braces(self):
        end = self.text.find("}", self.pos)
        body = self.text[self.pos:end] if end >= 0 else ""
        low, comma, high = body.partition(",")
        if not low.isdigit() or not (high.isdigit() or high == ""):
            self.fail("unsupported {...} quantifier")
        self.pos = end + 1
        return int(low), (int(high) if high else None) if comma else int(low)

    def atom(self):
        ch = self.take()
        if ch == "(":
            if self.text.startswith("?:", self.pos):
                self.pos += 2
            elif self.peek() == "?":
                self.fail("unsupported group")
            inner = self.alternation()
            if self.take() != ")":
                self.fail("unclosed group")
            return inner
        if ch == "[":
            return ("set", self.char_class())
        if ch == ".":
            return ("set", [(0, 9), (11, MAX_CODE)])  # anything but \n
        if ch == "\\":
            code = self.escaped_code()
            return ("set", [(code, code)])
        if ch in "^$)*+?{":
            self.fail(f"unsupported {ch!r}")
        return ("set", [(ord(ch), ord(ch))])

    def escaped_code(self):
        ch = self.take()
        if ch in _ESCAPES:
            return ord(_ESCAPES[ch])
        if ch not in _PUNCTUATION:
            self.fail(f"unsupported escape \\{ch}")
        return ord(ch)

    def class_member(self):
        ch = self.take()
        if ch == "\\":
            return self.escaped_code()
        if ch == "[":
            self.fail("'[' inside a class")
        return ord(ch)

    def char_class(self):
        negated = self.peek() == "^"
        if negated:
            self.pos += 1
        ranges, first = [], True
        while first or self.peek() != "]":
            if self.peek() is None:
                self.fail("unclosed class")
            # A "]" first in a class is a literal, as in Python's re.
            low = ord(self.take()) if first and self.peek() == "]" else self.class_member()
            first = False
            high = low
            if self.peek() == "-" and self.text[self.pos + 1:self.pos + 2] not in ("]", ""):
                self.pos += 1
                high = self.class_member()
                if high < low:
                    self.fail("bad range")
            ranges.append((low, high))
        self.pos += 1
        return _complement(ranges) if negated else _normalise(ranges)


def _normalise(ranges):
    merged = []
    for low, high in sorted(ranges):
        if merged and low <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], high))
        else:
            merged.append((low, high))
    return merged


def _complement(ranges):
    result, start = [], 0
    for low, high in _normalise(ranges):
        if low > start:
            result.append((start, low - 1))
        start = high + 1
    if start <= MAX_CODE:
        result.append((start, MAX_CODE))
    return result


def parse(pattern):
    """-> (tree, anchored_start, anchored_end)"""
    body = pattern
    start = body.startswith("^")
    if start:
        body = body[1:]
    before = body[:-1]
    # "$" ends the pattern unless escaped by an odd run of backslashes.
    end = body.endswith("$") and (len(before) - len(before.rstrip("\\"))) % 2 == 0
    if end:
        body = body[:-1]
    parser = _Parser(body)
    tree = parser.alternation()
    if parser.pos != len(body):
        parser.fail("unbalanced ')'")
    if (start or end) and tree[0] == "alt":
        parser.fail("an anchor next to a top-level '|'")
    return tree, start, end


# ---------------------------------------------------------------------------
# Thompson NFA: per state, epsilon targets and (ranges, target) moves

class _NFA:
    def __init__(self):
        self.epsilon, self.moves = [], []

    def new_state(self):
        if len(self.moves) >= _MAX_NFA_STATES:
            raise UnsupportedPattern("pattern too large")
        self.epsilon.append([])
        self.moves.append([])
        return len(self.moves) - 1

    def build(self, node):
        """-> (entry, exit) states of a fragment matching node."""
        kind = node[0]
        entry, exit_ = self.new_state(), self.new_state()
        if kind == "set":
            self.moves[entry].append((node[1], exit_))
        elif kind == "cat" or kind == "alt":
            last = entry
            for child in node[1]:
                first, end = self.build(child)
                self.epsilon[last if kind == "cat" else entry].append(first)
                if kind == "cat":
                    last = end
                else:
                    self.epsilon[end].append(exit_)
            if kind == "cat":
                self.epsilon[last].append(exit_)
        else:
            self.build_repeat(node, entry, exit_)
        return entry, exit_

    def build_repeat(self, node, entry, exit_):
        _, child, low, high = node
        last = entry
        for _ in range(low):
            first, end = self.build(child)
            self.epsilon[last].append(first)
            last = end
        if high is None:  # a loop: zero or more further copies
            first, end = self.build(child)
            self.epsilon[last] += [first, exit_]
            self.epsilon[end] += [first, exit_]
            return
        for _ in range(high - low):
            first, end = self.build(child)
            self.epsilon[last] += [first, exit_]
            last = end
        self.epsilon[last].append(exit_)

    def closure(self, states):
        seen, stack = set(states), list(states)
        while stack:
            for target in self.epsilon[stack.pop()]:
                if target not in seen:
                    seen.add(target)
                    stack.append(target)
        return frozenset(seen)


# ---------------------------------------------------------------------------
# subset construction over the intervals that no range boundary splits

def _intervals(nfa):
    cuts = {0, MAX_CODE + 1}
    for moves in nfa.moves:
        for ranges, _ in moves:
            for low, high in ranges:
                cuts.update((low, high + 1))
    cuts = sorted(cuts)
    return list(zip(cuts, [c - 1 for c in cuts[1:]]))


def _step(nfa, states, code):
    return nfa.closure([target for s in states for ranges, target in nfa.moves[s]
                        if any(low <= code <= high for low, high in ranges)])


def _subset_construction(nfa, start, accept):
    """-> list of (accepting, [(low, high, next_index), ...]) with state 0 the start."""
    intervals = _intervals(nfa)
    first = nfa.closure([start])
    index, order, table = {first: 0}, [first], []
    while len(table) < len(order):
        states = order[len(table)]
        ranges = []
        for low, high in intervals:
            target = _step(nfa, states, low)
            if not target:
                continue
            if target not in index:
                index[target] = len(order)
                order.append(target)
            if ranges and ranges[-1][2] == index[target] and ranges[-1][1] == low - 1:
                ranges[-1] = (ranges[-1][0], high, index[target])
            else:
                ranges.append((low, high, index[target]))
        table.append((accept in states, ranges))
    return table


# Ranges this narrow become strings of characters (`char in "0123456789"`).
_SMALL_RANGE = 256


def compile_pattern(pattern):
    """-> (states, anchored_end) for dfa.search(); states[i] = (accepting,
    ((chars, next), ...), ((low, high, next), ...)): the narrow moves as strings
    of characters, the wide ones as code point ranges. Only tuples, strings and
    numbers, so that the table is one constant in the generated module's .pyc."""
    tree, anchored_start, anchored_end = parse(pattern)
    if not anchored_start:  # re.search tries every start: lead with "anything, any number"
        tree = ("cat", [("rep", ("set", [(0, MAX_CODE)]), 0, None), tree])
    nfa = _NFA()
    start, accept = nfa.build(tree)
    states = []
    for accepting, ranges in _subset_construction(nfa, start, accept):
        narrow = {}
        for low, high, target in ranges:
            if high - low < _SMALL_RANGE:
                narrow[target] = narrow.get(target, "") + "".join(map(chr, range(low, high + 1)))
        wide = tuple(r for r in ranges if r[1] - r[0] >= _SMALL_RANGE)
        states.append((accepting, tuple(sorted((chars, t) for t, chars in narrow.items())), wide))
    return tuple(states), anchored_end
