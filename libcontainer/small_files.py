"""Small files (procfs, cgroupfs, pyrunc's own state) read and written with
bare os calls: Python's open() adds a buffer object and three syscalls
(fstat, isatty's ioctl, lseek) to each, and a create opens some thirty."""
import os


def read_bytes(path):
    fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    try:
        chunks = []
        while True:
            chunk = os.read(fd, 1 << 16)
            if not chunk:
                return b"".join(chunks)
            chunks.append(chunk)
    finally:
        os.close(fd)


def read_text(path):
    return read_bytes(path).decode()


def write_new(path, data, mode=0o666):
    """path created (mode less the umask) or truncated, holding data (str or bytes)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, mode)
    try:
        view = memoryview(data.encode() if isinstance(data, str) else data)
        while view:
            view = view[os.write(fd, view):]
    finally:
        os.close(fd)
