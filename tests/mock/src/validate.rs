//! Checks parsed parameters against the request schemas of the spec, the way Stripe does.

use serde_json::Value;

use super::form::{Node, Params};

/// A rejected parameter: Stripe's `param`, `message` and `code`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid {
    pub param: String,
    pub message: String,
    pub code: Option<&'static str>,
}

impl Invalid {
    fn new(param: &str, message: impl Into<String>, code: Option<&'static str>) -> Invalid {
        Invalid { param: param.to_owned(), message: message.into(), code }
    }
}

/// Validates request parameters against `schema` (an object schema; `$ref`s resolve in `spec`).
pub fn validate_params(spec: &Value, schema: &Value, params: &Params) -> Result<(), Invalid> {
    Validator { spec }.object(schema, params, "")
}

struct Validator<'a> {
    spec: &'a Value,
}

/// The name of a child parameter: `a`, `a[b]`, `a[0]`.
fn child(parent: &str, key: &str) -> String {
    if parent.is_empty() {
        key.to_owned()
    } else {
        format!("{parent}[{key}]")
    }
}

/// The field name used in enum messages: the last non-index segment of `param`.
fn field_name(param: &str) -> &str {
    param
        .split(['[', ']'])
        .rfind(|segment| !segment.is_empty() && segment.parse::<usize>().is_err())
        .unwrap_or(param)
}

fn empty_string(param: &str) -> Invalid {
    let field = field_name(param);
    Invalid::new(
        param,
        format!(
            "You passed an empty string for '{param}'. We assume empty values are an attempt to unset a parameter; \
             however '{field}' cannot be unset. You should remove '{param}' from your request or supply a non-empty value."
        ),
        Some("parameter_invalid_empty"),
    )
}

fn describe(node: &Node) -> &'static str {
    match node {
        Node::Leaf(_) => "a string",
        Node::File { .. } => "a file",
        Node::Map(_) => "a hash",
        Node::List(_) => "an array",
    }
}

/// What shape of value a schema expects.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Shape {
    Scalar,
    Object,
    Array,
    EmptyString,
    Any,
}

