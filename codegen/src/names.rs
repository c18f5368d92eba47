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
    location_in(id, &Default::default())
}

/// Like [`location`], with the API version's namespaces nested: `v2.core.account` is
/// `v2::core::account::Account`, `v2.billing.meter_event` `v2::billing::meter_event::MeterEvent`;
/// a two-part id that names one of `nested` (`v2.error` beside `v2.error.not_found`) lives in
/// that namespace (`v2::error::error`).
pub fn location_in(id: &str, nested: &std::collections::BTreeSet<String>) -> Location {
    let parts: Vec<&str> = id.split('.').collect();
    if let [version, namespace, rest @ ..] = parts.as_slice() {
        if is_api_version(version) {
            let inner = format!("{version}::{}", module_name(namespace));
            let (namespace, file) = match rest {
                [] if nested.contains(&inner) => (inner, (*namespace).to_owned()),
                [] => ((*version).to_owned(), (*namespace).to_owned()),
                rest => (inner, rest.join("_")),
            };
            return Location {
                namespace: Some(namespace),
                type_name: type_name(&file),
                file: module_name(&file),
            };
        }
    }
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

/// The namespaces that [`location_in`] nests (`v2::core`), for the ids of a spec.
pub fn nested_namespaces<'a>(
    ids: impl IntoIterator<Item = &'a str>,
) -> std::collections::BTreeSet<String> {
    ids.into_iter()
        .filter_map(|id| match id.split('.').collect::<Vec<_>>().as_slice() {
            [version, namespace, _, ..] if is_api_version(version) => {
                Some(format!("{version}::{}", module_name(namespace)))
            }
            _ => None,
        })
        .collect()
}

/// `v2`, `v3`: an API version after the first, whose resources have namespaces of their own.
pub fn is_api_version(segment: &str) -> bool {
    segment
        .strip_prefix('v')
        .is_some_and(|n| !n.is_empty() && n != "1" && n.bytes().all(|b| b.is_ascii_digit()))
}

/// A Rust type name (UpperCamelCase) from any string.
pub fn type_name(name: &str) -> String {
    camel(name, "V", "Type")
}

/// A Rust module name (snake_case) from any string.
pub fn module_name(name: &str) -> String {
    snake(name)
}

/// A Rust field name for a JSON property (snake_case).
pub fn field_name(wire: &str) -> String {
    snake(wire)
}

/// A Rust function or method name (snake_case).
pub fn function_name(name: &str) -> String {
    snake(name)
}

/// A Rust function argument name (snake_case).
pub fn argument_name(name: &str) -> String {
    snake(name)
}

/// An enum variant name for a string value (UpperCamelCase). The empty string is `Empty` and
/// the wildcard `*` (as in "all event types") is `All`.
pub fn variant_name(value: &str) -> String {
    match value {
        "" => "Empty".to_owned(),
        "*" => "All".to_owned(),
        _ => camel(value, "V", "Value"),
    }
}

/// The words of `raw` as ASCII: letters and digits are kept, other ASCII characters separate
/// words, and every other character becomes a word of its own, `u` and its code point in hex
/// (`café` → `caf ue9`), so that names stay ASCII and distinct strings rarely meet.
fn ascii_words(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for c in raw.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if c.is_ascii() {
            out.push(' ');
        } else {
            out.push_str(&format!(" u{:x} ", c as u32));
        }
    }
    out
}

/// The code points of a string that has no letters or digits (`+` → `U2B`), so that it still
/// gets a name of its own.
fn code_points(raw: &str) -> String {
    raw.chars().map(|c| format!("U{:X}", c as u32)).collect()
}

