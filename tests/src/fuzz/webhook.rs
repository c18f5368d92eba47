//! The `Stripe-Signature` header parser and verifier, through the public API only: a header
//! signed for the payload, then mutated (bytes changed, entries added, removed, repeated or
//! reordered, huge or odd values). Nothing may panic; the unmutated header verifies; a header
//! whose signatures were all changed never does; errors stay short.

use stripe_sdk::webhook::{sign_test_header, Webhook};

use super::{Source, MAX_MESSAGE};

const SECRET: &str = "whsec_fuzz";
const NOW: i64 = 1_700_000_000;

/// One input.
pub fn check(data: &[u8]) -> Result<(), String> {
    let mut source = Source::new(data);
    let payload = source.bytes(64).to_vec();
    let webhook = Webhook::new(SECRET).map_err(|err| format!("the fuzz secret: {err}"))?.now(NOW);
    let header = sign_test_header(&payload, SECRET, NOW - source.below(200) as i64);
    webhook.verify(&payload, &header).map_err(|err| format!("a valid header fails: {err}"))?;

    let (mutated, signatures_intact) = mutate(&header, &mut source);
    match webhook.verify(&payload, &mutated) {
        Ok(()) if !signatures_intact => {
            Err(format!("a header without the valid signature verifies: {mutated:?}"))
        }
        Ok(()) => Ok(()),
        Err(err) => {
            let text = format!("{err} {err:?}");
            if text.len() > MAX_MESSAGE {
                return Err(format!(
                    "a {}-byte error for a {}-byte header",
                    text.len(),
                    mutated.len()
                ));
            }
            Ok(())
        }
    }
}

/// A mutated header, and whether it may still hold the valid `v1` signature.
fn mutate(header: &str, source: &mut Source<'_>) -> (String, bool) {
    let mut entries: Vec<String> = header.split(',').map(str::to_owned).collect();
    let valid = entries.iter().find(|entry| entry.starts_with("v1=")).cloned().unwrap_or_default();
    for _ in 0..1 + source.below(4) {
        let at = source.below(entries.len() + 1);
        match source.below(7) {
            0 => entries.insert(at, format!("v1={}", hex(source.bytes(40)))),
            1 => entries.insert(at, format!("{}={}", source.text(3), source.text(6))),
            2 if at < entries.len() => drop(entries.remove(at)),
            3 if at < entries.len() => entries[at].push_str(&source.text(4)),
            4 => entries.insert(at, format!("t={}", source.text(4))),
            5 => entries.extend((0..source.below(2000)).map(|_| "v0=00".to_owned())),
            _ => entries.insert(at, "x".repeat(source.below(100_000))),
        }
    }
    let mut mutated = entries.join(if source.one_in(8) { ", " } else { "," });
    if source.one_in(4) {
        // Change one byte of every copy of the valid signature.
        let changed = flip_last(&valid);
        mutated = mutated.replace(&valid, &changed);
    }
    let intact = mutated.split(',').any(|entry| entry.trim() == valid);
    (mutated, intact)
}

fn flip_last(entry: &str) -> String {
    let mut text = entry.to_owned();
    let last = text.pop().unwrap_or('0');
    text.push(if last == '0' { '1' } else { '0' });
    text
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}
