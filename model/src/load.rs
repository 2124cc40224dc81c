use crate::ast::AstModel;
use crate::error::{Location, ModelError};
use crate::ShapeGraph;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The text of one model file, kept while the graph is built so errors can
/// point at a line and column.
pub(crate) struct SourceFile {
    /// The file path, `None` for an in-memory model.
    pub(crate) path: Option<PathBuf>,
    name: PathBuf,
    text: String,
    /// Built on first use: where each shape-id key is, and where lines start.
    index: OnceLock<SourceIndex>,
}

struct SourceIndex {
    keys: HashMap<String, usize>,
    line_starts: Vec<usize>,
}

impl SourceIndex {
    /// One pass over the text: every string holding a `#` that is used as an
    /// object key (followed by `:`), first occurrence kept.
    fn build(text: &str) -> SourceIndex {
        let bytes = text.as_bytes();
        let mut keys = HashMap::new();
        let mut line_starts = vec![0];
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'\n' => line_starts.push(i + 1),
                b'"' => {
                    let start = i;
                    i += 1;
                    while i < bytes.len() && bytes[i] != b'"' {
                        if bytes[i] == b'\\' {
                            i += 1;
                        }
                        i += 1;
                    }
                    let content = text.get(start + 1..i.min(bytes.len())).unwrap_or("");
                    let mut after = i + 1;
                    while after < bytes.len() && bytes[after].is_ascii_whitespace() {
                        after += 1;
                    }
                    if content.contains('#') && bytes.get(after) == Some(&b':') {
                        keys.entry(content.to_string()).or_insert(start);
                    }
                }
                _ => {}
            }
            i += 1;
        }
        SourceIndex { keys, line_starts }
    }
}

impl SourceFile {
    fn new(path: Option<PathBuf>, name: PathBuf, text: String) -> SourceFile {
        SourceFile {
            path,
            name,
            text,
            index: OnceLock::new(),
        }
    }

    fn index(&self) -> &SourceIndex {
        self.index.get_or_init(|| SourceIndex::build(&self.text))
    }

    fn location_at(&self, offset: usize) -> Location {
        let starts = &self.index().line_starts;
        let line = starts.partition_point(|start| *start <= offset).max(1);
        let column = self.text[starts[line - 1]..offset.min(self.text.len())]
            .chars()
            .count()
            + 1;
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
        let offset = self.index().keys.get(id).copied().unwrap_or(0);
        self.location_at(offset)
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
            sources.push(SourceFile::new(Some(file.clone()), file, text));
        }
        Self::from_source_files(sources)
    }

    /// A model from JSON text; `name` is what errors call it.
    pub fn from_json(name: &str, text: &str) -> Result<ShapeGraph, ModelError> {
        Self::from_source_files(vec![SourceFile::new(
            None,
            PathBuf::from(name),
            text.to_string(),
        )])
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
    fn list_of_itself_is_rejected_with_its_shape_id() {
        let text = r#"{"smithy": "2.0", "shapes": {
  "ex#Loop": {"type": "list", "member": {"target": "ex#Loop"}}}}"#;
        let err = ShapeGraph::from_json("m.json", text)
            .unwrap_err()
            .to_string();
        assert!(err.contains("shape `ex#Loop`"), "{err}");
        assert!(err.contains("contains itself"), "{err}");
    }

    #[test]
    fn mutual_cycle_through_lists_and_maps_is_rejected() {
        let text = r#"{"smithy": "2.0", "shapes": {
  "ex#Op": {"type": "operation", "input": {"target": "ex#In"}},
  "ex#In": {"type": "structure", "members": {"a": {"target": "ex#A"}}},
  "ex#A": {"type": "list", "member": {"target": "ex#B"}},
  "ex#B": {"type": "map", "key": {"target": "smithy.api#String"}, "value": {"target": "ex#C"}},
  "ex#C": {"type": "set", "member": {"target": "ex#A"}}}}"#;
        let err = ShapeGraph::from_json("m.json", text)
            .unwrap_err()
            .to_string();
        assert!(err.contains("`ex#A` → `ex#B` → `ex#C` → `ex#A`"), "{err}");
    }

    #[test]
    fn recursion_through_a_structure_is_allowed() {
        let text = r#"{"smithy": "2.0", "shapes": {
  "ex#Node": {"type": "structure", "members": {"children": {"target": "ex#Nodes"}}},
  "ex#Nodes": {"type": "list", "member": {"target": "ex#Node"}},
  "ex#Tree": {"type": "map", "key": {"target": "smithy.api#String"}, "value": {"target": "ex#Nodes"}}}}"#;
        assert!(ShapeGraph::from_json("m.json", text).is_ok());
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
