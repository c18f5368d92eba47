//! The thin event notification parser, through the public API: a signed notification built from
//! the input (fields present or not, of the right JSON type or not, huge or nested), sometimes
//! with its body mutated after signing. Nothing may panic; a well-formed, correctly signed one
//! parses to what was sent; a body changed after signing never parses; errors stay short.

use serde_json::{json, Value};
use stripe_sdk::webhook::{sign_test_header, Webhook};

use super::{Source, MAX_MESSAGE};

const SECRET: &str = "whsec_fuzz_thin";
const NOW: i64 = 1_769_592_600;

/// One input.
pub fn check(data: &[u8]) -> Result<(), String> {
    let mut source = Source::new(data);
    let (payload, well_formed) = notification(&mut source);
    let mut body = payload.into_bytes();
    let header = sign_test_header(&body, SECRET, NOW);
    let tampered = source.one_in(4) && !body.is_empty();
    if tampered {
        let at = source.below(body.len());
        body[at] ^= 1 + source.byte() % 127;
    }
    let webhook = Webhook::new(SECRET).map_err(|err| format!("the fuzz secret: {err}"))?.now(NOW);
    match webhook.parse_event_notification(&body, Some(&header)) {
        Ok(_) if tampered => Err("a body changed after signing was accepted".to_owned()),
        Ok(parsed) => {
            if well_formed && parsed.id != "evt_fuzz" {
                return Err(format!("parsed another id: {:?}", parsed.id));
            }
            Ok(())
        }
        Err(err) if well_formed && !tampered => Err(format!("a valid notification fails: {err}")),
        Err(err) => {
            let text = format!("{err} {err:?}");
            match text.len() > MAX_MESSAGE {
                true => Err(format!("a {}-byte error for a {}-byte body", text.len(), body.len())),
                false => Ok(()),
            }
        }
    }
}

/// A notification's JSON and whether it is well formed.
fn notification(source: &mut Source<'_>) -> (String, bool) {
    let mut well_formed = true;
    let mut object = json!({
        "id": "evt_fuzz", "object": "v2.core.event", "type": source.text(30),
        "created": "2026-01-28T09:30:00.000Z", "livemode": false,
        "related_object": {"id": source.text(10), "type": "billing.meter", "url": "/v1/billing/meters/x"},
    });
    for _ in 0..source.below(4) {
        let key = ["id", "type", "created", "context", "related_object", "livemode", "reason"]
            [source.below(7)];
        let value = match source.below(6) {
            0 => Value::Null,
            1 => json!(source.below(1_000_000)),
            2 => Value::String(source.text(40)),
            3 => Value::String("9".repeat(source.below(50_000))),
            4 => nested(source.below(120)),
            _ => json!({"id": "x", "type": "y", "url": source.text(20)}),
        };
        // Only text `context`, a `reason` of any shape, and objects for `related_object` with its
        // three strings keep the notification well formed.
        well_formed &= match key {
            "context" => value.is_string() || value.is_null(),
            "reason" => true,
            "related_object" => value.is_null() || value.get("url").is_some(),
            "livemode" => value.is_boolean(),
            _ => false,
        };
        object[key] = value;
    }
    if source.one_in(10) {
        return (String::from_utf8_lossy(source.bytes(200)).into_owned(), false);
    }
    (object.to_string(), well_formed)
}

fn nested(depth: usize) -> Value {
    (0..depth).fold(json!(1), |inner, _| json!([inner]))
}
