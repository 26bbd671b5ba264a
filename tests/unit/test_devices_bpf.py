"""cgroup v2 device rules as eBPF: the generated program, run by a small
interpreter of the instructions it uses, against the rules' meaning."""
import random
import sys

import pytest

from libcontainer.cgroups import devices_bpf as bpf
from libcontainer.cgroups.fs import CgroupFs
from libcontainer.cgroups.v2 import V2Manager
from libcontainer.errors import PyruncError

M, R, W = bpf.ACCESS["m"], bpf.ACCESS["r"], bpf.ACCESS["w"]


def run(program, kind, major, minor, access):
    """Interpret the program for one access (kind: "b" or "c")."""
    ctx = [bpf.TYPES[kind] | access << 16, major, minor]
    regs = [0] * 11
    pc = 0
    while True:
        raw = program[pc * 8:pc * 8 + 8]
        code, regs_byte = raw[0], raw[1]
        dst, src = regs_byte & 0xF, regs_byte >> 4
        off = int.from_bytes(raw[2:4], sys.byteorder, signed=True)
        imm = int.from_bytes(raw[4:8], sys.byteorder, signed=True)
        pc += 1
        if code == 0x61:
            assert src == 1 and off % 4 == 0
            regs[dst] = ctx[off // 4]
        elif code == 0xBF:
            regs[dst] = regs[src]
        elif code == 0xB7:
            regs[dst] = imm & (2**64 - 1)
        elif code == 0x57:
            regs[dst] &= imm & (2**64 - 1)
        elif code == 0x77:
            regs[dst] >>= imm
        elif code in (0x56, 0x16):
            equal = regs[dst] & 0xFFFFFFFF == imm & 0xFFFFFFFF
            if equal == (code == 0x16):
                pc += off
        elif code == 0x95:
            return regs[0]
        else:
            raise AssertionError(f"unexpected opcode {code:#x}")


def meaning(rules, kind, major, minor, access):
    """The rules' verdict: the last rule that matches decides; none: refused."""
    for rule in reversed(rules):
        if rule.get("type", "a") not in ("a", kind):
            continue
        if rule.get("major") not in (None, -1, major) or rule.get("minor") not in (None, -1, minor):
            continue
        mask = bpf.access_mask("x", rule.get("access"))
        if rule["allow"] and access & ~mask == 0:
            return 1
        if not rule["allow"] and access & mask:
            return 0
    return 0


def test_deny_all_then_allow_a_few():
    rules = [{"allow": False, "access": "rwm"},
             {"allow": True, "type": "c", "major": 1, "minor": 3, "access": "rw"},
             {"allow": True, "type": "c", "major": 136, "access": "rwm"},
             {"allow": False, "type": "c", "major": 136, "minor": 7, "access": "w"}]
    program = bpf.program(rules)
    assert run(program, "c", 1, 3, R | W) == 1
    assert run(program, "c", 1, 3, M) == 0         # mknod not in the rule
    assert run(program, "b", 1, 3, R) == 0         # a block device of the same number
    assert run(program, "c", 1, 5, R) == 0
    assert run(program, "c", 136, 2, R | W | M) == 1
    assert run(program, "c", 136, 7, R) == 1
    assert run(program, "c", 136, 7, R | W) == 0   # any denied bit refuses


def test_an_allowlist_refuses_what_it_does_not_name_and_numbers_compare_as_u32():
    assert run(bpf.program([]), "b", 8, 0, R) == 0
    assert run(bpf.program([{"allow": True, "type": "c", "major": 1}]), "c", 2, 0, R) == 0
    assert run(bpf.program([{"allow": True, "access": "rwm"}]), "b", 8, 0, R | W | M) == 1
    program = bpf.program([{"allow": False, "access": "rwm"},
                           {"allow": True, "type": "c", "major": 4000000000, "minor": 1}])
    assert run(program, "c", 4000000000, 1, R) == 1
    assert run(program, "c", 4000000000 - 2**31, 1, R) == 0


def test_random_rule_sets_agree_with_their_meaning():
    rng = random.Random(7)
    for _ in range(300):
        rules = [{"allow": rng.random() < 0.5,
                  "type": rng.choice(["a", "b", "c"]),
                  "major": rng.choice([None, -1, 1, 5, 136]),
                  "minor": rng.choice([None, 0, 3, 7]),
                  "access": "".join(c for c in "rwm" if rng.random() < 0.6) or "r"}
                 for _ in range(rng.randrange(0, 6))]
        program = bpf.program(rules)
        for _ in range(20):
            question = (rng.choice("bc"), rng.choice([1, 5, 136, 9]), rng.choice([0, 3, 7, 1]),
                        rng.choice([M, R, W, R | W, R | W | M]))
            assert run(program, *question) == meaning(rules, *question), (rules, question)


@pytest.mark.parametrize("rule, message", [
    ({"allow": True, "type": "x"}, r"devices\[0\].type"),
    ({"allow": True, "type": "c", "access": "rwx"}, r"devices\[0\].access"),
    ({"allow": True, "type": "c", "major": "1"}, r"devices\[0\].major"),
])
def test_bad_rules_name_the_field(rule, message):
    with pytest.raises(PyruncError, match=message):
        bpf.program([rule])


class RecordingFs(CgroupFs):
    def __init__(self):
        self.attached = []

    def write(self, path, data):
        pass

    def attach_device_program(self, directory, program):
        self.attached.append((directory, program))


def test_v2_manager_attaches_the_rules_with_pyruncs_own_devices():
    fs = RecordingFs()
    manager = V2Manager("/sys/fs/cgroup", "/c1", fs=fs)
    manager.apply({"devices": [{"allow": False, "access": "rwm"}]})
    [(directory, program)] = fs.attached
    assert directory == "/sys/fs/cgroup/c1"
    assert run(program, "c", 1, 3, R | W) == 1      # /dev/null: pyrunc's defaults
    assert run(program, "c", 136, 4, R | W) == 1    # a pty
    assert run(program, "b", 8, 0, R) == 0
    manager.apply({"memory": {"limit": 1 << 20}})   # no devices: nothing attached
    assert len(fs.attached) == 1
