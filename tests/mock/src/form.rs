//! Stripe's form encoding, parsed into a tree: `a[b][c]=v`, `items[0][price]=p`,
//! `items[][price]=p`, repeated keys, percent-encoded or raw brackets, `+` for a space.

use indexmap::IndexMap;

/// One parsed parameter value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    /// A plain value (`a=v`).
    Leaf(String),
    /// An uploaded file part of a multipart body.
    File { filename: String, len: usize },
    /// Named (or indexed, `items[0]`) children.
    Map(IndexMap<String, Node>),
    /// Children appended with `[]` or by repeating a key.
    List(Vec<Node>),
}

impl Node {
    /// A JSON value as the tree its form encoding would parse into: objects as maps, arrays as
    /// lists, scalars as their text, `null` as the empty (unset) value.
    pub fn from_json(value: serde_json::Value) -> Node {
        use serde_json::Value;
        match value {
            Value::Object(map) => Node::Map(
                map.into_iter().map(|(key, value)| (key, Node::from_json(value))).collect(),
            ),
            Value::Array(items) => Node::List(items.into_iter().map(Node::from_json).collect()),
            Value::String(text) => Node::Leaf(text),
            Value::Null => Node::Leaf(String::new()),
            other => Node::Leaf(other.to_string()),
        }
    }
}

/// The most segments a parameter name may have (`a[b][c]` has 3); deeper names are refused.
pub const MAX_DEPTH: usize = 32;

/// A parameter name that cannot be parsed, or that conflicts with an earlier one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormError {
    pub param: String,
    pub message: String,
}

/// Parameters of one request, in the order they arrived.
pub type Params = IndexMap<String, Node>;

/// Parses an `application/x-www-form-urlencoded` string (a query string or a body).
pub fn parse_urlencoded(input: &[u8]) -> Result<Params, FormError> {
    let mut params = Params::new();
    parse_urlencoded_into(&mut params, input)?;
    Ok(params)
}

/// Adds the parameters of an urlencoded string to `params`.
pub fn parse_urlencoded_into(params: &mut Params, input: &[u8]) -> Result<(), FormError> {
    for (key, value) in form_urlencoded::parse(input) {
        if key.is_empty() && value.is_empty() {
            continue;
        }
        insert(params, &key, Node::Leaf(value.into_owned()))?;
    }
    Ok(())
}

/// Adds `value` under the bracketed `key` (`a[b][0][c]`, `a[]`).
pub fn insert(params: &mut Params, key: &str, value: Node) -> Result<(), FormError> {
    let segments = split_key(key)?;
    let (first, rest) = segments.split_first().ok_or_else(|| invalid_name(key))?;
    insert_into(params, first, rest, value, key)
}

fn invalid_name(key: &str) -> FormError {
    FormError { param: key.to_owned(), message: format!("Invalid parameter name: {key}") }
}

fn conflict(key: &str) -> FormError {
    FormError {
        param: key.to_owned(),
        message: format!(
            "Invalid parameter {key}: it is given both as a value and as a hash or an array"
        ),
    }
}

/// `a[b][][c]` -> `["a", "b", "", "c"]`.
fn split_key(key: &str) -> Result<Vec<String>, FormError> {
    let (head, mut tail) = match key.find('[') {
        Some(at) => key.split_at(at),
        None => (key, ""),
    };
    if head.is_empty() || head.contains(']') {
        return Err(invalid_name(key));
    }
    let mut segments = vec![head.to_owned()];
    while !tail.is_empty() {
        let inner = tail.strip_prefix('[').ok_or_else(|| invalid_name(key))?;
        let close = inner.find(']').ok_or_else(|| invalid_name(key))?;
        let segment = &inner[..close];
        if segment.contains('[') {
            return Err(invalid_name(key));
        }
        segments.push(segment.to_owned());
        if segments.len() > MAX_DEPTH {
            return Err(FormError {
                param: head.to_owned(),
                message: format!("Invalid parameter name: {head} is nested too deeply"),
            });
        }
        tail = &inner[close + 1..];
    }
    Ok(segments)
}

fn insert_into(
    map: &mut Params,
    name: &str,
    rest: &[String],
    value: Node,
    key: &str,
) -> Result<(), FormError> {
    let Some((next, after)) = rest.split_first() else {
        // `a=v`: a value, or another value for a repeated key.
        match map.get_mut(name) {
            None => {
                map.insert(name.to_owned(), value);
            }
            Some(Node::List(items)) if items.iter().all(is_scalar) => items.push(value),
            Some(existing) if is_scalar(existing) => {
                let first = std::mem::replace(existing, Node::List(Vec::new()));
                *existing = Node::List(vec![first, value]);
            }
            Some(_) => return Err(conflict(key)),
        }
        return Ok(());
    };
    if next.is_empty() {
        // `a[]...`: append to a list.
        let entry = map.entry(name.to_owned()).or_insert_with(|| Node::List(Vec::new()));
        let Node::List(items) = entry else { return Err(conflict(key)) };
        let Some((field, deeper)) = after.split_first() else {
            items.push(value);
            return Ok(());
        };
        if field.is_empty() {
            return Err(invalid_name(key));
        }
        // `items[][price]=p&items[][quantity]=1` fill one element until a field repeats.
        let reuse =
            matches!(items.last(), Some(Node::Map(last)) if !last.contains_key(field.as_str()));
        if !reuse {
            items.push(Node::Map(Params::new()));
        }
        let Some(Node::Map(last)) = items.last_mut() else { return Err(conflict(key)) };
        return insert_into(last, field, deeper, value, key);
    }
    let entry = map.entry(name.to_owned()).or_insert_with(|| Node::Map(Params::new()));
    let Node::Map(children) = entry else { return Err(conflict(key)) };
    insert_into(children, next, after, value, key)
}

fn is_scalar(node: &Node) -> bool {
    matches!(node, Node::Leaf(_) | Node::File { .. })
}

/// Percent-decodes one path segment.
pub fn decode_segment(segment: &str) -> String {
    percent_encoding::percent_decode_str(segment).decode_utf8_lossy().into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leaf(value: &str) -> Node {
        Node::Leaf(value.to_owned())
    }

    #[test]
    fn nested_indexed_and_appended() {
        let params =
            parse_urlencoded(b"a%5Bb%5D%5Bc%5D=v+w&items[0][price]=p&items[1][price]=q&e[][x]=1&e[][y]=2&e[][x]=3&ex=1&ex=2")
                .expect("parses");
        let Node::Map(a) = &params["a"] else { panic!("a is a map") };
        assert_eq!(a["b"], Node::Map([("c".to_owned(), leaf("v w"))].into_iter().collect()));
        let Node::Map(items) = &params["items"] else { panic!("items is a map") };
        assert_eq!(items.len(), 2);
        let Node::List(e) = &params["e"] else { panic!("e is a list") };
        assert_eq!(e.len(), 2);
        assert_eq!(params["ex"], Node::List(vec![leaf("1"), leaf("2")]));
    }

    #[test]
    fn malformed_names_and_conflicts() {
        assert!(parse_urlencoded(b"a[b=1").is_err());
        assert!(parse_urlencoded(b"[a]=1").is_err());
        assert!(parse_urlencoded(b"a=1&a[b]=2").is_err());
        assert!(parse_urlencoded(b"a[b]=1&a=2").is_err());
        assert!(parse_urlencoded(b"a[]]=1").is_err());
        let deep = format!("a{}=1", "[b]".repeat(100_000));
        assert!(parse_urlencoded(deep.as_bytes()).is_err());
    }
}
