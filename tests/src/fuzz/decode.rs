//! The response decoder on mutated fixtures: each of Stripe's example objects
//! (`fixtures3.json`), inside an event envelope or on its own as its type, is mutated (a value
//! replaced by one of another type, a key removed or added, a huge string, deep nesting, random
//! byte edits) and decoded. Nothing may panic, an error's message stays short, the error of a
//! mutated value names a JSON path at or below the mutated value's parent, and `decode_json`
//! (its own JSON reader, serde_json only for errors) agrees with `serde_json::from_slice`
//! through the type's `Deserialize`: both fail, or both decode the same value.

use std::sync::OnceLock;

use serde_json::{json, Map, Value};

use super::{Source, MAX_MESSAGE};

/// A decoder of one type: `Ok(Some((path, message)))` when the input does not decode, `Err`
/// when `decode_json` and serde_json disagree.
type Decoder = fn(&[u8]) -> Result<Option<(String, String)>, String>;

fn decoder<T>(bytes: &[u8]) -> Result<Option<(String, String)>, String>
where
    T: stripe_sdk::Decode + serde::de::DeserializeOwned + std::fmt::Debug,
{
    let ours = stripe_sdk::decode_json::<T>(bytes);
    let serde = serde_json::from_slice::<T>(bytes);
    match (ours, serde) {
        (Ok(ours), Ok(serde)) if format!("{ours:?}") == format!("{serde:?}") => Ok(None),
        (Err(err), Err(_)) => Ok(Some((err.path, err.error.to_string()))),
        (ours, serde) => Err(disagreement(&format!("{ours:?}"), &format!("{serde:?}"))),
    }
}

/// Where two decodings' `Debug` texts first differ.
fn disagreement(ours: &str, serde: &str) -> String {
    let same = ours.chars().zip(serde.chars()).take_while(|(a, b)| a == b).count();
    let from = same.saturating_sub(40);
    let tail = |text: &str| shorten(&text.chars().skip(from).collect::<String>());
    format!(
        "decode_json and serde_json disagree after {same} characters: …{} against …{}",
        tail(ours),
        tail(serde)
    )
}

/// Resources decoded as their own type too (the others only inside an event).
const DIRECT: &[(&str, Decoder)] = &[
    ("account", decoder::<stripe_sdk::Account>),
    ("charge", decoder::<stripe_sdk::Charge>),
    ("checkout.session", decoder::<stripe_sdk::checkout::Session>),
    ("customer", decoder::<stripe_sdk::Customer>),
    ("invoice", decoder::<stripe_sdk::Invoice>),
    ("payment_intent", decoder::<stripe_sdk::PaymentIntent>),
    ("subscription", decoder::<stripe_sdk::Subscription>),
    ("issuing.card", decoder::<stripe_sdk::issuing::Card>),
];

/// The fixtures, by resource name, loaded once from the pinned spec files.
pub fn fixtures() -> &'static [(String, Value)] {
    static FIXTURES: OnceLock<Vec<(String, Value)>> = OnceLock::new();
    FIXTURES.get_or_init(|| crate::fixtures::all().clone().into_iter().collect())
}

/// One input: a fixture, how it is decoded, and the mutations.
pub fn check(data: &[u8]) -> Result<(), String> {
    let fixtures = fixtures();
    let mut source = Source::new(data);
    let (name, fixture) = &fixtures[source.below(fixtures.len())];
    let direct = DIRECT.iter().find(|(resource, _)| resource == name).map(|(_, decode)| *decode);
    let (mut document, prefix, decode): (Value, Vec<Step>, Decoder) =
        match direct.filter(|_| source.one_in(2)) {
            Some(decode) => (fixture.clone(), Vec::new(), decode),
            None => (envelope(fixture.clone()), vec![key("data"), key("object")], event_decoder),
        };
    let mutated = match source.below(4) {
        0 => None,
        _ => Some(mutate_value(&mut document, &prefix, &mut source)),
    };
    let mut bytes = serde_json::to_vec(&document).map_err(|err| err.to_string())?;
    let edited = source.one_in(4);
    if edited {
        edit_bytes(&mut bytes, &mut source);
    }
    let Some((path, message)) = decode(&bytes).map_err(|err| format!("{name}: {err}"))? else {
        return Ok(());
    };
    let shown = || format!("{name}: error at `{path}`: {}", shorten(&message));
    if path.is_empty() {
        return Err(format!("an error without a path: {}", shown()));
    }
    if message.len() + path.len() > MAX_MESSAGE {
        return Err(format!("a {}-byte message: {}", message.len() + path.len(), shown()));
    }
    if let (Some(steps), false) = (mutated, edited) {
        let parent = render(&steps[..steps.len().saturating_sub(1)]);
        if !under(&path, &parent) {
            return Err(format!("mutated `{}`, but {}", render(&steps), shown()));
        }
    }
    Ok(())
}

fn event_decoder(bytes: &[u8]) -> Result<Option<(String, String)>, String> {
    decoder::<stripe_sdk::webhook::Event>(bytes)
}

