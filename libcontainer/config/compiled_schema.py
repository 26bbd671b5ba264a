"""GENERATED from schemas/config-schema.json by libcontainer/config/schema_codegen.py:
do not edit. Regenerate with `python -m libcontainer.config.schema_codegen`
(tests/unit/test_compiled_schema.py fails while this file is stale).

problems(spec) -> [(where, message)], where None is the top level and
(where, key) a step down, formatted only when there is a problem.
"""
from libcontainer.config.dfa import search as _search


def problems(spec):
    out = []
    _s1(spec, None, out)
    return out


_C1 = ((
    (False, (('1', 1),), ()),
    (False, (('.', 2),), ()),
    (False, (('0123456789', 3),), ()),
    (False, (('.', 4), ('0123456789', 5)), ()),
    (False, (('0123456789', 6),), ()),
    (False, (('.', 4), ('0123456789', 5)), ()),
    (True, (('+', 7), ('-', 8), ('0123456789', 9)), ()),
    (False, (('-.0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz', 10),), ()),
    (False, (('-.0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz', 11),), ()),
    (True, (('+', 7), ('-', 8), ('0123456789', 9)), ()),
    (True, (('-.0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz', 12),), ()),
    (True, (('+', 7), ('-.0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz', 13)), ()),
    (True, (('-.0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz', 12),), ()),
    (True, (('+', 7), ('-.0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz', 13)), ()),
), True)


def _s2(v, at, out):  # (top level).ociVersion
    if not (isinstance(v, str)):
        out.append((at, 'must be a string'))
    if isinstance(v, str) and not _search(_C1, v):
        out.append((at, '{value!r} is not a runtime-spec 1.x version (SemVer, like 1.2.0)'.format(value=v)))


def _s3(v, at, out):  # #/$defs/Root.path
    if not (isinstance(v, str)):
        out.append((at, 'must be a string'))


def _s4(v, at, out):  # #/$defs/Root.readonly
    if not (isinstance(v, bool)):
        out.append((at, 'must be a boolean'))


def _def_Root(v, at, out):  # #/$defs/Root
    if not (isinstance(v, dict)):
        out.append((at, 'must be an object'))
    if isinstance(v, dict):
        if 'path' not in v:
            out.append(((at, 'path'), 'is required'))
        if 'path' in v:
            _s3(v['path'], (at, 'path'), out)
        if 'readonly' in v:
            _s4(v['readonly'], (at, 'readonly'), out)


def _def_Strings(v, at, out):  # #/$defs/Strings
    if not (isinstance(v, list)):
        out.append((at, 'must be an array'))
    if isinstance(v, list):
        for index, item in enumerate(v):
            _s3(item, (at, index), out)


def _def_uint32(v, at, out):  # #/$defs/uint32
    if not (((isinstance(v, int) and not isinstance(v, bool)) or (isinstance(v, float) and v.is_integer()))):
        out.append((at, 'must be an integer'))
    if (isinstance(v, (int, float)) and not isinstance(v, bool)) and v < 0:
        out.append((at, 'must be >= 0'))
    if (isinstance(v, (int, float)) and not isinstance(v, bool)) and v > 4294967295:
        out.append((at, 'must be <= 4294967295'))


def _def_IDMapping(v, at, out):  # #/$defs/IDMapping
    if not (isinstance(v, dict)):
        out.append((at, 'must be an object'))
    if isinstance(v, dict):
        if 'containerID' not in v:
            out.append(((at, 'containerID'), 'is required'))
        if 'hostID' not in v:
            out.append(((at, 'hostID'), 'is required'))
        if 'size' not in v:
            out.append(((at, 'size'), 'is required'))
        if 'containerID' in v:
            _def_uint32(v['containerID'], (at, 'containerID'), out)
        if 'hostID' in v:
            _def_uint32(v['hostID'], (at, 'hostID'), out)
        if 'size' in v:
            _def_uint32(v['size'], (at, 'size'), out)


def _def_IDMappings(v, at, out):  # #/$defs/IDMappings
    if not (isinstance(v, list)):
        out.append((at, 'must be an array'))
    if isinstance(v, list):
        for index, item in enumerate(v):
            _def_IDMapping(item, (at, index), out)


def _def_Mount(v, at, out):  # #/$defs/Mount
    if not (isinstance(v, dict)):
        out.append((at, 'must be an object'))
    if isinstance(v, dict):
        if 'destination' not in v:
            out.append(((at, 'destination'), 'is required'))
        if 'destination' in v:
            _s3(v['destination'], (at, 'destination'), out)
        if 'source' in v:
            _s3(v['source'], (at, 'source'), out)
        if 'type' in v:
            _s3(v['type'], (at, 'type'), out)
        if 'options' in v:
            _def_Strings(v['options'], (at, 'options'), out)
        if 'uidMappings' in v:
            _def_IDMappings(v['uidMappings'], (at, 'uidMappings'), out)
        if 'gidMappings' in v:
            _def_IDMappings(v['gidMappings'], (at, 'gidMappings'), out)


def _s5(v, at, out):  # (top level).mounts
    if not (isinstance(v, list)):
        out.append((at, 'must be an array'))
    if isinstance(v, list):
        for index, item in enumerate(v):
            _def_Mount(item, (at, index), out)


def _def_uint64(v, at, out):  # #/$defs/uint64
    if not (((isinstance(v, int) and not isinstance(v, bool)) or (isinstance(v, float) and v.is_integer()))):
        out.append((at, 'must be an integer'))
    if (isinstance(v, (int, float)) and not isinstance(v, bool)) and v < 0:
        out.append((at, 'must be >= 0'))
    if (isinstance(v, (int, float)) and not isinstance(v, bool)) and v > 18446744073709551615:
        out.append((at, 'must be <= 18446744073709551615'))


def _s6(v, at, out):  # #/$defs/Process.consoleSize
    if not (isinstance(v, dict)):
        out.append((at, 'must be an object'))
    if isinstance(v, dict):
        if 'height' not in v:
            out.append(((at, 'height'), 'is required'))
        if 'width' not in v:
            out.append(((at, 'width'), 'is required'))
        if 'height' in v:
            _def_uint64(v['height'], (at, 'height'), out)
        if 'width' in v:
            _def_uint64(v['width'], (at, 'width'), out)


def _s7(v, at, out):  # #/$defs/User.additionalGids
    if not (isinstance(v, list)):
        out.append((at, 'must be an array'))
    if isinstance(v, list):
        for index, item in enumerate(v):
            _def_uint32(item, (at, index), out)


