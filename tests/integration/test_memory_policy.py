"""linux.memoryPolicy seen from inside: /proc/self/numa_maps names each
mapping's policy ("bind=static:0"), in the container's process and in a
process exec'd into it. runc 1.1.5 predates the field (it ignores it), so
there is nothing of runc's to compare here; the checks follow runc HEAD's
(tests/integration/memorypolicy.bats)."""
from conftest import assert_nothing_left, assert_one_line_error

# The policy of the process's first mapping (its executable): the task's own.
FIRST_POLICY = ["sh", "-c", "head -n 1 /proc/self/numa_maps | cut -d ' ' -f 2"]


def offline_node():
    """A node number this host does not have online (the kernel refuses it)."""
    with open("/sys/devices/system/node/online") as f:
        last = f.read().strip().replace("-", ",").split(",")[-1]
    return str(int(last) + 1)


def run_policy(runtime, make_bundle, policy, args=FIRST_POLICY):
    b = make_bundle(args, linux={"memoryPolicy": policy} if policy else {})
    return b, runtime("run", "--bundle", b.path, b.id)


def test_without_a_policy_the_default(runtime, make_bundle):
    _, (rc, out, err) = run_policy(runtime, make_bundle, None)
    assert (rc, out) == (0, "default\n"), err


def test_bind_static_and_interleave_in_the_container(runtime, make_bundle):
    _, (rc, out, err) = run_policy(runtime, make_bundle, {
        "mode": "MPOL_BIND", "nodes": "0", "flags": ["MPOL_F_STATIC_NODES"]})
    assert (rc, out) == (0, "bind=static:0\n"), err
    _, (rc, out, err) = run_policy(runtime, make_bundle, {"mode": "MPOL_INTERLEAVE", "nodes": "0"})
    assert (rc, out) == (0, "interleave:0\n"), err


def test_exec_gets_the_containers_policy(runtime, make_bundle):
    b = make_bundle(["sleep", "60"], linux={"memoryPolicy": {
        "mode": "MPOL_PREFERRED", "nodes": "0", "flags": ["MPOL_F_RELATIVE_NODES"]}})
    runtime.ok("run", "-d", "--bundle", b.path, b.id)
    assert runtime.ok("exec", b.id, *FIRST_POLICY) == "prefer=relative:0\n"


def test_a_node_the_host_lacks_fails_create_naming_the_field(runtime, make_bundle):
    b, (rc, out, err) = run_policy(runtime, make_bundle,
                                   {"mode": "MPOL_BIND", "nodes": offline_node()})
    assert_one_line_error(rc, out, err, "linux.memoryPolicy: MPOL_BIND nodes", "Invalid argument")
    assert_nothing_left(runtime, b.id)


def test_bad_mode_and_nodes_are_config_errors(runtime, make_bundle):
    for policy, field in (({"mode": "INTERLEAVE", "nodes": "0"}, "linux.memoryPolicy.mode"),
                          ({"mode": "MPOL_DEFAULT", "nodes": "0-7"}, "linux.memoryPolicy.nodes"),
                          ({"mode": "MPOL_BIND", "nodes": "0-9876543210"},
                           "linux.memoryPolicy.nodes")):
        b, (rc, out, err) = run_policy(runtime, make_bundle, policy)
        assert_one_line_error(rc, out, err, field)
        assert_nothing_left(runtime, b.id)
