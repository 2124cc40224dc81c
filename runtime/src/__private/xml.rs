//! XML bodies of the Smithy data model (restXml, and the responses of
//! awsQuery and ec2Query): a writer, and a decoder that generated code
//! walks element by element.
//!
//! The decoder tokenizes with `xmlparser` (no DTD, no external entities:
//! a document with a DTD is refused) into one flat list of checked events,
//! each element knowing where its content ends, so that skipping an
//! unknown element is a jump and navigation never rescans. Element and
//! attribute names are matched by local name: namespace prefixes and
//! declarations are ignored, as AWS services are read in practice.

use super::json::TimestampFormat;
use super::rest::{timestamp_from_text, timestamp_text, TextValue};
use crate::{BigNumber, Blob, DateTime};
use std::borrow::Cow;
use std::collections::HashMap;

/// How deep elements may nest before a document is refused: far deeper
/// than any AWS response, shallow enough that recursive generated readers
/// cannot exhaust the stack.
pub const MAX_DEPTH: usize = 64;

/// An `@xmlNamespace`: the prefix (`None` for the default namespace) and
/// the URI.
pub type Namespace = Option<(Option<&'static str>, &'static str)>;

// ---------------------------------------------------------------------------
// Writing

/// Builds an XML document as text.
#[derive(Debug, Default)]
pub struct XmlWriter {
    out: String,
}

impl XmlWriter {
    pub fn new() -> Self {
        XmlWriter::default()
    }

    /// `<name`, with the namespace declaration of `namespace`; attributes
    /// may follow until [`XmlWriter::close_start`].
    pub fn open(&mut self, name: &str, namespace: Namespace) {
        self.out.push('<');
        self.out.push_str(name);
        if let Some((prefix, uri)) = namespace {
            match prefix {
                Some(prefix) => {
                    self.out.push_str(" xmlns:");
                    self.out.push_str(prefix);
                }
                None => self.out.push_str(" xmlns"),
            }
            self.attr_value(uri);
        }
    }

    /// ` name="value"` inside a start tag.
    pub fn attr(&mut self, name: &str, value: &str) {
        self.out.push(' ');
        self.out.push_str(name);
        self.attr_value(value);
    }

    fn attr_value(&mut self, value: &str) {
        self.out.push_str("=\"");
        escape(&mut self.out, value, true);
        self.out.push('"');
    }

    /// `>`: the end of a start tag.
    pub fn close_start(&mut self) {
        self.out.push('>');
    }

    /// Escaped character data.
    pub fn text(&mut self, text: &str) {
        escape(&mut self.out, text, false);
    }

    /// `</name>`.
    pub fn end(&mut self, name: &str) {
        self.out.push_str("</");
        self.out.push_str(name);
        self.out.push('>');
    }

    /// `<name>text</name>`.
    pub fn text_element(&mut self, name: &str, namespace: Namespace, text: &str) {
        self.open(name, namespace);
        self.close_start();
        self.text(text);
        self.end(name);
    }

    /// The element `name` holding `value`, in `namespace`, else the
    /// value's own (a structure's `@xmlNamespace`).
    pub fn element<T: ToXml + ?Sized>(&mut self, name: &str, namespace: Namespace, value: &T) {
        self.open(name, namespace.or(T::NAMESPACE));
        value.write_attributes(self);
        self.close_start();
        value.write_content(self);
        self.end(name);
    }

    /// The root element of a document: in `namespace` (the member's),
    /// else the value's own, else `fallback` (the service's).
    pub fn root<T: ToXml + ?Sized>(
        &mut self,
        name: &str,
        namespace: Namespace,
        fallback: Namespace,
        value: &T,
    ) {
        self.open(name, namespace.or(T::NAMESPACE).or(fallback));
        value.write_attributes(self);
        self.close_start();
        value.write_content(self);
        self.end(name);
    }

    pub fn finish(self) -> String {
        self.out
    }
}

/// Escapes markup, and the characters an XML reader would normalize away:
/// `\r` in text (line-end handling), `\r`, `\n` and `\t` in attribute
/// values (attribute-value normalization).
fn escape(out: &mut String, text: &str, attribute: bool) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if attribute => out.push_str("&quot;"),
            '\r' => out.push_str("&#xD;"),
            '\n' if attribute => out.push_str("&#xA;"),
            '\t' if attribute => out.push_str("&#x9;"),
            c => out.push(c),
        }
    }
}

