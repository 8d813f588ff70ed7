"""Encryption at rest, as use cases: encrypting the journal (and rbp's plain backups of it),
decrypting it, and changing the passphrase of the journal and its encrypted backups."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from rbp_journal import encryption
from rbp_journal.errors import RbpError
from rbp_journal.store import JournalLock, cipher, files, open_store, overwrite, swaps

if TYPE_CHECKING:
    from rbp_journal.journal import Journal


class AlreadyEncrypted(RbpError):
    def __init__(self, path: Path) -> None:
        super().__init__(f"{path} is already encrypted; `rbp passphrase` changes the passphrase.")


class NotEncrypted(RbpError):
    def __init__(self, path: Path, advice: str = "") -> None:
        super().__init__(f"{path} is not encrypted{advice}.")


class ConversionFailed(RbpError):
    def __init__(self, path: Path) -> None:
        super().__init__(f"The converted copy of {path} did not check out; {path} is unchanged.")


class Cipher:
    def __init__(self, journal: Journal) -> None:
        self.j = journal

    def encrypt(self, secret: str, remember: bool = False) -> list[Path]:
        """Encrypt the journal, then every rbp file beside it that holds words in plain text
        (see encrypt_beside); returns those files. Other rbp processes are held off until
        the journal is replaced; a crash part way is finished by running it again."""
        path = self.j.store.path
        if self.j.store.key is not None:
            raise AlreadyEncrypted(path)
        marker = encryption.make_marker(secret, keyring=remember)
        with self.j.store.connection.alone("encrypting") as lock:
            self._replace_journal(None, secret, marker, lock)
            done = self.encrypt_beside()
        if remember:
            encryption.keyring_set(path, secret)
        return done

    def encrypt_beside(self) -> list[Path]:
        """Encrypt what rbp left beside an encrypted journal in plain text: copies of the
        journal (backups, the file a restore replaced, the copy before `scan --mask`) are
        encrypted in place; kept words and editor texts move into encrypted kept-words files;
        the plain bytes are overwritten. Returns the files dealt with."""
        key = self.j.store.key
        path = self.j.store.path
        if key is None:
            raise NotEncrypted(path, "; `rbp encrypt` does that")
        done = []
        for copy in files.journal_copies(path):
            if not encryption.marker_path(copy).exists():
                convert_file(path, copy, None, key.secret, key.marker, expected=None)
                done.append(copy)
        for kept in files.kept_words(path):
            if kept.suffix == ".json":
                files.keep_words(path, key, files.read_kept(kept, None))
                files.forget_kept(kept)
                done.append(kept)
        for text in files.editor_texts(path):
            files.keep_words(path, key, {"template": text.read_text(encoding="utf-8")})
            overwrite.shred(text)
            done.append(text)
        return done

    def decrypt(self) -> None:
        """Store the journal unencrypted again (its backups stay encrypted)."""
        if self.j.store.key is None:
            raise NotEncrypted(self.j.store.path)
        with self.j.store.connection.alone("decrypting") as lock:
            self._replace_journal(self.j.store.key.secret, None, None, lock)

    def change_passphrase(
        self, secret: str, remember: bool = False
    ) -> tuple[list[Path], list[Path]]:
        """Re-encrypt the journal and every encrypted copy beside it under a new passphrase,
        all or nothing: each is re-keyed into a new file first, then all are swapped in
        together (a crash part way is finished at the next start). Returns the copies
        changed, and those left as they were (encrypted with yet another passphrase)."""
        store = self.j.store
        key = store.key
        if key is None:
            raise NotEncrypted(store.path, "; `rbp encrypt` does that")
        path = store.path
        marker = encryption.make_marker(secret, keyring=remember or key.marker.keyring)
        beside = [*files.journal_copies(path), *files.kept_words(path)]
        encrypted = [p for p in beside if encryption.marker_path(p).exists()]
        with store.connection.alone("changing the passphrase of") as lock:
            plans: list[swaps.Swap] = []
            changed, left = [], []
            try:
                for copy in encrypted:
                    theirs = encryption.read_marker(copy)
                    if theirs is None or not (theirs == key.marker or theirs.verifies(key.secret)):
                        left.append(copy)
                        continue
                    plans.append(rekeyed(path, copy, key.secret, secret, marker, None))
                    changed.append(copy)
                expected = cipher.table_counts(store.connection)
                cipher.checkpoint(store.connection)
                plans.append(rekeyed(path, path, key.secret, secret, marker, expected))
            except BaseException:
                for plan in plans:
                    overwrite.discard(path.parent / plan.new)
                lock.release()
                raise
            store.close()
            try:
                swaps.swap(path, plans)
            finally:
                self.j.store = open_store(path, secret=secret, lock=lock, tell=self.j.tell)
        if remember:
            encryption.keyring_set(path, secret)
        return changed, left

    def _replace_journal(
        self,
        old: str | None,
        new: str | None,
        marker: encryption.Marker | None,
        lock: JournalLock,
    ) -> None:
        path = self.j.store.path
        try:
            expected = cipher.table_counts(self.j.store.connection)
            cipher.checkpoint(self.j.store.connection)
            self.j.store.close()
        except BaseException:
            lock.release()
            raise
        try:
            convert_file(path, path, old, new, marker, expected)
        finally:  # the journal as it now is: converted, or as it was if that failed
            secret = (new or old) if encryption.read_marker(path) else None
            self.j.store = open_store(path, secret=secret, lock=lock, tell=self.j.tell)


def convert_file(
    db: Path,
    path: Path,
    old: str | None,
    new: str | None,
    marker: encryption.Marker | None,
    expected: dict[str, int] | None,
) -> None:
    """Encrypt or decrypt one file (the journal at `db`, or a copy beside it): converted into
    a new file, checked (integrity and the same rows), then swapped in; the replaced file's
    bytes are overwritten when they were plain text."""
    temp = swaps.staged(path, ".converting")
    overwrite.discard(temp)
    try:
        cipher.convert(path, temp, old, new)
        if marker is not None:
            encryption.write_marker(temp, marker)
        else:
            cipher.plain_index(temp)
        _check(path, temp, new, expected)
    except BaseException:
        overwrite.discard(temp)
        raise
    swaps.swap(db, [_plan(db, temp, path, marker, shred=old is None)])


def rekeyed(
    db: Path,
    path: Path,
    old: str,
    new: str,
    marker: encryption.Marker,
    expected: dict[str, int] | None,
) -> swaps.Swap:
    """A checked copy of `path` under the new passphrase, and the plan to swap it in."""
    temp = swaps.staged(path, ".rekeyed")
    overwrite.discard(temp)
    try:
        cipher.convert(path, temp, old, new)
        encryption.write_marker(temp, marker)
        _check(path, temp, new, expected)
    except BaseException:
        overwrite.discard(temp)
        raise
    return _plan(db, temp, path, marker, shred=False)


def _check(path: Path, temp: Path, secret: str | None, expected: dict[str, int] | None) -> None:
    check = open_store(temp, secret=secret, read_only=True)
    try:
        problems = [line for line in check.connection.integrity_check() if line != "ok"]
        counts = cipher.table_counts(check.connection) if expected is not None else None
    finally:
        check.close()
    if problems or counts != expected:
        raise ConversionFailed(path)


def _plan(
    db: Path, temp: Path, path: Path, marker: encryption.Marker | None, shred: bool
) -> swaps.Swap:
    folder = db.parent
    return swaps.Swap(
        str(temp.relative_to(folder)),
        str(path.relative_to(folder)),
        marker._asdict() if marker is not None else None,
        shred,
    )
