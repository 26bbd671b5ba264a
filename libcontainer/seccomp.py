"""OCI linux.seccomp as a BPF program (config-linux.md "Seccomp").

The parent checks the profile, resolves syscall names and compiles it with
libseccomp (Filter.from_spec, Filter.bpf); pyrunc-init only hands the
program to seccomp(2), as late as it can: just before execve with
noNewPrivileges, else before the user change, while CAP_SYS_ADMIN is still
there (what the kernel needs to install a filter without no_new_privs).
"""
from libcontainer import errors

ACTIONS = {
    "SCMP_ACT_KILL": 0x00000000, "SCMP_ACT_KILL_THREAD": 0x00000000,
    "SCMP_ACT_KILL_PROCESS": 0x80000000, "SCMP_ACT_TRAP": 0x00030000,
    "SCMP_ACT_ERRNO": 0x00050000, "SCMP_ACT_TRACE": 0x7FF00000,
    "SCMP_ACT_LOG": 0x7FFC0000, "SCMP_ACT_ALLOW": 0x7FFF0000,
    "SCMP_ACT_NOTIFY": 0x7FC00000,
}
_TAKES_RET = ("SCMP_ACT_ERRNO", "SCMP_ACT_TRACE")
OPERATORS = {"SCMP_CMP_NE": 1, "SCMP_CMP_LT": 2, "SCMP_CMP_LE": 3, "SCMP_CMP_EQ": 4,
             "SCMP_CMP_GE": 5, "SCMP_CMP_GT": 6, "SCMP_CMP_MASKED_EQ": 7}
# seccomp(2) SECCOMP_SET_MODE_FILTER flags
FLAGS = {"SECCOMP_FILTER_FLAG_TSYNC": 1, "SECCOMP_FILTER_FLAG_LOG": 2,
         "SECCOMP_FILTER_FLAG_SPEC_ALLOW": 4}
NEW_LISTENER = 8  # seccomp(2) returns a notification fd: it goes to linux.seccomp.listenerPath
EPERM = 1


def action_code(name, errno_ret, field):
    if name not in ACTIONS:
        raise errors.PyruncError(f"{field}: unknown action {name!r}")
    if name in _TAKES_RET:
        return ACTIONS[name] | ((EPERM if errno_ret is None else errno_ret) & 0xFFFF)
    return ACTIONS[name]


class Filter:
    def __init__(self, default, arches, flags, rules):
        self.default, self.arches, self.flags, self.rules = default, arches, flags, rules

    @classmethod
    def from_spec(cls, seccomp, sys=None):
        """None without a profile; else the checked, resolved filter."""
        if not seccomp:
            return None
        sys = _provider(sys)
        field = "linux.seccomp"
        _guard(f"{field}", sys.seccomp_open)
        if seccomp.get("defaultAction") == "SCMP_ACT_NOTIFY":
            raise errors.PyruncError(f"{field}.defaultAction: SCMP_ACT_NOTIFY would stop every "
                                     "syscall, the listener's own included")
        default = action_code(seccomp.get("defaultAction"), seccomp.get("defaultErrnoRet"),
                              f"{field}.defaultAction")
        arches = [a[len("SCMP_ARCH_"):].lower() for a in seccomp.get("architectures", [])]
        flags = 0
        for flag in seccomp.get("flags", []):
            if flag not in FLAGS:
                raise errors.PyruncError(f"{field}.flags: unknown flag {flag!r}")
            flags |= FLAGS[flag]
        rules = [rule for index, entry in enumerate(seccomp.get("syscalls", []))
                 for rule in _rules(entry, f"{field}.syscalls[{index}]", default, sys)]
        notifies = any(action == ACTIONS["SCMP_ACT_NOTIFY"] for _, action, _, _ in rules)
        if notifies and not seccomp.get("listenerPath"):
            raise errors.PyruncError(f"{field}.listenerPath: required by SCMP_ACT_NOTIFY rules")
        if notifies:
            flags |= NEW_LISTENER
        return cls(default, arches, flags, rules)

    def bpf(self, sys=None):
        """(the program as struct sock_filter[] bytes, seccomp(2) flags)."""
        sys = _provider(sys)
        ctx = sys.seccomp_new(self.default)
        try:
            for arch in self.arches:
                _guard("linux.seccomp.architectures", sys.seccomp_arch_add, ctx, arch)
            for field, action, number, args in self.rules:
                _guard(field, sys.seccomp_rule, ctx, action, number, args)
            return _guard("linux.seccomp", sys.seccomp_export, ctx), self.flags
        finally:
            sys.seccomp_release(ctx)


def _rules(entry, field, default, sys):
    """(field, action, syscall number, comparisons) for each known name."""
    action = action_code(entry.get("action"), entry.get("errnoRet"), f"{field}.action")
    if action == default:
        return []  # libseccomp refuses a rule that changes nothing
    args = []
    for index, arg in enumerate(entry.get("args") or []):
        op = arg.get("op")
        if op not in OPERATORS:
            raise errors.PyruncError(f"{field}.args[{index}].op: unknown operator {op!r}")
        args.append((arg["index"], OPERATORS[op], arg.get("value", 0), arg.get("valueTwo", 0)))
    # A name neither libseccomp nor this kernel knows is skipped, as runc does:
    # profiles list syscalls of every architecture and kernel version.
    numbers = [(name, sys.seccomp_syscall(name)) for name in entry.get("names", [])]
    # -1 is libseccomp's "unknown"; other negative numbers are its pseudo-syscalls
    # (socketcall, ipc, ... on the profile's other architectures) and are kept.
    return [(f"{field} {name}", action, number, args) for name, number in numbers if number != -1]


def _guard(field, call, *args):
    try:
        return call(*args)
    except OSError as exc:
        raise errors.PyruncError(f"{field}: {exc.filename or 'seccomp'}: {exc.strerror}") from None


def _provider(sys):
    if sys is None:
        from libcontainer import syscalls as sys
    return sys