/// A value with an XML form: the attributes and the content of the element
/// that holds it (its name is decided by the container).
pub trait ToXml {
    /// A structure's `@xmlNamespace`, declared by the element holding it
    /// unless the member names its own.
    const NAMESPACE: Namespace = None;

    /// The `@xmlAttribute` members of a structure.
    fn write_attributes(&self, _writer: &mut XmlWriter) {}

    /// Child elements or text.
    fn write_content(&self, writer: &mut XmlWriter);
}

macro_rules! text_to_xml {
    ($($t:ty),*) => {$(
        impl ToXml for $t {
            fn write_content(&self, writer: &mut XmlWriter) {
                writer.text(&TextValue::to_text(self));
            }
        }
    )*};
}
text_to_xml!(bool, i8, i16, i32, i64, f32, f64, BigNumber, Blob);

impl ToXml for String {
    fn write_content(&self, writer: &mut XmlWriter) {
        writer.text(self);
    }
}

impl ToXml for str {
    fn write_content(&self, writer: &mut XmlWriter) {
        writer.text(self);
    }
}

/// Timestamps in XML bodies default to `date-time`.
impl ToXml for DateTime {
    fn write_content(&self, writer: &mut XmlWriter) {
        writer.text(&timestamp_text(self, TimestampFormat::DateTime));
    }
}

impl ToXml for crate::Unit {
    fn write_content(&self, _writer: &mut XmlWriter) {}
}

/// XML protocols have no document type; `lower` refuses models that use
/// one, so this only keeps the generated impls complete.
impl ToXml for crate::Document {
    fn write_content(&self, _writer: &mut XmlWriter) {}
}

impl<T: ToXml> ToXml for Box<T> {
    const NAMESPACE: Namespace = T::NAMESPACE;
    fn write_attributes(&self, writer: &mut XmlWriter) {
        (**self).write_attributes(writer);
    }
    fn write_content(&self, writer: &mut XmlWriter) {
        (**self).write_content(writer);
    }
}

/// A null item of a sparse collection is an empty element.
impl<T: ToXml> ToXml for Option<T> {
    const NAMESPACE: Namespace = T::NAMESPACE;
    fn write_attributes(&self, writer: &mut XmlWriter) {
        if let Some(value) = self {
            value.write_attributes(writer);
        }
    }
    fn write_content(&self, writer: &mut XmlWriter) {
        if let Some(value) = self {
            value.write_content(writer);
        }
    }
}

/// The text of a timestamp in `format`.
pub fn timestamp_to_text(value: &DateTime, format: TimestampFormat) -> String {
    timestamp_text(value, format)
}

// ---------------------------------------------------------------------------
// Reading

enum Event<'a> {
    /// An element: its local name, its attributes (`attrs[first..last]`)
    /// and the index just past its content.
    Start {
        name: &'a str,
        attrs: (usize, usize),
        end: usize,
    },
    Text(Cow<'a, str>),
}

/// A parsed, well-formed XML document.
pub struct XmlDocument<'a> {
    events: Vec<Event<'a>>,
    attrs: Vec<(&'a str, Cow<'a, str>)>,
}

