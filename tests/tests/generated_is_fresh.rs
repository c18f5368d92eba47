//! The committed generated code is what the generator produces from the pinned spec.

#[test]
fn generated_code_matches_a_fresh_generation() {
    let root = tests::workspace_root();
    let pin = codegen::pin::Pin::load(&root).expect("spec/pin.json");
    let files = pin.locate(&root).unwrap_or_else(|err| panic!("{err}"));
    let spec = codegen::load_spec(&files.spec).unwrap_or_else(|err| panic!("{err}"));
    let fixtures = codegen::Fixtures::load(&files.fixtures).unwrap_or_else(|err| panic!("{err}"));
    let output = codegen::generate(&spec, &fixtures).unwrap_or_else(|err| panic!("{err}"));
    let diff = codegen::files::diff(&root, &output).expect("the generated tree is readable");
    assert!(diff.is_empty(), "the generated code is out of date:\n{diff}run `cargo xtask generate` and commit the result");
}