/// UpperCamelCase; `prefix` goes before a leading digit (`3d_secure` → `V3dSecure`); the keyword
/// `Self` gets `self_suffix` (`SelfType`, `SelfValue`: a `_` would not be camel case once other
/// names are built on it).
fn camel(raw: &str, prefix: &str, self_suffix: &str) -> String {
    let mut name = ascii_words(raw).to_upper_camel_case();
    if name.is_empty() {
        name = code_points(raw);
    }
    if name.is_empty() {
        name = prefix.to_owned();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name = format!("{prefix}{name}");
    }
    if name == "Self" {
        name.push_str(self_suffix);
    }
    name
}

/// snake_case; a leading digit gets a `_` before it (`3d_secure` → `_3d_secure`); keywords get a
/// trailing `_` (`type` → `type_`; `self`, `super`, `crate` cannot be raw identifiers).
fn snake(raw: &str) -> String {
    let mut name = ascii_words(raw).to_snake_case();
    if name.is_empty() {
        name = code_points(raw).to_ascii_lowercase();
    }
    if name.is_empty() {
        name = "value".to_owned();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, '_');
    }
    if KEYWORDS.contains(&name.as_str()) {
        name.push('_');
    }
    name
}

/// Names given out within one scope (the variants of an enum, the fields of a struct, the methods
/// of a type, the arguments of a function): a name already taken gets the lowest free number
/// (`EnUs`, `EnUs2`; `type_`, `type_2`), so the first claimant keeps the plain name and the result
/// depends only on the order of the claims.
#[derive(Debug, Default, Clone)]
pub struct Scope {
    taken: std::collections::HashSet<String>,
}

impl Scope {
    /// A scope in which `reserved` are taken already.
    pub fn with_reserved(reserved: &[&str]) -> Scope {
        Scope { taken: reserved.iter().map(|name| (*name).to_owned()).collect() }
    }

    /// `name` if it is free, else `name` with the lowest free number; taken from then on.
    pub fn claim(&mut self, name: &str) -> String {
        if self.taken.insert(name.to_owned()) {
            return name.to_owned();
        }
        let separator =
            if name.starts_with(|c: char| c.is_ascii_lowercase() || c == '_') { "_" } else { "" };
        let base = name.trim_end_matches('_');
        (2..)
            .map(|n| format!("{base}{separator}{n}"))
            .find(|candidate| self.taken.insert(candidate.clone()))
            .unwrap_or_default()
    }
}

