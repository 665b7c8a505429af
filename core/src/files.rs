//! Files a verifier trusts: the keys file it reads and the log it appends to (`std` only). The
//! PAM module (`keys=`, `log=`) and `iamauth verify --keys` open them here, one implementation.
//!
//! A file is opened with `O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC` and then judged by `fstat` on the
//! opened descriptor (never by a second lookup of the path, which could change in between):
//!
//! | rule | keys file | log file |
//! |---|---|---|
//! | the last path component is not a symbolic link | yes | yes |
//! | a regular file (not a FIFO, device, socket or directory) | yes | yes |
//! | owned by root or by the process's effective user | yes | yes |
//! | not writable by group or others | yes | yes |
//! | not readable by others | yes | yes (who tried to log in is not everyone's business; the group may read, as with `/var/log/auth.log`) |
//! | at most [`MAX_KEYS_FILE_LEN`] bytes | yes | - |
//! | exactly one hard link (an append through a second name writes to another file) | - | yes |
//!
//! `O_NONBLOCK` makes opening a FIFO return at once (reading: the FIFO is then refused by the
//! `fstat` check, before any read; appending: without a reader `open` fails with `ENXIO`), so a
//! FIFO planted at either path cannot hold an attempt. Only the last component is checked for a
//! link: the directories above must be as closed as the file (a root-owned `/etc/iamauth/`,
//! `/var/log/iamauth/`), as for any file a privileged program trusts.
//!
//! Errors name the rule broken, never anything read from the file.

use std::fs::File;
use std::io::{Read as _, Write as _};
use std::path::Path;

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;
use zeroize::Zeroizing;

use crate::error::{Error, ErrorCode};
use crate::keys::{MAX_KEYS_FILE_LEN, TOO_LARGE};

/// Why a keys or log file was not used.
#[derive(Debug)]
#[non_exhaustive]
pub enum FileError {
    /// The file breaks one of the rules above; the message names it (`keys file: is writable by
    /// group or others`). For a keys file this is [`ErrorCode::InsecureKeysFile`].
    Unsafe(&'static str),
    /// The file could not be opened or read (missing, no permission, an I/O error).
    Io(std::io::Error),
    /// The keys file is not UTF-8 text.
    NotUtf8,
}

impl FileError {
    /// The core's error for a keys file: `INSECURE_KEYS_FILE` naming the rule, or
    /// `INVALID_CREDENTIALS` (`keys file: cannot be read`, `keys file: must be UTF-8 text`).
    pub fn error(&self) -> Error {
        match self {
            FileError::Unsafe(rule) => Error::new(ErrorCode::InsecureKeysFile, rule),
            FileError::Io(_) => {
                Error::new(ErrorCode::InvalidCredentials, "keys file: cannot be read")
            }
            FileError::NotUtf8 => Error::new(
                ErrorCode::InvalidCredentials,
                "keys file: must be UTF-8 text",
            ),
        }
    }
}

impl fmt::Display for FileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FileError::Unsafe(rule) => f.write_str(rule),
            FileError::Io(e) => write!(f, "cannot be opened, read or written: {}", e.kind()),
            FileError::NotUtf8 => f.write_str("keys file: must be UTF-8 text"),
        }
    }
}

impl std::error::Error for FileError {}

/// Which file a rule is said of (the messages are `'static`, one per kind).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Keys,
    Log,
}

/// One rule broken, said of a keys file or of a log file.
fn rule(kind: Kind, keys: &'static str, log: &'static str) -> FileError {
    FileError::Unsafe(if kind == Kind::Keys { keys } else { log })
}

/// Reads a keys file under the rules in the module docs: its whole text, in a buffer allocated
/// once (so no partial copy of a secret is left behind by a reallocation) and wiped when dropped.
pub fn read_keys_file(path: &Path) -> Result<Zeroizing<String>, FileError> {
    let (mut file, size) = open(path, Kind::Keys)?;
    let size = usize::try_from(size).map_err(|_| too_large())?;
    // Room for one byte more than fstat said: filling it means the file grew while it was read.
    // Read into the spare capacity (no zero-filling first: a megabyte for 10,000 keys, paid on
    // every PAM attempt), never past it, so the buffer is never reallocated.
    let limit = size.saturating_add(1);
    let mut buf = Zeroizing::new(Vec::with_capacity(limit));
    (&mut file)
        .take(u64::try_from(limit).unwrap_or(u64::MAX))
        .read_to_end(&mut buf)
        .map_err(FileError::Io)?;
    let filled = buf.len();
    if filled > size {
        return Err(FileError::Io(std::io::Error::other(
            "the keys file grew while it was read (replace it with a rename instead)",
        )));
    }
    if core::str::from_utf8(&buf).is_err() {
        return Err(FileError::NotUtf8);
    }
    // Moves the buffer (no copy); the text is wiped when dropped.
    let bytes = core::mem::take(&mut *buf);
    Ok(Zeroizing::new(String::from_utf8(bytes).unwrap_or_default()))
}

