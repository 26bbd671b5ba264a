"""linux.resources.devices on cgroup v2: an eBPF program (BPF_PROG_TYPE_CGROUP_DEVICE).

v2 has no devices.allow/deny files; the kernel asks the cgroup's device
programs about each access and allows it only if they return 1. The rules
are an allowlist, as the runtime-spec says and as runc's v2 filter has it:
later rules win, and a device no rule names is refused. An allow rule must
cover the whole access asked for (open for read and write is one "rw"
question); a deny rule refuses any access it names.

The program tests the rules last to first and returns the first verdict:
    r2 = ctx->access_type      r3 = type (low 16 bits)   r4 = access (high 16)
    r5 = ctx->major            r6 = ctx->minor
    per rule: skip to the next unless type, access, major and minor match,
              else r0 = verdict; exit
    r0 = 0; exit
"""
import sys

from libcontainer.errors import PyruncError

BLOCK, CHAR = 1, 2
ACCESS = {"m": 1, "r": 2, "w": 4}
TYPES = {"b": BLOCK, "c": CHAR}

# eBPF opcodes (linux/bpf.h)
_LDX_W = 0x61        # dst = *(u32 *)(src + off)
_MOV64_X = 0xBF      # dst = src
_MOV64_K = 0xB7      # dst = imm
_AND64_K = 0x57      # dst &= imm
_RSH64_K = 0x77      # dst >>= imm
_JNE32_K = 0x56      # if (u32)dst != imm: pc += off
_JEQ32_K = 0x16      # if (u32)dst == imm: pc += off
_EXIT = 0x95


def insn(code, dst=0, src=0, off=0, imm=0):
    return (code.to_bytes(1, "little") + (dst | src << 4).to_bytes(1, "little")
            + off.to_bytes(2, sys.byteorder, signed=True)
            + (imm - (1 << 32) if imm >= 1 << 31 else imm).to_bytes(4, sys.byteorder, signed=True))


def access_mask(field, text):
    mask = 0
    for letter in text or "rwm":
        if letter not in ACCESS:
            raise PyruncError(f"{field}.access: {text!r} is not made of r, w and m")
        mask |= ACCESS[letter]
    return mask


def _number(field, value):
    """None for a wildcard (absent or -1)."""
    if value is None or value == -1:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 1 << 32:
        raise PyruncError(f"{field}: {value!r} is not a device number")
    return value


def _rule_tests(field, rule):
    """The checks of one rule, each (opcode, register, imm): jump past the
    rule when the check says it does not match."""
    kind = rule.get("type") or "a"
    if kind not in ("a", "b", "c"):
        raise PyruncError(f"{field}.type: {kind!r} is not a, b or c")
    access = access_mask(field, rule.get("access"))
    tests = []
    if kind != "a":
        tests.append([(_JNE32_K, 3, TYPES[kind])])
    if rule.get("allow"):
        # Not allowed unless every asked bit is in the rule: r7 = r4 & ~access.
        tests.append([(_MOV64_X, 7, 4), (_AND64_K, 7, ~access & 0xFFFF), (_JNE32_K, 7, 0)])
    else:
        # Denied if any asked bit is in the rule: r7 = r4 & access.
        tests.append([(_MOV64_X, 7, 4), (_AND64_K, 7, access), (_JEQ32_K, 7, 0)])
    for register, key in ((5, "major"), (6, "minor")):
        number = _number(f"{field}.{key}", rule.get(key))
        if number is not None:
            tests.append([(_JNE32_K, register, number)])
    return [step for test in tests for step in test]


def program(rules, field="linux.resources.devices"):
    """The program's bytes (struct bpf_insn[]) for rules in config order."""
    out = [insn(_LDX_W, 2, 1, 0), insn(_MOV64_X, 3, 2), insn(_AND64_K, 3, imm=0xFFFF),
           insn(_MOV64_X, 4, 2), insn(_RSH64_K, 4, imm=16),
           insn(_LDX_W, 5, 1, 4), insn(_LDX_W, 6, 1, 8)]
    for index in reversed(range(len(rules))):
        steps = _rule_tests(f"{field}[{index}]", rules[index])
        block = len(steps) + 2  # the checks, then r0 = verdict and exit
        for position, (code, register, imm) in enumerate(steps):
            if code in (_JNE32_K, _JEQ32_K):
                out.append(insn(code, register, off=block - position - 1, imm=imm))
            elif code == _MOV64_X:
                out.append(insn(code, register, src=imm))  # imm names the source register
            else:
                out.append(insn(code, register, imm=imm))
        out += [insn(_MOV64_K, 0, imm=1 if rules[index].get("allow") else 0), insn(_EXIT)]
    out += [insn(_MOV64_K, 0, imm=0), insn(_EXIT)]
    return b"".join(out)