/// Names generated types must not take: everything in Rust's prelude (a struct named `Default`
/// would shadow the trait that `impl Default for …` in the runtime's macros means), the traits the
/// generated code implements, and the runtime's types at the root namespace.
pub const RESERVED_TYPE_NAMES: &[&str] = &[
    // The std prelude (2021), types and traits.
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
    "Copy",
    "Send",
    "Sized",
    "Sync",
    "Unpin",
    "Drop",
    "Fn",
    "FnMut",
    "FnOnce",
    "ToOwned",
    "Clone",
    "PartialEq",
    "PartialOrd",
    "Eq",
    "Ord",
    "AsRef",
    "AsMut",
    "Into",
    "From",
    "Default",
    "Iterator",
    "Extend",
    "IntoIterator",
    "DoubleEndedIterator",
    "ExactSizeIterator",
    "ToString",
    "TryFrom",
    "TryInto",
    "FromIterator",
    // Traits the generated code implements or derives.
    "Debug",
    "Display",
    "Hash",
    "Serialize",
    "Deserialize",
    "Expandable",
    "HasId",
    "LiveOrDeleted",
    "List",
    "Metadata",
    "SearchList",
    "V2List",
    "Id",
    "Timestamp",
    "Currency",
    "DateTime",
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

/// The singular of a collection's path segment: `customers` → `customer`, `tax_ids` → `tax_id`,
/// `addresses` → `address`, `entries` → `entry`.
pub fn singular(segment: &str) -> String {
    if let Some(stem) = segment.strip_suffix("ies") {
        format!("{stem}y")
    } else if let Some(stem) = segment.strip_suffix("ses").or_else(|| segment.strip_suffix("xes")) {
        format!("{stem}{}", &segment[stem.len()..stem.len() + 1])
    } else {
        segment.strip_suffix('s').unwrap_or(segment).to_owned()
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

    /// Each kind of name from the strings that broke or could break generation.
    #[test]
    fn table_of_hard_names() {
        let table: &[(&str, &str, &str)] = &[
            // (input, UpperCamelCase for types and variants, snake_case for the rest)
            ("self", "SelfValue", "self_"),
            ("Self", "SelfValue", "self_"),
            ("crate", "Crate", "crate_"),
            ("super", "Super", "super_"),
            ("_", "U5F", "u5f"),
            ("__", "U5FU5F", "u5fu5f"),
            ("en-us", "EnUs", "en_us"),
            ("EN_US", "EnUs", "en_us"),
            ("1st", "V1st", "_1st"),
            ("café", "CafUe9", "caf_ue9"),
            ("日本", "U65e5U672c", "u65e5_u672c"),
            ("client", "Client", "client"),
            ("a.b", "AB", "a_b"),
            ("async", "Async", "async_"),
        ];
        for (input, camel, snake) in table {
            assert_eq!(variant_name(input), *camel, "variant of {input:?}");
            assert_eq!(field_name(input), *snake, "field of {input:?}");
            assert_eq!(function_name(input), *snake, "function of {input:?}");
            assert_eq!(module_name(input), *snake, "module of {input:?}");
        }
        assert_eq!(type_name("self"), "SelfType");
        assert_eq!(type_name("1099_k"), "V1099K");
    }

    #[test]
    fn a_scope_numbers_names_taken_before() {
        let mut variants = Scope::with_reserved(&["Unknown"]);
        let claimed: Vec<String> = ["en-us", "en_us", "EN_US", "unknown"]
            .iter()
            .map(|value| variants.claim(&variant_name(value)))
            .collect();
        assert_eq!(claimed, ["EnUs", "EnUs2", "EnUs3", "Unknown2"]);
        let mut arguments = Scope::with_reserved(&["client", "params"]);
        assert_eq!(arguments.claim(&argument_name("params")), "params_2");
        assert_eq!(arguments.claim(&argument_name("client")), "client_2");
        assert_eq!(arguments.claim(&argument_name("customer")), "customer");
        let mut fields = Scope::default();
        assert_eq!(fields.claim(&field_name("type")), "type_");
        assert_eq!(fields.claim(&field_name("type")), "type_2");
    }

    /// Every kind of name, for any string, is an identifier `syn` accepts (not a keyword, not
    /// `_`), and names claimed in one scope are distinct.
    mod properties {
        use super::super::*;
        use proptest::prelude::*;

        fn is_ident(name: &str) -> bool {
            syn::parse_str::<syn::Ident>(name).is_ok()
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(2000))]

            #[test]
            fn every_name_is_an_identifier(raw in any::<String>()) {
                for name in [
                    type_name(&raw),
                    variant_name(&raw),
                    field_name(&raw),
                    module_name(&raw),
                    function_name(&raw),
                    argument_name(&raw),
                ] {
                    prop_assert!(is_ident(&name), "{raw:?} gave {name:?}");
                }
            }

            #[test]
            fn names_in_a_scope_are_unique(raws in proptest::collection::vec("[a-zA-Z0-9_ .-]{0,6}|\\PC{0,3}", 0..40)) {
                let mut variants = Scope::with_reserved(&["Unknown"]);
                let mut fields = Scope::with_reserved(&["client", "params"]);
                let mut seen_variants = std::collections::HashSet::new();
                let mut seen_fields = std::collections::HashSet::new();
                for raw in &raws {
                    let variant = variants.claim(&variant_name(raw));
                    let field = fields.claim(&field_name(raw));
                    prop_assert!(is_ident(&variant) && is_ident(&field));
                    prop_assert!(variant != "Unknown" && field != "client" && field != "params");
                    prop_assert!(seen_variants.insert(variant));
                    prop_assert!(seen_fields.insert(field));
                }
            }
        }
    }
}
