"""linux.memoryPolicy (config-linux.md "Memory policy"): the names of
set_mempolicy(2)'s modes and flags with their values (linux/mempolicy.h),
and the node list, one table for the validator and the plan."""

MODES = {"MPOL_DEFAULT": 0, "MPOL_PREFERRED": 1, "MPOL_BIND": 2, "MPOL_INTERLEAVE": 3,
         "MPOL_LOCAL": 4, "MPOL_PREFERRED_MANY": 5, "MPOL_WEIGHTED_INTERLEAVE": 6}
FLAGS = {"MPOL_F_NUMA_BALANCING": 1 << 13, "MPOL_F_RELATIVE_NODES": 1 << 14,
         "MPOL_F_STATIC_NODES": 1 << 15}
# What each mode makes of the nodes (set_mempolicy(2)): none allowed, at
# least one needed; MPOL_PREFERRED takes either (none: allocate locally).
NO_NODES = ("MPOL_DEFAULT", "MPOL_LOCAL")
NEEDS_NODES = ("MPOL_BIND", "MPOL_INTERLEAVE", "MPOL_PREFERRED_MANY", "MPOL_WEIGHTED_INTERLEAVE")
# The kernel's largest MAX_NUMNODES (CONFIG_NODES_SHIFT 10): a bigger
# number can never name a node.
MAX_NODES = 1024


def parse_nodes(text):
    """"0-3,7" -> [0, 1, 2, 3, 7]; "" -> []. ValueError says what is wrong."""
    if not text.strip():
        return []
    nodes = set()
    for part in text.split(","):
        part = part.strip()
        first, dash, last = part.partition("-")
        if not (first.isdigit() and (last.isdigit() or not dash)):
            raise ValueError(f"{text!r} is not a list of nodes like 0-3,7")
        low, high = int(first), int(last or first)
        if high < low:
            raise ValueError(f"{part!r}: the range runs backwards")
        if high >= MAX_NODES:
            raise ValueError(f"node {high} is out of range 0..{MAX_NODES - 1}")
        nodes.update(range(low, high + 1))
    return sorted(nodes)


def problems(policy):
    """(field, message) for each way a schema-valid memoryPolicy object is
    wrong: the node list's syntax, nodes versus the mode, exclusive flags."""
    mode = policy.get("mode")
    try:
        nodes = parse_nodes(policy.get("nodes") or "")
    except ValueError as exc:
        return [("linux.memoryPolicy.nodes", str(exc))]
    found = []
    if mode in NO_NODES and nodes:
        found.append(("linux.memoryPolicy.nodes", f"{mode} takes no nodes"))
    if mode in NEEDS_NODES and not nodes:
        found.append(("linux.memoryPolicy.nodes", f"{mode} needs at least one node"))
    flags = policy.get("flags") or []
    if "MPOL_F_STATIC_NODES" in flags and "MPOL_F_RELATIVE_NODES" in flags:
        found.append(("linux.memoryPolicy.flags",
                      "MPOL_F_STATIC_NODES and MPOL_F_RELATIVE_NODES exclude each other"))
    return found
