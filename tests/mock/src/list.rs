//! Lists and searches of stored objects: filters, `limit`, `starting_after` / `ending_before` and
//! `has_more`, and the search query language (`email:'a@b.c' AND metadata['k']:'v'`).

use serde_json::Value;

use crate::form::{Node, Params};

/// A rejected list or search request: the parameter and the message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejected {
    pub param: &'static str,
    pub message: String,
    pub code: Option<&'static str>,
}

fn rejected(param: &'static str, message: String) -> Rejected {
    Rejected { param, message, code: None }
}

/// Parameters that are not filters.
const NOT_FILTERS: &[&str] =
    &["limit", "starting_after", "ending_before", "expand", "page", "query"];

/// `limit`, 1 to 100, 10 when absent.
pub fn limit(params: &Params) -> Result<usize, Rejected> {
    let Some(Node::Leaf(text)) = params.get("limit") else { return Ok(10) };
    match text.parse::<usize>() {
        Ok(limit) if (1..=100).contains(&limit) => Ok(limit),
        _ => Err(Rejected {
            param: "limit",
            message: format!("Invalid integer: {text}; limit must be between 1 and 100"),
            code: Some("parameter_invalid_integer"),
        }),
    }
}

/// Keeps the objects whose fields equal the scalar filters of the request (`customer=cus_1`,
/// `status=open`, `created[gte]=…`) and the path's parent ids (`{customer}`).
pub fn filter<'a>(
    objects: Vec<&'a Value>,
    params: &Params,
    path_params: &[(String, String)],
) -> Vec<&'a Value> {
    objects
        .into_iter()
        .filter(|object| {
            let by_path = path_params.iter().all(|(name, id)| {
                object.get(name).is_none_or(|field| field_text(field).as_deref() == Some(id))
            });
            let by_params = params.iter().all(|(name, node)| {
                if NOT_FILTERS.contains(&name.as_str()) {
                    return true;
                }
                if name == "status" && matches!(node, Node::Leaf(all) if all == "all") {
                    return true;
                }
                if name == "lookup_keys" {
                    return lookup_key_matches(object, node);
                }
                // Clover moved an invoice's `subscription` under `parent.subscription_details`.
                let field = object
                    .get(name)
                    .filter(|field| !field.is_null())
                    .or_else(|| object.pointer(&format!("/parent/subscription_details/{name}")));
                let Some(field) = field.or_else(|| object.get(name)) else { return true };
                matches_filter(field, node)
            });
            by_path && by_params
        })
        .collect()
}

/// `lookup_keys[]=a&lookup_keys[]=b`: the object's `lookup_key` is one of them.
fn lookup_key_matches(object: &Value, node: &Node) -> bool {
    let key = object.get("lookup_key").and_then(Value::as_str);
    let leaf = |node: &Node| match node {
        Node::Leaf(text) => Some(text.clone()),
        _ => None,
    };
    let wanted: Vec<String> = match node {
        Node::List(items) => items.iter().filter_map(leaf).collect(),
        Node::Map(indexed) => indexed.values().filter_map(leaf).collect(),
        other => leaf(other).into_iter().collect(),
    };
    key.is_some_and(|key| wanted.iter().any(|wanted| wanted == key))
}

fn matches_filter(field: &Value, node: &Node) -> bool {
    match node {
        // A `null` field matches no value (a payment method of no customer is not listed by
        // `customer=cus_…`).
        Node::Leaf(text) if field.is_null() => text.is_empty(),
        Node::Leaf(text) => field_text(field).is_none_or(|value| value == *text),
        Node::Map(bounds) => {
            let Some(value) = field.as_f64() else { return true };
            bounds.iter().all(|(op, bound)| {
                let Some(bound) = leaf_number(bound) else { return true };
                match op.as_str() {
                    "gt" => value > bound,
                    "gte" => value >= bound,
                    "lt" => value < bound,
                    "lte" => value <= bound,
                    _ => true,
                }
            })
        }
        _ => true,
    }
}

fn leaf_number(node: &Node) -> Option<f64> {
    match node {
        Node::Leaf(text) => text.parse().ok(),
        _ => None,
    }
}

/// A field as text for comparisons: strings, numbers, booleans, and an expanded object's id.
fn field_text(field: &Value) -> Option<String> {
    match field {
        Value::String(text) => Some(text.clone()),
        Value::Number(number) => Some(number.to_string()),
        Value::Bool(flag) => Some(flag.to_string()),
        Value::Object(object) => object.get("id").and_then(Value::as_str).map(str::to_owned),
        _ => None,
    }
}

