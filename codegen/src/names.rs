//! Naming rules: from Stripe's ids and JSON names to Rust modules, types, fields and variants.

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Where a component schema lives, from its `x-resourceId` (or its name): `billing_portal.session`
/// is `billing_portal::session::Session`, `deleted_terminal.reader` is
/// `terminal::deleted_reader::DeletedReader`, `customer` is `customer::Customer` at the root.
pub struct Location {
    pub namespace: Option<String>,
    pub file: String,
    pub type_name: String,
}

pub fn location(id: &str) -> Location {
    let (namespace, rest) = match id.split_once('.') {
        Some((namespace, rest)) => (Some(namespace), rest),
        None => (None, id),
    };
    let rest = rest.replace('.', "_");
    match namespace {
        Some(namespace) => {
            let (namespace, file) = match namespace.strip_prefix("deleted_") {
                Some(namespace) => (namespace, format!("deleted_{rest}")),
                None => (namespace, rest),
            };
            Location {
                namespace: Some(module_name(namespace)),
                type_name: type_name(&file),
                file: module_name(&file),
            }
        }
        None => Location { namespace: None, type_name: type_name(&rest), file: module_name(&rest) },
    }
}

/// A Rust type name (UpperCamelCase) from any Stripe name.
pub fn type_name(name: &str) -> String {
    let name = name.replace('.', "_").to_upper_camel_case();
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("V{name}")
    } else {
        name
    }
}

/// A Rust module name.
pub fn module_name(name: &str) -> String {
    escape_keyword(name.replace('.', "_").to_snake_case())
}

/// A Rust field name for a JSON property.
pub fn field_name(wire: &str) -> String {
    let name = wire.to_snake_case();
    let name = if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("_{name}")
    } else {
        name
    };
    escape_keyword(name)
}

/// An enum variant name for a string value.
pub fn variant_name(value: &str) -> String {
    if value.is_empty() {
        return "Empty".to_owned();
    }
    if value == "*" {
        // The wildcard, as in "all event types".
        return "All".to_owned();
    }
    let name = value.to_upper_camel_case();
    if name.is_empty() {
        // Only punctuation: name it by its characters' code points so that it stays unique.
        let codes: Vec<String> = value.chars().map(|c| format!("U{:X}", c as u32)).collect();
        return codes.concat();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("V{name}")
    } else {
        name
    }
}

/// Names generated types must not take, because generated code uses them unqualified.
/// The root namespace also holds the runtime's types.
pub const RESERVED_TYPE_NAMES: &[&str] = &[
    "Option",
    "Result",
    "Box",
    "Vec",
    "String",
    "Some",
    "None",
    "Ok",
    "Err",
    "Self",
    "Expandable",
    "HasId",
    "List",
    "Metadata",
    "SearchList",
    "Timestamp",
    "Unsettable",
    "Client",
    "Error",
    "FileUpload",
    "Method",
    "Paginator",
    "EncodeError",
    "ApiError",
    "ErrorKind",
    "ClientBuilder",
    "RequestOptions",
];

const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "static", "struct", "super", "trait", "true", "try", "type", "typeof",
    "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

fn escape_keyword(name: String) -> String {
    if KEYWORDS.contains(&name.as_str()) {
        format!("{name}_")
    } else {
        name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations_follow_resource_ids() {
        let session = location("billing_portal.session");
        assert_eq!(session.namespace.as_deref(), Some("billing_portal"));
        assert_eq!((session.file.as_str(), session.type_name.as_str()), ("session", "Session"));
        let deleted = location("deleted_terminal.reader");
        assert_eq!(deleted.namespace.as_deref(), Some("terminal"));
        assert_eq!(deleted.type_name, "DeletedReader");
        let customer = location("customer");
        assert_eq!((customer.namespace, customer.type_name.as_str()), (None, "Customer"));
    }

    #[test]
    fn names_are_valid_identifiers() {
        assert_eq!(field_name("type"), "type_");
        assert_eq!(field_name("3d_secure"), "_3d_secure");
        assert_eq!(variant_name("zh-TW"), "ZhTw");
        assert_eq!(variant_name("3d_secure"), "V3dSecure");
        assert_eq!(variant_name(""), "Empty");
        assert_eq!(variant_name("*"), "All");
        assert_eq!(variant_name("+"), "U2B");
    }
}
