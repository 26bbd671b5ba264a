"""linux.seccomp installed for real: what the filter denies fails inside the
container, for its init's program and for exec'd processes alike."""
import errno

import pytest

DENY_MKDIR = {
    "defaultAction": "SCMP_ACT_ALLOW",
    "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_AARCH64"],
    "syscalls": [
        {"names": ["mkdir", "mkdirat", "no_such_syscall"], "action": "SCMP_ACT_ERRNO",
         "errnoRet": errno.EACCES},
        # an argument comparison: only personality(0xffffffff) is refused
        {"names": ["personality"], "action": "SCMP_ACT_ERRNO",
         "args": [{"index": 0, "value": 4294967295, "op": "SCMP_CMP_EQ"}]},
    ],
}
SCRIPT = ("grep '^Seccomp:' /proc/self/status; mkdir /tmp/d 2>/dev/null || echo mkdir-denied; "
          "touch /tmp/f && echo touch-ok")


@pytest.mark.parametrize("no_new_privileges", [True, False])
def test_filter_applies_to_the_process(runtime, make_bundle, no_new_privileges):
    """Installed last with no_new_privs; without, before the user change."""
    b = make_bundle(["sh", "-c", SCRIPT], root={"readonly": False},
                    process={"noNewPrivileges": no_new_privileges, "user": {"uid": 1000,
                                                                             "gid": 1000}},
                    extra_mounts=[{"destination": "/tmp", "type": "tmpfs",
                                                "source": "tmpfs",
                                                "options": ["mode=1777"]}],
                    linux={"seccomp": DENY_MKDIR})
    rc, out, err = runtime("run", "--bundle", b.path, b.id)
    assert rc == 0, err
    assert out.split("\n")[:3] == ["Seccomp:\t2", "mkdir-denied", "touch-ok"]
    assert "warning" not in err


def test_exec_gets_the_containers_filter(runtime, make_bundle):
    b = make_bundle(["sleep", "30"], linux={"seccomp": DENY_MKDIR},
                    extra_mounts=[{"destination": "/tmp", "type": "tmpfs", "source": "tmpfs"}])
    runtime.ok("run", "-d", "--bundle", b.path, b.id)
    rc, out, err = runtime("exec", b.id, "sh", "-c", SCRIPT)
    assert rc == 0, err
    assert out.split("\n")[:3] == ["Seccomp:\t2", "mkdir-denied", "touch-ok"]
