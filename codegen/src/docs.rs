//! Turning the spec's descriptions (Markdown, or HTML converted by [`crate::html`]) into rustdoc that renders as Stripe
//! meant and that rustdoc neither warns about nor compiles as doctests.

/// HTML tags that rustdoc passes through; any other `<word>` is text such as `<currency>`.
const HTML_TAGS: &[&str] = &[
    "a", "b", "br", "code", "em", "i", "li", "ol", "p", "pre", "strong", "table", "td", "th", "tr",
    "ul",
];

/// Rustdoc-safe Markdown for a description.
pub fn sanitize(description: &str) -> String {
    let description = crate::html::to_markdown(description);
    let mut out = Vec::new();
    let mut in_fence = false;
    for line in description.lines() {
        // Leading indentation would make an indented code block, which rustdoc compiles as a test.
        let line = line.trim();
        if let Some(info) = line.strip_prefix("```") {
            // An opening fence without a language would be compiled as a Rust doctest.
            let info = if in_fence || !info.is_empty() { info } else { "text" };
            out.push(format!("```{info}"));
            in_fence = !in_fence;
            continue;
        }
        out.push(if in_fence { line.to_owned() } else { escape_line(line) });
    }
    if in_fence {
        out.push("```".to_owned());
    }
    // Collapse runs of blank lines and trim blank lines at both ends.
    let mut text = String::new();
    let mut blank = false;
    for line in out {
        if line.is_empty() {
            blank = !text.is_empty();
            continue;
        }
        if blank {
            text.push_str("\n\n");
        } else if !text.is_empty() {
            text.push('\n');
        }
        blank = false;
        text.push_str(&line);
    }
    text
}

/// Escapes brackets that are not Markdown links, HTML-like words that are not tags, and wraps
/// bare URLs, outside inline code.
fn escape_line(line: &str) -> String {
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::with_capacity(line.len() + 8);
    let mut i = 0;
    let mut in_code = false;
    while i < chars.len() {
        let c = chars[i];
        if c == '`' {
            in_code = !in_code;
            out.push(c);
            i += 1;
            continue;
        }
        if in_code {
            out.push(c);
            i += 1;
            continue;
        }
        match c {
            '[' => match link_end(&chars, i) {
                Some(end) => {
                    out.extend(&chars[i..end]);
                    i = end;
                    continue;
                }
                None => out.push_str("\\["),
            },
            ']' => out.push_str("\\]"),
            '<' if !starts_tag(&chars[i + 1..]) => out.push_str("&lt;"),
            '>' if !closes_tag(&out) => out.push_str("&gt;"),
            'h' if starts_url(&chars[i..]) && !quoted(&out) => {
                let end = url_end(&chars, i);
                out.push('<');
                out.extend(&chars[i..end]);
                out.push('>');
                i = end;
                continue;
            }
            _ => out.push(c),
        }
        i += 1;
    }
    out
}

/// The end of a Markdown link `[text](url)` starting at `start`, if there is one.
fn link_end(chars: &[char], start: usize) -> Option<usize> {
    let close = start + chars[start..].iter().position(|&c| c == ']')?;
    if chars.get(close + 1) != Some(&'(') || chars[start + 1..close].contains(&'[') {
        return None;
    }
    let end = close + 1 + chars[close + 1..].iter().position(|&c| c == ')')?;
    Some(end + 1)
}

fn starts_tag(rest: &[char]) -> bool {
    let rest = rest.strip_prefix(&['/']).unwrap_or(rest);
    let name: String = rest.iter().take_while(|c| c.is_ascii_alphanumeric()).collect();
    let after = rest.get(name.len());
    HTML_TAGS.contains(&name.to_ascii_lowercase().as_str())
        && matches!(after, Some('>' | ' ' | '/'))
}

/// Whether a `>` closes a tag kept by [`starts_tag`].
fn closes_tag(out: &str) -> bool {
    match (out.rfind('<'), out.rfind('>')) {
        (Some(open), Some(close)) => open > close,
        (Some(_), None) => true,
        _ => false,
    }
}

fn starts_url(rest: &[char]) -> bool {
    let prefix: String = rest.iter().take(8).collect();
    prefix.starts_with("http://") || prefix.starts_with("https://")
}

/// Whether the text before a URL makes it a link target or an attribute already.
fn quoted(out: &str) -> bool {
    // After an escaped `\]`, the parentheses are text, not a link target (a link the spec left
    // unclosed or broken across lines).
    if out.ends_with("\\](") {
        return false;
    }
    out.ends_with('(') || out.ends_with('"') || out.ends_with('<') || out.ends_with('\'')
}

fn url_end(chars: &[char], start: usize) -> usize {
    let mut end = start;
    while end < chars.len()
        && !chars[end].is_whitespace()
        && !matches!(chars[end], ')' | '<' | '>' | '"' | '\'' | ']')
    {
        end += 1;
    }
    while end > start && matches!(chars[end - 1], '.' | ',' | ';' | ':') {
        end -= 1;
    }
    end
}

#[cfg(test)]
mod tests {
    use super::sanitize;

    #[test]
    fn escapes_what_rustdoc_misreads() {
        assert_eq!(
            sanitize("Use `expand[]=x` or expand[] and [docs](https://x.y)."),
            "Use `expand[]=x` or expand\\[\\] and [docs](https://x.y)."
        );
        assert_eq!(sanitize("In <currency> see <code>x</code>"), "In &lt;currency&gt; see `x`");
        assert_eq!(sanitize("See https://stripe.com/docs."), "See <https://stripe.com/docs>.");
        assert_eq!(sanitize("    indented\n\n\n\nnext"), "indented\n\nnext");
        assert_eq!(sanitize("```\ncode\n```"), "```text\ncode\n```");
    }

    #[test]
    fn broken_links_keep_urls_linked() {
        assert_eq!(
            sanitize("on a [FinancialAccount](/docs/api/treasury/financial_accounts\nnext"),
            "on a \\[FinancialAccount\\](<https://stripe.com/docs/api/treasury/financial_accounts>\nnext"
        );
    }

    #[test]
    fn html_becomes_markdown() {
        let html = "<p>Issue a <a href=\"/docs/credit\">credit note</a> for a <code>status=open</code>\ninvoice:</p>\n\n<ul>\n<li>Refund: <strong>now</strong>.</li>\n<li>Credit.</li>\n</ul>\n\n<p>See <a href=\"#notes\">notes</a> in <currency>.</p>";
        assert_eq!(
            sanitize(html),
            "Issue a [credit note](https://stripe.com/docs/credit) for a `status=open`\ninvoice:\n\n- Refund: **now**.\n- Credit.\n\nSee [notes](https://stripe.com/docs/api#notes) in &lt;currency&gt;."
        );
    }
}