fn envelope(object: Value) -> Value {
    json!({
        "id": "evt_fuzz", "object": "event", "type": "fuzz.test", "created": 1,
        "livemode": false, "api_version": "2023-08-16", "pending_webhooks": 0,
        "request": {"id": null, "idempotency_key": null}, "data": {"object": object},
    })
}

fn shorten(text: &str) -> String {
    text.chars().take(300).collect()
}

/// One step of a JSON path.
#[derive(Clone, Debug)]
enum Step {
    Key(String),
    Index(usize),
}

fn key(name: &str) -> Step {
    Step::Key(name.to_owned())
}

/// A path as the decoder writes it: `a.b[0].c`, `.` for the root.
fn render(steps: &[Step]) -> String {
    let mut out = String::new();
    for step in steps {
        match step {
            Step::Key(name) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(name);
            }
            Step::Index(index) => out.push_str(&format!("[{index}]")),
        }
    }
    if out.is_empty() {
        out.push('.');
    }
    out
}

/// Whether `path` is `parent` or below it.
fn under(path: &str, parent: &str) -> bool {
    parent == "."
        || path == parent
        || path.strip_prefix(parent).is_some_and(|rest| rest.starts_with(['.', '[']))
}

/// Applies one structural mutation below `prefix` and returns the mutated value's path.
fn mutate_value(document: &mut Value, prefix: &[Step], source: &mut Source<'_>) -> Vec<Step> {
    let mut steps = prefix.to_vec();
    let mut node = descend(document, prefix);
    // Walk down a random branch, stopping at random.
    loop {
        let children = match node {
            Value::Object(map) => map.len(),
            Value::Array(items) => items.len(),
            _ => 0,
        };
        if children == 0 || source.one_in(3) {
            break;
        }
        let index = source.below(children);
        node = match node {
            Value::Object(map) => {
                let (name, child) = map.iter_mut().nth(index).expect("index below len");
                steps.push(Step::Key(name.clone()));
                child
            }
            Value::Array(items) => {
                steps.push(Step::Index(index));
                &mut items[index]
            }
            _ => unreachable!("a node with children"),
        };
    }
    match source.below(6) {
        0 => *node = other_type(node, source),
        1 => *node = Value::String("x".repeat(1 + source.below(20_000))),
        2 => {
            let depth = 1 + source.below(300);
            let mut nested = node.take();
            for _ in 0..depth {
                nested = if source.one_in(2) { json!([nested]) } else { json!({"n": nested}) };
            }
            *node = nested;
        }
        3 => {
            if let Value::Object(map) = node {
                let name = source.text(6);
                map.insert(name.clone(), other_type(&Value::Null, source));
                steps.push(Step::Key(name));
            } else {
                *node = Value::Null;
            }
        }
        4 => {
            // Remove the node from its parent (or replace the root's content with nothing).
            let last = steps.pop();
            let parent = descend(document, &steps);
            match (parent, last) {
                (Value::Object(map), Some(Step::Key(name))) => {
                    map.remove(&name);
                }
                (Value::Array(items), Some(Step::Index(index))) => {
                    items.remove(index);
                }
                (parent, _) => *parent = Value::Object(Map::new()),
            }
            steps.push(Step::Key(String::new()));
        }
        _ => *node = Value::from(source.text(3)),
    }
    steps
}

fn descend<'v>(mut node: &'v mut Value, steps: &[Step]) -> &'v mut Value {
    for step in steps {
        let exists = match (&*node, step) {
            (Value::Object(map), Step::Key(name)) => map.contains_key(name),
            (Value::Array(items), Step::Index(index)) => *index < items.len(),
            _ => false,
        };
        if !exists {
            break;
        }
        node = match step {
            Step::Key(name) => &mut node[name.as_str()],
            Step::Index(index) => &mut node[*index],
        };
    }
    node
}

/// A value of another JSON type than `value`.
fn other_type(value: &Value, source: &mut Source<'_>) -> Value {
    let candidates = [
        Value::Null,
        Value::Bool(source.one_in(2)),
        json!(i64::MIN + source.below(3) as i64),
        json!(u64::MAX),
        json!(-1.5e300),
        Value::String(source.text(5)),
        json!([1, "a", null]),
        json!({"object": source.text(3), "id": 5}),
    ];
    let fitting: Vec<&Value> = candidates
        .iter()
        .filter(|candidate| std::mem::discriminant(*candidate) != std::mem::discriminant(value))
        .collect();
    fitting[source.below(fitting.len())].clone()
}

/// Random byte edits of the JSON text: overwrite, insert, delete a range, truncate.
fn edit_bytes(bytes: &mut Vec<u8>, source: &mut Source<'_>) {
    for _ in 0..1 + source.below(4) {
        let at = source.below(bytes.len() + 1);
        match source.below(4) {
            0 if at < bytes.len() => bytes[at] = source.byte(),
            1 => {
                let insert = source.bytes(8).to_vec();
                bytes.splice(at..at, insert);
            }
            2 => {
                let end = (at + source.below(64)).min(bytes.len());
                bytes.drain(at..end);
            }
            _ => bytes.truncate(at),
        }
    }
}
