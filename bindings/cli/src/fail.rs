//! The one failure type of the command: a code name and a message, printed as
//! `error: CODE: message` on stderr with exit status 2.

use iamauth::ErrorCode;
use std::borrow::Cow;

/// The code of command-line mistakes that no core code covers (unknown flag, stray argument).
pub(crate) const USAGE: &str = "USAGE";

/// The code of a failure to write the output (no core code is about the terminal).
pub(crate) const IO: &str = "IO";

/// Why a run failed. Messages never hold a credential, a token or an argument's value.
#[derive(Debug)]
pub(crate) struct Failure {
    /// A core code name (`INVALID_PORT`, ...) or [`USAGE`].
    code: &'static str,
    /// The rule or mistake, e.g. `port: must be an integer from 1 to 65535`.
    message: Cow<'static, str>,
}

impl Failure {
    /// A failure under a core code with a message of the command's own.
    pub(crate) fn new(code: ErrorCode, message: impl Into<Cow<'static, str>>) -> Failure {
        Failure {
            code: code.name(),
            message: message.into(),
        }
    }

    /// A command-line usage mistake.
    pub(crate) fn usage(message: impl Into<Cow<'static, str>>) -> Failure {
        Failure {
            code: USAGE,
            message: message.into(),
        }
    }

    /// The output could not be written.
    pub(crate) fn io(message: &'static str) -> Failure {
        Failure {
            code: IO,
            message: Cow::Borrowed(message),
        }
    }

    /// Whether this is a command-line mistake (after which the command's synopsis is shown).
    pub(crate) fn is_usage(&self) -> bool {
        self.code == USAGE
    }

    /// The line written to stderr (without the newline).
    pub(crate) fn line(&self) -> String {
        format!("error: {}: {}", self.code, self.message)
    }
}

impl From<iamauth::Error> for Failure {
    /// Core errors pass through unchanged: same code name, same message.
    fn from(e: iamauth::Error) -> Failure {
        Failure {
            code: e.code().name(),
            message: Cow::Borrowed(e.message()),
        }
    }
}

/// The core's error from a validator called with a value it must refuse, so that the rule's
/// text is defined once, in core. The fallback only guards against a core that stops refusing.
pub(crate) fn rule_of<T>(checked: iamauth::Result<T>, code: ErrorCode, label: &str) -> Failure {
    match checked {
        Err(e) => e.into(),
        Ok(_) => Failure::new(code, format!("{label}: invalid value")),
    }
}
