//! The HTML in Stripe's descriptions, as Markdown for rustdoc.
//!
//! Operation descriptions are HTML (`<p>Creates a session of the <a href="/docs/billing">customer
//! portal</a>.</p>`); most others are Markdown, some with a stray `<br>`. In v524 the tags are
//! `p` (554), `code` (269), `a` (114), `strong` (14), `br` (4), `li` (3), `ul` (1) and `em` (1);
//! `b`, `i`, `ol` and `pre` are converted too. Anything else that looks like a tag (`<currency>`)
//! is text, left to [`crate::docs::sanitize`] to escape. Links relative to Stripe's site
//! (`/docs/connect`, and `#upcoming_invoice` for the API reference) become absolute, in HTML and
//! in Markdown alike.

/// Where relative links point.
const SITE: &str = "https://stripe.com";
/// Where the API reference's anchors (`#create_file`) are.
const API_REFERENCE: &str = "https://stripe.com/docs/api";

/// Markdown for a description that may hold HTML.
pub fn to_markdown(text: &str) -> String {
    let converted = if text.contains('<') { convert(text) } else { text.to_owned() };
    absolute_markdown_links(&one_line_link_texts(&converted))
}

/// Link texts that wrap (`[payment\nmethod details guide](/docs/x)`) put on one line, since
/// rustdoc's Markdown is read line by line by [`crate::docs::sanitize`].
fn one_line_link_texts(text: &str) -> String {
    if !text.contains("](") {
        return text.to_owned();
    }
    let mut chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i + 1 < chars.len() {
        if chars[i] == ']' && chars[i + 1] == '(' {
            // The `[` that opens this text, at most a few lines back.
            if let Some(open) = chars[..i].iter().rposition(|&c| c == '[' || c == ']') {
                if chars[open] == '[' && i - open < 300 {
                    for c in &mut chars[open..i] {
                        if *c == '\n' {
                            *c = ' ';
                        }
                    }
                }
            }
        }
        i += 1;
    }
    chars.into_iter().collect()
}

/// An open element whose closing tag changes what was written since it opened.
enum Open {
    /// `<a href>`: its text starts at this offset of the output.
    Link {
        href: Option<String>,
        start: usize,
    },
    /// `<code>` (inline) starting at this offset; or `<pre>`.
    Code {
        start: usize,
    },
    Pre,
    List {
        ordered: bool,
        items: usize,
    },
}

struct Converter {
    out: String,
    open: Vec<Open>,
}

fn convert(text: &str) -> String {
    let mut converter = Converter { out: String::with_capacity(text.len()), open: Vec::new() };
    let mut rest = text;
    while let Some(lt) = rest.find('<') {
        converter.text(&rest[..lt]);
        rest = &rest[lt..];
        match parse_tag(rest) {
            Some((tag, len)) => {
                converter.tag(&tag);
                rest = &rest[len..];
            }
            None => {
                converter.text("<");
                rest = &rest[1..];
            }
        }
    }
    converter.text(rest);
    // Close what the description left open.
    while let Some(open) = converter.open.pop() {
        converter.close(open);
    }
    converter.out
}

struct Tag {
    name: String,
    closing: bool,
    href: Option<String>,
}

const TAGS: &[&str] = &["a", "b", "br", "code", "em", "i", "li", "ol", "p", "pre", "strong", "ul"];

/// A known tag at the start of `text` (`<a href="x">`, `</p>`, `<br/>`) and its length.
fn parse_tag(text: &str) -> Option<(Tag, usize)> {
    let inner = &text[1..];
    let closing = inner.starts_with('/');
    let inner = inner.strip_prefix('/').unwrap_or(inner);
    let name_len = inner.find(|c: char| !c.is_ascii_alphanumeric()).unwrap_or(inner.len());
    let name = inner[..name_len].to_ascii_lowercase();
    if !TAGS.contains(&name.as_str()) {
        return None;
    }
    let after = &inner[name_len..];
    if !after.starts_with(['>', ' ', '/', '\n']) {
        return None;
    }
    let end = after.find('>')?;
    let attributes = &after[..end];
    let len = 1 + usize::from(closing) + name_len + end + 1;
    Some((Tag { href: attribute(attributes, "href"), name, closing }, len))
}

