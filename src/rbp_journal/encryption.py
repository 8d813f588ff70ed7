"""Encryption at rest with SQLCipher: the marker beside an encrypted journal, and unlocking it.

An encrypted journal is an SQLCipher 4 file (every page AES-256 with its own HMAC, so the
full-text index, the WAL and the schema are covered too). Beside it sits a small plain JSON
marker, `journal.db.encrypted.json`, saying that the file is encrypted, with which settings,
and holding a check value of the passphrase (PBKDF2-HMAC-SHA512 with its own salt and
SQLCipher's own 256,000 rounds, so no faster to guess than the journal itself). SQLCipher
gives the same error for a wrong passphrase and a damaged first page; only then is the check
value computed, to tell the two apart, so a normal start pays for one key derivation.

The passphrase comes, in this order, from the file named by RBP_PASSPHRASE_FILE, from the
system keyring when the person chose that (`--remember`) and the `keyring` package is
present, or from the caller's prompt. Never from an environment variable holding the
secret itself, never from the command line.

`sqlcipher3` is an optional extra; nothing here imports it until a journal is encrypted.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any, NamedTuple

from rbp_journal.errors import RbpError

MARKER_SUFFIX = ".encrypted.json"
# SQLCipher 4's defaults: PBKDF2-HMAC-SHA512 over a 16-byte salt stored at the file's start
KDF_ITERATIONS = 256_000
SALT_BYTES = 16
CHECK_ITERATIONS = 256_000
CIPHER = "sqlcipher 4 (AES-256, HMAC-SHA512 per page, PBKDF2-HMAC-SHA512 256,000 rounds)"
INSTALL = "python -m pip install 'rbp-journal[encryption]'"
KEYRING_SERVICE = "rbp-journal"


class EncryptionMissing(RbpError):
    def __init__(self, path: Path) -> None:
        super().__init__(
            f"{path} is encrypted, and this rbp cannot open encrypted journals: "
            f"install the extra with `{INSTALL}`."
        )


class WrongPassphrase(RbpError):
    def __init__(self, path: Path) -> None:
        super().__init__(f"That passphrase does not open {path}; nothing was changed.")


class NoPassphrase(RbpError):
    def __init__(self, path: Path) -> None:
        super().__init__(
            f"{path} is encrypted and there is no terminal to ask for its passphrase: set "
            "RBP_PASSPHRASE_FILE to a file that holds it (readable by you only)."
        )


class MarkerUnreadable(RbpError):
    def __init__(self, path: Path, db: Path, error: Exception) -> None:
        super().__init__(f"{path} cannot be read ({error}); it says how {db} is encrypted.")


class KeyringMissing(RbpError):
    def __init__(self) -> None:
        super().__init__("--remember needs the keyring package: `python -m pip install keyring`.")


class KeyringRefused(RbpError):
    def __init__(self, error: Exception) -> None:
        super().__init__(f"The system keyring refused the passphrase ({error}).")


class BadPassphraseFile(RbpError):
    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"RBP_PASSPHRASE_FILE {path} {problem}.")


class Marker(NamedTuple):
    cipher: str
    salt: str
    check: str
    iterations: int = CHECK_ITERATIONS
    keyring: bool = False

    def verifies(self, passphrase: str) -> bool:
        import hmac  # OpenSSL's bindings (about 5 ms with hashlib): encrypted journals only

        return hmac.compare_digest(_check_value(passphrase, self.salt, self.iterations), self.check)


def marker_path(db: Path) -> Path:
    return db.with_name(db.name + MARKER_SUFFIX)


def read_marker(db: Path) -> Marker | None:
    """The marker beside `db`, or None when the journal is not encrypted."""
    path = marker_path(db)
    try:
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        return Marker(**data)
    except FileNotFoundError:
        return None
    except (OSError, ValueError, TypeError) as error:
        raise MarkerUnreadable(path, db, error) from None


def make_marker(passphrase: str, keyring: bool = False) -> Marker:
    import secrets  # see Marker.verifies

    salt = secrets.token_hex(16)
    return Marker(CIPHER, salt, _check_value(passphrase, salt, CHECK_ITERATIONS), keyring=keyring)


def write_marker(db: Path, marker: Marker) -> None:
    """Owner-only, written to a temp file and renamed into place."""
    path = marker_path(db)
    temp = path.with_name(path.name + ".tmp")
    fd = os.open(temp, os.O_CREAT | os.O_TRUNC | os.O_WRONLY, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(marker._asdict(), handle, indent=2)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temp, path)


def _check_value(passphrase: str, salt: str, iterations: int) -> str:
    import hashlib  # see Marker.verifies

    key = hashlib.pbkdf2_hmac("sha512", passphrase.encode(), bytes.fromhex(salt), iterations)
    return key.hex()


# --- SQLCipher --------------------------------------------------------------------------


def driver(path: Path) -> ModuleType:
    """sqlcipher3's DB-API module, or a sentence saying how to install it."""
    try:
        from sqlcipher3 import dbapi2
    except ImportError:
        raise EncryptionMissing(path) from None
    module: ModuleType = dbapi2
    return module


