"""A private copy of the interpreter that runs pyrunc: what the
#!/proc/self/exe attack (CVE-2019-5736 class) gets to aim at, so that an
attack that works damages the copy, never a system file. Also the copies of
its ld.so and libraries that let it run inside a container's rootfs.
"""
import os
import re
import shutil
import subprocess
import sys

import pytest

from conftest import STATE_ROOT, Runtime


def base_interpreter():
    """The real interpreter behind sys.executable (a venv's is a link to it)."""
    return os.path.realpath(getattr(sys, "_base_executable", None) or sys.executable)


# Where the pyrunc under test finds its code: printed by its own interpreter.
_WHERE_PYRUNC_IMPORTS_FROM = """
import importlib.util, os, site
for name in ("runtime", "libcontainer", "_nsexec", "_cffi_backend", "cffi", "yaml"):
    spec = importlib.util.find_spec(name)
    if spec and spec.origin:
        top = os.path.dirname(spec.origin)
        print(os.path.dirname(top) if spec.submodule_search_locations else top)
print("\\n".join(site.getsitepackages()))
"""


_PURELIB = "import sysconfig; print(sysconfig.get_paths()['purelib'])"


def shebang_interpreter(script):
    """The interpreter named on a script's #! line, or None."""
    with open(script, "rb") as f:
        first = f.readline()
    if not first.startswith(b"#!"):
        return None
    return first[2:].split()[0].decode()


def pyrunc_interpreter(pyrunc_exe):
    """The interpreter that runs the pyrunc under test (as its #! names it)."""
    return shebang_interpreter(pyrunc_exe) or sys.executable


def import_dirs(pyrunc_exe):
    """The directories the pyrunc under test imports its modules from (the
    working tree for an editable install, else site-packages), in order."""
    out = subprocess.run([pyrunc_interpreter(pyrunc_exe), "-I", "-c", _WHERE_PYRUNC_IMPORTS_FROM],
                         check=True, capture_output=True, text=True, timeout=30).stdout
    return list(dict.fromkeys(line for line in out.splitlines() if os.path.isdir(line)))


def make_private_interpreter(where, pyrunc_exe):
    """A venv made with --copies under `where`: its bin/python3 is a private
    copy of the interpreter that runs the pyrunc under test, importing pyrunc
    from where that one does. Returns (python, a pyrunc script run by it)."""
    venv = where / "venv"
    interpreter = os.path.realpath(pyrunc_interpreter(pyrunc_exe))
    subprocess.run([interpreter, "-m", "venv", "--copies", "--without-pip", str(venv)],
                   check=True, timeout=60)
    python = venv / "bin" / "python3"
    site_dir = subprocess.run([str(python), "-c", _PURELIB], check=True, capture_output=True,
                              text=True, timeout=30).stdout.strip()
    with open(os.path.join(site_dir, "pyrunc-under-test.pth"), "w") as f:
        f.write("\n".join(import_dirs(pyrunc_exe)) + "\n")
    script = venv / "bin" / "pyrunc"
    script.write_text(f"#!{python}\nfrom runtime.main import main\nmain()\n")
    os.chmod(script, 0o755)
    return python, script


@pytest.fixture
def private_runtime(tmp_path_factory, pyrunc_exe, pyrunc_env):
    """A Runtime whose pyrunc runs on a private copy of the interpreter
    (see make_private_interpreter): yields (runtime, python)."""
    where = tmp_path_factory.mktemp("pyrunc-test-interp")
    python, script = make_private_interpreter(where, pyrunc_exe)
    rt = Runtime(str(script), STATE_ROOT, pyrunc_env)
    yield rt, python
    problems = rt.cleanup()
    if problems:
        pytest.fail("cleanup: " + "; ".join(problems), pytrace=False)


def shared_libraries(executable):
    """The ELF interpreter and the libraries `executable` loads, as ldd
    names them (absolute paths on the host)."""
    out = subprocess.run(["ldd", str(executable)], check=True, capture_output=True,
                         text=True, timeout=30).stdout
    found = []
    for line in out.splitlines():
        match = re.search(r"(/\S+) \(0x", line)
        if match:
            found.append(match.group(1))
    return found


def copy_into_rootfs(rootfs, host_paths):
    """Copy each host file to the same path inside rootfs (links resolved)."""
    for path in host_paths:
        dest = os.path.join(str(rootfs), path.lstrip("/"))
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        shutil.copyfile(os.path.realpath(path), dest)
        os.chmod(dest, 0o755)


def python_version(python):
    """"3.11" for a Python 3.11 interpreter."""
    return subprocess.run([str(python), "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
                          check=True, capture_output=True, text=True, timeout=30).stdout.strip()


def file_identity(path):
    """(device, inode) of what path names, following links."""
    info = os.stat(path)
    return info.st_dev, info.st_ino
