//! Snapshots of the code generated from small hand-written specs, so that a generator change
//! shows up as a readable diff. `EXPECTORATE=overwrite cargo test -p codegen --test snapshots`
//! rewrites them.

use std::path::{Path, PathBuf};

fn generate(snippet: &str) -> Result<String, codegen::Error> {
    let spec = codegen::load_spec(&dir().join("snippets").join(snippet))?;
    let output = codegen::generate(&spec, &codegen::Fixtures::none())?;
    // The Rust the generator writes; the mock's data and the name lists have tests of their own.
    let data = [
        codegen::layout::MOCK_DATA,
        codegen::layout::PUBLIC_ITEMS,
        codegen::layout::OPERATION_NAMES,
    ];
    let files: String = output
        .files
        .iter()
        .filter(|(path, _)| !data.contains(&path.as_str()))
        .map(|(path, text)| format!("// ==== {path} ====\n{text}"))
        .collect();
    Ok(format!(
        "{files}// ==== {} [features] ====\n{}",
        codegen::layout::MANIFEST,
        output.manifest_features
    ))
}

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests")
}

/// Compares the generated code with its snapshot (a readable diff on failure, from expectorate);
/// `EXPECTORATE=overwrite cargo test -p codegen --test snapshots` rewrites them. The snapshot outputs
/// are compiled by `cargo xtask check-spec codegen/tests/snippets/*.yaml` in `.ci/run`.
fn check_snapshot(snippet: &str) {
    let actual = generate(snippet).unwrap_or_else(|err| panic!("{snippet}: {err}"));
    let path = dir().join("snapshots").join(snippet.replace(".yaml", ".rs.txt"));
    expectorate::assert_contents(path, &actual);
}

#[test]
fn resource_with_expandable_enum_list_and_docs() {
    check_snapshot("resource.yaml");
}

#[test]
fn operations_with_query_form_path_and_unset_parameters() {
    check_snapshot("operations.yaml");
}

#[test]
fn polymorphic_deleted_and_untagged_objects() {
    check_snapshot("polymorphic.yaml");
}

fn error_for(yaml: &str) -> String {
    let value: serde_json::Value = serde_yaml::from_str(yaml).expect("test spec is YAML");
    match codegen::parse_spec(value)
        .and_then(|spec| codegen::generate(&spec, &codegen::Fixtures::none()))
    {
        Ok(_) => panic!("generation should fail"),
        Err(err) => err.to_string(),
    }
}

const HEADER: &str =
    "openapi: 3.0.0\ninfo: {title: t, version: v}\npaths: {}\ncomponents:\n  schemas:\n";

#[test]
fn unsupported_keywords_fail_naming_the_location() {
    let err = error_for(&format!("{HEADER}    a:\n      type: object\n      properties:\n        b: {{allOf: [{{type: string}}]}}\n"));
    assert_eq!(err, "#/components/schemas/a/properties/b: schema keyword `allOf` is not supported by the generator");
}

#[test]
fn unknown_formats_fail_naming_the_location() {
    let err = error_for(&format!("{HEADER}    a:\n      type: object\n      properties:\n        b: {{type: integer, format: weird}}\n"));
    assert_eq!(err, "#/components/schemas/a/properties/b: integer format `weird` is not supported");
}

#[test]
fn unresolvable_references_fail() {
    let err = error_for(&format!("{HEADER}    a:\n      type: object\n      properties:\n        b: {{$ref: '#/components/schemas/missing'}}\n"));
    assert!(
        err.contains("#/components/schemas/a/properties/b") && err.contains("missing"),
        "{err}"
    );
}

#[test]
fn ambiguous_polymorphic_objects_fail() {
    let yaml = format!(
        "{HEADER}    x:\n      type: object\n      properties:\n        object: {{type: string, enum: [same]}}\n\
         \x20   y:\n      type: object\n      properties:\n        object: {{type: string, enum: [same]}}\n\
         \x20   z:\n      type: object\n      properties:\n        u:\n          anyOf: [{{$ref: '#/components/schemas/x'}}, {{$ref: '#/components/schemas/y'}}]\n"
    );
    let err = error_for(&yaml);
    assert!(err.contains("both decode from object `same`"), "{err}");
}

#[test]
fn generation_is_deterministic() {
    assert_eq!(generate("resource.yaml").unwrap(), generate("resource.yaml").unwrap());
}

/// The torture spec (keywords, names that collide after case conversion, non-ASCII, path
/// parameters named `client` and `params`, PUT/PATCH, a multipart upload without `format: binary`):
/// its output is a snapshot, and every file parses. `.ci/run` compiles it with `cargo xtask check-spec`.
#[test]
fn torture_spec_generates_valid_rust() {
    check_snapshot("torture.yaml");
    let spec =
        codegen::load_spec(&dir().join("snippets/torture.yaml")).expect("torture spec loads");
    let output =
        codegen::generate(&spec, &codegen::Fixtures::none()).expect("torture spec generates");
    for (path, text) in output.files.iter().filter(|(path, _)| path.ends_with(".rs")) {
        if let Err(err) = syn::parse_file(text) {
            panic!("{path} does not parse: {err}");
        }
    }
    let selves = &output.files["stripe-sdk/src/generated/self_.rs"];
    for expected in [
        "pub struct SelfType {",
        "EnUs,",
        "EnUs2,",
        "EnUs3,",
        "V1st,",
        "CafUe9,",
        "UnknownValue,",
        "pub a_b_2: Option<i64>,",
        "pub fn retrieve(",
        "crate::Method::Put,",
        "crate::Method::Patch,",
    ] {
        assert!(selves.contains(expected), "self_.rs lacks `{expected}`");
    }
    let gadgets = &output.files["stripe-sdk/src/generated/gadget/thing.rs"];
    assert!(
        gadgets.contains("client_2: impl AsRef<str>,")
            && gadgets.contains("params_2: impl AsRef<str>,")
    );
    let files = &output.files["stripe-sdk/src/generated/file.rs"];
    assert!(files.contains(r#"client.send_multipart("/v1/files", params, "file", &params.file)"#));
}
