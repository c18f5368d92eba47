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
        type_name: T::type_name(),
        message: err.error.to_string(),
        request_id: response.request_id.clone(),
        status: response.status,
    })
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
    use crate::runtime::de::Decode;

    #[test]
    fn decode_errors_name_public_paths() {
        assert_eq!(
            crate::billing_portal::Session::type_name(),
            "stripe_sdk::billing_portal::Session"
        );
        assert_eq!(
            crate::List::<crate::Customer>::type_name(),
            "stripe_sdk::List<stripe_sdk::Customer>"
        );
        assert_eq!(
            Vec::<crate::Expandable<crate::issuing::Card>>::type_name(),
            "Vec<stripe_sdk::Expandable<stripe_sdk::issuing::Card>>"
        );
        assert_eq!(
            crate::V2List::<crate::v2::core::Account>::type_name(),
            "stripe_sdk::V2List<stripe_sdk::v2::core::Account>"
        );
        assert_eq!(
            crate::SearchList::<crate::PaymentIntent>::type_name(),
            "stripe_sdk::SearchList<stripe_sdk::PaymentIntent>"
        );
        assert_eq!(crate::CustomerId::type_name(), "stripe_sdk::Id<stripe_sdk::Customer>");
        assert_eq!(
            crate::billing_portal::SessionLocale::type_name(),
            "stripe_sdk::billing_portal::SessionLocale"
        );
        assert_eq!(
            crate::terminal::TerminalReaderOrDeletedTerminalReader::type_name(),
            "stripe_sdk::terminal::TerminalReaderOrDeletedTerminalReader"
        );
        assert_eq!(crate::webhook::Event::type_name(), "stripe_sdk::webhook::Event");
        assert_eq!(serde_json::Value::type_name(), "serde_json::Value");
        assert_eq!(u64::type_name(), "u64");
    }
}
