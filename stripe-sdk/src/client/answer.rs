//! From the last attempt to the call's result: the response, Stripe's error object, a transport
//! error with its causes, or the decoded body (a decode error names the type as users write it).

use super::transport::{Outcome, Prepared, RawResponse};
use crate::error::{body_snippet, ApiError, Error};
use crate::runtime::de::Decode;

/// How many causes of a connection error are spelled out in its message.
const MAX_ERROR_CHAIN: usize = 8;

/// Turns the last attempt into the call's result.
pub(super) fn finish(
    outcome: Outcome,
    attempts: u32,
    request: &Prepared,
) -> Result<RawResponse, Error> {
    let (timeout, limit) = (request.timeout, request.max_response_bytes);
    match outcome {
        Outcome::Response(response) if (200..300).contains(&response.status) => Ok(response),
        Outcome::Response(response) => Err(error_from_response(response)),
        Outcome::Network(err) if err.is_timeout() => Err(Error::Timeout { timeout, attempts }),
        Outcome::Network(err) if err.is_builder() => Err(Error::Config(error_chain(&err))),
        Outcome::Network(err) => Err(Error::Connection { message: error_chain(&err), attempts }),
        Outcome::TimedOut => Err(Error::Timeout { timeout, attempts }),
        Outcome::TooLarge { status, request_id } => {
            Err(Error::ResponseTooLarge { limit, status, request_id })
        }
    }
}

/// The error for a non-2xx response: Stripe's error object, or a description of the unexpected body.
pub(super) fn error_from_response(response: RawResponse) -> Error {
    let parsed: Option<serde_json::Value> = serde_json::from_slice(&response.body).ok();
    match parsed.as_ref().and_then(|value| value.get("error")).filter(|error| error.is_object()) {
        Some(error) => ApiError::from_object(response.status, error, response.request_id).into(),
        None => Error::InvalidResponse {
            status: response.status,
            snippet: body_snippet(&response.body),
            request_id: response.request_id,
        },
    }
}

/// Decodes a JSON body into `T`, naming the JSON path of a failure.
pub(super) fn decode_json<T: Decode>(response: RawResponse) -> Result<T, Error> {
    crate::runtime::de::decode_json(&response.body).map_err(|err| Error::Decode {
        path: err.path,
        type_name: public_type_name(std::any::type_name::<T>()),
        message: err.error.to_string(),
        request_id: response.request_id.clone(),
        status: response.status,
    })
}

/// A type name as a user writes it: `std::any::type_name` names where a type is defined
/// (`stripe_sdk::generated::billing_portal::session::Session`, `stripe_sdk::runtime::list::List`),
/// the crate exports it elsewhere (`stripe_sdk::billing_portal::Session`, `stripe_sdk::List`): the
/// `generated` and `runtime` modules and the file modules under them are left out.
pub(super) fn public_type_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut rest = name;
    while let Some(start) = rest.find("stripe_sdk::") {
        out.push_str(&rest[..start]);
        let path = &rest[start..];
        let end = path
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == ':'))
            .unwrap_or(path.len());
        out.push_str(&public_path(&path[..end]));
        rest = &path[end..];
    }
    out.push_str(rest);
    out
}

/// `stripe_sdk::generated::NS::FILE::Type` → `stripe_sdk::NS::Type`,
/// `stripe_sdk::generated::FILE::Type` and `stripe_sdk::runtime::FILE::Type` → `stripe_sdk::Type`.
pub(super) fn public_path(path: &str) -> String {
    let segments: Vec<&str> = path.split("::").collect();
    let Some(type_at) =
        segments.iter().position(|s| s.starts_with(|c: char| c.is_ascii_uppercase()))
    else {
        return path.to_owned();
    };
    let modules = &segments[1..type_at];
    let kept: &[&str] = match modules {
        ["generated", namespace, _file] => std::slice::from_ref(namespace),
        ["generated", _] | ["runtime", _, ..] => &[],
        _ => modules,
    };
    let mut out = vec![segments[0]];
    out.extend_from_slice(kept);
    out.extend_from_slice(&segments[type_at..]);
    out.join("::")
}

/// An error's message followed by those of its causes, skipping causes already quoted.
pub(super) fn error_chain(err: &dyn std::error::Error) -> String {
    let mut message = err.to_string();
    let mut source = err.source();
    for _ in 0..MAX_ERROR_CHAIN {
        let Some(cause) = source else { break };
        let text = cause.to_string();
        if !message.contains(&text) {
            message.push_str(": ");
            message.push_str(&text);
        }
        source = cause.source();
    }
    message
}

#[cfg(test)]
mod tests {
    #[test]
    fn decode_errors_name_public_paths() {
        use super::public_type_name;
        let name = |raw: &str| public_type_name(raw);
        assert_eq!(
            name("stripe_sdk::generated::billing_portal::session::Session"),
            "stripe_sdk::billing_portal::Session"
        );
        assert_eq!(
            name("stripe_sdk::runtime::list::List<stripe_sdk::generated::customer::Customer>"),
            "stripe_sdk::List<stripe_sdk::Customer>"
        );
        assert_eq!(
            name("alloc::vec::Vec<stripe_sdk::runtime::expandable::Expandable<stripe_sdk::generated::issuing::card::Card>>"),
            "alloc::vec::Vec<stripe_sdk::Expandable<stripe_sdk::issuing::Card>>"
        );
        // The names std gives the crate's real types.
        assert_eq!(
            public_type_name(std::any::type_name::<crate::List<crate::Customer>>()),
            "stripe_sdk::List<stripe_sdk::Customer>"
        );
        assert_eq!(name("u64"), "u64");
    }
}
