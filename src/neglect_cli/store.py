"""Files on disk: atomic private writes, drafts, stale temp sweeping.

Every file neglect-cli writes goes through `atomic_write`: a temp file in the
same folder, flush, fsync, `os.replace`, fsync of the folder. Records and
drafts are 0600; the drafts folder is 0700.
"""

from __future__ import annotations

import contextlib
import errno
import os
import time
from pathlib import Path

from .errors import UserError

TEMP_PREFIX = ".neglect-tmp-"
STALE_SECONDS = 60 * 60
_swept: set[Path] = set()


def state_dir() -> Path:
    """`$XDG_STATE_HOME/neglect-cli` (default `~/.local/state/neglect-cli`)."""
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / "neglect-cli"


class WriteError(UserError):
    """A file could not be written (disk full, permissions, a name too long); `errno` says why."""

    def __init__(self, message: str, *, file: str, errno: int | None = None) -> None:
        super().__init__(message, file=file)
        self.errno = errno

    @property
    def disk_full(self) -> bool:
        return self.errno in (errno.ENOSPC, errno.EDQUOT)


def private_dir(path: Path, *, tighten: bool = True) -> Path:
    """Create a folder, and every missing parent, readable only by its owner (0700 whatever the umask).

    With `tighten` (our own state folders) an existing folder is made 0700 too; without it (a folder the
    user named, such as `score --out /tmp`) an existing folder keeps its mode. Failures are UserErrors.
    """
    path = Path(path)
    missing: list[Path] = []
    try:
        current = path
        while not current.is_dir():
            if current.exists() or current.is_symlink():
                raise UserError("is a file, not a folder", file=str(current))
            missing.append(current)
            if current.parent == current:
                break
            current = current.parent
        for folder in reversed(missing):
            try:
                folder.mkdir(mode=0o700)
            except FileExistsError:
                if not folder.is_dir():
                    raise UserError("is a file, not a folder", file=str(folder)) from None
                continue
            os.chmod(folder, 0o700)  # the umask may have narrowed it; parents are ours too
        if tighten and not missing:
            os.chmod(path, 0o700)
    except OSError as exc:
        where = str(missing[-1] if missing else path)
        reason = exc.strerror or type(exc).__name__
        raise UserError(f"cannot create or use this folder ({reason})", file=where) from None
    return path


def check_out_path(path: Path) -> None:
    """Refuse, before any work is done, an output path no file can have (a name too long, a loop of links)."""
    try:
        path.exists()
        path.is_dir()
    except OSError as exc:
        raise UserError(f"cannot write here ({exc.strerror or type(exc).__name__})", file=str(path)) from None


def atomic_write(path: Path, data: bytes | str, *, force: bool = True, mode: int = 0o600) -> Path:
    """Write `data` to `path` so that a crash leaves either the old file or the new one.

    With `force=False` an existing file is never replaced (UserError instead). The first
    write into a folder also sweeps our temp files orphaned there by a killed process.
    A failed write (disk full, permissions) is a UserError; the old file is left as it was.
    """
    if isinstance(data, str):
        data = data.encode("utf-8")
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    try:
        if path.exists() and not path.is_file():
            # --force must never swap a device (/dev/null), pipe or folder for a file: as root, that breaks the system
            raise UserError("is not a regular file; give a file name to write to", file=str(path))
        if not force and path.exists():
            raise UserError("already exists; use --force to replace it", file=str(path))
        if not folder.is_dir():
            raise UserError("folder does not exist", file=str(folder))
        if folder.resolve() not in _swept:
            _swept.add(folder.resolve())
            sweep_stale_temps(folder)
        _replace_atomically(path, folder, data, force=force, mode=mode)
    except OSError as exc:  # disk full, a read-only folder, a name too long, a path through a file
        reason = exc.strerror or type(exc).__name__
        raise WriteError(
            f"could not write ({reason}); any earlier version is unchanged", file=str(path), errno=exc.errno
        ) from None
    return path


def _replace_atomically(path: Path, folder: Path, data: bytes, *, force: bool, mode: int) -> None:
    fd, temp_name = _mkstemp(folder, mode)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if not force:
            # link() fails if the target appeared meanwhile: no clobbering in a race either
            try:
                os.link(temp_name, path)
            except FileExistsError:
                raise UserError("already exists; use --force to replace it", file=str(path)) from None
            except OSError:  # no hard links on this file system (some network and FAT ones)
                if path.exists():
                    raise UserError("already exists; use --force to replace it", file=str(path)) from None
                os.replace(temp_name, path)
            else:
                os.unlink(temp_name)
        else:
            os.replace(temp_name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        raise
    _fsync_dir(folder)


def _mkstemp(folder: Path, mode: int) -> tuple[int, str]:
    import secrets

    for _ in range(100):
        name = folder / f"{TEMP_PREFIX}{os.getpid()}-{secrets.token_hex(6)}"
        try:
            fd = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), mode)
        except FileExistsError:
            continue
        except PermissionError:
            raise WriteError("permission denied", file=str(folder), errno=errno.EACCES) from None
        os.fchmod(fd, mode)  # umask may have narrowed or (never) widened it
        return fd, str(name)
    raise UserError("could not create a temporary file", file=str(folder))


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def sweep_stale_temps(folder: Path, *, older_than: float = STALE_SECONDS) -> int:
    """Remove our own temp files left by a killed process (they may hold sensitive text)."""
    removed = 0
    now = time.time()
    with contextlib.suppress(OSError):
        for entry in folder.glob(TEMP_PREFIX + "*"):
            with contextlib.suppress(OSError):
                pid = entry.name.removeprefix(TEMP_PREFIX).split("-", 1)[0]
                alive = pid.isdigit() and _pid_alive(int(pid))
                if not alive or now - entry.stat().st_mtime > older_than:
                    entry.unlink()
                    removed += 1
    return removed


def _pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