fn too_large() -> FileError {
    FileError::Unsafe(TOO_LARGE)
}

/// Appends `line` to a log file under the rules in the module docs, in one `write` (`O_APPEND`:
/// lines from concurrent processes do not interleave). The file is opened for this line only
/// (a rotated log is followed at once) and created with mode 0600 when missing.
pub fn append_log_line(path: &Path, line: &str) -> Result<(), FileError> {
    let (mut file, _) = open(path, Kind::Log)?;
    file.write_all(line.as_bytes()).map_err(FileError::Io)
}

#[cfg(unix)]
fn open(path: &Path, kind: Kind) -> Result<(File, u64), FileError> {
    use std::os::unix::fs::{MetadataExt as _, OpenOptionsExt as _};

    let mut options = std::fs::OpenOptions::new();
    match kind {
        Kind::Keys => options.read(true),
        Kind::Log => options.append(true).create(true).mode(0o600),
    };
    // std adds O_CLOEXEC itself; O_NOCTTY: a terminal planted at the path never becomes ours.
    options.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK | libc::O_NOCTTY);
    let file = options.open(path).map_err(|e| match e.raw_os_error() {
        // O_NOFOLLOW on a link: ELOOP (Linux), EMLINK (FreeBSD), EFTYPE (NetBSD: not in libc's
        // list for every target, and ELOOP there too).
        Some(libc::ELOOP | libc::EMLINK) => rule(
            kind,
            "keys file: is a symbolic link",
            "log file: is a symbolic link",
        ),
        // Opening a FIFO for writing with O_NONBLOCK and no reader.
        Some(libc::ENXIO) => rule(
            kind,
            "keys file: is not a regular file",
            "log file: is not a regular file",
        ),
        _ => FileError::Io(e),
    })?;
    // fstat on the opened descriptor: the file judged is the file read or written.
    let meta = file.metadata().map_err(FileError::Io)?;
    if !meta.file_type().is_file() {
        return Err(rule(
            kind,
            "keys file: is not a regular file",
            "log file: is not a regular file",
        ));
    }
    if meta.uid() != 0 && meta.uid() != effective_uid() {
        return Err(rule(
            kind,
            "keys file: is owned by another user (must be root or the user reading it)",
            "log file: is owned by another user (must be root or the user writing it)",
        ));
    }
    if meta.mode() & 0o022 != 0 {
        return Err(rule(
            kind,
            "keys file: is writable by group or others",
            "log file: is writable by group or others",
        ));
    }
    if meta.mode() & 0o004 != 0 {
        return Err(rule(
            kind,
            "keys file: is readable by others",
            "log file: is readable by others",
        ));
    }
    match kind {
        Kind::Keys if meta.len() > MAX_KEYS_FILE_LEN => return Err(too_large()),
        Kind::Log if meta.nlink() != 1 => {
            return Err(FileError::Unsafe("log file: has more than one hard link"));
        }
        _ => {}
    }
    Ok((file, meta.len()))
}

/// The process's effective user id: the user whose files it may trust besides root's.
#[cfg(unix)]
#[allow(unsafe_code)]
fn effective_uid() -> u32 {
    // libc earns its place for this call and the O_* / errno constants: std has no safe
    // geteuid (nor the open flags), and the only alternatives read /proc (Linux only) or add a
    // larger crate. SAFETY: geteuid takes no arguments, touches no memory and cannot fail.
    unsafe { libc::geteuid() }
}

/// Without unix permissions to check (not a target this crate ships for), only the size rule
/// and the regular-file rule apply.
#[cfg(not(unix))]
fn open(path: &Path, kind: Kind) -> Result<(File, u64), FileError> {
    let mut options = std::fs::OpenOptions::new();
    match kind {
        Kind::Keys => options.read(true),
        Kind::Log => options.append(true).create(true),
    };
    let file = options.open(path).map_err(FileError::Io)?;
    let meta = file.metadata().map_err(FileError::Io)?;
    if !meta.file_type().is_file() {
        return Err(rule(
            kind,
            "keys file: is not a regular file",
            "log file: is not a regular file",
        ));
    }
    if kind == Kind::Keys && meta.len() > MAX_KEYS_FILE_LEN {
        return Err(too_large());
    }
    Ok((file, meta.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_size_message_states_the_limit() {
        let message = alloc::format!("{}", too_large());
        assert!(message.contains(&alloc::format!("({MAX_KEYS_FILE_LEN} bytes")));
    }
}