def _def_User(v, at, out):  # #/$defs/User
    if not (isinstance(v, dict)):
        out.append((at, 'must be an object'))
    if isinstance(v, dict):
        if 'uid' not in v:
            out.append(((at, 'uid'), 'is required'))
        if 'uid' in v:
            _def_uint32(v['uid'], (at, 'uid'), out)
        if 'gid' in v:
            _def_uint32(v['gid'], (at, 'gid'), out)
        if 'umask' in v:
            _def_uint32(v['umask'], (at, 'umask'), out)
        if 'additionalGids' in v:
            _s7(v['additionalGids'], (at, 'additionalGids'), out)
        if 'username' in v:
            _s3(v['username'], (at, 'username'), out)


def _s8(v, at, out):  # #/$defs/Process.args
    if not (isinstance(v, list)):
        out.append((at, 'must be an array'))
    if isinstance(v, list) and len(v) < 1:
        out.append((at, 'must not be empty'))
    if isinstance(v, list):
        for index, item in enumerate(v):
            _s3(item, (at, index), out)

_C2 = ((
    (False, (('C', 1),), ()),
    (False, (('A', 2),), ()),
    (False, (('P', 3),), ()),
    (False, (('_', 4),), ()),
    (False, (('0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_', 5),), ()),
    (True, (('0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_', 6),), ()),
    (True, (('0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_', 6),), ()),
), True)


def _s9(v, at, out):  # #/$defs/CapabilityList[]
    if not (isinstance(v, str)):
        out.append((at, 'must be a string'))
    if isinstance(v, str) and not _search(_C2, v):
        out.append((at, "unknown capability '{value}'".format(value=v)))


def _def_CapabilityList(v, at, out):  # #/$defs/CapabilityList
    if not (isinstance(v, list)):
        out.append((at, 'must be an array'))
    if isinstance(v, list):
        for index, item in enumerate(v):
            _s9(item, (at, index), out)


def _def_Capabilities(v, at, out):  # #/$defs/Capabilities
    if not (isinstance(v, dict)):
        out.append((at, 'must be an object'))
    if isinstance(v, dict):
        if 'bounding' in v:
            _def_CapabilityList(v['bounding'], (at, 'bounding'), out)
        if 'effective' in v:
            _def_CapabilityList(v['effective'], (at, 'effective'), out)
        if 'inheritable' in v:
            _def_CapabilityList(v['inheritable'], (at, 'inheritable'), out)
        if 'permitted' in v:
            _def_CapabilityList(v['permitted'], (at, 'permitted'), out)
        if 'ambient' in v:
            _def_CapabilityList(v['ambient'], (at, 'ambient'), out)

_C3 = ((
    (False, (('R', 1),), ()),
    (False, (('L', 2),), ()),
    (False, (('I', 3),), ()),
    (False, (('M', 4),), ()),
    (False, (('I', 5),), ()),
    (False, (('T', 6),), ()),
    (False, (('_', 7),), ()),
    (False, (('ABCDEFGHIJKLMNOPQRSTUVWXYZ', 8),), ()),
    (True, (('ABCDEFGHIJKLMNOPQRSTUVWXYZ', 9),), ()),
    (True, (('ABCDEFGHIJKLMNOPQRSTUVWXYZ', 9),), ()),
), True)


def _s11(v, at, out):  # #/$defs/Rlimit.type
    if not (isinstance(v, str)):
        out.append((at, 'must be a string'))
    if isinstance(v, str) and not _search(_C3, v):
        out.append((at, "unknown rlimit '{value}'".format(value=v)))


def _def_Rlimit(v, at, out):  # #/$defs/Rlimit
    if not (isinstance(v, dict)):
        out.append((at, 'must be an object'))
    if isinstance(v, dict):
        if 'type' not in v:
            out.append(((at, 'type'), 'is required'))
        if 'soft' not in v:
            out.append(((at, 'soft'), 'is required'))
        if 'hard' not in v:
            out.append(((at, 'hard'), 'is required'))
        if 'type' in v:
            _s11(v['type'], (at, 'type'), out)
        if 'soft' in v:
            _def_uint64(v['soft'], (at, 'soft'), out)
        if 'hard' in v:
            _def_uint64(v['hard'], (at, 'hard'), out)


def _s10(v, at, out):  # #/$defs/Process.rlimits
    if not (isinstance(v, list)):
        out.append((at, 'must be an array'))
    if isinstance(v, list):
        for index, item in enumerate(v):
            _def_Rlimit(item, (at, index), out)


def _s12(v, at, out):  # #/$defs/Process.oomScoreAdj
    if not (((isinstance(v, int) and not isinstance(v, bool)) or (isinstance(v, float) and v.is_integer()))):
        out.append((at, 'must be an integer'))

_C4 = frozenset(('IOPRIO_CLASS_BE', 'IOPRIO_CLASS_IDLE', 'IOPRIO_CLASS_RT'))


def _s13(v, at, out):  # #/$defs/IOPriority.class
    if not (isinstance(v, str) and v in _C4):
        out.append((at, 'must be one of: IOPRIO_CLASS_RT, IOPRIO_CLASS_BE, IOPRIO_CLASS_IDLE'))


def _def_IOPriority(v, at, out):  # #/$defs/IOPriority
    if not (isinstance(v, dict)):
        out.append((at, 'must be an object'))
    if isinstance(v, dict):
        if 'class' not in v:
            out.append(((at, 'class'), 'is required'))
        if 'class' in v:
            _s13(v['class'], (at, 'class'), out)
        if 'priority' in v:
            _s12(v['priority'], (at, 'priority'), out)

_C5 = frozenset(('SCHED_BATCH',
 'SCHED_DEADLINE',
 'SCHED_FIFO',
 'SCHED_IDLE',
 'SCHED_ISO',
 'SCHED_OTHER',
 'SCHED_RR'))


def _s14(v, at, out):  # #/$defs/Scheduler.policy
    if not (isinstance(v, str) and v in _C5):
        out.append((at, 'must be one of: SCHED_OTHER, SCHED_FIFO, SCHED_RR, SCHED_BATCH, SCHED_ISO, SCHED_IDLE, SCHED_DEADLINE'))