impl<'a> XmlDocument<'a> {
    /// Checks and tokenizes `body`: UTF-8, one root element, matching
    /// tags, known entities, no DTD, at most [`MAX_DEPTH`] levels.
    pub fn parse(body: &'a [u8]) -> Result<XmlDocument<'a>, String> {
        let text = std::str::from_utf8(body).map_err(|_| "the XML body is not UTF-8")?;
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut events = Vec::new();
        let mut attrs = Vec::new();
        // Open elements: (prefix, local name, index of the start event).
        let mut open: Vec<(&'a str, &'a str, usize)> = Vec::new();
        let mut roots = 0usize;
        // Set while a start tag's attributes are being read.
        let mut in_start: Option<usize> = None;
        for token in xmlparser::Tokenizer::from(text) {
            let token = token.map_err(|e| format!("invalid XML: {e}"))?;
            match token {
                xmlparser::Token::Declaration { .. }
                | xmlparser::Token::ProcessingInstruction { .. }
                | xmlparser::Token::Comment { .. } => {}
                xmlparser::Token::DtdStart { .. }
                | xmlparser::Token::EmptyDtd { .. }
                | xmlparser::Token::EntityDeclaration { .. }
                | xmlparser::Token::DtdEnd { .. } => {
                    return Err("invalid XML: a document type declaration is not allowed".into());
                }
                xmlparser::Token::ElementStart { prefix, local, .. } => {
                    if open.is_empty() {
                        roots += 1;
                        if roots > 1 {
                            return Err("invalid XML: more than one root element".into());
                        }
                    }
                    if open.len() >= MAX_DEPTH {
                        return Err(format!(
                            "invalid XML: elements nest deeper than {MAX_DEPTH} levels"
                        ));
                    }
                    let index = events.len();
                    events.push(Event::Start {
                        name: local.as_str(),
                        attrs: (attrs.len(), attrs.len()),
                        end: index + 1,
                    });
                    open.push((prefix.as_str(), local.as_str(), index));
                    in_start = Some(index);
                }
                xmlparser::Token::Attribute {
                    prefix,
                    local,
                    value,
                    ..
                } => {
                    let (prefix, local) = (prefix.as_str(), local.as_str());
                    // Namespace declarations are not data.
                    if prefix == "xmlns" || (prefix.is_empty() && local == "xmlns") {
                        continue;
                    }
                    attrs.push((local, unescape(value.as_str(), true)?));
                    if let Some(Event::Start { attrs: range, .. }) =
                        in_start.and_then(|i| events.get_mut(i))
                    {
                        range.1 = attrs.len();
                    }
                }
                xmlparser::Token::ElementEnd { end, .. } => {
                    let close = match end {
                        xmlparser::ElementEnd::Open => {
                            in_start = None;
                            continue;
                        }
                        xmlparser::ElementEnd::Empty => None,
                        xmlparser::ElementEnd::Close(prefix, local) => {
                            Some((prefix.as_str(), local.as_str()))
                        }
                    };
                    in_start = None;
                    let Some((prefix, local, index)) = open.pop() else {
                        return Err("invalid XML: an end tag without a start tag".into());
                    };
                    if let Some(close) = close {
                        if close != (prefix, local) {
                            return Err(format!(
                                "invalid XML: <{}> is closed by </{}>",
                                qualified(prefix, local),
                                qualified(close.0, close.1)
                            ));
                        }
                    }
                    let past = events.len();
                    if let Some(Event::Start { end, .. }) = events.get_mut(index) {
                        *end = past;
                    }
                }
                xmlparser::Token::Text { text } => {
                    let text = text.as_str();
                    if open.is_empty() {
                        if !text.trim().is_empty() {
                            return Err("invalid XML: text outside the root element".into());
                        }
                    } else {
                        events.push(Event::Text(unescape(text, false)?));
                    }
                }
                xmlparser::Token::Cdata { text, .. } => {
                    if open.is_empty() {
                        return Err("invalid XML: text outside the root element".into());
                    }
                    events.push(Event::Text(normalize_line_ends(text.as_str())));
                }
            }
        }
        if !open.is_empty() {
            return Err("invalid XML: the document ends inside an element".into());
        }
        if roots == 0 {
            return Err("invalid XML: no root element".into());
        }
        Ok(XmlDocument { events, attrs })
    }

    /// The root element.
    pub fn root(&self) -> XmlNode<'_, 'a> {
        XmlNode {
            doc: self,
            index: 0,
        }
    }
}

fn qualified(prefix: &str, local: &str) -> String {
    if prefix.is_empty() {
        local.to_string()
    } else {
        format!("{prefix}:{local}")
    }
}

/// XML line-end handling: `\r\n` and a lone `\r` read as `\n`.
fn normalize_line_ends(text: &str) -> Cow<'_, str> {
    if text.contains('\r') {
        Cow::Owned(text.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        Cow::Borrowed(text)
    }
}

/// Replaces the predefined entities and character references of `raw`;
/// any other entity is an error (there is no DTD to define one). Literal
/// line ends are normalized, and in attributes white space becomes spaces,
/// as an XML processor does.
fn unescape(raw: &str, attribute: bool) -> Result<Cow<'_, str>, String> {
    let special = |c: char| c == '&' || c == '\r' || (attribute && matches!(c, '\n' | '\t'));
    if !raw.contains(special) {
        return Ok(Cow::Borrowed(raw));
    }
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(at) = rest.find(special) {
        let (before, from) = rest.split_at(at);
        out.push_str(before);
        let mut chars = from.chars();
        match chars.next() {
            Some('&') => {
                let semicolon = from
                    .find(';')
                    .filter(|&i| i <= 12)
                    .ok_or("invalid XML: an unterminated entity reference")?;
                let name = from.get(1..semicolon).unwrap_or_default();
                out.push(entity(name)?);
                rest = from.get(semicolon + 1..).unwrap_or_default();
            }
            Some('\r') => {
                out.push(if attribute { ' ' } else { '\n' });
                rest = chars.as_str();
                rest = rest.strip_prefix('\n').unwrap_or(rest);
            }
            Some(_) => {
                out.push(' ');
                rest = chars.as_str();
            }
            None => break,
        }
    }
    out.push_str(rest);
    Ok(Cow::Owned(out))
}

