//! v2 parameters as JSON bodies, through the public types: a `v2::core::CreateEventDestinationParams`
//! and a `v2::billing::CreateMeterEventParams` filled from the input (any text, huge maps) are
//! serialized as the client sends them; the JSON must parse back to the same values. Nothing may
//! panic.

use serde_json::Value;
use stripe_sdk::v2::billing::CreateMeterEventParams;

use super::Source;

/// One input.
pub fn check(data: &[u8]) -> Result<(), String> {
    let mut source = Source::new(data);
    let payload: stripe_sdk::Metadata =
        (0..source.below(40)).map(|_| (source.text(8), source.text(12))).collect();
    let event_name = source.text(20);
    let mut params = CreateMeterEventParams::new(event_name.clone(), payload.clone());
    if source.one_in(2) {
        params.identifier = Some(source.text(30));
    }
    let body = serde_json::to_vec(&params).map_err(|err| format!("does not serialize: {err}"))?;
    let back: Value =
        serde_json::from_slice(&body).map_err(|err| format!("not JSON: {err}: {body:?}"))?;
    if back["event_name"] != Value::String(event_name) {
        return Err(format!("event_name changed: {}", back["event_name"]));
    }
    let sent: stripe_sdk::Metadata = serde_json::from_value(back["payload"].clone())
        .map_err(|err| format!("payload is not a map of strings: {err}"))?;
    if sent != payload {
        return Err("the payload changed on the way".to_owned());
    }
    match (&params.identifier, back.get("identifier")) {
        (None, None) => Ok(()),
        (Some(sent), Some(Value::String(got))) if sent == got => Ok(()),
        (expected, got) => Err(format!("identifier {expected:?} sent as {got:?}")),
    }
}