def _def_int32(v, at, out):  # #/$defs/int32
    if not (((isinstance(v, int) and not isinstance(v, bool)) or (isinstance(v, float) and v.is_integer()))):
        out.append((at, 'must be an integer'))
    if (isinstance(v, (int, float)) and not isinstance(v, bool)) and v < -2147483648:
        out.append((at, 'must be >= -2147483648'))
    if (isinstance(v, (int, float)) and not isinstance(v, bool)) and v > 2147483647:
        out.append((at, 'must be <= 2147483647'))

_C6 = frozenset(('SCHED_FLAG_DL_OVERRUN',
 'SCHED_FLAG_KEEP_PARAMS',
 'SCHED_FLAG_KEEP_POLICY',
 'SCHED_FLAG_RECLAIM',
 'SCHED_FLAG_RESET_ON_FORK',
 'SCHED_FLAG_UTIL_CLAMP_MAX',
 'SCHED_FLAG_UTIL_CLAMP_MIN'))


def _s16(v, at, out):  # #/$defs/Scheduler.flags[]
    if not (isinstance(v, str) and v in _C6):
        out.append((at, 'must be one of: SCHED_FLAG_RESET_ON_FORK, SCHED_FLAG_RECLAIM, SCHED_FLAG_DL_OVERRUN, SCHED_FLAG_KEEP_POLICY, SCHED_FLAG_KEEP_PARAMS, SCHED_FLAG_UTIL_CLAMP_MIN, SCHED_FLAG_UTIL_CLAMP_MAX'))


def _s15(v, at, out):  # #/$defs/Scheduler.flags
    if not (isinstance(v, list)):
        out.append((at, 'must be an array'))
    if isinstance(v, list):
        for index, item in enumerate(v):
            _s16(item, (at, index), out)


def _def_Scheduler(v, at, out):  # #/$defs/Scheduler
    if not (isinstance(v, dict)):
        out.append((at, 'must be an object'))
    if isinstance(v, dict):
        if 'policy' not in v:
            out.append(((at, 'policy'), 'is required'))
        if 'policy' in v:
            _s14(v['policy'], (at, 'policy'), out)
        if 'nice' in v:
            _def_int32(v['nice'], (at, 'nice'), out)
        if 'priority' in v:
            _def_int32(v['priority'], (at, 'priority'), out)
        if 'flags' in v:
            _s15(v['flags'], (at, 'flags'), out)
        if 'runtime' in v:
            _def_uint64(v['runtime'], (at, 'runtime'), out)
        if 'deadline' in v:
            _def_uint64(v['deadline'], (at, 'deadline'), out)
        if 'period' in v:
            _def_uint64(v['period'], (at, 'period'), out)


def _s17(v, at, out):  # #/$defs/Process.execCPUAffinity
    if not (isinstance(v, dict)):
        out.append((at, 'must be an object'))
    if isinstance(v, dict):
        if 'initial' in v:
            _s3(v['initial'], (at, 'initial'), out)
        if 'final' in v:
            _s3(v['final'], (at, 'final'), out)


def _def_Process(v, at, out):  # #/$defs/Process
    if not (isinstance(v, dict)):
        out.append((at, 'must be an object'))
    if isinstance(v, dict):
        if 'cwd' not in v:
            out.append(((at, 'cwd'), 'is required'))
        if 'terminal' in v:
            _s4(v['terminal'], (at, 'terminal'), out)
        if 'consoleSize' in v:
            _s6(v['consoleSize'], (at, 'consoleSize'), out)
        if 'user' in v:
            _def_User(v['user'], (at, 'user'), out)
        if 'args' in v:
            _s8(v['args'], (at, 'args'), out)
        if 'commandLine' in v:
            _s3(v['commandLine'], (at, 'commandLine'), out)
        if 'env' in v:
            _def_Strings(v['env'], (at, 'env'), out)
        if 'cwd' in v:
            _s3(v['cwd'], (at, 'cwd'), out)
        if 'capabilities' in v:
            _def_Capabilities(v['capabilities'], (at, 'capabilities'), out)
        if 'rlimits' in v:
            _s10(v['rlimits'], (at, 'rlimits'), out)
        if 'noNewPrivileges' in v:
            _s4(v['noNewPrivileges'], (at, 'noNewPrivileges'), out)
        if 'apparmorProfile' in v:
            _s3(v['apparmorProfile'], (at, 'apparmorProfile'), out)
        if 'oomScoreAdj' in v:
            _s12(v['oomScoreAdj'], (at, 'oomScoreAdj'), out)
        if 'selinuxLabel' in v:
            _s3(v['selinuxLabel'], (at, 'selinuxLabel'), out)
        if 'ioPriority' in v:
            _def_IOPriority(v['ioPriority'], (at, 'ioPriority'), out)
        if 'scheduler' in v:
            _def_Scheduler(v['scheduler'], (at, 'scheduler'), out)
        if 'execCPUAffinity' in v:
            _s17(v['execCPUAffinity'], (at, 'execCPUAffinity'), out)

_C7 = frozenset(())


def _def_StringMap(v, at, out):  # #/$defs/StringMap
    if not (isinstance(v, dict)):
        out.append((at, 'must be an object'))
    if isinstance(v, dict):
        for key, item in v.items():
            if key not in _C7:
                _s3(item, (at, key), out)


def _s18(v, at, out):  # #/$defs/Hook.timeout
    if not (((isinstance(v, int) and not isinstance(v, bool)) or (isinstance(v, float) and v.is_integer()))):
        out.append((at, 'must be an integer'))
    if (isinstance(v, (int, float)) and not isinstance(v, bool)) and v < 1:
        out.append((at, 'must be >= 1'))


def _def_Hook(v, at, out):  # #/$defs/Hook
    if not (isinstance(v, dict)):
        out.append((at, 'must be an object'))
    if isinstance(v, dict):
        if 'path' not in v:
            out.append(((at, 'path'), 'is required'))
        if 'path' in v:
            _s3(v['path'], (at, 'path'), out)
        if 'args' in v:
            _def_Strings(v['args'], (at, 'args'), out)
        if 'env' in v:
            _def_Strings(v['env'], (at, 'env'), out)
        if 'timeout' in v:
            _s18(v['timeout'], (at, 'timeout'), out)


def _def_HookList(v, at, out):  # #/$defs/HookList
    if not (isinstance(v, list)):
        out.append((at, 'must be an array'))
    if isinstance(v, list):
        for index, item in enumerate(v):
            _def_Hook(item, (at, index), out)