fn entity(name: &str) -> Result<char, String> {
    let code = match name {
        "lt" => return Ok('<'),
        "gt" => return Ok('>'),
        "amp" => return Ok('&'),
        "apos" => return Ok('\''),
        "quot" => return Ok('"'),
        _ => match name.strip_prefix('#') {
            Some(hex) if hex.starts_with('x') => {
                u32::from_str_radix(hex.get(1..).unwrap_or_default(), 16).ok()
            }
            Some(decimal) => decimal.parse::<u32>().ok(),
            None => return Err("invalid XML: an unknown entity reference".into()),
        },
    };
    code.filter(|&c| c != 0)
        .and_then(char::from_u32)
        .ok_or_else(|| "invalid XML: an invalid character reference".into())
}

/// An element of a parsed document.
#[derive(Clone, Copy)]
pub struct XmlNode<'d, 'a> {
    doc: &'d XmlDocument<'a>,
    index: usize,
}

impl std::fmt::Debug for XmlNode<'_, '_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "<{}>", self.name())
    }
}

impl<'d, 'a> XmlNode<'d, 'a> {
    fn parts(&self) -> (&'a str, (usize, usize), usize) {
        match self.doc.events.get(self.index) {
            Some(Event::Start { name, attrs, end }) => (name, *attrs, *end),
            _ => ("", (0, 0), self.index),
        }
    }

    /// The local name (without a namespace prefix).
    pub fn name(&self) -> &'a str {
        self.parts().0
    }

    /// The value of the attribute with local name `name`.
    pub fn attr(&self, name: &str) -> Option<&'d str> {
        let (_, (first, last), _) = self.parts();
        self.doc
            .attrs
            .get(first..last)?
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_ref())
    }

    /// The child elements, in order.
    pub fn children(&self) -> Children<'d, 'a> {
        let (_, _, end) = self.parts();
        Children {
            doc: self.doc,
            next: self.index + 1,
            end,
        }
    }

    /// The first child element named `name`.
    pub fn child(&self, name: &str) -> Option<XmlNode<'d, 'a>> {
        self.children().find(|c| c.name() == name)
    }

    /// The element's text: its character data, which must not be mixed
    /// with child elements.
    pub fn text(&self) -> Result<Cow<'d, str>, String> {
        let (name, _, end) = self.parts();
        let content = self.doc.events.get(self.index + 1..end).unwrap_or_default();
        let mut text: Cow<'d, str> = Cow::Borrowed("");
        for event in content {
            match event {
                Event::Text(t) if text.is_empty() => text = Cow::Borrowed(t.as_ref()),
                Event::Text(t) => text.to_mut().push_str(t),
                Event::Start { .. } => {
                    return Err(format!("<{name}>: expected text, found an element"));
                }
            }
        }
        Ok(text)
    }
}

/// The child elements of an element.
pub struct Children<'d, 'a> {
    doc: &'d XmlDocument<'a>,
    next: usize,
    end: usize,
}

impl<'d, 'a> Iterator for Children<'d, 'a> {
    type Item = XmlNode<'d, 'a>;

    fn next(&mut self) -> Option<Self::Item> {
        while self.next < self.end {
            let index = self.next;
            match self.doc.events.get(index)? {
                Event::Start { end, .. } => {
                    // `end` is past the element's own index, so this always
                    // moves forward.
                    self.next = (*end).max(index + 1);
                    return Some(XmlNode {
                        doc: self.doc,
                        index,
                    });
                }
                Event::Text(_) => self.next += 1,
            }
        }
        None
    }
}

