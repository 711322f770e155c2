"""Is a saved index still the index of the notes? A stamp checked with one stat per note.

The fingerprint of a build (`refresh.fingerprint`) needs the full listing of the notes: a walk
with the exclusion rules, then a stat per file. The stamp saved with the index makes the usual
case, nothing changed, cheaper: a folder's mtime changes when a file is added, removed or renamed
in it, so when the folders walked keep theirs, the notes are the ones listed at the build and
only they need a stat. Any difference sends the caller back to the full fingerprint.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

STAMP_JSON = "stamp.json"  # roots, folders and their mtimes
STAMP_NAMES = "stamp_names.txt"  # file names, folder by folder
STAMP_STATS = "stamp_stats.npy"  # int64 (size, mtime_ns) of each file
UNKNOWN = -1  # a folder changed while the build listed it: never taken as unchanged
_RECENT_NS = 2_000_000_000  # mtimes this close to the build may hide a later change


@dataclass
class Stamp:
    roots: list[str]
    folders: list[tuple[int, str]]  # (root number, path relative to the root)
    folder_mtimes: list[int]
    folder_ptr: list[int]  # files of folder i: names[folder_ptr[i]:folder_ptr[i + 1]]
    names: list[str]
    stats: np.ndarray  # int64 (n, 2): size and mtime_ns, as listed by the build

    def files(self) -> dict[str, bytes]:
        """The stamp as files of an index version folder."""
        head = {"roots": self.roots, "folders": self.folders, "folder_mtimes": self.folder_mtimes,
                "folder_ptr": self.folder_ptr}
        stats = _npy_bytes(np.ascontiguousarray(self.stats, np.int64).reshape(-1, 2))
        return {STAMP_JSON: json.dumps(head, ensure_ascii=False).encode(),
                STAMP_NAMES: "\n".join(self.names).encode("utf-8", "surrogateescape"),
                STAMP_STATS: stats}


def take(roots: Sequence[Path], sources: Sequence[Sequence], folders: Sequence[Sequence[str]],
         started_ns: int) -> Stamp:
    """The stamp of a listing: `sources` (SourceFile lists) and `folders` walked, per root.

    `started_ns` is when the listing began: a folder modified since then may have changed after
    it was read, so its mtime is not recorded.
    """
    stamp = Stamp([str(r) for r in roots], [], [], [0], [], np.zeros((0, 2), np.int64))
    stats: list[tuple[int, int]] = []
    for ri, (root, files, walked) in enumerate(zip(roots, sources, folders, strict=True)):
        by_folder: dict[str, list] = {rel: [] for rel in walked}
        for f in files:
            folder, _, name = f.rel.rpartition("/")
            by_folder.setdefault(folder, []).append((name, f.size, f.mtime_ns))
        for rel, entries in by_folder.items():
            stamp.folders.append((ri, rel))
            stamp.folder_mtimes.append(_folder_mtime(Path(root) / rel, started_ns))
            stamp.names += [name for name, _, _ in entries]
            stats += [(size, mtime) for _, size, mtime in entries]
            stamp.folder_ptr.append(len(stamp.names))
    stamp.stats = np.asarray(stats, np.int64).reshape(-1, 2)
    return stamp


def _folder_mtime(path: Path, started_ns: int) -> int:
    try:
        mtime = os.stat(path).st_mtime_ns
    except OSError:
        return UNKNOWN
    return UNKNOWN if mtime >= started_ns - _RECENT_NS else mtime


def now_ns() -> int:
    return time.time_ns()


def load(folder: Path) -> Stamp | None:
    """The stamp saved in an index version folder; None when there is none or it is damaged."""
    try:
        head = json.loads((folder / STAMP_JSON).read_bytes())
        names_blob = (folder / STAMP_NAMES).read_bytes()
        stats = np.load(folder / STAMP_STATS)
        names = names_blob.decode("utf-8", "surrogateescape").split("\n") if names_blob else []
        stamp = Stamp(head["roots"], [tuple(f) for f in head["folders"]], head["folder_mtimes"],
                      head["folder_ptr"], names, stats)
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if stats.shape != (len(names), 2) or stamp.folder_ptr[-1] != len(names):
        return None
    return stamp


def unchanged(stamp: Stamp, roots: Sequence[Path]) -> bool:
    """True when no folder walked changed and every file listed has its size and mtime."""
    if stamp.roots != [str(r) for r in roots]:
        return False
    expected = stamp.stats.tolist()
    stat = os.stat
    for i, ((ri, rel), mtime) in enumerate(zip(stamp.folders, stamp.folder_mtimes, strict=True)):
        path = os.path.join(stamp.roots[ri], rel) if rel else stamp.roots[ri]
        try:
            fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
        except OSError:
            return False
        try:
            if mtime == UNKNOWN or os.fstat(fd).st_mtime_ns != mtime:
                return False
            for j in range(stamp.folder_ptr[i], stamp.folder_ptr[i + 1]):
                try:
                    st = stat(stamp.names[j], dir_fd=fd)
                except OSError:  # a broken symlink is listed with its own stat
                    try:
                        st = stat(stamp.names[j], dir_fd=fd, follow_symlinks=False)
                    except OSError:
                        return False
                size, mtime_ns = expected[j]
                if st.st_size != size or st.st_mtime_ns != mtime_ns:
                    return False
        finally:
            os.close(fd)
    return True


def save(folder: Path, stamp: Stamp) -> None:
    """Replace the stamp of an index version, each file atomically; best effort (a stamp that
    cannot be written only means the next check lists the notes again)."""
    try:
        for name, data in stamp.files().items():
            tmp = folder / f".{name}.{os.getpid()}.tmp"
            tmp.write_bytes(data)
            os.replace(tmp, folder / name)
    except OSError:
        pass


def _npy_bytes(array: np.ndarray) -> bytes:
    import io

    buffer = io.BytesIO()
    np.save(buffer, array)
    return buffer.getvalue()
