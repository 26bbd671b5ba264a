"""Plan operations for per-process attributes: time namespace offsets,
personality, CPU affinity, scheduler, I/O priority, NUMA memory policy
(config-linux.md, config.md)."""
from libcontainer import errors, mempolicy
from libcontainer.plan.ops import Op

PERSONALITIES = {"LINUX": 0x0000, "LINUX32": 0x0008}
POLICIES = {"SCHED_OTHER": 0, "SCHED_FIFO": 1, "SCHED_RR": 2, "SCHED_BATCH": 3,
            "SCHED_ISO": 4, "SCHED_IDLE": 5, "SCHED_DEADLINE": 6}
SCHED_FLAGS = {"SCHED_FLAG_RESET_ON_FORK": 0x01, "SCHED_FLAG_RECLAIM": 0x02,
               "SCHED_FLAG_DL_OVERRUN": 0x04, "SCHED_FLAG_KEEP_POLICY": 0x08,
               "SCHED_FLAG_KEEP_PARAMS": 0x10, "SCHED_FLAG_UTIL_CLAMP_MIN": 0x20,
               "SCHED_FLAG_UTIL_CLAMP_MAX": 0x40}
IO_CLASSES = {"IOPRIO_CLASS_RT": 1, "IOPRIO_CLASS_BE": 2, "IOPRIO_CLASS_IDLE": 3}


def time_offsets_ops(linux, new_time_namespace):
    offsets = linux.get("timeOffsets")
    if not offsets:
        return []
    if not new_time_namespace:
        raise errors.ConfigError("linux.timeOffsets: needs a new time namespace in linux.namespaces")
    text = "".join(f"{clock} {value.get('secs', 0)} {value.get('nanosecs', 0)}\n"
                   for clock, value in offsets.items())
    return [Op("OP_TIME_OFFSETS", "linux.timeOffsets", text)]


def personality_ops(linux):
    persona = linux.get("personality")
    if not persona:
        return []
    domain = persona.get("domain")
    if domain not in PERSONALITIES:
        raise errors.ConfigError(f"linux.personality.domain: unknown domain {domain!r}")
    return [Op("OP_PERSONALITY", f"linux.personality: {domain}", PERSONALITIES[domain])]


def cpu_mask(text, field):
    """"0-3,7" -> the bytes of a cpu_set_t prefix (cpu 0 is bit 0 of byte 0)."""
    mask = 0
    for part in text.split(","):
        first, _, last = part.strip().partition("-")
        try:
            low, high = int(first), int(last or first)
        except ValueError:
            raise errors.ConfigError(f"{field}: {text!r} is not a list of cpus") from None
        if low < 0 or high < low or high >= 8192:
            raise errors.ConfigError(f"{field}: {text!r} is not a list of cpus")
        for cpu in range(low, high + 1):
            mask |= 1 << cpu
    return mask.to_bytes((mask.bit_length() + 7) // 8 or 1, "little")


def affinity_op(proc, which):
    """execCPUAffinity.initial/final; with no final, every cpu: the process
    must not inherit the caller's pinning."""
    text = (proc.get("execCPUAffinity") or {}).get(which)
    field = f"process.execCPUAffinity.{which}"
    if text:
        return [Op("OP_CPU_AFFINITY", field, cpu_mask(text, field))]
    return [Op("OP_CPU_AFFINITY", "resetting the cpu affinity", b"")] if which == "final" else []


def scheduler_ops(proc):
    sched = proc.get("scheduler")
    ops = []
    if sched:
        policy = sched.get("policy")
        if policy not in POLICIES:
            raise errors.ConfigError(f"process.scheduler.policy: unknown policy {policy!r}")
        flags = 0
        for flag in sched.get("flags") or []:
            if flag not in SCHED_FLAGS:
                raise errors.ConfigError(f"process.scheduler.flags: unknown flag {flag!r}")
            flags |= SCHED_FLAGS[flag]
        ops.append(Op("OP_SCHEDULER", f"process.scheduler: {policy}", POLICIES[policy],
                      sched.get("nice", 0), sched.get("priority", 0), flags,
                      sched.get("runtime", 0), sched.get("deadline", 0), sched.get("period", 0)))
    io = proc.get("ioPriority")
    if io:
        if io.get("class") not in IO_CLASSES:
            raise errors.ConfigError(f"process.ioPriority.class: unknown class {io.get('class')!r}")
        ops.append(Op("OP_IOPRIO", f"process.ioPriority: {io['class']}",
                      IO_CLASSES[io["class"]], io.get("priority", 0)))
    return ops


def memory_policy_ops(linux):
    """linux.memoryPolicy: set_mempolicy(2) for the process (validated
    already, see mempolicy.problems). The node mask goes as bytes, node 0
    the lowest bit of the first (the C side makes the kernel's longs)."""
    policy = linux.get("memoryPolicy")
    if not policy:
        return []
    mode = policy["mode"]
    flags = 0
    for flag in policy.get("flags") or []:
        flags |= mempolicy.FLAGS[flag]
    nodes = mempolicy.parse_nodes(policy.get("nodes") or "")
    mask = sum(1 << node for node in nodes)
    label = f"linux.memoryPolicy: {mode} nodes {policy.get('nodes') or 'none'}"
    return [Op("OP_MEMORY_POLICY", label, mempolicy.MODES[mode] | flags,
               mask.to_bytes((mask.bit_length() + 7) // 8, "little"))]