def _def_Hooks(v, at, out):  # #/$defs/Hooks
    if not (isinstance(v, dict)):
        out.append((at, 'must be an object'))
    if isinstance(v, dict):
        if 'prestart' in v:
            _def_HookList(v['prestart'], (at, 'prestart'), out)
        if 'createRuntime' in v:
            _def_HookList(v['createRuntime'], (at, 'createRuntime'), out)
        if 'createContainer' in v:
            _def_HookList(v['createContainer'], (at, 'createContainer'), out)
        if 'startContainer' in v:
            _def_HookList(v['startContainer'], (at, 'startContainer'), out)
        if 'poststart' in v:
            _def_HookList(v['poststart'], (at, 'poststart'), out)
        if 'poststop' in v:
            _def_HookList(v['poststop'], (at, 'poststop'), out)

_C8 = frozenset(('cgroup', 'ipc', 'mount', 'network', 'pid', 'time', 'user', 'uts'))


def _s20(v, at, out):  # #/$defs/Namespace.type
    if not (isinstance(v, str) and v in _C8):
        out.append((at, 'must be one of: pid, network, mount, ipc, uts, user, cgroup, time'))


def _def_Namespace(v, at, out):  # #/$defs/Namespace
    if not (isinstance(v, dict)):
        out.append((at, 'must be an object'))
    if isinstance(v, dict):
        if 'type' not in v:
            out.append(((at, 'type'), 'is required'))
        if 'type' in v:
            _s20(v['type'], (at, 'type'), out)
        if 'path' in v:
            _s3(v['path'], (at, 'path'), out)


def _s19(v, at, out):  # #/$defs/Linux.namespaces
    if not (isinstance(v, list)):
        out.append((at, 'must be an array'))
    if isinstance(v, list):
        for index, item in enumerate(v):
            _def_Namespace(item, (at, index), out)


def _def_int64(v, at, out):  # #/$defs/int64
    if not (((isinstance(v, int) and not isinstance(v, bool)) or (isinstance(v, float) and v.is_integer()))):
        out.append((at, 'must be an integer'))
    if (isinstance(v, (int, float)) and not isinstance(v, bool)) and v < -9223372036854775808:
        out.append((at, 'must be >= -9223372036854775808'))
    if (isinstance(v, (int, float)) and not isinstance(v, bool)) and v > 9223372036854775807:
        out.append((at, 'must be <= 9223372036854775807'))


def _def_TimeOffset(v, at, out):  # #/$defs/TimeOffset
    if not (isinstance(v, dict)):
        out.append((at, 'must be an object'))
    if isinstance(v, dict):
        if 'secs' in v:
            _def_int64(v['secs'], (at, 'secs'), out)
        if 'nanosecs' in v:
            _def_uint32(v['nanosecs'], (at, 'nanosecs'), out)

_C9 = frozenset(())


def _s21(v, at, out):  # #/$defs/Linux.timeOffsets
    if not (isinstance(v, dict)):
        out.append((at, 'must be an object'))
    if isinstance(v, dict):
        for key, item in v.items():
            if key not in _C9:
                _def_TimeOffset(item, (at, key), out)

_C10 = frozenset(('b', 'c', 'p', 'u'))


def _s23(v, at, out):  # #/$defs/Device.type
    if not (isinstance(v, str) and v in _C10):
        out.append((at, 'must be one of: c, b, u, p'))


def _def_Device(v, at, out):  # #/$defs/Device
    if not (isinstance(v, dict)):
        out.append((at, 'must be an object'))
    if isinstance(v, dict):
        if 'type' not in v:
            out.append(((at, 'type'), 'is required'))
        if 'path' not in v:
            out.append(((at, 'path'), 'is required'))
        if 'type' in v:
            _s23(v['type'], (at, 'type'), out)
        if 'path' in v:
            _s3(v['path'], (at, 'path'), out)
        if 'major' in v:
            _def_int64(v['major'], (at, 'major'), out)
        if 'minor' in v:
            _def_int64(v['minor'], (at, 'minor'), out)
        if 'fileMode' in v:
            _def_uint32(v['fileMode'], (at, 'fileMode'), out)
        if 'uid' in v:
            _def_uint32(v['uid'], (at, 'uid'), out)
        if 'gid' in v:
            _def_uint32(v['gid'], (at, 'gid'), out)


def _s22(v, at, out):  # #/$defs/Linux.devices
    if not (isinstance(v, list)):
        out.append((at, 'must be an array'))
    if isinstance(v, list):
        for index, item in enumerate(v):
            _def_Device(item, (at, index), out)


def _s25(v, at, out):  # #/$defs/Linux.netDevices.*
    if not (isinstance(v, dict)):
        out.append((at, 'must be an object'))
    if isinstance(v, dict):
        if 'name' in v:
            _s3(v['name'], (at, 'name'), out)

_C11 = frozenset(())


def _s24(v, at, out):  # #/$defs/Linux.netDevices
    if not (isinstance(v, dict)):
        out.append((at, 'must be an object'))
    if isinstance(v, dict):
        for key, item in v.items():
            if key not in _C11:
                _s25(item, (at, key), out)

_C12 = frozenset(('a', 'b', 'c'))


def _s27(v, at, out):  # #/$defs/DeviceRule.type
    if not (isinstance(v, str) and v in _C12):
        out.append((at, 'must be one of: a, c, b'))

_C13 = ((
    (True, (('mrw', 1),), ()),
    (True, (('mrw', 1),), ()),
), True)


def _s28(v, at, out):  # #/$defs/DeviceRule.access
    if not (isinstance(v, str)):
        out.append((at, 'must be a string'))
    if isinstance(v, str) and not _search(_C13, v):
        out.append((at, 'must be made of the letters r, w and m'.format(value=v)))


def _def_DeviceRule(v, at, out):  # #/$defs/DeviceRule
    if not (isinstance(v, dict)):
        out.append((at, 'must be an object'))
    if isinstance(v, dict):
        if 'allow' not in v:
            out.append(((at, 'allow'), 'is required'))
        if 'allow' in v:
            _s4(v['allow'], (at, 'allow'), out)
        if 'type' in v:
            _s27(v['type'], (at, 'type'), out)
        if 'major' in v:
            _def_int64(v['major'], (at, 'major'), out)
        if 'minor' in v:
            _def_int64(v['minor'], (at, 'minor'), out)
        if 'access' in v:
            _s28(v['access'], (at, 'access'), out)


def _s26(v, at, out):  # #/$defs/Resources.devices
    if not (isinstance(v, list)):
        out.append((at, 'must be an array'))
    if isinstance(v, list):
        for index, item in enumerate(v):
            _def_DeviceRule(item, (at, index), out)