/// A value that can be read from the element holding it.
pub trait FromXml: Sized {
    fn from_xml(node: XmlNode<'_, '_>) -> Result<Self, String>;

    /// The value that stands in for a required member the service left out
    /// (Smithy's error correction); `None` when there is no such value.
    fn missing() -> Option<Self> {
        None
    }
}

macro_rules! text_from_xml {
    ($($t:ty => $missing:expr),*) => {$(
        impl FromXml for $t {
            fn from_xml(node: XmlNode<'_, '_>) -> Result<Self, String> {
                <$t as TextValue>::from_text(&node.text()?)
            }
            fn missing() -> Option<Self> {
                $missing
            }
        }
    )*};
}
text_from_xml!(
    bool => Some(false),
    i8 => Some(0),
    i16 => Some(0),
    i32 => Some(0),
    i64 => Some(0),
    f32 => Some(0.0),
    f64 => Some(0.0),
    BigNumber => None,
    Blob => Some(Blob::default())
);

impl FromXml for String {
    fn from_xml(node: XmlNode<'_, '_>) -> Result<Self, String> {
        node.text().map(Cow::into_owned)
    }
    fn missing() -> Option<Self> {
        Some(String::new())
    }
}

impl FromXml for DateTime {
    fn from_xml(node: XmlNode<'_, '_>) -> Result<Self, String> {
        timestamp(node, TimestampFormat::DateTime)
    }
    fn missing() -> Option<Self> {
        Some(DateTime::from_secs(0))
    }
}

impl FromXml for crate::Unit {
    fn from_xml(_node: XmlNode<'_, '_>) -> Result<Self, String> {
        Ok(crate::Unit)
    }
}

impl FromXml for crate::Document {
    fn from_xml(_node: XmlNode<'_, '_>) -> Result<Self, String> {
        Err("a document has no XML form".into())
    }
}

impl<T: FromXml> FromXml for Box<T> {
    fn from_xml(node: XmlNode<'_, '_>) -> Result<Self, String> {
        T::from_xml(node).map(Box::new)
    }
    fn missing() -> Option<Self> {
        T::missing().map(Box::new)
    }
}

/// An item of a sparse collection: an empty element is null.
impl<T: FromXml> FromXml for Option<T> {
    fn from_xml(node: XmlNode<'_, '_>) -> Result<Self, String> {
        if node.children().next().is_none() && node.text()?.is_empty() {
            Ok(None)
        } else {
            T::from_xml(node).map(Some)
        }
    }
}

/// A list read on its own (a payload, or a required member's stand-in):
/// items are `member` elements, the default name.
impl<T: FromXml> FromXml for Vec<T> {
    fn from_xml(node: XmlNode<'_, '_>) -> Result<Self, String> {
        list(node, "member", T::from_xml)
    }
    fn missing() -> Option<Self> {
        Some(Vec::new())
    }
}

/// A map read on its own: `entry` elements of `key` and `value`, the
/// default names.
impl<V: FromXml> FromXml for HashMap<String, V> {
    fn from_xml(node: XmlNode<'_, '_>) -> Result<Self, String> {
        map(node, "entry", "key", "value", V::from_xml)
    }
    fn missing() -> Option<Self> {
        Some(HashMap::new())
    }
}

impl<T: ToXml> ToXml for Vec<T> {
    fn write_content(&self, writer: &mut XmlWriter) {
        for item in self {
            writer.element("member", None, item);
        }
    }
}

impl<V: ToXml> ToXml for HashMap<String, V> {
    fn write_content(&self, writer: &mut XmlWriter) {
        for (key, value) in sorted(self) {
            writer.open("entry", None);
            writer.close_start();
            writer.text_element("key", None, key);
            writer.element("value", None, value);
            writer.end("entry");
        }
    }
}

/// A timestamp element in `format`.
pub fn timestamp(node: XmlNode<'_, '_>, format: TimestampFormat) -> Result<DateTime, String> {
    timestamp_from_text(&node.text()?, format)
}

/// A timestamp attribute (or other text) in `format`.
pub fn timestamp_from(text: &str, format: TimestampFormat) -> Result<DateTime, String> {
    timestamp_from_text(text, format)
}

