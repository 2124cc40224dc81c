//! Finding operations and the shapes they reach.

use crate::{ModelError, Shape, ShapeGraph, ShapeId, ShapeKind};
use std::collections::BTreeSet;

impl ShapeGraph {
    /// Every service shape.
    pub fn services(&self) -> impl Iterator<Item = &Shape> {
        self.shapes().filter(|s| s.kind == ShapeKind::Service)
    }

    /// The operations bound to `service`, directly or through its resources,
    /// ordered by id.
    pub fn service_operations(&self, service: &Shape) -> BTreeSet<ShapeId> {
        let mut operations = BTreeSet::new();
        let mut seen_resources = BTreeSet::new();
        let mut stack = vec![service];
        while let Some(container) = stack.pop() {
            operations.extend(container.operations.iter().cloned());
            for resource in &container.resources {
                if seen_resources.insert(resource.clone()) {
                    if let Some(shape) = self.shape(resource) {
                        stack.push(shape);
                    }
                }
            }
        }
        operations
    }

    /// Every operation bound to a service, ordered by id.
    pub fn operations(&self) -> BTreeSet<ShapeId> {
        self.services()
            .flat_map(|s| self.service_operations(s))
            .collect()
    }

    /// The service that binds `operation`.
    pub fn service_of(&self, operation: &ShapeId) -> Result<&Shape, ModelError> {
        self.services()
            .find(|s| self.service_operations(s).contains(operation))
            .ok_or_else(|| ModelError::NoService {
                id: operation.to_string(),
            })
    }

    /// Finds an operation by name (`GetResourceOauth2Token`) or absolute id
    /// (`ns#GetResourceOauth2Token`). A miss suggests the closest names.
    pub fn find_operation(&self, name: &str) -> Result<ShapeId, ModelError> {
        if name.contains('#') {
            let id = ShapeId::parse(name).ok_or_else(|| ModelError::UnknownOperation {
                name: name.to_string(),
                suggestions: Vec::new(),
            })?;
            return match self.shape(&id) {
                Some(shape) if shape.kind == ShapeKind::Operation => Ok(id),
                Some(shape) => Err(ModelError::NotAnOperation {
                    id: name.to_string(),
                    kind: shape.kind.to_string(),
                }),
                None => Err(ModelError::UnknownOperation {
                    name: name.to_string(),
                    suggestions: suggest(
                        name,
                        self.shapes()
                            .filter(|s| s.kind == ShapeKind::Operation)
                            .map(|s| s.id.as_str()),
                    ),
                }),
            };
        }
        let mut bound = self.operations();
        if bound.is_empty() {
            // A model without a service shape (e.g. a fragment) still has
            // operations worth generating.
            bound = self
                .shapes()
                .filter(|s| s.kind == ShapeKind::Operation)
                .map(|s| s.id.clone())
                .collect();
        }
        let matches: Vec<&ShapeId> = bound.iter().filter(|id| id.name() == name).collect();
        match matches.as_slice() {
            [one] => Ok((*one).clone()),
            [] => Err(ModelError::UnknownOperation {
                name: name.to_string(),
                suggestions: suggest(name, bound.iter().map(|id| id.name())),
            }),
            many => Err(ModelError::AmbiguousOperation {
                name: name.to_string(),
                candidates: many.iter().map(|id| id.to_string()).collect(),
            }),
        }
    }

    /// The errors `operation` can return: its own, then the service's
    /// common errors, without duplicates.
    pub fn operation_errors(&self, operation: &ShapeId) -> Vec<ShapeId> {
        let mut errors: Vec<ShapeId> = self
            .shape(operation)
            .map(|s| s.errors.clone())
            .unwrap_or_default();
        if let Ok(service) = self.service_of(operation) {
            for e in &service.errors {
                if !errors.contains(e) {
                    errors.push(e.clone());
                }
            }
        }
        errors
    }

    /// Every non-prelude shape the operations reach: themselves, inputs,
    /// outputs, errors, and every member target, transitively.
    pub fn closure(&self, operations: &[ShapeId]) -> Result<BTreeSet<ShapeId>, ModelError> {
        let mut seen = BTreeSet::new();
        let mut stack: Vec<ShapeId> = Vec::new();
        for op in operations {
            let shape = self.shape(op).ok_or_else(|| ModelError::UnknownOperation {
                name: op.to_string(),
                suggestions: Vec::new(),
            })?;
            stack.push(op.clone());
            stack.extend(shape.input.iter().cloned());
            stack.extend(shape.output.iter().cloned());
            stack.extend(self.operation_errors(op));
        }
        while let Some(id) = stack.pop() {
            if id.is_prelude() || !seen.insert(id.clone()) {
                continue;
            }
            if let Some(shape) = self.shape(&id) {
                if shape.kind != ShapeKind::Operation {
                    stack.extend(shape.members.iter().map(|m| m.target.clone()));
                }
            }
        }
        Ok(seen)
    }
}

/// The candidates closest to `name` (case-insensitive edit distance), best
/// first, at most three.
fn suggest<'a>(name: &str, candidates: impl Iterator<Item = &'a str>) -> Vec<String> {
    let wanted = name.to_ascii_lowercase();
    let limit = (wanted.chars().count() / 3).max(2);
    let mut scored: Vec<(usize, &str)> = candidates
        .filter_map(|c| {
            let d = edit_distance(&wanted, &c.to_ascii_lowercase());
            (d <= limit).then_some((d, c))
        })
        .collect();
    scored.sort();
    scored.dedup();
    scored
        .into_iter()
        .take(3)
        .map(|(_, c)| c.to_string())
        .collect()
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != *cb);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        previous = current;
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_closest_names_case_insensitively() {
        let names = ["GetResourceOauth2Token", "GetResourceApiKey", "ListThings"];
        assert_eq!(
            suggest("GetResourceOAuth2Token", names.into_iter()),
            vec!["GetResourceOauth2Token"]
        );
        assert!(suggest("Completely", names.into_iter()).is_empty());
    }

    #[test]
    fn edit_distance_counts_single_edits() {
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("same", "same"), 0);
    }
}