def _def_Memory(v, at, out):  # #/$defs/Memory
    if not (isinstance(v, dict)):
        out.append((at, 'must be an object'))
    if isinstance(v, dict):
        if 'limit' in v:
            _def_int64(v['limit'], (at, 'limit'), out)
        if 'reservation' in v:
            _def_int64(v['reservation'], (at, 'reservation'), out)
        if 'swap' in v:
            _def_int64(v['swap'], (at, 'swap'), out)
        if 'kernel' in v:
            _def_int64(v['kernel'], (at, 'kernel'), out)
        if 'kernelTCP' in v:
            _def_int64(v['kernelTCP'], (at, 'kernelTCP'), out)
        if 'swappiness' in v:
            _def_uint64(v['swappiness'], (at, 'swappiness'), out)
        if 'disableOOMKiller' in v:
            _s4(v['disableOOMKiller'], (at, 'disableOOMKiller'), out)
        if 'useHierarchy' in v:
            _s4(v['useHierarchy'], (at, 'useHierarchy'), out)
        if 'checkBeforeUpdate' in v:
            _s4(v['checkBeforeUpdate'], (at, 'checkBeforeUpdate'), out)


def _def_CPU(v, at, out):  # #/$defs/CPU
    if not (isinstance(v, dict)):
        out.append((at, 'must be an object'))
    if isinstance(v, dict):
        if 'shares' in v:
            _def_uint64(v['shares'], (at, 'shares'), out)
        if 'quota' in v:
            _def_int64(v['quota'], (at, 'quota'), out)
        if 'burst' in v:
            _def_uint64(v['burst'], (at, 'burst'), out)
        if 'period' in v:
            _def_uint64(v['period'], (at, 'period'), out)
        if 'realtimeRuntime' in v:
            _def_int64(v['realtimeRuntime'], (at, 'realtimeRuntime'), out)
        if 'realtimePeriod' in v:
            _def_uint64(v['realtimePeriod'], (at, 'realtimePeriod'), out)
        if 'cpus' in v:
            _s3(v['cpus'], (at, 'cpus'), out)
        if 'mems' in v:
            _s3(v['mems'], (at, 'mems'), out)
        if 'idle' in v:
            _def_int64(v['idle'], (at, 'idle'), out)


def _s29(v, at, out):  # #/$defs/Resources.pids
    if not (isinstance(v, dict)):
        out.append((at, 'must be an object'))
    if isinstance(v, dict):
        if 'limit' in v:
            _def_int64(v['limit'], (at, 'limit'), out)


def _def_uint16(v, at, out):  # #/$defs/uint16
    if not (((isinstance(v, int) and not isinstance(v, bool)) or (isinstance(v, float) and v.is_integer()))):
        out.append((at, 'must be an integer'))
    if (isinstance(v, (int, float)) and not isinstance(v, bool)) and v < 0:
        out.append((at, 'must be >= 0'))
    if (isinstance(v, (int, float)) and not isinstance(v, bool)) and v > 65535:
        out.append((at, 'must be <= 65535'))


def _def_BlockIODevice(v, at, out):  # #/$defs/BlockIODevice
    if not (isinstance(v, dict)):
        out.append((at, 'must be an object'))
    if isinstance(v, dict):
        if 'major' not in v:
            out.append(((at, 'major'), 'is required'))
        if 'minor' not in v:
            out.append(((at, 'minor'), 'is required'))
        if 'major' in v:
            _def_int64(v['major'], (at, 'major'), out)
        if 'minor' in v:
            _def_int64(v['minor'], (at, 'minor'), out)


def _def_WeightDevice(v, at, out):  # #/$defs/WeightDevice
    if isinstance(v, dict):
        if 'weight' in v:
            _def_uint16(v['weight'], (at, 'weight'), out)
        if 'leafWeight' in v:
            _def_uint16(v['leafWeight'], (at, 'leafWeight'), out)
    _def_BlockIODevice(v, at, out)


def _s30(v, at, out):  # #/$defs/BlockIO.weightDevice
    if not (isinstance(v, list)):
        out.append((at, 'must be an array'))
    if isinstance(v, list):
        for index, item in enumerate(v):
            _def_WeightDevice(item, (at, index), out)


def _def_ThrottleDevice(v, at, out):  # #/$defs/ThrottleDevice
    if isinstance(v, dict):
        if 'rate' not in v:
            out.append(((at, 'rate'), 'is required'))
        if 'rate' in v:
            _def_uint64(v['rate'], (at, 'rate'), out)
    _def_BlockIODevice(v, at, out)


def _def_ThrottleDevices(v, at, out):  # #/$defs/ThrottleDevices
    if not (isinstance(v, list)):
        out.append((at, 'must be an array'))
    if isinstance(v, list):
        for index, item in enumerate(v):
            _def_ThrottleDevice(item, (at, index), out)


def _def_BlockIO(v, at, out):  # #/$defs/BlockIO
    if not (isinstance(v, dict)):
        out.append((at, 'must be an object'))
    if isinstance(v, dict):
        if 'weight' in v:
            _def_uint16(v['weight'], (at, 'weight'), out)
        if 'leafWeight' in v:
            _def_uint16(v['leafWeight'], (at, 'leafWeight'), out)
        if 'weightDevice' in v:
            _s30(v['weightDevice'], (at, 'weightDevice'), out)
        if 'throttleReadBpsDevice' in v:
            _def_ThrottleDevices(v['throttleReadBpsDevice'], (at, 'throttleReadBpsDevice'), out)
        if 'throttleWriteBpsDevice' in v:
            _def_ThrottleDevices(v['throttleWriteBpsDevice'], (at, 'throttleWriteBpsDevice'), out)
        if 'throttleReadIOPSDevice' in v:
            _def_ThrottleDevices(v['throttleReadIOPSDevice'], (at, 'throttleReadIOPSDevice'), out)
        if 'throttleWriteIOPSDevice' in v:
            _def_ThrottleDevices(v['throttleWriteIOPSDevice'], (at, 'throttleWriteIOPSDevice'), out)

_C14 = ((
    (False, (('123456789', 1),), ()),
    (False, (('0123456789', 2), ('GKMPT', 3)), ()),
    (False, (('0123456789', 2), ('GKMPT', 3)), ()),
    (False, (('B', 4),), ()),
    (True, (), ()),
), True)