/// A scalar read from attribute text.
pub fn from_attr<T: TextValue>(text: &str) -> Result<T, String> {
    T::from_text(text)
}

/// Adds `key`'s `value` to a map being read; a repeated key keeps the
/// last value, as a map can hold only one.
pub fn insert<V>(map: &mut Option<HashMap<String, V>>, key: String, value: V) {
    map.get_or_insert_with(HashMap::new).insert(key, value);
}

/// The items named `item` of a wrapped list element (others are skipped).
pub fn list<T>(
    node: XmlNode<'_, '_>,
    item: &str,
    read: impl FnMut(XmlNode<'_, '_>) -> Result<T, String>,
) -> Result<Vec<T>, String> {
    node.children()
        .filter(|child| child.name() == item)
        .map(read)
        .collect()
}

/// The entries named `entry` of a wrapped map element.
pub fn map<V>(
    node: XmlNode<'_, '_>,
    entry_name: &str,
    key: &str,
    value: &str,
    mut read: impl FnMut(XmlNode<'_, '_>) -> Result<V, String>,
) -> Result<HashMap<String, V>, String> {
    let mut map = HashMap::new();
    for child in node.children().filter(|child| child.name() == entry_name) {
        if let Some((k, v)) = entry(child, key, value, &mut read)? {
            map.insert(k, v);
        }
    }
    Ok(map)
}

/// The key and value of one map entry element; `None` for an entry
/// without a value (a dense map has no null to put there).
pub fn entry<V>(
    node: XmlNode<'_, '_>,
    key: &str,
    value: &str,
    mut read: impl FnMut(XmlNode<'_, '_>) -> Result<V, String>,
) -> Result<Option<(String, V)>, String> {
    let k = node
        .child(key)
        .ok_or_else(|| format!("a map entry has no <{key}>"))?
        .text()?
        .into_owned();
    match node.child(value) {
        Some(v) => read(v).map(|v| Some((k, v))),
        None => Ok(None),
    }
}

/// The entries of a map in key order, so that a request body does not
/// depend on hash order.
pub fn sorted<V>(map: &HashMap<String, V>) -> Vec<(&String, &V)> {
    let mut entries: Vec<(&String, &V)> = map.iter().collect();
    entries.sort_by(|a, b| a.0.cmp(b.0));
    entries
}

/// Prefixes an error with the member it was read for.
pub fn in_member(shape: &str, member: &str, error: String) -> String {
    format!("{shape}.{member}: {error}")
}

