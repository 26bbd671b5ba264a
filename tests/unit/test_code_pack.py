"""runtime/code_pack.py: our modules compiled into one file and imported from
it, except a module edited since, which is imported from its source."""
import marshal
import os
import subprocess
import sys
from pathlib import Path

from runtime import code_pack

REPO = Path(__file__).resolve().parents[2]

# Imports libcontainer.sample with the pack of `root` and prints where it came
# from, what it says, and the file and line a traceback from it names.
PROBE = """
import sys, traceback
sys.path[:0] = [sys.argv[1], sys.argv[2]]
from runtime import code_pack
installed = code_pack.install(sys.argv[1])
from libcontainer import sample
try:
    sample.fail()
except ValueError as exc:
    frame = traceback.extract_tb(exc.__traceback__)[-1]
print(installed, type(sample.__spec__.loader).__name__, sample.WORD, sample.__file__,
      frame.filename, frame.line)
"""


def make_tree(root, word="packed"):
    package = root / "libcontainer"
    package.mkdir(exist_ok=True)
    (package / "__init__.py").write_text("")
    (package / "sample.py").write_text(
        f"WORD = {word!r}\n\ndef fail():\n    raise ValueError('from the sample')\n")


def probe(root):
    result = subprocess.run([sys.executable, "-I", "-S", "-c", PROBE, str(root), str(REPO)],
                            capture_output=True, text=True, check=True)
    return result.stdout.strip().split(maxsplit=4)


def test_modules_come_from_the_pack_with_their_file_names(tmp_path):
    make_tree(tmp_path)
    code_pack.build(str(tmp_path))
    installed, loader, word, file, frame = probe(tmp_path)
    sample = str(tmp_path / "libcontainer" / "sample.py")
    assert (installed, loader, word, file) == ("True", "PackFinder", "packed", sample)
    assert frame == f"{sample} raise ValueError('from the sample')"


def test_an_edited_module_is_imported_from_its_source(tmp_path):
    make_tree(tmp_path)
    code_pack.build(str(tmp_path))
    assert code_pack.is_fresh(str(tmp_path))
    make_tree(tmp_path, word="edited-since")
    assert not code_pack.is_fresh(str(tmp_path))
    _, loader, word, _, _ = probe(tmp_path)
    assert (loader, word) == ("SourceFileLoader", "edited-since")


def test_a_new_module_makes_the_pack_stale(tmp_path):
    make_tree(tmp_path)
    code_pack.build(str(tmp_path))
    (tmp_path / "libcontainer" / "added.py").write_text("")
    assert not code_pack.is_fresh(str(tmp_path))


def test_a_pack_of_another_python_is_not_used(tmp_path):
    make_tree(tmp_path)
    path = code_pack.build(str(tmp_path))
    with open(path, "r+b") as pack:
        pack.write(b"\0\0\0\0")  # another magic number
    installed, loader, word, _, _ = probe(tmp_path)
    assert (installed, loader, word) == ("False", "SourceFileLoader", "packed")
    assert not code_pack.is_fresh(str(tmp_path))


def test_no_pack_no_finder(tmp_path):
    make_tree(tmp_path)
    installed, loader, _, _, _ = probe(tmp_path)
    assert (installed, loader) == ("False", "SourceFileLoader")
    assert not os.path.exists(code_pack.pack_path(str(tmp_path)))


def test_a_damaged_pack_is_not_used(tmp_path):
    make_tree(tmp_path)
    path = code_pack.build(str(tmp_path))
    os.truncate(path, os.path.getsize(path) - 1)
    installed, loader, word, _, _ = probe(tmp_path)
    assert (installed, loader, word) == ("False", "SourceFileLoader", "packed")


def test_the_pack_holds_one_fd_it_names_as_its_own(tmp_path):
    """--preserve-fds must not take it for the caller's (launcher.inherited_fds)."""
    make_tree(tmp_path)
    code_pack.build(str(tmp_path))
    script = ("import os, sys; sys.path[:0] = [sys.argv[1]]; from runtime import code_pack; "
              "code_pack.install(sys.argv[2]); "
              "owned = [fd for fd in range(64) if code_pack.owns(fd)]; "
              "print(*owned, *(os.path.realpath(f'/proc/self/fd/{fd}') for fd in owned))")
    out = subprocess.run([sys.executable, "-I", "-S", "-c", script, str(REPO), str(tmp_path)],
                         capture_output=True, text=True, check=True).stdout.split()
    assert len(out) == 2 and int(out[0]) >= 3
    assert out[1] == code_pack.pack_path(str(tmp_path))


def test_a_pack_with_a_garbled_index_is_not_used(tmp_path):
    make_tree(tmp_path)
    path = code_pack.build(str(tmp_path))
    with open(path, "rb") as pack:
        magic = pack.read(4)
    garbled = marshal.dumps(["not", "an", "index"])
    with open(path, "wb") as pack:
        pack.write(magic + len(garbled).to_bytes(4, "little") + garbled)
    installed, loader, word, _, _ = probe(tmp_path)
    assert (installed, loader, word) == ("False", "SourceFileLoader", "packed")
