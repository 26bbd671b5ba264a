"""pyrunc's own Python code, compiled into one file and imported from it.

Every call of the command is a new interpreter that imports 40 to 60 of our
modules. Found one by one, each costs a search of sys.path, an open, a read
and a check of its .pyc; from the pack (its index read at the start, then
one pread a module) the imports of a `run` take about 1 ms less. The pack is
made when pyrunc is built for an editable install (setup.py; a wheel's files
get new mtimes when installed, so a pack would never match them) and kept
fresh by the tests (tests/conftest.py).

A module whose source no longer matches the pack (another size or mtime) is
imported the usual way, so an edit always takes effect; a pack made by
another Python (magic number) is not used at all.
"""
import _imp
import marshal
import os
import sys

PACKAGES = ("runtime", "libcontainer", "_nsexec")
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# The bytecode's own version stamp, as a .pyc carries it.
_MAGIC = sys.modules["_frozen_importlib_external"].MAGIC_NUMBER
_ModuleSpec = sys.modules["_frozen_importlib"].ModuleSpec
_installed = []  # the finder install() put on sys.meta_path


def pack_path(root=ROOT):
    return os.path.join(root, "runtime", "__pycache__",
                        f"code-pack.{sys.implementation.cache_tag}.marshal")


def sources(root=ROOT):
    """(module name, path relative to root) of every module of ours."""
    for package in PACKAGES:
        for folder, dirs, files in os.walk(os.path.join(root, package)):
            dirs[:] = sorted(d for d in dirs if d != "__pycache__")
            for name in sorted(files):
                if name.endswith(".py"):
                    relative = os.path.relpath(os.path.join(folder, name), root)
                    module = relative[:-3].replace(os.sep, ".")
                    yield module.removesuffix(".__init__"), relative


def build(root=ROOT, dest=None):
    """Compile every module under root into the pack; written whole or not at all."""
    index, blobs, offset = {}, [], 0
    for module, relative in sources(root):
        with open(os.path.join(root, relative), "rb") as source:
            stat = os.fstat(source.fileno())  # before the read: an edit then shows as one
            text = source.read()
        blob = marshal.dumps(compile(text, relative, "exec", dont_inherit=True))
        index[module] = (relative, relative.endswith("__init__.py"),
                         stat.st_mtime_ns, stat.st_size, offset, len(blob))
        blobs.append(blob)
        offset += len(blob)
    head = marshal.dumps(index)
    dest = dest or pack_path(root)
    os.makedirs(os.path.dirname(dest), exist_ok=True)
    temporary = f"{dest}.{os.getpid()}.tmp"
    with open(temporary, "wb") as out:
        out.write(_MAGIC + len(head).to_bytes(4, "little") + head)
        out.writelines(blobs)
    os.replace(temporary, dest)
    return dest


class PackFinder:
    """A sys.meta_path finder and loader for the modules in one pack, read
    from `fd` (the pack, open for the life of the process) as they are needed."""

    def __init__(self, root, index, fd, base):
        self.root, self.index, self.fd, self.base = root, index, fd, base
        self.path = pack_path(root)

    def find_spec(self, name, path=None, target=None):
        entry = self.index.get(name)
        if entry is None:
            return None
        relative, is_package, mtime_ns, size = entry[:4]
        source = os.path.join(self.root, relative)
        try:
            stat = os.stat(source)
        except OSError:
            return None
        if (stat.st_mtime_ns, stat.st_size) != (mtime_ns, size):
            return None  # edited since: the usual import sees the edit
        spec = _ModuleSpec(name, self, origin=source, is_package=is_package)
        spec.has_location = True  # sets __file__, which some modules use
        spec.cached = self.path  # __cached__: saves working out a .pyc path
        if is_package:
            spec.submodule_search_locations = [os.path.dirname(source)]
        return spec

    def create_module(self, spec):
        return None

    def exec_module(self, module):
        name = module.__spec__.name
        relative, _, _, _, offset, length = self.index[name]
        code = marshal.loads(os.pread(self.fd, length, self.base + offset))
        _imp._fix_co_filename(code, module.__spec__.origin)  # tracebacks name the file
        exec(code, module.__dict__)


def install(root=ROOT):
    """Import our modules from the pack from now on, when there is a good one.
    Only the index is read now (one read of the whole would copy 0.7 MB)."""
    try:
        fd = os.open(pack_path(root), os.O_RDONLY | os.O_CLOEXEC)
    except OSError:
        return False
    index, head_end = _read_index(fd)
    if index is None:  # another Python's, or damaged: the sources will do
        os.close(fd)
        return False
    finder = PackFinder(root, index, fd, head_end)
    sys.meta_path.insert(0, finder)
    _installed.append(finder)
    return True


def _read_index(fd):
    """(index, where the code starts), or (None, 0) unless it is a whole pack
    of this Python's."""
    size = os.fstat(fd).st_size
    head = os.pread(fd, 65536, 0)
    head_end = 8 + int.from_bytes(head[4:8], "little")
    if head[:4] != _MAGIC or head_end > size:
        return None, 0
    if head_end > len(head):
        head = os.pread(fd, head_end, 0)
    try:
        index = marshal.loads(memoryview(head)[8:head_end])
        whole = head_end + sum(entry[5] for entry in index.values())
    except Exception:  # noqa: BLE001 - whatever is wrong with it, it is not used
        return None, 0
    return (index, head_end) if whole == size else (None, 0)


def in_use():
    return bool(_installed)


def owns(fd):
    """Whether fd is the pack's: not one a caller passed (--preserve-fds)."""
    return any(finder.fd == fd for finder in _installed)


def is_fresh(root=ROOT):
    """Whether the pack under root has every module of ours as it is now."""
    try:
        with open(pack_path(root), "rb") as pack:
            head = pack.read(8)
            index = marshal.loads(pack.read(int.from_bytes(head[4:8], "little")))
    except (OSError, EOFError, ValueError):
        return False
    if head[:4] != _MAGIC:
        return False
    now = {}
    for module, relative in sources(root):
        stat = os.stat(os.path.join(root, relative))
        now[module] = (relative, stat.st_mtime_ns, stat.st_size)
    return now == {module: (entry[0], entry[2], entry[3]) for module, entry in index.items()}