/// The value of `name="value"` (or single-quoted) among a tag's attributes.
fn attribute(attributes: &str, name: &str) -> Option<String> {
    let start = attributes.find(&format!("{name}="))? + name.len() + 1;
    let value = &attributes[start..];
    let quote = value.chars().next().filter(|c| matches!(c, '"' | '\''))?;
    let value = &value[1..];
    Some(value[..value.find(quote)?].to_owned())
}

impl Converter {
    fn in_code(&self) -> bool {
        self.open.iter().any(|open| matches!(open, Open::Code { .. } | Open::Pre))
    }

    fn text(&mut self, text: &str) {
        if self.in_code() {
            self.out.push_str(&decode_entities(text));
        } else {
            self.out.push_str(text);
        }
    }

    fn tag(&mut self, tag: &Tag) {
        if tag.closing {
            let found = self.open.iter().rposition(|open| matches_tag(open, &tag.name));
            match found {
                Some(index) => {
                    while self.open.len() > index {
                        if let Some(open) = self.open.pop() {
                            self.close(open);
                        }
                    }
                }
                None => self.close_inline(&tag.name),
            }
            return;
        }
        match tag.name.as_str() {
            "p" | "br" => self.out.push_str("\n\n"),
            "a" => self.open.push(Open::Link { href: tag.href.clone(), start: self.out.len() }),
            "code" if self.in_code() => {}
            "code" => self.open.push(Open::Code { start: self.out.len() }),
            "pre" => {
                self.out.push_str("\n\n```text\n");
                self.open.push(Open::Pre);
            }
            "strong" | "b" if !self.in_code() => self.out.push_str("**"),
            "em" | "i" if !self.in_code() => self.out.push('*'),
            "ul" | "ol" => {
                self.out.push_str("\n\n");
                self.open.push(Open::List { ordered: tag.name == "ol", items: 0 });
            }
            "li" => self.list_item(),
            _ => {}
        }
    }

    /// The closing tags of elements written as they open.
    fn close_inline(&mut self, name: &str) {
        match name {
            "p" => self.out.push_str("\n\n"),
            "li" => self.out.push('\n'),
            "strong" | "b" if !self.in_code() => self.out.push_str("**"),
            "em" | "i" if !self.in_code() => self.out.push('*'),
            _ => {}
        }
    }

    /// `- ` or `N. `, on a line of its own, right after the previous item (a tight list).
    fn list_item(&mut self) {
        let list = self.open.iter_mut().rev().find_map(|open| match open {
            Open::List { ordered, items } => Some((*ordered, items)),
            _ => None,
        });
        let (marker, first) = match list {
            Some((ordered, items)) => {
                *items += 1;
                let marker = if ordered { format!("{items}. ") } else { "- ".to_owned() };
                (marker, *items == 1)
            }
            None => ("- ".to_owned(), true),
        };
        if !first {
            let kept = self.out.trim_end_matches([' ', '\n']).len();
            self.out.truncate(kept);
        }
        if !self.out.ends_with('\n') {
            self.out.push('\n');
        }
        self.out.push_str(&marker);
    }

    fn close(&mut self, open: Open) {
        match open {
            Open::Link { href, start } => {
                let text = self.out.split_off(start);
                let text = text.trim();
                match href {
                    Some(href) if !text.is_empty() => {
                        self.out.push_str(&format!("[{text}]({})", absolute(&href)))
                    }
                    _ => self.out.push_str(text),
                }
            }
            Open::Code { start } => {
                let code = self.out.split_off(start).replace('\n', " ");
                let fence = if code.contains('`') { "``" } else { "`" };
                let pad = if code.contains('`') { " " } else { "" };
                self.out.push_str(&format!("{fence}{pad}{code}{pad}{fence}"));
            }
            Open::Pre => self.out.push_str("\n```\n\n"),
            Open::List { .. } => self.out.push_str("\n\n"),
        }
    }
}

