use crate::ast::AstModel;
use crate::error::{Location, ModelError};
use crate::ShapeGraph;
use std::path::{Path, PathBuf};

/// The text of one model file, kept while the graph is built so errors can
/// point at a line and column.
pub(crate) struct SourceFile {
    /// The file path, `None` for an in-memory model.
    pub(crate) path: Option<PathBuf>,
    name: PathBuf,
    text: String,
}

impl SourceFile {
    fn location_at(&self, offset: usize) -> Location {
        let before = &self.text[..offset.min(self.text.len())];
        let line = before.matches('\n').count() + 1;
        let column = before.rfind('\n').map_or(offset, |nl| offset - nl - 1) + 1;
        Location {
            file: self.name.clone(),
            line,
            column,
        }
    }

    /// Where `needle` first occurs (line 1, column 1 if nowhere).
    pub(crate) fn location_of(&self, needle: &str) -> Location {
        self.location_at(self.text.find(needle).unwrap_or(0))
    }

    /// Where the shape keyed `id` is defined: the first `"id"` followed by a
    /// `:`, i.e. used as an object key rather than as a target.
    pub(crate) fn location_of_shape(&self, id: &str) -> Location {
        let quoted = format!("\"{id}\"");
        let mut from = 0;
        while let Some(found) = self.text[from..].find(&quoted) {
            let start = from + found;
            let after = self.text[start + quoted.len()..].trim_start();
            if after.starts_with(':') {
                return self.location_at(start);
            }
            from = start + quoted.len();
        }
        self.location_at(0)
    }

    fn parse(&self) -> Result<AstModel, ModelError> {
        serde_json::from_str(&self.text).map_err(|e| ModelError::Json {
            location: Location {
                file: self.name.clone(),
                line: e.line(),
                column: e.column(),
            },
            message: strip_position(&e.to_string()),
        })
    }
}

/// serde_json appends " at line L column C"; the location is reported apart.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

impl ShapeGraph {
    /// Loads a model file, or every `.json` file of a directory (sorted by
    /// name, not recursive) merged into one model.
    pub fn load(path: &Path) -> Result<ShapeGraph, ModelError> {
        let io = |source| ModelError::Io {
            path: path.to_path_buf(),
            source,
        };
        let metadata = std::fs::metadata(path).map_err(io)?;
        let paths = if metadata.is_dir() {
            let mut paths = Vec::new();
            for entry in std::fs::read_dir(path).map_err(io)? {
                let entry_path = entry.map_err(io)?.path();
                if entry_path.extension().is_some_and(|e| e == "json") && entry_path.is_file() {
                    paths.push(entry_path);
                }
            }
            if paths.is_empty() {
                return Err(ModelError::EmptyDirectory {
                    path: path.to_path_buf(),
                });
            }
            paths.sort();
            paths
        } else {
            vec![path.to_path_buf()]
        };
        let mut sources = Vec::with_capacity(paths.len());
        for file in paths {
            let text = std::fs::read_to_string(&file).map_err(|source| ModelError::Io {
                path: file.clone(),
                source,
            })?;
            sources.push(SourceFile {
                path: Some(file.clone()),
                name: file,
                text,
            });
        }
        Self::from_source_files(sources)
    }

    /// A model from JSON text; `name` is what errors call it.
    pub fn from_json(name: &str, text: &str) -> Result<ShapeGraph, ModelError> {
        Self::from_source_files(vec![SourceFile {
            path: None,
            name: PathBuf::from(name),
            text: text.to_string(),
        }])
    }

    /// The bundled model (see [`crate::BUNDLED_MODEL`]).
    pub fn bundled() -> Result<ShapeGraph, ModelError> {
        Self::from_json(crate::BUNDLED_MODEL_NAME, crate::BUNDLED_MODEL)
    }

    fn from_source_files(sources: Vec<SourceFile>) -> Result<ShapeGraph, ModelError> {
        let mut parsed = Vec::with_capacity(sources.len());
        for source in sources {
            let model = source.parse()?;
            parsed.push((source, model));
        }
        ShapeGraph::build(&parsed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_syntax_error_has_line_and_column() {
        let err =
            ShapeGraph::from_json("m.json", "{\n  \"smithy\": \"2.0\",\n  \"shapes\": {,}\n}")
                .unwrap_err();
        match err {
            ModelError::Json { location, .. } => {
                assert_eq!((location.line, location.column), (3, 14));
            }
            other => panic!("unexpected {other}"),
        }
    }

    #[test]
    fn dangling_target_names_shape_and_line() {
        let text = r#"{
  "smithy": "2.0",
  "shapes": {
    "ex#A": {
      "type": "structure",
      "members": { "b": { "target": "ex#Missing" } }
    }
  }
}"#;
        let err = ShapeGraph::from_json("m.json", text)
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "invalid model at m.json:4:5: shape `ex#A`: member `b` targets `ex#Missing`, which is not defined in the model"
        );
    }

    #[test]
    fn wrong_target_type_is_reported() {
        let text = r#"{"smithy": "2.0", "shapes": {
  "ex#Op": {"type": "operation", "input": {"target": "ex#S"}},
  "ex#S": {"type": "string"}}}"#;
        let err = ShapeGraph::from_json("m.json", text)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("shape `ex#Op`: operation input/output targets `ex#S`, a string, but must target a structure"),
            "{err}"
        );
    }

    #[test]
    fn apply_merges_traits_into_members() {
        let text = r#"{"smithy": "2.0", "shapes": {
  "ex#S": {"type": "structure", "members": {"a": {"target": "smithy.api#String"}}},
  "ex#S$a": {"type": "apply", "traits": {"smithy.api#required": {}}},
  "ex#S2": {"type": "apply", "traits": {}}}}"#;
        let err = ShapeGraph::from_json("m.json", text)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("`apply` targets a shape that does not exist"),
            "{err}"
        );
        let ok = text.replace(",\n  \"ex#S2\": {\"type\": \"apply\", \"traits\": {}}", "");
        let graph = ShapeGraph::from_json("m.json", &ok).unwrap();
        let shape = graph.shape(&ShapeId::parse("ex#S").unwrap()).unwrap();
        assert!(shape.member("a").unwrap().traits.required());
    }

    use crate::ShapeId;
}
