//! The binding's two exception classes, how every error is built, and `ERROR_CODES`, the core's
//! table. Each error carries `.code` (the core's stable name) and `.message`; `str()` is
//! `CODE: message`.
//!
//! - `IamAuthError(ValueError)`: an input the core (or the binding) rejects.
//! - `IamAuthTypeError(IamAuthError, TypeError)`: an argument of the wrong Python type, under the
//!   code of the argument (`INVALID_PORT` for `port="5432"`), so `except pyiamauth.IamAuthError`
//!   sees every caller mistake with its code and `except TypeError` still works.

use iamauth::ErrorCode;
use pyo3::create_exception;
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyType};

create_exception!(
    pyiamauth,
    IamAuthError,
    PyValueError,
    "An input the core rejects. `.code` is the stable code name (e.g. `INVALID_PORT`), `.message` the text."
);

const TYPE_ERROR_DOC: &str = "An argument of the wrong Python type (e.g. `port=\"5432\"`): an \
    `IamAuthError` with the argument's code (`INVALID_PORT`) that is also a `TypeError`.";

/// `IamAuthTypeError`, made once per process. `create_exception!` takes one base; the class has
/// two, so it is made as Python makes classes: `type(name, bases, namespace)`.
pub(crate) fn type_error_class(py: Python<'_>) -> PyResult<&Bound<'_, PyType>> {
    static CLASS: PyOnceLock<Py<PyType>> = PyOnceLock::new();
    CLASS
        .get_or_try_init(py, || {
            let bases = (py.get_type::<IamAuthError>(), py.get_type::<PyTypeError>());
            let namespace = PyDict::new(py);
            namespace.set_item("__module__", "pyiamauth")?;
            namespace.set_item("__doc__", TYPE_ERROR_DOC)?;
            let class = py
                .get_type::<PyType>()
                .call1(("IamAuthTypeError", bases, namespace))?;
            Ok::<_, PyErr>(class.cast_into::<PyType>()?.unbind())
        })
        .map(|class| class.bind(py))
}

/// Sets `.code` (the core's name of `code`) and `.message` on a new exception of class `class`.
fn with_code(class: Bound<'_, PyType>, code: ErrorCode, message: &str) -> PyErr {
    let py = class.py();
    let code = code.name();
    let err = PyErr::from_type(class, format!("{code}: {message}"));
    let value = err.value(py);
    if let Err(e) = value
        .setattr("code", code)
        .and_then(|()| value.setattr("message", message))
    {
        return e;
    }
    err
}

/// An `IamAuthTypeError` (an `IamAuthError` and a `TypeError`): the argument's type is wrong.
pub(crate) fn type_error(py: Python<'_>, code: ErrorCode, message: &str) -> PyErr {
    match type_error_class(py) {
        Ok(class) => with_code(class.clone(), code, message),
        Err(e) => e,
    }
}

/// An `IamAuthError` (a `ValueError`: the value is wrong) under one of the core's codes.
pub(crate) fn iam_error(py: Python<'_>, code: ErrorCode, message: &str) -> PyErr {
    with_code(py.get_type::<IamAuthError>(), code, message)
}

/// A core error as an `IamAuthError` (the core's messages never hold a secret or a token).
pub(crate) fn core_error(py: Python<'_>, e: iamauth::Error) -> PyErr {
    iam_error(py, e.code(), e.message())
}

/// `ERROR_CODES`: every core code, `name -> (number, description)`, in number order, derived from
/// `ErrorCode::ALL` (nothing re-typed here).
pub(crate) fn error_codes(py: Python<'_>) -> PyResult<Bound<'_, PyDict>> {
    let table = PyDict::new(py);
    for code in ErrorCode::ALL {
        table.set_item(code.name(), (code.number(), code.description()))?;
    }
    Ok(table)
}
