"""linux.memoryPolicy without a kernel: the node list, the checks that name
the field, and the set_mempolicy op in the plans of create and exec."""
import pytest

from libcontainer import mempolicy
from libcontainer.config import validate
from libcontainer.config.defaults import default_spec
from libcontainer.plan import CreateContext, compile_create, compile_exec


def test_node_lists():
    assert mempolicy.parse_nodes("") == []
    assert mempolicy.parse_nodes(" ") == []
    assert mempolicy.parse_nodes("0") == [0]
    assert mempolicy.parse_nodes("0-3,7") == [0, 1, 2, 3, 7]
    assert mempolicy.parse_nodes("7, 2-3,3") == [2, 3, 7]
    assert mempolicy.parse_nodes("1023") == [1023]


@pytest.mark.parametrize("text, says", [
    ("x", "is not a list of nodes"), ("1,", "is not a list of nodes"),
    ("-1", "is not a list of nodes"), ("1-", "is not a list of nodes"),
    ("3-1", "runs backwards"), ("0-9876543210", "out of range 0..1023"), ("1024", "out of range"),
])
def test_bad_node_lists(text, says):
    with pytest.raises(ValueError, match=says):
        mempolicy.parse_nodes(text)


def with_policy(policy):
    spec = default_spec()
    spec["linux"]["memoryPolicy"] = policy
    return spec


@pytest.mark.parametrize("policy, problem", [
    ({"mode": "MPOL_DEFAULT", "nodes": "0-7"}, "linux.memoryPolicy.nodes: MPOL_DEFAULT takes no nodes"),
    ({"mode": "MPOL_LOCAL", "nodes": "0"}, "linux.memoryPolicy.nodes: MPOL_LOCAL takes no nodes"),
    ({"mode": "MPOL_BIND"}, "linux.memoryPolicy.nodes: MPOL_BIND needs at least one node"),
    ({"mode": "MPOL_INTERLEAVE", "nodes": ""},
     "linux.memoryPolicy.nodes: MPOL_INTERLEAVE needs at least one node"),
    ({"mode": "MPOL_BIND", "nodes": "0-x"},
     "linux.memoryPolicy.nodes: '0-x' is not a list of nodes like 0-3,7"),
    ({"mode": "MPOL_BIND", "nodes": "0", "flags": ["MPOL_F_STATIC_NODES", "MPOL_F_RELATIVE_NODES"]},
     "linux.memoryPolicy.flags: MPOL_F_STATIC_NODES and MPOL_F_RELATIVE_NODES exclude each other"),
])
def test_semantic_problems_name_the_field(policy, problem):
    assert [str(p) for p in validate.semantic_problems(with_policy(policy))] == [problem]


@pytest.mark.parametrize("policy", [
    {"mode": "MPOL_DEFAULT"}, {"mode": "MPOL_LOCAL", "nodes": ""}, {"mode": "MPOL_PREFERRED"},
    {"mode": "MPOL_PREFERRED", "nodes": "1"}, {"mode": "MPOL_WEIGHTED_INTERLEAVE", "nodes": "0-1"},
])
def test_good_policies(policy):
    assert validate.semantic_problems(with_policy(policy)) == []


@pytest.mark.parametrize("policy, where", [
    ({"mode": "INTERLEAVE", "nodes": "0"}, "linux.memoryPolicy.mode"),
    ({"nodes": "0"}, "linux.memoryPolicy.mode"),
    ({"mode": "MPOL_BIND", "nodes": "0", "flags": ["badflag"]}, "linux.memoryPolicy.flags[0]"),
    ({"mode": "MPOL_BIND", "nodes": 0}, "linux.memoryPolicy.nodes"),
])
def test_schema_names_the_field(policy, where):
    assert [p.path for p in validate.schema_problems(with_policy(policy))] == [where]


def plan_spec(policy):
    spec = with_policy(policy)
    spec["process"]["terminal"] = False
    spec["mounts"] = [m for m in spec["mounts"] if m["type"] != "cgroup"]
    return spec


def create_ops(spec):
    return compile_create(spec, CreateContext("/b", "/b/rootfs", "/run/x/exec.fifo", {},
                                              last_cap=40))


def test_the_op_carries_mode_flags_and_a_node_bitmap():
    ops = create_ops(plan_spec({"mode": "MPOL_BIND", "nodes": "0-2,9",
                                "flags": ["MPOL_F_STATIC_NODES"]}))
    (op,) = [op for op in ops if op.name == "OP_MEMORY_POLICY"]
    assert op.args == (2 | 1 << 15, bytes([0b111, 0b10]))
    assert op.label == "linux.memoryPolicy: MPOL_BIND nodes 0-2,9"
    (no_nodes,) = [op for op in create_ops(plan_spec({"mode": "MPOL_LOCAL"}))
                   if op.name == "OP_MEMORY_POLICY"]
    assert no_nodes.args == (4, b"")


def test_set_in_the_init_before_ready_and_in_exec():
    policy = {"mode": "MPOL_INTERLEAVE", "nodes": "0"}
    ops = [op.name for op in create_ops(plan_spec(policy))]
    # After the user change (it needs no privilege), before create reports ready.
    assert ops.index("OP_SETUID") < ops.index("OP_MEMORY_POLICY") < ops.index("OP_READY")
    spec = plan_spec(policy)
    exec_ops = [op.name for op in compile_exec(spec["linux"], 42, spec["process"], last_cap=40)]
    assert exec_ops.index("OP_FORK") < exec_ops.index("OP_MEMORY_POLICY") < exec_ops.index("OP_READY")


def test_no_policy_no_op():
    spec = plan_spec(None)
    del spec["linux"]["memoryPolicy"]
    assert "OP_MEMORY_POLICY" not in [op.name for op in create_ops(spec)]
