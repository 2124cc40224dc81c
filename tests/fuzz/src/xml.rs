//! `xml_decode`: arbitrary bytes through the XML body decoder (restXml
//! bodies, awsQuery and ec2Query responses).

use opgen::__private::xml::{XmlDocument, XmlNode, XmlWriter, MAX_DEPTH};

/// The input is an XML document, or anything else.
///
/// Invariants: `XmlDocument::parse` never panics (nor exhausts memory or
/// the stack); when it succeeds, walking every element (names, attributes,
/// children, text) never panics, no element is deeper than `MAX_DEPTH`,
/// and the text of every leaf, written back by `XmlWriter`, parses to the
/// same text.
pub fn xml_decode(data: &[u8]) {
    let Ok(document) = XmlDocument::parse(data) else {
        return;
    };
    // An explicit stack: the walk itself must not recurse on hostile input.
    let mut stack: Vec<(XmlNode<'_, '_>, usize)> = vec![(document.root(), 1)];
    while let Some((node, depth)) = stack.pop() {
        assert!(
            depth <= MAX_DEPTH,
            "an element at depth {depth} was accepted"
        );
        let name = node.name();
        assert!(!name.is_empty(), "an element without a name");
        let _ = node.attr("id");
        let mut children = 0;
        for child in node.children() {
            children += 1;
            stack.push((child, depth + 1));
        }
        match node.text() {
            Ok(text) => {
                assert_eq!(children, 0, "<{name}> has children and text() succeeded");
                let mut writer = XmlWriter::new();
                writer.text_element("a", None, &text);
                let written = writer.finish();
                let again = XmlDocument::parse(written.as_bytes()).unwrap_or_else(|e| {
                    panic!("{written:?} written from {text:?} does not parse: {e}")
                });
                let read = again.root().text().unwrap_or_default();
                assert_eq!(read, text, "the text did not survive writing");
            }
            Err(_) => assert!(children > 0, "<{name}> has no children but text() failed"),
        }
    }
}
