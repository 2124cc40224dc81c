//! A matcher for the few regular-expression shapes of the partition table's
//! `regionRegex` (e.g. `^(us|eu|ap)\-\w+\-\d+$`), instead of a regex crate:
//! `^` and `$` anchors, literal characters, `\`-escapes, the classes `\w`
//! `\d` and `.`, the quantifiers `+` `*` `?` on one character, and groups of
//! alternatives `(a|b)` (nestable). Anything else does not compile, and a
//! pattern that does not compile matches nothing (the table test checks
//! that every pattern of the table compiles).

#[derive(Debug, Clone, PartialEq, Eq)]
enum Atom {
    Char(char),
    Word,
    Digit,
    Any,
}

impl Atom {
    fn matches(&self, c: char) -> bool {
        match self {
            Atom::Char(expected) => c == *expected,
            Atom::Word => c.is_ascii_alphanumeric() || c == '_',
            Atom::Digit => c.is_ascii_digit(),
            Atom::Any => c != '\n',
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Node {
    One(Atom),
    Repeat { atom: Atom, min: usize, max: usize },
    Group(Vec<Vec<Node>>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Pattern {
    start: bool,
    end: bool,
    nodes: Vec<Node>,
}

/// Compiles `pattern`; `None` for syntax outside the supported shapes.
pub(crate) fn compile(pattern: &str) -> Option<Pattern> {
    let mut chars: Vec<char> = pattern.chars().collect();
    let start = chars.first() == Some(&'^');
    if start {
        chars.remove(0);
    }
    // A `$` is an anchor unless escaped.
    let end = chars.last() == Some(&'$')
        && !(chars.len() >= 2 && chars.get(chars.len() - 2) == Some(&'\\'));
    if end {
        chars.pop();
    }
    let mut pos = 0;
    let nodes = sequence(&chars, &mut pos, false)?;
    (pos == chars.len()).then_some(Pattern { start, end, nodes })
}

/// Alternatives separated by `|` until `)` (inside a group) or the end.
fn alternatives(chars: &[char], pos: &mut usize) -> Option<Vec<Vec<Node>>> {
    let mut alts = vec![sequence(chars, pos, true)?];
    while chars.get(*pos) == Some(&'|') {
        *pos += 1;
        alts.push(sequence(chars, pos, true)?);
    }
    Some(alts)
}

fn sequence(chars: &[char], pos: &mut usize, in_group: bool) -> Option<Vec<Node>> {
    let mut nodes = Vec::new();
    while let Some(&c) = chars.get(*pos) {
        let atom = match c {
            '|' | ')' if in_group => break,
            '(' => {
                *pos += 1;
                let alts = alternatives(chars, pos)?;
                if chars.get(*pos) != Some(&')') {
                    return None;
                }
                *pos += 1;
                nodes.push(Node::Group(alts));
                continue;
            }
            '\\' => {
                *pos += 1;
                match chars.get(*pos)? {
                    'w' => Atom::Word,
                    'd' => Atom::Digit,
                    c if c.is_ascii_punctuation() => Atom::Char(*c),
                    _ => return None,
                }
            }
            '.' => Atom::Any,
            '[' | ']' | '{' | '}' | '|' | ')' | '^' | '$' | '+' | '*' | '?' => return None,
            c => Atom::Char(c),
        };
        *pos += 1;
        let (min, max) = match chars.get(*pos) {
            Some('+') => (1, usize::MAX),
            Some('*') => (0, usize::MAX),
            Some('?') => (0, 1),
            _ => {
                nodes.push(Node::One(atom));
                continue;
            }
        };
        *pos += 1;
        nodes.push(Node::Repeat { atom, min, max });
    }
    Some(nodes)
}

/// What is left to match after the current sequence: a chain up through
/// the enclosing groups.
struct Rest<'a> {
    nodes: &'a [Node],
    next: Option<&'a Rest<'a>>,
}

impl Pattern {
    pub(crate) fn is_match(&self, text: &str) -> bool {
        let text: Vec<char> = text.chars().collect();
        let starts = if self.start { 0..=0 } else { 0..=text.len() };
        starts
            .into_iter()
            .any(|from| self.match_at(&self.nodes, None, &text, from))
    }

    fn match_at(&self, nodes: &[Node], rest: Option<&Rest<'_>>, text: &[char], pos: usize) -> bool {
        let Some((first, tail)) = nodes.split_first() else {
            return match rest {
                Some(rest) => self.match_at(rest.nodes, rest.next, text, pos),
                None => !self.end || pos == text.len(),
            };
        };
        match first {
            Node::One(atom) => {
                text.get(pos).is_some_and(|&c| atom.matches(c))
                    && self.match_at(tail, rest, text, pos + 1)
            }
            Node::Repeat { atom, min, max } => {
                let available = text
                    .get(pos..)
                    .unwrap_or(&[])
                    .iter()
                    .take_while(|&&c| atom.matches(c))
                    .count()
                    .min(*max);
                // Greedy, giving back one character at a time.
                (*min..=available)
                    .rev()
                    .any(|n| self.match_at(tail, rest, text, pos + n))
            }
            Node::Group(alts) => {
                let after = Rest {
                    nodes: tail,
                    next: rest,
                };
                alts.iter()
                    .any(|alt| self.match_at(alt, Some(&after), text, pos))
            }
        }
    }
}

/// Whether `text` matches `pattern`; a pattern outside the supported shapes
/// matches nothing.
pub(crate) fn matches(pattern: &str, text: &str) -> bool {
    compile(pattern).is_some_and(|p| p.is_match(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partition_shapes_match_regions() {
        let aws = r"^(us|eu|ap|sa|ca|me|af|il|mx)\-\w+\-\d+$";
        for yes in ["us-east-1", "us-east-10", "mx-central-1", "eu-x_y-9"] {
            assert!(matches(aws, yes), "{yes}");
        }
        for no in [
            "cn-north-1",
            "us-east-",
            "us-east-1a",
            "xus-east-1",
            "us_east_1",
            "us-east",
            "",
        ] {
            assert!(!matches(aws, no), "{no}");
        }
        let eusc = r"^eusc\-(de)\-\w+\-\d+$";
        assert!(matches(eusc, "eusc-de-east-1"));
        assert!(!matches(eusc, "eusc-fr-east-1"));
        // `\w+` must give back a character for `\d` to match after it.
        assert!(matches(r"^\w+\d$", "abc1") && !matches(r"^\w+\d$", "abc"));
        assert!(matches(r"^us\-iso\-\w+\-\d+$", "us-iso-east-1"));
        assert!(matches(r"^a\w*b$", "axxb") && matches(r"^a\w*b$", "ab"));
        assert!(matches(r"^(a|ab)c$", "abc"));
        assert!(matches(r"^((a|b)x|c)$", "bx") && !matches(r"^((a|b)x|c)$", "cx"));
    }

    #[test]
    fn anchors_are_optional() {
        assert!(matches(r"east", "us-east-1"));
        assert!(matches(r"^us", "us-east-1") && !matches(r"^east", "us-east-1"));
        assert!(matches(r"1$", "us-east-1") && !matches(r"east$", "us-east-1"));
        assert!(matches(r"^a\$$", "a$"));
    }

    #[test]
    fn unsupported_syntax_does_not_compile() {
        for bad in [
            r"^[a-z]+$",
            r"^a{2}$",
            r"^(a$",
            r"^a)$",
            r"^+a$",
            r"^\sa$",
            r"\",
        ] {
            assert_eq!(compile(bad), None, "{bad}");
            assert!(!matches(bad, "a"));
        }
    }
}
