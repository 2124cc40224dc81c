//! Smithy documentation (HTML) to rustdoc text that renders and never runs.

use proc_macro2::TokenStream;
use quote::quote;

/// `#[doc = …]` attributes for `html`, or for `fallback` when the model has
/// no documentation.
pub(crate) fn doc_attrs(html: Option<&str>, fallback: &str) -> TokenStream {
    let text = match html.map(html_to_text) {
        Some(text) if !text.trim().is_empty() => text,
        _ => fallback.to_string(),
    };
    let lines = text.lines().map(|line| {
        let line = format!(" {line}");
        quote!(#[doc = #line])
    });
    quote!(#(#lines)*)
}

/// Converts the HTML subset AWS models use to Markdown-ish text.
pub(crate) fn html_to_text(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    let mut in_pre = false;
    let mut in_code = false;
    let mut link: Option<String> = None;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix('<') {
            let Some(end) = after.find('>') else {
                push_text(&mut out, rest, in_pre, in_code);
                break;
            };
            let tag = &after[..end];
            rest = &after[end + 1..];
            let name = tag
                .trim_start_matches('/')
                .split(|c: char| c.is_whitespace() || c == '/')
                .next()
                .unwrap_or("")
                .to_ascii_lowercase();
            let closing = tag.starts_with('/');
            match (name.as_str(), closing) {
                ("p" | "div" | "ul" | "ol" | "dl" | "br", _) => paragraph(&mut out),
                ("li" | "dt", false) => {
                    newline(&mut out);
                    out.push_str("- ");
                }
                ("dd", false) => {
                    newline(&mut out);
                    out.push_str("  ");
                }
                ("code", closing) if !in_pre => {
                    out.push('`');
                    in_code = !closing;
                }
                ("b" | "strong", _) => out.push_str("**"),
                ("i" | "em", _) => out.push('*'),
                ("pre", false) => {
                    paragraph(&mut out);
                    out.push_str("```text\n");
                    in_pre = true;
                }
                ("pre", true) => {
                    newline(&mut out);
                    out.push_str("```\n\n");
                    in_pre = false;
                }
                ("a", false) => link = attribute(tag, "href"),
                ("a", true) => {
                    if let Some(href) = link.take() {
                        out.push_str(&format!(" (<{href}>)"));
                    }
                }
                _ => {}
            }
        } else {
            let end = rest.find('<').unwrap_or(rest.len());
            push_text(&mut out, &rest[..end], in_pre, in_code);
            rest = &rest[end..];
        }
    }
    if in_pre {
        newline(&mut out);
        out.push_str("```\n");
    }
    tidy(&out)
}

fn attribute(tag: &str, name: &str) -> Option<String> {
    let start = tag.find(&format!("{name}="))? + name.len() + 1;
    let value = &tag[start..];
    let quote = value.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let value = &value[1..];
    Some(value[..value.find(quote)?].to_string())
}

fn push_text(out: &mut String, text: &str, in_pre: bool, in_code: bool) {
    let text = decode_entities(text);
    if in_pre {
        out.push_str(&text);
        return;
    }
    if in_code {
        // Backslashes are literal inside a code span: escape nothing, and a
        // backtick (rare in models) becomes a quote so the span stays closed.
        out.push_str(&text.replace(['\n', '\r', '\t'], " ").replace('`', "'"));
        return;
    }
    for word in text.split_inclusive(char::is_whitespace) {
        let bare = word.trim_end();
        if bare.starts_with("http://") || bare.starts_with("https://") {
            out.push_str(&format!("<{bare}>"));
            out.push_str(&word[bare.len()..]);
        } else {
            for c in word.chars() {
                match c {
                    '[' | ']' | '\\' | '`' | '*' | '_' | '<' | '>' | '#' => {
                        out.push('\\');
                        out.push(c);
                    }
                    '\n' | '\t' | '\r' => out.push(' '),
                    c => out.push(c),
                }
            }
        }
    }
}

fn decode_entities(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&apos;", "'")
        .replace("&nbsp;", " ")
        .replace("&amp;", "&")
}

fn newline(out: &mut String) {
    if !out.is_empty() && !out.ends_with('\n') {
        out.push('\n');
    }
}

fn paragraph(out: &mut String) {
    // `<li><p>text</p></li>`: the item's text stays on the bullet's line.
    if out.ends_with("- ") {
        return;
    }
    newline(out);
    if !out.is_empty() && !out.ends_with("\n\n") {
        out.push('\n');
    }
}

/// Collapses runs of spaces and blank lines outside code fences.
fn tidy(text: &str) -> String {
    let mut lines: Vec<String> = Vec::new();
    let mut in_fence = false;
    for line in text.lines() {
        if line.starts_with("```") {
            in_fence = !in_fence;
            lines.push(line.to_string());
            continue;
        }
        if in_fence {
            lines.push(line.to_string());
            continue;
        }
        let collapsed = line
            .split(' ')
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        let collapsed = if line.starts_with("  ") && !collapsed.is_empty() {
            format!("  {collapsed}")
        } else {
            collapsed
        };
        if collapsed.is_empty() && lines.last().is_none_or(|l| l.is_empty()) {
            continue;
        }
        lines.push(collapsed);
    }
    while lines.last().is_some_and(|l| l.is_empty()) {
        lines.pop();
    }
    lines.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_code_links_and_lists() {
        let html = "<p>Returns the <code>token</code>.</p><p>See <a href=\"https://example.com/x\">the guide</a>.</p><ul><li><p>one</p></li><li>two [x]</li></ul>";
        assert_eq!(
            html_to_text(html),
            "Returns the `token`.\n\nSee the guide (<https://example.com/x>).\n\n- one\n\n- two \\[x\\]"
        );
    }

    #[test]
    fn pre_blocks_are_text_fences_and_entities_decode() {
        let html = "<p>a &lt;b&gt;</p><pre><code>fn main() {}</code></pre>";
        assert_eq!(
            html_to_text(html),
            "a \\<b\\>\n\n```text\nfn main() {}\n```"
        );
    }

    #[test]
    fn code_spans_are_not_escaped() {
        assert_eq!(
            html_to_text("<p>Use <code>USER_FEDERATION</code> or [x]</p>"),
            "Use `USER_FEDERATION` or \\[x\\]"
        );
    }

    #[test]
    fn bare_urls_are_wrapped() {
        assert_eq!(
            html_to_text("see https://aws.amazon.com now"),
            "see <https://aws.amazon.com> now"
        );
    }
}