impl<'a> Validator<'a> {
    fn resolve(&self, schema: &'a Value) -> &'a Value {
        let mut schema = schema;
        for _ in 0..16 {
            let Some(pointer) = schema.get("$ref").and_then(Value::as_str) else { break };
            match pointer.strip_prefix('#').and_then(|pointer| self.spec.pointer(pointer)) {
                Some(target) => schema = target,
                None => break,
            }
        }
        schema
    }

    fn shape(&self, schema: &'a Value) -> Shape {
        let schema = self.resolve(schema);
        match schema.get("type").and_then(Value::as_str) {
            Some("object") => Shape::Object,
            Some("array") => Shape::Array,
            Some("string")
                if schema
                    .get("enum")
                    .and_then(Value::as_array)
                    .is_some_and(|e| e.len() == 1 && e[0] == "") =>
            {
                Shape::EmptyString
            }
            Some("string" | "integer" | "number" | "boolean") => Shape::Scalar,
            _ => Shape::Any,
        }
    }

    fn value(&self, schema: &'a Value, node: &Node, param: &str) -> Result<(), Invalid> {
        let schema = self.resolve(schema);
        if let Some(branches) = schema.get("anyOf").and_then(Value::as_array) {
            return self.any_of(branches, node, param);
        }
        match schema.get("type").and_then(Value::as_str) {
            Some("object") => match node {
                Node::Map(children) => self.object(schema, children, param),
                Node::Leaf(text) if text.is_empty() => Err(empty_string(param)),
                _ => Err(Invalid::new(param, "Invalid object", None)),
            },
            Some("array") => self.array(schema, node, param),
            Some("string") => self.string(schema, node, param),
            Some("integer") => {
                self.scalar(node, param, "integer", |text| text.parse::<i64>().is_ok())
            }
            Some("number") => self.scalar(node, param, "decimal", is_decimal),
            Some("boolean") => {
                self.scalar(node, param, "boolean", |text| text == "true" || text == "false")
            }
            // A schema without a type accepts anything.
            _ => Ok(()),
        }
    }

    fn any_of(&self, branches: &'a [Value], node: &Node, param: &str) -> Result<(), Invalid> {
        let mut errors = Vec::new();
        for branch in branches {
            match self.value(branch, node, param) {
                Ok(()) => return Ok(()),
                Err(err) => errors.push((self.shape(branch), err)),
            }
        }
        // Report the failure of the branch the value looks like it was meant for.
        let wanted = match node {
            Node::Leaf(text) if text.is_empty() => Shape::EmptyString,
            Node::Leaf(_) | Node::File { .. } => Shape::Scalar,
            Node::Map(children) if is_indexed(children) => Shape::Array,
            Node::Map(_) => Shape::Object,
            Node::List(_) => Shape::Array,
        };
        let pick = errors
            .iter()
            .position(|(shape, _)| *shape == wanted)
            .or_else(|| errors.iter().position(|(shape, _)| *shape != Shape::EmptyString))
            .unwrap_or(0);
        match errors.into_iter().nth(pick) {
            Some((_, err)) => Err(err),
            None => Ok(()),
        }
    }

    fn object(&self, schema: &'a Value, children: &Params, param: &str) -> Result<(), Invalid> {
        let properties = schema.get("properties").and_then(Value::as_object);
        let additional = schema.get("additionalProperties").filter(|extra| extra.is_object());
        for (key, node) in children {
            let name = child(param, key);
            let property = properties.and_then(|properties| properties.get(key.as_str()));
            match (property, additional) {
                (Some(property), _) => self.value(property, node, &name)?,
                (None, Some(additional)) => self.value(additional, node, &name)?,
                (None, None) => {
                    return Err(Invalid::new(
                        &name,
                        format!("Received unknown parameter: {name}"),
                        Some("parameter_unknown"),
                    ))
                }
            }
        }
        for required in schema.get("required").and_then(Value::as_array).into_iter().flatten() {
            let Some(required) = required.as_str() else { continue };
            if !children.contains_key(required) {
                let name = child(param, required);
                return Err(Invalid::new(
                    &name,
                    format!("Missing required param: {name}."),
                    Some("parameter_missing"),
                ));
            }
        }
        Ok(())
    }

    fn array(&self, schema: &'a Value, node: &Node, param: &str) -> Result<(), Invalid> {
        let items = schema.get("items").unwrap_or(&Value::Null);
        match node {
            Node::List(elements) => {
                for (index, element) in elements.iter().enumerate() {
                    self.value(items, element, &child(param, &index.to_string()))?;
                }
                Ok(())
            }
            Node::Map(children) if is_indexed(children) => {
                let mut elements: Vec<(usize, &String, &Node)> = children
                    .iter()
                    .filter_map(|(key, node)| {
                        key.parse::<usize>().ok().map(|index| (index, key, node))
                    })
                    .collect();
                elements.sort_by_key(|(index, _, _)| *index);
                for (_, key, element) in elements {
                    self.value(items, element, &child(param, key))?;
                }
                Ok(())
            }
            Node::Map(children) => {
                let key = children
                    .keys()
                    .find(|key| key.parse::<usize>().is_err())
                    .map(String::as_str)
                    .unwrap_or("");
                let name = child(param, key);
                Err(Invalid::new(&name, format!("Invalid array: {name} is not an index"), None))
            }
            Node::Leaf(text) if text.is_empty() => Err(empty_string(param)),
            _ => Err(Invalid::new(param, "Invalid array", None)),
        }
    }

    fn string(&self, schema: &'a Value, node: &Node, param: &str) -> Result<(), Invalid> {
        let binary = schema.get("format").and_then(Value::as_str) == Some("binary");
        let text = match node {
            Node::File { .. } if binary => return Ok(()),
            _ if binary => {
                return Err(Invalid::new(
                    param,
                    format!(
                        "Invalid {param}: must be a file part of a multipart/form-data request"
                    ),
                    None,
                ))
            }
            Node::Leaf(text) => text,
            other => {
                return Err(Invalid::new(
                    param,
                    format!("Invalid string: {param} is {}", describe(other)),
                    None,
                ))
            }
        };
        if let Some(options) = schema.get("enum").and_then(Value::as_array) {
            let bypass =
                schema.get("x-stripeBypassValidation").and_then(Value::as_bool) == Some(true);
            if !bypass && !options.iter().any(|option| option.as_str() == Some(text.as_str())) {
                if text.is_empty() {
                    return Err(empty_string(param));
                }
                let names: Vec<&str> = options.iter().filter_map(Value::as_str).collect();
                return Err(Invalid::new(
                    param,
                    format!("Invalid {}: must be one of {}", field_name(param), names.join(", ")),
                    None,
                ));
            }
        }
        if let Some(max) = schema.get("maxLength").and_then(Value::as_u64) {
            let length = text.chars().count();
            if u64::try_from(length).unwrap_or(u64::MAX) > max {
                let shown: String = text.chars().take(20).collect();
                return Err(Invalid::new(
                    param,
                    format!("Invalid string: {shown}...; must be at most {max} characters"),
                    Some("parameter_invalid_string_too_long"),
                ));
            }
        }
        if schema.get("format").and_then(Value::as_str) == Some("decimal")
            && !text.is_empty()
            && !is_decimal(text)
        {
            return Err(Invalid::new(param, format!("Invalid decimal: {text}"), None));
        }
        Ok(())
    }

    fn scalar(
        &self,
        node: &Node,
        param: &str,
        kind: &str,
        valid: impl Fn(&str) -> bool,
    ) -> Result<(), Invalid> {
        let code = match kind {
            "integer" => Some("parameter_invalid_integer"),
            _ => None,
        };
        match node {
            Node::Leaf(text) if text.is_empty() => Err(empty_string(param)),
            Node::Leaf(text) if valid(text) => Ok(()),
            Node::Leaf(text) => Err(Invalid::new(param, format!("Invalid {kind}: {text}"), code)),
            other => Err(Invalid::new(
                param,
                format!("Invalid {kind}: {param} is {}", describe(other)),
                code,
            )),
        }
    }
}

fn is_indexed(children: &Params) -> bool {
    !children.is_empty() && children.keys().all(|key| key.parse::<usize>().is_ok())
}

fn is_decimal(text: &str) -> bool {
    let digits = text.strip_prefix('-').unwrap_or(text);
    !digits.is_empty()
        && digits.chars().all(|c| c.is_ascii_digit() || c == '.')
        && digits.chars().filter(|c| *c == '.').count() <= 1
        && digits != "."
}
