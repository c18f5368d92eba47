//! The generator's error type: what could not be read, or what the spec has that the generator
//! does not support, named by its JSON pointer.

use std::path::PathBuf;

/// Everything that can stop generation. Each error names the file or the spec location at fault.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("cannot read {path}: {source}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("{path} is not valid YAML: {source}")]
    Yaml { path: PathBuf, source: serde_yaml::Error },
    #[error("{path} is not valid JSON: {source}")]
    Json { path: PathBuf, source: serde_json::Error },
    #[error("{path} is not an OpenAPI 3.0 document: {source}")]
    Model { path: PathBuf, source: serde_json::Error },
    #[error("{pointer}: {message}")]
    Unsupported { pointer: String, message: String },
    #[error("generated code for {file} does not parse as Rust: {source}")]
    Render { file: String, source: syn::Error },
    #[error("generated code for {file}: an item formatted by the generator lost its place in the formatted file")]
    Verbatim { file: String },
}

impl Error {
    pub(crate) fn unsupported(pointer: &str, message: impl Into<String>) -> Self {
        Error::Unsupported { pointer: pointer.to_owned(), message: message.into() }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
