//! Webhook events: signed like Stripe's (`Stripe-Signature: t=…,v1=…`) and, when the test gives a
//! loopback URL, posted to it.

use hmac::{Hmac, Mac};
use sha2::Sha256;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::Error;

/// The secret events are signed with unless the builder sets another.
pub const DEFAULT_SECRET: &str = "whsec_stripe_sdk_mock";

/// An event as a webhook endpoint receives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedEvent {
    /// The raw JSON body.
    pub payload: String,
    /// The `Stripe-Signature` header.
    pub signature: String,
}

/// `t={timestamp},v1={hex HMAC-SHA256 of "{timestamp}.{payload}"}`.
pub fn sign(secret: &str, timestamp: i64, payload: &str) -> String {
    let mut mac = match Hmac::<Sha256>::new_from_slice(secret.as_bytes()) {
        Ok(mac) => mac,
        Err(_) => return format!("t={timestamp}"),
    };
    mac.update(format!("{timestamp}.{payload}").as_bytes());
    let digest = mac.finalize().into_bytes();
    let hex: String = digest.iter().map(|byte| format!("{byte:02x}")).collect();
    format!("t={timestamp},v1={hex}")
}

/// A loopback HTTP endpoint: `host:port` and the path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    pub authority: String,
    pub path: String,
}

impl Endpoint {
    /// Accepts `http://127.0.0.1:PORT/path`, `http://[::1]:PORT/…` and `http://localhost:PORT/…`.
    pub fn parse(url: &str) -> Result<Endpoint, Error> {
        let bad = || Error::WebhookUrl(url.to_owned());
        let rest = url.strip_prefix("http://").ok_or_else(bad)?;
        let (authority, path) = match rest.find('/') {
            Some(at) => (&rest[..at], &rest[at..]),
            None => (rest, "/"),
        };
        let host = match authority.rfind(':') {
            Some(at) if !authority[at..].contains(']') => &authority[..at],
            _ => authority,
        };
        let loopback = matches!(host, "127.0.0.1" | "[::1]" | "localhost");
        if !loopback || authority.contains('@') {
            return Err(bad());
        }
        let authority = authority.replacen("localhost", "127.0.0.1", 1);
        Ok(Endpoint { authority, path: path.to_owned() })
    }
}

/// Posts `event` to `endpoint`; returns the status code of the answer.
pub async fn deliver(endpoint: &Endpoint, event: &SignedEvent) -> std::io::Result<u16> {
    let mut stream = TcpStream::connect(endpoint.authority.as_str()).await?;
    let head = format!(
        "POST {} HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json; charset=utf-8\r\n\
         User-Agent: Stripe/1.0 (+https://stripe.com/docs/webhooks)\r\nStripe-Signature: {}\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n",
        endpoint.path,
        endpoint.authority,
        event.signature,
        event.payload.len()
    );
    stream.write_all(head.as_bytes()).await?;
    stream.write_all(event.payload.as_bytes()).await?;
    let mut answer = Vec::new();
    let mut buffer = [0u8; 1024];
    while !answer.windows(2).any(|w| w == b"\r\n") {
        let read = stream.read(&mut buffer).await?;
        if read == 0 {
            break;
        }
        answer.extend_from_slice(&buffer[..read]);
    }
    let status_line = String::from_utf8_lossy(&answer);
    status_line
        .split_whitespace()
        .nth(1)
        .and_then(|code| code.parse().ok())
        .ok_or_else(|| std::io::Error::new(std::io::ErrorKind::InvalidData, "no HTTP status line"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_and_endpoints() {
        let header = sign("whsec_test", 1_700_000_000, "{}");
        assert!(header.starts_with("t=1700000000,v1="), "{header}");
        assert_eq!(header.len(), "t=1700000000,v1=".len() + 64);
        assert_ne!(header, sign("whsec_other", 1_700_000_000, "{}"));
        let endpoint = Endpoint::parse("http://localhost:4242/webhook").expect("loopback");
        assert_eq!(endpoint.authority, "127.0.0.1:4242");
        assert_eq!(endpoint.path, "/webhook");
        assert!(Endpoint::parse("http://[::1]:80").is_ok());
        assert!(Endpoint::parse("http://example.com/hook").is_err());
        assert!(Endpoint::parse("https://127.0.0.1/hook").is_err());
        assert!(Endpoint::parse("http://user@127.0.0.1/hook").is_err());
    }
}