/// The message of a required member the document left out.
pub fn missing_member(shape: &str, member: &str) -> String {
    format!("{shape}.{member}: required member is missing")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<XmlDocument<'_>, String> {
        XmlDocument::parse(text.as_bytes())
    }

    #[test]
    fn children_are_matched_by_local_name_and_unknown_ones_skipped() {
        let doc = parse(
            r#"<?xml version="1.0"?><a:Root xmlns:a="urn:x" id="7"><!-- note --><a:skip><deep><deeper/></deep></a:skip><b>1</b>  <c x:y="z" xmlns:x="urn:y">two</c></a:Root>"#,
        )
        .unwrap();
        let root = doc.root();
        assert_eq!(root.name(), "Root");
        assert_eq!(root.attr("id"), Some("7"));
        assert_eq!(root.attr("a"), None);
        let names: Vec<&str> = root.children().map(|c| c.name()).collect();
        assert_eq!(names, ["skip", "b", "c"]);
        let c = root.child("c").unwrap();
        assert_eq!(c.text().unwrap(), "two");
        assert_eq!(c.attr("y"), Some("z"));
        assert!(root.text().is_err());
    }

    #[test]
    fn entities_and_character_references_are_replaced() {
        let doc = parse("<a t=\"&lt;x&amp;y&gt;&#10;\">escaped data: &amp;lt;&#xD;&#10; &apos;&quot;<![CDATA[<raw>&amp;]]></a>").unwrap();
        let root = doc.root();
        assert_eq!(root.text().unwrap(), "escaped data: &lt;\r\n '\"<raw>&amp;");
        assert_eq!(root.attr("t"), Some("<x&y>\n"));
    }

    #[test]
    fn literal_line_ends_are_normalized() {
        let doc = parse("<a v=\"1\r\n2\">x\r\ny\rz</a>").unwrap();
        assert_eq!(doc.root().text().unwrap(), "x\ny\nz");
        assert_eq!(doc.root().attr("v"), Some("1 2"));
    }

    #[test]
    fn malformed_documents_are_errors() {
        for text in [
            "",
            "   ",
            "<a>",
            "<a></b>",
            "<a></a><b></b>",
            "text<a/>",
            "<a/>text",
            "<a>&unknown;</a>",
            "<a>&#0;</a>",
            "<a>&#xFFFFFFFF;</a>",
            "<a>&#xD800;</a>",
            "<a>&amp</a>",
            "<a b=\"&nope;\"/>",
            "<p:a></q:a>",
            "</a>",
            "<a><",
        ] {
            assert!(parse(text).is_err(), "{text:?} parsed");
        }
        assert!(XmlDocument::parse(b"<a>\xff</a>").is_err());
    }

    #[test]
    fn document_type_declarations_are_refused() {
        let billion_laughs = r#"<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]><lolz>&lol2;</lolz>"#;
        let error = parse(billion_laughs).err().unwrap();
        assert!(error.contains("document type"), "{error}");
        let external = r#"<!DOCTYPE a SYSTEM "file:///etc/passwd"><a/>"#;
        assert!(parse(external).is_err());
    }

    #[test]
    fn nesting_deeper_than_the_limit_is_refused() {
        let deep = |n: usize| "<a>".repeat(n) + &"</a>".repeat(n);
        assert!(parse(&deep(MAX_DEPTH)).is_ok());
        let error = parse(&deep(MAX_DEPTH + 1)).err().unwrap();
        assert!(error.contains("deeper"), "{error}");
        // Far deeper input is refused just as fast, without recursion.
        assert!(parse(&deep(100_000)).is_err());
    }

    #[test]
    fn many_siblings_are_read_in_linear_time() {
        let n = 200_000;
        let text = format!("<r>{}</r>", "<i><j>1</j></i>".repeat(n));
        let doc = parse(&text).unwrap();
        let start = std::time::Instant::now();
        assert_eq!(doc.root().children().count(), n);
        assert!(start.elapsed() < std::time::Duration::from_secs(2));
    }

    #[test]
    fn the_writer_escapes_text_and_attributes() {
        let mut w = XmlWriter::new();
        w.open("a", Some((Some("p"), "urn:x")));
        w.attr("t", "<\"&\n\t>");
        w.close_start();
        w.text("<&>\r\n\"'");
        w.end("a");
        let text = w.finish();
        assert_eq!(
            text,
            "<a xmlns:p=\"urn:x\" t=\"&lt;&quot;&amp;&#xA;&#x9;&gt;\">&lt;&amp;&gt;&#xD;\n\"'</a>"
        );
        let doc = parse(&text).unwrap();
        assert_eq!(doc.root().attr("t"), Some("<\"&\n\t>"));
        assert_eq!(doc.root().text().unwrap(), "<&>\r\n\"'");
    }

    #[test]
    fn scalars_read_their_text() {
        let doc = parse("<r><b>true</b><i> 42 </i><f>-Infinity</f><n>NaN</n><t>2014-04-29T18:30:38Z</t><e>1398796238</e><d>dmFsdWU=</d><s>  keep  </s><x>yes</x></r>").unwrap();
        let r = doc.root();
        let child = |name| r.child(name).unwrap();
        assert!(bool::from_xml(child("b")).unwrap());
        assert_eq!(i32::from_xml(child("i")).unwrap(), 42);
        assert_eq!(f64::from_xml(child("f")).unwrap(), f64::NEG_INFINITY);
        assert!(f32::from_xml(child("n")).unwrap().is_nan());
        let t = DateTime::from_xml(child("t")).unwrap();
        assert_eq!(t, DateTime::from_secs(1_398_796_238));
        assert_eq!(
            timestamp(child("e"), TimestampFormat::EpochSeconds).unwrap(),
            t
        );
        assert_eq!(Blob::from_xml(child("d")).unwrap().as_bytes(), b"value");
        assert_eq!(String::from_xml(child("s")).unwrap(), "  keep  ");
        assert!(bool::from_xml(child("x")).is_err());
        assert!(i8::from_xml(child("d")).is_err());
    }
}