/// One page of `objects` (newest first) by Stripe's cursor rules.
pub fn page<'a>(
    objects: &[&'a Value],
    params: &Params,
) -> Result<(Vec<&'a Value>, bool), Rejected> {
    let limit = limit(params)?;
    let cursor = |name: &'static str| -> Result<Option<usize>, Rejected> {
        let Some(node) = params.get(name) else { return Ok(None) };
        let Node::Leaf(id) = node else {
            return Err(rejected(name, format!("Invalid {name}: must be an object id")));
        };
        objects
            .iter()
            .position(|object| object.get("id").and_then(Value::as_str) == Some(id.as_str()))
            .map(Some)
            .ok_or_else(|| Rejected {
                param: name,
                message: format!("No such object: '{id}'"),
                code: Some("resource_missing"),
            })
    };
    match (cursor("starting_after")?, cursor("ending_before")?) {
        (Some(_), Some(_)) => Err(rejected(
            "ending_before",
            "You may only specify one of these parameters: ending_before, starting_after."
                .to_owned(),
        )),
        (Some(at), None) => {
            let rest = &objects[at + 1..];
            let page: Vec<&Value> = rest.iter().take(limit).copied().collect();
            Ok((page, rest.len() > limit))
        }
        (None, Some(at)) => {
            let before = &objects[..at];
            let start = before.len().saturating_sub(limit);
            Ok((before[start..].to_vec(), start > 0))
        }
        (None, None) => Ok((objects.iter().take(limit).copied().collect(), objects.len() > limit)),
    }
}

/// One page of search results: `page` is the offset given as `next_page` by the previous page.
pub fn search_page<'a>(
    objects: &[&'a Value],
    params: &Params,
) -> Result<(Vec<&'a Value>, Option<String>), Rejected> {
    let limit = limit(params)?;
    let offset = match params.get("page") {
        None => 0,
        Some(Node::Leaf(token)) => token
            .strip_prefix("page_")
            .and_then(|offset| offset.parse::<usize>().ok())
            .ok_or_else(|| rejected("page", format!("Invalid page: {token}")))?,
        Some(_) => return Err(rejected("page", "Invalid page".to_owned())),
    };
    let page: Vec<&Value> = objects.iter().skip(offset).take(limit).copied().collect();
    let next = (objects.len() > offset + limit).then(|| format!("page_{}", offset + limit));
    Ok((page, next))
}

/// The fields each searchable resource takes (Stripe's search documentation).
const SEARCH_FIELDS: &[(&str, &[&str])] = &[
    (
        "charge",
        &[
            "amount",
            "billing_details",
            "created",
            "currency",
            "customer",
            "disputed",
            "metadata",
            "payment_method_details",
            "refunded",
            "status",
            "payment_intent",
        ],
    ),
    ("customer", &["created", "email", "metadata", "name", "phone"]),
    (
        "invoice",
        &[
            "created",
            "currency",
            "customer",
            "last_finalization_error_code",
            "last_finalization_error_type",
            "metadata",
            "number",
            "receipt_number",
            "status",
            "subscription",
            "total",
        ],
    ),
    ("payment_intent", &["amount", "created", "currency", "customer", "metadata", "status"]),
    ("price", &["active", "currency", "lookup_key", "metadata", "product", "type"]),
    ("product", &["active", "description", "metadata", "name", "shippable", "url"]),
    (
        "subscription",
        &[
            "created",
            "metadata",
            "status",
            "canceled_at",
            "current_period_end",
            "current_period_start",
        ],
    ),
];

/// A parsed search query: clauses joined by `AND` or by `OR`.
#[derive(Debug, Clone, PartialEq)]
pub struct Query {
    any: bool,
    clauses: Vec<Clause>,
}

#[derive(Debug, Clone, PartialEq)]
struct Clause {
    negated: bool,
    field: Vec<String>,
    op: Op,
    value: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Equals,
    Contains,
    Greater,
    GreaterOrEqual,
    Less,
    LessOrEqual,
}

