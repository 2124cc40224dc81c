use std::fmt;

/// An absolute shape id, `namespace#Name`, optionally with a `$member`.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ShapeId {
    absolute: String,
    hash: usize,
    dollar: Option<usize>,
}

impl ShapeId {
    /// Parses `namespace#Name` or `namespace#Name$member`; `None` when the
    /// text is not an absolute shape id.
    pub fn parse(text: &str) -> Option<ShapeId> {
        let hash = text.find('#')?;
        let dollar = text[hash..].find('$').map(|i| i + hash);
        let namespace = &text[..hash];
        let name = &text[hash + 1..dollar.unwrap_or(text.len())];
        let valid_ident = |s: &str| {
            !s.is_empty()
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.')
        };
        if !valid_ident(namespace) || !valid_ident(name) || name.contains('.') {
            return None;
        }
        if let Some(d) = dollar {
            if !valid_ident(&text[d + 1..]) {
                return None;
            }
        }
        Some(ShapeId {
            absolute: text.to_string(),
            hash,
            dollar,
        })
    }

    /// The namespace, e.g. `com.amazonaws.bedrockagentcore`.
    pub fn namespace(&self) -> &str {
        &self.absolute[..self.hash]
    }

    /// The shape name, e.g. `GetResourceOauth2Token`.
    pub fn name(&self) -> &str {
        &self.absolute[self.hash + 1..self.dollar.unwrap_or(self.absolute.len())]
    }

    /// The member name of a member id.
    pub fn member(&self) -> Option<&str> {
        self.dollar.map(|d| &self.absolute[d + 1..])
    }

    /// The id without its member part.
    pub fn root(&self) -> ShapeId {
        match self.dollar {
            None => self.clone(),
            Some(d) => ShapeId {
                absolute: self.absolute[..d].to_string(),
                hash: self.hash,
                dollar: None,
            },
        }
    }

    /// The id as written: `namespace#Name[$member]`.
    pub fn as_str(&self) -> &str {
        &self.absolute
    }

    /// Whether this is a shape of the Smithy prelude (`smithy.api#…`).
    pub fn is_prelude(&self) -> bool {
        self.namespace() == "smithy.api"
    }
}

impl fmt::Display for ShapeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.absolute)
    }
}

impl fmt::Debug for ShapeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ShapeId({})", self.absolute)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_parts() {
        let id = ShapeId::parse("com.example#Shape$member").unwrap();
        assert_eq!(id.namespace(), "com.example");
        assert_eq!(id.name(), "Shape");
        assert_eq!(id.member(), Some("member"));
        assert_eq!(id.root().as_str(), "com.example#Shape");
    }

    #[test]
    fn rejects_relative_and_malformed_ids() {
        for bad in ["Shape", "#Shape", "ns#", "ns#Sha pe", "ns#A$", "ns#A.B"] {
            assert!(ShapeId::parse(bad).is_none(), "{bad}");
        }
    }
}
