//! A small splitter that reads fields from the fuzzer's bytes.
//!
//! Inputs are mostly text, one field per line, so that seeds can be written
//! by hand and a crash input can be read in an editor.

/// The fuzzer's bytes, consumed front to back.
pub(crate) struct Input<'a> {
    rest: &'a [u8],
}

impl<'a> Input<'a> {
    pub(crate) fn new(data: &'a [u8]) -> Self {
        Input { rest: data }
    }

    /// One byte (0 when the input is exhausted).
    pub(crate) fn byte(&mut self) -> u8 {
        match self.rest.split_first() {
            Some((&b, rest)) => {
                self.rest = rest;
                b
            }
            None => 0,
        }
    }

    /// The bytes up to the next `\n` (which is consumed), or all that is left.
    pub(crate) fn line(&mut self) -> &'a [u8] {
        match self.rest.iter().position(|&b| b == b'\n') {
            Some(i) => {
                let line = &self.rest[..i];
                self.rest = &self.rest[i + 1..];
                line
            }
            None => std::mem::take(&mut self.rest),
        }
    }

    /// [`Input::line`] as text, invalid UTF-8 replaced.
    pub(crate) fn text_line(&mut self) -> String {
        String::from_utf8_lossy(self.line()).into_owned()
    }

    /// `name: value` lines up to an empty line (or the end): the pairs, split
    /// at the first `:`, the value's leading spaces removed. A line without
    /// `:` is a name with an empty value.
    pub(crate) fn header_lines(&mut self) -> Vec<(&'a [u8], &'a [u8])> {
        let mut headers = Vec::new();
        while !self.rest.is_empty() {
            let line = self.line();
            if line.is_empty() {
                break;
            }
            let (name, value) = match line.iter().position(|&b| b == b':') {
                Some(i) => (&line[..i], &line[i + 1..]),
                None => (line, &line[line.len()..]),
            };
            let start = value.iter().position(|&b| b != b' ').unwrap_or(value.len());
            headers.push((name, &value[start..]));
        }
        headers
    }

    /// Everything not consumed yet.
    pub(crate) fn rest(self) -> &'a [u8] {
        self.rest
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_lines_headers_and_body() {
        let mut input = Input::new(b"\x07200\nA: b\nC:d\nE\n\n{\"x\":1}\n");
        assert_eq!(input.byte(), 7);
        assert_eq!(input.text_line(), "200");
        let headers = input.header_lines();
        assert_eq!(
            headers,
            [
                (&b"A"[..], &b"b"[..]),
                (&b"C"[..], &b"d"[..]),
                (&b"E"[..], &b""[..])
            ]
        );
        assert_eq!(input.rest(), b"{\"x\":1}\n");
    }

    #[test]
    fn an_empty_input_reads_as_defaults() {
        let mut input = Input::new(b"");
        assert_eq!(input.byte(), 0);
        assert_eq!(input.line(), b"");
        assert!(input.header_lines().is_empty());
        assert_eq!(input.rest(), b"");
    }
}