def connect(path: Path, passphrase: str, timeout: float = 5.0, read_only: bool = False) -> Any:
    """An SQLCipher connection to `path` with its key set (nothing is read yet)."""
    if read_only:
        uri = f"{path.absolute().as_uri()}?mode=ro&immutable=1"
        conn = driver(path).connect(uri, uri=True, isolation_level=None, timeout=timeout)
    else:
        conn = driver(path).connect(path, isolation_level=None, timeout=timeout)
    conn.execute("PRAGMA cipher_log_level = NONE")  # its own log would go to stderr
    conn.execute(f"PRAGMA key = {_key_pragma(path, passphrase)}")
    conn.execute("PRAGMA temp_store = MEMORY")  # no plaintext temp files beside it
    return conn


def _key_pragma(path: Path, passphrase: str) -> str:
    """The key for an existing file as raw key data (its salt is its first 16 bytes), derived
    once a process for each passphrase and salt: the same PBKDF2 SQLCipher would run, so
    opening the journal, its backups and a converted copy pays for one derivation, not one
    each. A new file gets the passphrase, and SQLCipher derives it with a fresh salt."""
    try:
        with path.open("rb") as handle:
            salt = handle.read(SALT_BYTES)
    except OSError:
        salt = b""
    if len(salt) < SALT_BYTES:
        return quote(passphrase)
    return f"\"x'{_derived(passphrase, salt)}{salt.hex()}'\""


@cache
def _derived(passphrase: str, salt: bytes) -> str:
    import hashlib  # see Marker.verifies

    return hashlib.pbkdf2_hmac("sha512", passphrase.encode(), salt, KDF_ITERATIONS, 32).hex()


def quote(passphrase: str) -> str:
    """A passphrase as an SQL string literal (PRAGMA takes no bound parameters)."""
    return "'" + passphrase.replace("'", "''") + "'"


# --- unlocking --------------------------------------------------------------------------


def find_passphrase(db: Path, marker: Marker, prompt: Callable[[str], str] | None) -> str:
    """The passphrase for `db`: RBP_PASSPHRASE_FILE, then the keyring if chosen, then `prompt`."""
    from_file = os.environ.get("RBP_PASSPHRASE_FILE")
    if from_file:
        return read_passphrase_file(from_file)
    if marker.keyring:
        remembered, why = keyring_get(db)
        if remembered is not None:
            return remembered
        if prompt is not None and why:
            prompt_note = f"{why}; asking instead."
            return prompt(prompt_note)
    if prompt is None:
        raise NoPassphrase(db)
    return prompt("")


def read_passphrase_file(name: str) -> str:
    path = Path(name).expanduser()
    try:
        shared = path.stat().st_mode & 0o077
        if shared:
            raise BadPassphraseFile(
                name,
                f"is readable by others (mode {oct(path.stat().st_mode & 0o777)}); "
                f"`chmod 600 {name}` makes it yours alone",
            )
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise BadPassphraseFile(name, "does not exist") from None
    except (OSError, UnicodeDecodeError) as error:
        raise BadPassphraseFile(name, f"cannot be read ({error})") from None
    passphrase = text.rstrip("\r\n")
    if not passphrase:
        raise BadPassphraseFile(name, "is empty")
    return passphrase


def keyring_get(db: Path) -> tuple[str | None, str]:
    """The remembered passphrase, or None and why not (no keyring package or backend)."""
    try:
        import keyring
        from keyring.errors import KeyringError
    except ImportError:
        return None, "The keyring package is not installed"
    try:
        found = keyring.get_password(KEYRING_SERVICE, str(db.resolve()))
    except (KeyringError, RuntimeError):
        return None, "No system keyring is available here"
    return found, "" if found else "The keyring holds no passphrase for this journal"


def keyring_set(db: Path, passphrase: str) -> None:
    try:
        import keyring
        from keyring.errors import KeyringError
    except ImportError:
        raise KeyringMissing() from None
    try:
        keyring.set_password(KEYRING_SERVICE, str(db.resolve()), passphrase)
    except (KeyringError, RuntimeError) as error:
        raise KeyringRefused(error) from None
