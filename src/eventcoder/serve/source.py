"""Where the API reads from: the store file itself, or a snapshot of it.

DuckDB lets one process write a file, and a writer cannot open a file that
another process reads. ``DirectSource`` reads the file (simple; an ingest into
the same file must wait for the server to stop). ``SnapshotSource`` serves a
private copy, taken while holding a read lock so that the copy is consistent,
and takes a new copy when the file has changed and no writer holds it: the
server keeps answering while an ingest writes, and shows the new data once
the ingest has closed the file.

Requests lease a store for their duration; a replaced snapshot is closed and
deleted when its last lease ends.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from ..errors import StoreError
from ..store.duckdb_store import DuckDBStore

log = logging.getLogger(__name__)


class DirectSource:
    """The store file, opened read-only once and shared by every request."""

    def __init__(self, path: Path) -> None:
        self.store = DuckDBStore.open(path, read_only=True)

    @contextmanager
    def lease(self) -> Iterator[DuckDBStore]:
        yield self.store

    def version(self, *, refresh: bool = True) -> str | None:
        """Names the data answers come from; a read-only file never changes under us."""
        return str(self.store.path)

    def close(self) -> None:
        self.store.close()


def _stamp(path: Path) -> tuple[int, int, int]:
    """What changes when a store is written: the file's and its WAL's mtime and size."""
    wal = path.with_name(path.name + ".wal")
    main = path.stat()
    wal_mtime = wal.stat().st_mtime_ns if wal.exists() else 0
    return main.st_mtime_ns, main.st_size, wal_mtime


class SnapshotSource:
    """A private copy of the store, refreshed at most every ``refresh_s`` seconds when the file changed."""

    def __init__(self, path: Path, *, refresh_s: float = 5.0) -> None:
        self.path = path
        self.refresh_s = refresh_s
        self._dir = Path(tempfile.mkdtemp(prefix="eventcoder-snapshot-"))
        self._lock = threading.Lock()
        self._refreshing = threading.Lock()
        self._leases: dict[int, int] = {}
        self._retired: dict[int, tuple[DuckDBStore, Path]] = {}
        self._serial = 0
        self._checked = time.monotonic()
        try:
            self.store, self._file, self._stamp = self._take()
        except BaseException:
            shutil.rmtree(self._dir, ignore_errors=True)
            raise

    def _take(self) -> tuple[DuckDBStore, Path, tuple[int, int, int]]:
        self._serial += 1
        target = self._dir / f"snapshot-{self._serial}.duckdb"
        try:
            # The read-only connection holds a shared lock: no writer can start while we copy.
            with duckdb.connect(str(self.path), read_only=True):
                stamp = _stamp(self.path)
                shutil.copyfile(self.path, target)
                wal = self.path.with_name(self.path.name + ".wal")
                if wal.exists():
                    shutil.copyfile(wal, target.with_name(target.name + ".wal"))
        except duckdb.Error as error:
            raise StoreError(
                f"cannot take a snapshot: {str(error).strip().splitlines()[0]}", where=str(self.path),
                hint="another process is writing the store; the server will retry",
            ) from None
        return DuckDBStore.open(target, read_only=True), target, stamp

    def _changed(self) -> bool:
        try:
            return _stamp(self.path) != self._stamp
        except OSError:
            return False

    def _maybe_refresh(self) -> None:
        now = time.monotonic()
        if now - self._checked < self.refresh_s or not self._refreshing.acquire(blocking=False):
            return
        try:
            self._checked = now
            if not self._changed():
                return
            try:
                fresh = self._take()
            except StoreError as error:
                log.info("keeping the current snapshot: %s", error)
                return
            with self._lock:
                old, old_file = self.store, self._file
                self.store, self._file, self._stamp = fresh
                self._retire(old, old_file)
        finally:
            self._refreshing.release()

    def _retire(self, store: DuckDBStore, file: Path) -> None:
        """Close a replaced snapshot now if no request uses it, else when its last lease ends (lock held)."""
        if self._leases.get(id(store), 0) == 0:
            _discard(store, file)
        else:
            self._retired[id(store)] = (store, file)

    def version(self, *, refresh: bool = True) -> str | None:
        """The current snapshot's file name, which changes with every new snapshot.

        ``refresh=False`` never copies a file (safe on the event loop) and answers None when a check for a
        newer store file is due: the caller must then ask again with ``refresh=True`` from a worker thread.
        """
        if refresh:
            self._maybe_refresh()
        elif time.monotonic() - self._checked >= self.refresh_s:
            return None
        with self._lock:
            return str(self._file)

    @contextmanager
    def lease(self) -> Iterator[DuckDBStore]:
        self._maybe_refresh()
        with self._lock:
            store = self.store
            self._leases[id(store)] = self._leases.get(id(store), 0) + 1
        try:
            yield store
        finally:
            with self._lock:
                self._leases[id(store)] -= 1
                if self._leases[id(store)] == 0:
                    del self._leases[id(store)]
                    retired = self._retired.pop(id(store), None)
                    if retired:
                        _discard(*retired)

    def close(self) -> None:
        with self._lock:
            self.store.close()
            for store, _ in self._retired.values():
                store.close()
            self._retired.clear()
        shutil.rmtree(self._dir, ignore_errors=True)


def _discard(store: DuckDBStore, file: Path) -> None:
    store.close()
    for path in (file, file.with_name(file.name + ".wal")):
        path.unlink(missing_ok=True)
