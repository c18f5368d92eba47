//! The spec read as JSON, for the readers that need its schemas as they are written rather than
//! the typed intermediate form of `convert`: the shapes `cargo xtask diff` compares, and the
//! conformance runner's example parameters and expansions. One `$ref` resolver and one reading of
//! each keyword they share. (The operations themselves are read typed, in `view`, by `convert`
//! and by the mock's data.)

use serde_json::Value;

/// How many `$ref`s in a row [`resolve`] follows (a cycle in a broken spec ends there).
const MAX_REFS: usize = 16;

/// The schema that `schema` refers to (`{"$ref": "#/components/schemas/customer"}`), following
/// a chain of references; `schema` itself when it is not a reference or its target is missing.
pub fn resolve<'a>(spec: &'a Value, schema: &'a Value) -> &'a Value {
    let mut schema = schema;
    for _ in 0..MAX_REFS {
        let Some(reference) = schema.get("$ref").and_then(Value::as_str) else { break };
        match reference.strip_prefix('#').and_then(|pointer| spec.pointer(pointer)) {
            Some(target) => schema = target,
            None => break,
        }
    }
    schema
}

/// The strings of an array-valued keyword of a schema (`required`, `x-expandableFields`).
pub fn strings<'a>(schema: &'a Value, keyword: &str) -> impl Iterator<Item = &'a str> {
    schema.get(keyword).and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str)
}

/// Stripe's `enum: [""]` branch: the parameter can be sent empty to unset it.
pub fn is_unset_marker(schema: &Value) -> bool {
    schema
        .get("enum")
        .and_then(Value::as_array)
        .is_some_and(|values| values.len() == 1 && values[0].as_str() == Some(""))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    #[test]
    fn resolves_chains_and_reads_keywords() {
        let spec = json!({"components": {"schemas": {
            "a": {"$ref": "#/components/schemas/b"},
            "b": {"required": ["id", 3, "object"], "enum": [""]},
        }}});
        let reference = json!({"$ref": "#/components/schemas/a"});
        let target = super::resolve(&spec, &reference);
        assert_eq!(target, &spec["components"]["schemas"]["b"]);
        assert_eq!(super::strings(target, "required").collect::<Vec<_>>(), ["id", "object"]);
        assert!(super::is_unset_marker(target));
        let missing = json!({"$ref": "#/components/schemas/none"});
        assert_eq!(super::resolve(&spec, &missing), &missing);
        let cycle = json!({"components": {"schemas": {"c": {"$ref": "#/components/schemas/c"}}}});
        let start = json!({"$ref": "#/components/schemas/c"});
        assert_eq!(super::resolve(&cycle, &start), &cycle["components"]["schemas"]["c"]);
    }
}
