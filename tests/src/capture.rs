//! A loopback HTTP server that records each request and answers with scripted JSON, for tests of
//! what the SDK puts on the wire.

use std::sync::{Arc, Mutex};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// One request as received.
#[derive(Clone, Debug)]
pub struct Captured {
    pub method: String,
    /// Path and query, as sent (`/v1/customers?limit=3`).
    pub target: String,
    /// Header names in lower case.
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Captured {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(key, _)| key == name).map(|(_, value)| value.as_str())
    }
}

/// The server; it stops when dropped.
pub struct CaptureServer {
    pub base_url: String,
    requests: Arc<Mutex<Vec<Captured>>>,
    task: tokio::task::JoinHandle<()>,
}

impl CaptureServer {
    /// Starts a server on 127.0.0.1 that answers `200` with `response` to every request.
    pub async fn start(response: impl Into<String>) -> std::io::Result<CaptureServer> {
        CaptureServer::scripted(vec![response.into()]).await
    }

    /// Starts a server that answers the n-th request with `responses[n]` (the last one repeats).
    /// Requests are served one at a time, in the order they arrive.
    pub async fn scripted(responses: Vec<String>) -> std::io::Result<CaptureServer> {
        let listener = TcpListener::bind(("127.0.0.1", 0)).await?;
        let base_url = format!("http://{}", listener.local_addr()?);
        let requests = Arc::new(Mutex::new(Vec::new()));
        let log = Arc::clone(&requests);
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let served = log.lock().map(|log| log.len()).unwrap_or_default();
                let response =
                    responses.get(served).or(responses.last()).cloned().unwrap_or_default();
                if let Ok(Some(request)) = read_request(stream, &response).await {
                    if let Ok(mut log) = log.lock() {
                        log.push(request);
                    }
                }
            }
        });
        Ok(CaptureServer { base_url, requests, task })
    }

    /// The requests received so far.
    pub fn requests(&self) -> Vec<Captured> {
        self.requests.lock().map(|log| log.clone()).unwrap_or_default()
    }
}

impl Drop for CaptureServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Reads one request (head, then a body of `Content-Length` bytes), answers it and closes.
async fn read_request(mut stream: TcpStream, response: &str) -> std::io::Result<Option<Captured>> {
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 8192];
    let head_end = loop {
        if let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break end;
        }
        let read = stream.read(&mut chunk).await?;
        if read == 0 || buffer.len() > 1 << 20 {
            return Ok(None);
        }
        buffer.extend_from_slice(&chunk[..read]);
    };
    let head = String::from_utf8_lossy(&buffer[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut request_line = lines.next().unwrap_or_default().split(' ');
    let method = request_line.next().unwrap_or_default().to_owned();
    let target = request_line.next().unwrap_or_default().to_owned();
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_owned()))
        .collect();
    let length: usize = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let mut body = buffer[head_end + 4..].to_vec();
    while body.len() < length {
        let read = stream.read(&mut chunk).await?;
        if read == 0 {
            break;
        }
        body.extend_from_slice(&chunk[..read]);
    }
    let reply = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nrequest-id: req_capture\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{response}",
        response.len()
    );
    stream.write_all(reply.as_bytes()).await?;
    stream.shutdown().await?;
    Ok(Some(Captured {
        method,
        target,
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
    }))
}