impl Query {
    /// Parses Stripe's search syntax (without parentheses, which Stripe does not allow either).
    pub fn parse(text: &str) -> Result<Query, Rejected> {
        let bad = |why: &str| rejected("query", format!("Invalid query `{text}`: {why}"));
        let tokens = split_words(text).map_err(|why| bad(&why))?;
        let mut clauses = Vec::new();
        let mut joiner: Option<bool> = None;
        for (index, token) in tokens.iter().enumerate() {
            if index % 2 == 1 {
                let any = match token.as_str() {
                    "AND" => false,
                    "OR" => true,
                    other => return Err(bad(&format!("expected AND or OR, found `{other}`"))),
                };
                if joiner.is_some_and(|joined| joined != any) {
                    return Err(bad("AND and OR cannot be mixed"));
                }
                joiner = Some(any);
            } else {
                clauses.push(clause(token).map_err(|why| bad(&why))?);
            }
        }
        if clauses.is_empty() || tokens.len() % 2 == 0 {
            return Err(bad("expected a clause such as email:'jenny@example.com'"));
        }
        Ok(Query { any: joiner.unwrap_or(false), clauses })
    }

    /// Refuses a field the resource cannot be searched by (Stripe's list of search fields per
    /// resource: docs.stripe.com/search#query-fields-for-*); resources the list does not name
    /// take any field.
    pub fn check_fields(&self, resource: &str) -> Result<(), Rejected> {
        let Some((_, fields)) = SEARCH_FIELDS.iter().find(|(name, _)| *name == resource) else {
            return Ok(());
        };
        for clause in &self.clauses {
            let head = clause.field.first().map(String::as_str).unwrap_or("");
            let dotted = clause.field.join(".");
            if !fields.contains(&head) && !fields.contains(&dotted.as_str()) {
                return Err(rejected(
                    "query",
                    format!("Field `{head}` is an unsupported search field for resource `{resource}`. See https://stripe.com/docs/search#query-fields-for-{resource}s for a list of supported fields."),
                ));
            }
        }
        Ok(())
    }

    pub fn matches(&self, object: &Value) -> bool {
        let mut results = self.clauses.iter().map(|clause| clause.matches(object));
        if self.any {
            results.any(|matched| matched)
        } else {
            results.all(|matched| matched)
        }
    }
}

/// Splits on spaces outside quotes.
fn split_words(text: &str) -> Result<Vec<String>, String> {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut quote: Option<char> = None;
    for c in text.chars() {
        match (quote, c) {
            (Some(open), c) if c == open => {
                quote = None;
                current.push(c);
            }
            (None, '\'' | '"') => {
                quote = Some(c);
                current.push(c);
            }
            (None, c) if c.is_whitespace() => {
                if !current.is_empty() {
                    words.push(std::mem::take(&mut current));
                }
            }
            (_, c) => current.push(c),
        }
    }
    if quote.is_some() {
        return Err("an unclosed quote".to_owned());
    }
    if !current.is_empty() {
        words.push(current);
    }
    Ok(words)
}

fn clause(token: &str) -> Result<Clause, String> {
    let (negated, token) = match token.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, token),
    };
    let split = token
        .char_indices()
        .find(|(at, c)| matches!(c, ':' | '~' | '<' | '>') && !inside_brackets(token, *at))
        .map(|(at, _)| at)
        .ok_or_else(|| format!("`{token}` has no operator (:, ~, <, >)"))?;
    let (field, rest) = token.split_at(split);
    let (op, value) = if let Some(value) = rest.strip_prefix(">=") {
        (Op::GreaterOrEqual, value)
    } else if let Some(value) = rest.strip_prefix("<=") {
        (Op::LessOrEqual, value)
    } else if let Some(value) = rest.strip_prefix('>') {
        (Op::Greater, value)
    } else if let Some(value) = rest.strip_prefix('<') {
        (Op::Less, value)
    } else if let Some(value) = rest.strip_prefix('~') {
        (Op::Contains, value)
    } else {
        (Op::Equals, rest.strip_prefix(':').unwrap_or(rest))
    };
    let value = unquote(value);
    if op == Op::Contains && value.chars().count() < 3 {
        return Err(format!("`{token}`: a substring match needs at least 3 characters"));
    }
    Ok(Clause { negated, field: field_path(field)?, op, value })
}

fn inside_brackets(token: &str, at: usize) -> bool {
    let before = &token[..at];
    before.matches('[').count() > before.matches(']').count()
}