def _s32(v, at, out):  # #/$defs/HugepageLimit.pageSize
    if not (isinstance(v, str)):
        out.append((at, 'must be a string'))
    if isinstance(v, str) and not _search(_C14, v):
        out.append((at, 'must be a page size such as 2MB or 1GB'.format(value=v)))


def _def_HugepageLimit(v, at, out):  # #/$defs/HugepageLimit
    if not (isinstance(v, dict)):
        out.append((at, 'must be an object'))
    if isinstance(v, dict):
        if 'pageSize' not in v:
            out.append(((at, 'pageSize'), 'is required'))
        if 'limit' not in v:
            out.append(((at, 'limit'), 'is required'))
        if 'pageSize' in v:
            _s32(v['pageSize'], (at, 'pageSize'), out)
        if 'limit' in v:
            _def_uint64(v['limit'], (at, 'limit'), out)


def _s31(v, at, out):  # #/$defs/Resources.hugepageLimits
    if not (isinstance(v, list)):
        out.append((at, 'must be an array'))
    if isinstance(v, list):
        for index, item in enumerate(v):
            _def_HugepageLimit(item, (at, index), out)


def _def_InterfacePriority(v, at, out):  # #/$defs/InterfacePriority
    if not (isinstance(v, dict)):
        out.append((at, 'must be an object'))
    if isinstance(v, dict):
        if 'name' not in v:
            out.append(((at, 'name'), 'is required'))
        if 'priority' not in v:
            out.append(((at, 'priority'), 'is required'))
        if 'name' in v:
            _s3(v['name'], (at, 'name'), out)
        if 'priority' in v:
            _def_uint32(v['priority'], (at, 'priority'), out)


def _s34(v, at, out):  # #/$defs/Resources.network.priorities
    if not (isinstance(v, list)):
        out.append((at, 'must be an array'))
    if isinstance(v, list):
        for index, item in enumerate(v):
            _def_InterfacePriority(item, (at, index), out)


def _s33(v, at, out):  # #/$defs/Resources.network
    if not (isinstance(v, dict)):
        out.append((at, 'must be an object'))
    if isinstance(v, dict):
        if 'classID' in v:
            _def_uint32(v['classID'], (at, 'classID'), out)
        if 'priorities' in v:
            _s34(v['priorities'], (at, 'priorities'), out)


def _s36(v, at, out):  # #/$defs/Resources.rdma.*
    if not (isinstance(v, dict)):
        out.append((at, 'must be an object'))
    if isinstance(v, dict):
        if 'hcaHandles' in v:
            _def_uint32(v['hcaHandles'], (at, 'hcaHandles'), out)
        if 'hcaObjects' in v:
            _def_uint32(v['hcaObjects'], (at, 'hcaObjects'), out)

_C15 = frozenset(())


def _s35(v, at, out):  # #/$defs/Resources.rdma
    if not (isinstance(v, dict)):
        out.append((at, 'must be an object'))
    if isinstance(v, dict):
        for key, item in v.items():
            if key not in _C15:
                _s36(item, (at, key), out)


def _def_Resources(v, at, out):  # #/$defs/Resources
    if not (isinstance(v, dict)):
        out.append((at, 'must be an object'))
    if isinstance(v, dict):
        if 'devices' in v:
            _s26(v['devices'], (at, 'devices'), out)
        if 'memory' in v:
            _def_Memory(v['memory'], (at, 'memory'), out)
        if 'cpu' in v:
            _def_CPU(v['cpu'], (at, 'cpu'), out)
        if 'pids' in v:
            _s29(v['pids'], (at, 'pids'), out)
        if 'blockIO' in v:
            _def_BlockIO(v['blockIO'], (at, 'blockIO'), out)
        if 'hugepageLimits' in v:
            _s31(v['hugepageLimits'], (at, 'hugepageLimits'), out)
        if 'network' in v:
            _s33(v['network'], (at, 'network'), out)
        if 'rdma' in v:
            _s35(v['rdma'], (at, 'rdma'), out)
        if 'unified' in v:
            _def_StringMap(v['unified'], (at, 'unified'), out)

_C16 = ((
    (False, (('M', 1),), ()),
    (False, (('B', 2),), ()),
    (False, ((':', 3),), ()),
    (True, (('\x00\x01\x02\x03\x04\x05\x06\x07\x08\t', 4),), ((11, 1114111, 4),)),
    (True, (('\x00\x01\x02\x03\x04\x05\x06\x07\x08\t', 4),), ((11, 1114111, 4),)),
), True)


def _s37(v, at, out):  # #/$defs/IntelRdt.memBwSchema
    if not (isinstance(v, str)):
        out.append((at, 'must be a string'))
    if isinstance(v, str) and not _search(_C16, v):
        out.append((at, 'must match ^MB:[^\\n]*$'))


def _def_IntelRdt(v, at, out):  # #/$defs/IntelRdt
    if not (isinstance(v, dict)):
        out.append((at, 'must be an object'))
    if isinstance(v, dict):
        if 'closID' in v:
            _s3(v['closID'], (at, 'closID'), out)
        if 'l3CacheSchema' in v:
            _s3(v['l3CacheSchema'], (at, 'l3CacheSchema'), out)
        if 'memBwSchema' in v:
            _s37(v['memBwSchema'], (at, 'memBwSchema'), out)
        if 'schemata' in v:
            _def_Strings(v['schemata'], (at, 'schemata'), out)
        if 'enableMonitoring' in v:
            _s4(v['enableMonitoring'], (at, 'enableMonitoring'), out)
        if 'enableCMT' in v:
            _s4(v['enableCMT'], (at, 'enableCMT'), out)
        if 'enableMBM' in v:
            _s4(v['enableMBM'], (at, 'enableMBM'), out)

_C17 = frozenset(('MPOL_BIND',
 'MPOL_DEFAULT',
 'MPOL_INTERLEAVE',
 'MPOL_LOCAL',
 'MPOL_PREFERRED',
 'MPOL_PREFERRED_MANY',
 'MPOL_WEIGHTED_INTERLEAVE'))


def _s38(v, at, out):  # #/$defs/MemoryPolicy.mode
    if not (isinstance(v, str) and v in _C17):
        out.append((at, 'must be one of: MPOL_DEFAULT, MPOL_BIND, MPOL_INTERLEAVE, MPOL_WEIGHTED_INTERLEAVE, MPOL_PREFERRED, MPOL_PREFERRED_MANY, MPOL_LOCAL'))

_C18 = frozenset(('MPOL_F_NUMA_BALANCING', 'MPOL_F_RELATIVE_NODES', 'MPOL_F_STATIC_NODES'))