fn matches_tag(open: &Open, name: &str) -> bool {
    match open {
        Open::Link { .. } => name == "a",
        Open::Code { .. } => name == "code",
        Open::Pre => name == "pre",
        Open::List { ordered, .. } => name == if *ordered { "ol" } else { "ul" },
    }
}

/// Text of a code element as it reads (Markdown code spans show entities literally).
fn decode_entities(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&nbsp;", " ")
        .replace("&amp;", "&")
}

/// A link target made absolute: `/docs/x` on Stripe's site, `#anchor` in the API reference.
fn absolute(href: &str) -> String {
    if href.starts_with('/') && !href.starts_with("//") {
        format!("{SITE}{href}")
    } else if href.starts_with('#') {
        format!("{API_REFERENCE}{href}")
    } else {
        href.to_owned()
    }
}

/// Markdown links `[text](/docs/x)` and `[text](#anchor)` made absolute.
fn absolute_markdown_links(text: &str) -> String {
    if !text.contains("](/") && !text.contains("](#") {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len() + 32);
    let mut rest = text;
    while let Some(at) = rest.find("](") {
        out.push_str(&rest[..at + 2]);
        rest = &rest[at + 2..];
        let end = rest.find([')', ' ', '\n']).unwrap_or(rest.len());
        out.push_str(&absolute(&rest[..end]));
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::to_markdown;

    #[test]
    fn paragraphs_links_code_and_emphasis() {
        assert_eq!(
            to_markdown("<p>Creates a session of the customer portal.</p>"),
            "\n\nCreates a session of the customer portal.\n\n"
        );
        assert_eq!(
            to_markdown(r##"<p>Use <a href="/docs/connect">Connect</a> or <a href="https://x.y/z">this</a>; see <a href="#upcoming_invoice">upcoming</a>.</p>"##),
            "\n\nUse [Connect](https://stripe.com/docs/connect) or [this](https://x.y/z); see [upcoming](https://stripe.com/docs/api#upcoming_invoice).\n\n"
        );
        assert_eq!(
            to_markdown("A <code>status=open</code> <strong>bold</strong> <em>it</em> <code>a &lt;b&gt;</code>"),
            "A `status=open` **bold** *it* `a <b>`"
        );
    }

    #[test]
    fn lists_breaks_and_unknown_tags() {
        assert_eq!(
            to_markdown("<ul>\n<li>One</li>\n<li>Two</li>\n</ul>"),
            "\n\n\n- One\n- Two\n\n\n\n"
        );
        assert_eq!(to_markdown("<ol><li>a</li><li>b</li></ol>"), "\n\n1. a\n2. b\n\n\n");
        assert_eq!(to_markdown("x <br><br>y"), "x \n\n\n\ny");
        assert_eq!(to_markdown("in <currency> and <api_key>"), "in <currency> and <api_key>");
    }

    #[test]
    fn relative_markdown_links() {
        assert_eq!(
            to_markdown("[terms](/afterpay-clearpay/legal#x) and [query](#scheduled_queries) and [abs](https://a.b)"),
            "[terms](https://stripe.com/afterpay-clearpay/legal#x) and [query](https://stripe.com/docs/api#scheduled_queries) and [abs](https://a.b)"
        );
    }

    #[test]
    fn wrapped_link_texts_join() {
        assert_eq!(
            to_markdown("the [payment\nmethod guide](/docs/x).\nNext [a]\n(b)"),
            "the [payment method guide](https://stripe.com/docs/x).\nNext [a]\n(b)"
        );
    }

    #[test]
    fn unclosed_elements_are_closed() {
        assert_eq!(to_markdown("<a href=\"/docs\">open"), "[open](https://stripe.com/docs)");
        assert_eq!(to_markdown("<code>x"), "`x`");
    }
}
