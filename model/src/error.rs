use std::fmt;
use std::path::PathBuf;

/// Where in a model file something is: file, 1-based line and column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The model file (or the name of an in-memory model).
    pub file: PathBuf,
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file.display(), self.line, self.column)
    }
}

/// Why a model could not be loaded or an operation not found.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ModelError {
    /// A model file or directory could not be read.
    #[error("cannot read model {}: {source}", path.display())]
    Io {
        /// The path that failed.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A directory holds no `.json` model file.
    #[error("no .json model file in directory {}", path.display())]
    EmptyDirectory {
        /// The directory.
        path: PathBuf,
    },
    /// A file is not valid JSON, or not a Smithy JSON AST.
    #[error("invalid model JSON at {location}: {message}")]
    Json {
        /// Where the parser stopped.
        location: Location,
        /// The parser's message.
        message: String,
    },
    /// The JSON is well formed but the model is wrong at a shape.
    #[error("invalid model at {location}: shape `{shape}`: {message}")]
    Invalid {
        /// The shape's definition.
        location: Location,
        /// The shape id.
        shape: String,
        /// What is wrong.
        message: String,
    },
    /// No operation has the given name.
    #[error("unknown operation \"{name}\"{}", suggestion_text(suggestions))]
    UnknownOperation {
        /// The name asked for.
        name: String,
        /// The closest operation names of the model.
        suggestions: Vec<String>,
    },
    /// Several services or namespaces have an operation of that name.
    #[error("operation name \"{name}\" is ambiguous; use one of the absolute shape ids: {}", candidates.join(", "))]
    AmbiguousOperation {
        /// The name asked for.
        name: String,
        /// The absolute ids that match.
        candidates: Vec<String>,
    },
    /// The shape asked for exists but is not an operation.
    #[error("shape \"{id}\" is a {kind}, not an operation")]
    NotAnOperation {
        /// The shape id.
        id: String,
        /// Its type.
        kind: String,
    },
    /// No service shape binds the operation.
    #[error("operation \"{id}\" is not bound to any service shape of the model")]
    NoService {
        /// The operation id.
        id: String,
    },
}

fn suggestion_text(suggestions: &[String]) -> String {
    match suggestions {
        [] => String::new(),
        [one] => format!("; did you mean \"{one}\"?"),
        many => {
            let quoted: Vec<String> = many.iter().map(|s| format!("\"{s}\"")).collect();
            format!("; did you mean one of {}?", quoted.join(", "))
        }
    }
}