def _s40(v, at, out):  # #/$defs/MemoryPolicy.flags[]
    if not (isinstance(v, str) and v in _C18):
        out.append((at, 'must be one of: MPOL_F_NUMA_BALANCING, MPOL_F_RELATIVE_NODES, MPOL_F_STATIC_NODES'))


def _s39(v, at, out):  # #/$defs/MemoryPolicy.flags
    if not (isinstance(v, list)):
        out.append((at, 'must be an array'))
    if isinstance(v, list):
        for index, item in enumerate(v):
            _s40(item, (at, index), out)


def _def_MemoryPolicy(v, at, out):  # #/$defs/MemoryPolicy
    if not (isinstance(v, dict)):
        out.append((at, 'must be an object'))
    if isinstance(v, dict):
        if 'mode' not in v:
            out.append(((at, 'mode'), 'is required'))
        if 'mode' in v:
            _s38(v['mode'], (at, 'mode'), out)
        if 'nodes' in v:
            _s3(v['nodes'], (at, 'nodes'), out)
        if 'flags' in v:
            _s39(v['flags'], (at, 'flags'), out)

_C19 = frozenset(('LINUX', 'LINUX32'))


def _s42(v, at, out):  # #/$defs/Linux.personality.domain
    if not (isinstance(v, str) and v in _C19):
        out.append((at, 'must be one of: LINUX, LINUX32'))


def _s41(v, at, out):  # #/$defs/Linux.personality
    if not (isinstance(v, dict)):
        out.append((at, 'must be an object'))
    if isinstance(v, dict):
        if 'domain' in v:
            _s42(v['domain'], (at, 'domain'), out)
        if 'flags' in v:
            _def_Strings(v['flags'], (at, 'flags'), out)

_C20 = frozenset(('SCMP_ACT_ALLOW',
 'SCMP_ACT_ERRNO',
 'SCMP_ACT_KILL',
 'SCMP_ACT_KILL_PROCESS',
 'SCMP_ACT_KILL_THREAD',
 'SCMP_ACT_LOG',
 'SCMP_ACT_NOTIFY',
 'SCMP_ACT_TRACE',
 'SCMP_ACT_TRAP'))


def _def_SeccompAction(v, at, out):  # #/$defs/SeccompAction
    if not (isinstance(v, str) and v in _C20):
        out.append((at, 'must be one of: SCMP_ACT_KILL, SCMP_ACT_KILL_PROCESS, SCMP_ACT_KILL_THREAD, SCMP_ACT_TRAP, SCMP_ACT_ERRNO, SCMP_ACT_TRACE, SCMP_ACT_ALLOW, SCMP_ACT_LOG, SCMP_ACT_NOTIFY'))

_C21 = frozenset(('SCMP_ARCH_AARCH64',
 'SCMP_ARCH_ARM',
 'SCMP_ARCH_LOONGARCH64',
 'SCMP_ARCH_MIPS',
 'SCMP_ARCH_MIPS64',
 'SCMP_ARCH_MIPS64N32',
 'SCMP_ARCH_MIPSEL',
 'SCMP_ARCH_MIPSEL64',
 'SCMP_ARCH_MIPSEL64N32',
 'SCMP_ARCH_PARISC',
 'SCMP_ARCH_PARISC64',
 'SCMP_ARCH_PPC',
 'SCMP_ARCH_PPC64',
 'SCMP_ARCH_PPC64LE',
 'SCMP_ARCH_RISCV64',
 'SCMP_ARCH_S390',
 'SCMP_ARCH_S390X',
 'SCMP_ARCH_X32',
 'SCMP_ARCH_X86',
 'SCMP_ARCH_X86_64'))


def _s44(v, at, out):  # #/$defs/Seccomp.architectures[]
    if not (isinstance(v, str) and v in _C21):
        out.append((at, 'must be one of: SCMP_ARCH_X86, SCMP_ARCH_X86_64, SCMP_ARCH_X32, SCMP_ARCH_ARM, SCMP_ARCH_AARCH64, SCMP_ARCH_MIPS, SCMP_ARCH_MIPS64, SCMP_ARCH_MIPS64N32, SCMP_ARCH_MIPSEL, SCMP_ARCH_MIPSEL64, SCMP_ARCH_MIPSEL64N32, SCMP_ARCH_PPC, SCMP_ARCH_PPC64, SCMP_ARCH_PPC64LE, SCMP_ARCH_S390, SCMP_ARCH_S390X, SCMP_ARCH_PARISC, SCMP_ARCH_PARISC64, SCMP_ARCH_RISCV64, SCMP_ARCH_LOONGARCH64'))


def _s43(v, at, out):  # #/$defs/Seccomp.architectures
    if not (isinstance(v, list)):
        out.append((at, 'must be an array'))
    if isinstance(v, list):
        for index, item in enumerate(v):
            _s44(item, (at, index), out)

_C22 = frozenset(('SECCOMP_FILTER_FLAG_LOG',
 'SECCOMP_FILTER_FLAG_SPEC_ALLOW',
 'SECCOMP_FILTER_FLAG_TSYNC',
 'SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV'))


def _s46(v, at, out):  # #/$defs/Seccomp.flags[]
    if not (isinstance(v, str) and v in _C22):
        out.append((at, 'must be one of: SECCOMP_FILTER_FLAG_TSYNC, SECCOMP_FILTER_FLAG_LOG, SECCOMP_FILTER_FLAG_SPEC_ALLOW, SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV'))


def _s45(v, at, out):  # #/$defs/Seccomp.flags
    if not (isinstance(v, list)):
        out.append((at, 'must be an array'))
    if isinstance(v, list):
        for index, item in enumerate(v):
            _s46(item, (at, index), out)

_C23 = frozenset(('SCMP_CMP_EQ',
 'SCMP_CMP_GE',
 'SCMP_CMP_GT',
 'SCMP_CMP_LE',
 'SCMP_CMP_LT',
 'SCMP_CMP_MASKED_EQ',
 'SCMP_CMP_NE'))


def _s49(v, at, out):  # #/$defs/SyscallArg.op
    if not (isinstance(v, str) and v in _C23):
        out.append((at, 'must be one of: SCMP_CMP_NE, SCMP_CMP_LT, SCMP_CMP_LE, SCMP_CMP_EQ, SCMP_CMP_GE, SCMP_CMP_GT, SCMP_CMP_MASKED_EQ'))