/// `metadata['key']` -> `["metadata", "key"]`, `email` -> `["email"]`.
fn field_path(field: &str) -> Result<Vec<String>, String> {
    let (head, tail) = match field.find('[') {
        Some(at) => field.split_at(at),
        None => (field, ""),
    };
    if head.is_empty() {
        return Err(format!("`{field}` is not a field"));
    }
    let mut path = vec![head.to_owned()];
    if !tail.is_empty() {
        let key = tail
            .strip_prefix('[')
            .and_then(|rest| rest.strip_suffix(']'))
            .ok_or_else(|| format!("`{field}` is not a field"))?;
        path.push(unquote(key));
    }
    Ok(path)
}

fn unquote(value: &str) -> String {
    for quote in ['\'', '"'] {
        if let Some(inner) = value.strip_prefix(quote).and_then(|v| v.strip_suffix(quote)) {
            return inner.to_owned();
        }
    }
    value.to_owned()
}

impl Clause {
    fn matches(&self, object: &Value) -> bool {
        let field = self.field.iter().try_fold(object, |value, key| value.get(key.as_str()));
        let text = field.and_then(field_text);
        let matched = match (self.op, text) {
            (_, None) => self.value.is_empty() || self.value == "null",
            (Op::Equals, Some(text)) => text.eq_ignore_ascii_case(&self.value),
            (Op::Contains, Some(text)) => text.to_lowercase().contains(&self.value.to_lowercase()),
            (op, Some(text)) => match (text.parse::<f64>(), self.value.parse::<f64>()) {
                (Ok(left), Ok(right)) => match op {
                    Op::Greater => left > right,
                    Op::GreaterOrEqual => left >= right,
                    Op::Less => left < right,
                    _ => left <= right,
                },
                _ => false,
            },
        };
        matched != self.negated
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::form::parse_urlencoded;
    use serde_json::json;

    #[test]
    fn cursors_limits_and_has_more() {
        let objects: Vec<Value> = (0..5).map(|i| json!({"id": format!("o{i}")})).collect();
        let refs: Vec<&Value> = objects.iter().collect();
        let ids = |page: &[&Value]| -> Vec<String> {
            page.iter().filter_map(|o| o["id"].as_str().map(str::to_owned)).collect()
        };
        let (first, more) = page(&refs, &parse_urlencoded(b"limit=2").expect("p")).expect("ok");
        assert_eq!((ids(&first), more), (vec!["o0".to_owned(), "o1".to_owned()], true));
        let (next, more) =
            page(&refs, &parse_urlencoded(b"limit=2&starting_after=o3").expect("p")).expect("ok");
        assert_eq!((ids(&next), more), (vec!["o4".to_owned()], false));
        let (back, more) =
            page(&refs, &parse_urlencoded(b"limit=2&ending_before=o3").expect("p")).expect("ok");
        assert_eq!((ids(&back), more), (vec!["o1".to_owned(), "o2".to_owned()], true));
        assert!(page(&refs, &parse_urlencoded(b"limit=0").expect("p")).is_err());
        assert!(page(&refs, &parse_urlencoded(b"starting_after=nope").expect("p")).is_err());
    }

    #[test]
    fn search_queries() {
        let object =
            json!({"email": "Jenny@example.com", "amount": 500, "metadata": {"order": "42"}});
        let yes = |q: &str| Query::parse(q).expect(q).matches(&object);
        assert!(yes("email:'jenny@example.com'"));
        assert!(yes("email~'example' AND metadata['order']:'42'"));
        assert!(yes("amount>100 AND amount<=500"));
        assert!(yes("email:'x' OR amount>=500"));
        assert!(!yes("-email:'jenny@example.com'"));
        assert!(!yes("metadata['order']:'41'"));
        assert!(Query::parse("email:'a' AND b:'c' OR d:'e'").is_err());
        assert!(Query::parse("email").is_err());
        assert!(Query::parse("email:'open").is_err());
    }

    #[test]
    fn filters_by_fields_and_parents() {
        let objects = [
            json!({"id": "a", "customer": "cus_1", "created": 10}),
            json!({"id": "b", "customer": "cus_2", "created": 20}),
        ];
        let refs: Vec<&Value> = objects.iter().collect();
        let params = parse_urlencoded(b"customer=cus_2&created[gte]=15").expect("p");
        assert_eq!(filter(refs.clone(), &params, &[]).len(), 1);
        let parent = [("customer".to_owned(), "cus_1".to_owned())];
        assert_eq!(filter(refs, &Params::new(), &parent)[0]["id"], "a");
    }
}
