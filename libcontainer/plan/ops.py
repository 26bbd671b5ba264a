"""Operations of a plan and their wire encoding (see _nsexec/executor.c).

The operation numbers are read from _nsexec/ops.h, their one source, shared
with the C side; reading a small header costs less than importing cffi.
"""
import os
import sys

import _nsexec
from libcontainer import small_files


def _read_codes():
    path = os.path.join(os.path.dirname(os.path.abspath(_nsexec.__file__)), "ops.h")
    codes = {}
    for line in small_files.read_text(path).splitlines():
        name, sep, rest = line.strip().partition(" = ")
        if sep and name.startswith(("OP_", "MOUNT_HOW_", "ROOT_SWITCH_")):
            codes[name] = int(rest.split(",")[0])
    return codes


CODES = _read_codes()
NAMES = {code: name for name, code in CODES.items() if name.startswith("OP_")}


class Op:
    """One operation: its name (OP_*), the label its errors start with (the
    config field and what is done), and its arguments: int, str, bytes or
    a list of str."""
    __slots__ = ("name", "label", "args")

    def __init__(self, name, label, *args):
        self.name, self.label, self.args = name, label, args

    def __repr__(self):
        return f"Op({self.name}, {self.label!r}, {', '.join(map(repr, self.args))})"

    def __eq__(self, other):
        return isinstance(other, Op) and (self.name, self.label, self.args) == (
            other.name, other.label, other.args)


def _arg(value):
    if isinstance(value, bool) or isinstance(value, int):
        return int(value).to_bytes(8, sys.byteorder, signed=value < 0)
    if isinstance(value, str):
        return value.encode()
    if isinstance(value, (list, tuple)):
        return b"".join(item.encode() + b"\0" for item in value)
    return bytes(value)


def encode(ops):
    """The plan frame's payload: each op as u16 code, u16 nargs, the label
    and the args, each with a u32 length."""
    out = []
    order = sys.byteorder
    for op in ops:
        label = op.label.encode()
        out.append(CODES[op.name].to_bytes(2, order) + len(op.args).to_bytes(2, order)
                   + len(label).to_bytes(4, order) + label)
        for value in op.args:
            raw = _arg(value)
            out.append(len(raw).to_bytes(4, order) + raw)
    return b"".join(out)