def _def_SyscallArg(v, at, out):  # #/$defs/SyscallArg
    if not (isinstance(v, dict)):
        out.append((at, 'must be an object'))
    if isinstance(v, dict):
        if 'index' not in v:
            out.append(((at, 'index'), 'is required'))
        if 'value' not in v:
            out.append(((at, 'value'), 'is required'))
        if 'op' not in v:
            out.append(((at, 'op'), 'is required'))
        if 'index' in v:
            _def_uint32(v['index'], (at, 'index'), out)
        if 'value' in v:
            _def_uint64(v['value'], (at, 'value'), out)
        if 'valueTwo' in v:
            _def_uint64(v['valueTwo'], (at, 'valueTwo'), out)
        if 'op' in v:
            _s49(v['op'], (at, 'op'), out)


def _s48(v, at, out):  # #/$defs/Syscall.args
    if not (isinstance(v, list)):
        out.append((at, 'must be an array'))
    if isinstance(v, list):
        for index, item in enumerate(v):
            _def_SyscallArg(item, (at, index), out)


def _def_Syscall(v, at, out):  # #/$defs/Syscall
    if not (isinstance(v, dict)):
        out.append((at, 'must be an object'))
    if isinstance(v, dict):
        if 'names' not in v:
            out.append(((at, 'names'), 'is required'))
        if 'action' not in v:
            out.append(((at, 'action'), 'is required'))
        if 'names' in v:
            _s8(v['names'], (at, 'names'), out)
        if 'action' in v:
            _def_SeccompAction(v['action'], (at, 'action'), out)
        if 'errnoRet' in v:
            _def_uint32(v['errnoRet'], (at, 'errnoRet'), out)
        if 'args' in v:
            _s48(v['args'], (at, 'args'), out)


def _s47(v, at, out):  # #/$defs/Seccomp.syscalls
    if not (isinstance(v, list)):
        out.append((at, 'must be an array'))
    if isinstance(v, list):
        for index, item in enumerate(v):
            _def_Syscall(item, (at, index), out)


def _def_Seccomp(v, at, out):  # #/$defs/Seccomp
    if not (isinstance(v, dict)):
        out.append((at, 'must be an object'))
    if isinstance(v, dict):
        if 'defaultAction' not in v:
            out.append(((at, 'defaultAction'), 'is required'))
        if 'defaultAction' in v:
            _def_SeccompAction(v['defaultAction'], (at, 'defaultAction'), out)
        if 'defaultErrnoRet' in v:
            _def_uint32(v['defaultErrnoRet'], (at, 'defaultErrnoRet'), out)
        if 'architectures' in v:
            _s43(v['architectures'], (at, 'architectures'), out)
        if 'flags' in v:
            _s45(v['flags'], (at, 'flags'), out)
        if 'listenerPath' in v:
            _s3(v['listenerPath'], (at, 'listenerPath'), out)
        if 'listenerMetadata' in v:
            _s3(v['listenerMetadata'], (at, 'listenerMetadata'), out)
        if 'syscalls' in v:
            _s47(v['syscalls'], (at, 'syscalls'), out)

_C24 = frozenset(('private', 'shared', 'slave', 'unbindable'))


def _s50(v, at, out):  # #/$defs/Linux.rootfsPropagation
    if not (isinstance(v, str) and v in _C24):
        out.append((at, 'must be one of: private, shared, slave, unbindable'))


def _def_Linux(v, at, out):  # #/$defs/Linux
    if not (isinstance(v, dict)):
        out.append((at, 'must be an object'))
    if isinstance(v, dict):
        if 'namespaces' in v:
            _s19(v['namespaces'], (at, 'namespaces'), out)
        if 'uidMappings' in v:
            _def_IDMappings(v['uidMappings'], (at, 'uidMappings'), out)
        if 'gidMappings' in v:
            _def_IDMappings(v['gidMappings'], (at, 'gidMappings'), out)
        if 'timeOffsets' in v:
            _s21(v['timeOffsets'], (at, 'timeOffsets'), out)
        if 'devices' in v:
            _s22(v['devices'], (at, 'devices'), out)
        if 'netDevices' in v:
            _s24(v['netDevices'], (at, 'netDevices'), out)
        if 'cgroupsPath' in v:
            _s3(v['cgroupsPath'], (at, 'cgroupsPath'), out)
        if 'resources' in v:
            _def_Resources(v['resources'], (at, 'resources'), out)
        if 'intelRdt' in v:
            _def_IntelRdt(v['intelRdt'], (at, 'intelRdt'), out)
        if 'memoryPolicy' in v:
            _def_MemoryPolicy(v['memoryPolicy'], (at, 'memoryPolicy'), out)
        if 'personality' in v:
            _s41(v['personality'], (at, 'personality'), out)
        if 'sysctl' in v:
            _def_StringMap(v['sysctl'], (at, 'sysctl'), out)
        if 'seccomp' in v:
            _def_Seccomp(v['seccomp'], (at, 'seccomp'), out)
        if 'rootfsPropagation' in v:
            _s50(v['rootfsPropagation'], (at, 'rootfsPropagation'), out)
        if 'maskedPaths' in v:
            _def_Strings(v['maskedPaths'], (at, 'maskedPaths'), out)
        if 'readonlyPaths' in v:
            _def_Strings(v['readonlyPaths'], (at, 'readonlyPaths'), out)
        if 'mountLabel' in v:
            _s3(v['mountLabel'], (at, 'mountLabel'), out)


def _s1(v, at, out):  # (top level)
    if not (isinstance(v, dict)):
        out.append((at, 'must be an object'))
    if isinstance(v, dict):
        if 'ociVersion' not in v:
            out.append(((at, 'ociVersion'), 'is required'))
        if 'ociVersion' in v:
            _s2(v['ociVersion'], (at, 'ociVersion'), out)
        if 'root' in v:
            _def_Root(v['root'], (at, 'root'), out)
        if 'mounts' in v:
            _s5(v['mounts'], (at, 'mounts'), out)
        if 'process' in v:
            _def_Process(v['process'], (at, 'process'), out)
        if 'hostname' in v:
            _s3(v['hostname'], (at, 'hostname'), out)
        if 'domainname' in v:
            _s3(v['domainname'], (at, 'domainname'), out)
        if 'annotations' in v:
            _def_StringMap(v['annotations'], (at, 'annotations'), out)
        if 'hooks' in v:
            _def_Hooks(v['hooks'], (at, 'hooks'), out)
        if 'linux' in v:
            _def_Linux(v['linux'], (at, 'linux'), out)
