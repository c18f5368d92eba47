//! End to end in a real headless browser: the `portal_redirect` example of `stripe-sdk` serves its
//! "Manage billing" page, the browser presses the button, the example creates a billing portal
//! session through the SDK and answers `303 See Other`, and the browser lands on the session URL.
//!
//! No network is needed: the "Stripe API" is a [`CaptureServer`] answering the
//! `billing_portal.session` fixture whose `url` points to a local portal page served by this test.
//! The browser is Debian's `/usr/bin/chromium` (`apt-get install chromium`; `.ci/run` installs
//! it), driven over the Chrome DevTools Protocol. Without it the test fails; it never skips.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read};
use std::os::unix::process::CommandExt as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use futures_util::stream::SplitSink;
use futures_util::{SinkExt as _, StreamExt as _};
use serde_json::{json, Value};
use tests::capture::CaptureServer;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

type TestResult<T = ()> = Result<T, Box<dyn std::error::Error>>;

const CHROMIUM: &str = "/usr/bin/chromium";
const SESSION_PATH: &str = "/portal/session_abc";
/// Text of the local portal page, looked for in the browser's final page.
const MARKER: &str = "Mock customer portal: session_abc";
const CUSTOMER: &str = "cus_browser_test";
const API_KEY: &str = "sk_test_browser";

const BUILD_TIMEOUT: Duration = Duration::from_secs(20 * 60);
const START_TIMEOUT: Duration = Duration::from_secs(30);
const CDP_CALL_TIMEOUT: Duration = Duration::from_secs(10);
const PAGE_TIMEOUT: Duration = Duration::from_secs(30);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn manage_billing_button_redirects_the_browser_to_the_portal_session() -> TestResult {
    if !Path::new(CHROMIUM).exists() {
        panic!(
            "{CHROMIUM} is missing: this test drives a real headless browser. Install it with \
             `apt-get install -y chromium` (Debian), as `.ci/run` does."
        );
    }

    // The local "customer portal" the session URL points to.
    let portal = PortalServer::start().await?;
    let session_url = format!("{}{SESSION_PATH}", portal.base_url);

    // The "Stripe API": answers every request with the session fixture, its URL made local.
    let root = tests::workspace_root();
    let files = codegen::pin::Pin::load(&root)?.locate(&root)?;
    let fixtures: Value = serde_json::from_str(&std::fs::read_to_string(&files.fixtures)?)?;
    let mut session = fixtures
        .pointer("/resources/billing_portal.session")
        .cloned()
        .ok_or("fixtures3.json has no billing_portal.session fixture")?;
    session["url"] = Value::from(session_url.as_str());
    session["customer"] = Value::from(CUSTOMER);
    let api = CaptureServer::start(session.to_string()).await?;

    // The example, listening on a free port.
    let executable = build_example(&root, "portal_redirect").await?;
    let mut example = Command::new(&executable);
    example
        .env("PORT", "0")
        .env("STRIPE_API_BASE", &api.base_url)
        .env("STRIPE_SECRET_KEY", API_KEY)
        .env("STRIPE_CUSTOMER_ID", CUSTOMER)
        .env_remove("APP_URL")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit());
    let mut example = ChildGuard::spawn("portal_redirect example", example)?;
    let first_line = first_stdout_line(&mut example.child, START_TIMEOUT)?;
    let app_url = first_line
        .strip_prefix("listening on ")
        .ok_or_else(|| {
            format!("the example's first line is {first_line:?}, not `listening on <url>`")
        })?
        .trim()
        .to_owned();
    let index_url = format!("{app_url}/");

    // The browser.
    let browser = Browser::launch().await?;
    let page = browser.page().await?;
    page.call("Network.enable", json!({})).await?;
    page.call("Page.enable", json!({})).await?;
    page.call("Page.navigate", json!({ "url": index_url })).await?;
    page.wait_for("the app's page to load", |page| {
        let index_url = index_url.clone();
        async move {
            let state = page.evaluate("document.readyState + ' ' + location.href").await?;
            Ok(state.as_str() == Some(format!("complete {index_url}").as_str()))
        }
    })
    .await?;

    // Press "Manage billing" with the mouse, where the button is drawn.
    let center = page
        .evaluate(
            "(() => {
                const button = [...document.querySelectorAll('button')]
                    .find(b => b.textContent.trim() === 'Manage billing');
                if (!button) return null;
                const r = button.getBoundingClientRect();
                return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
            })()",
        )
        .await?;
    let (x, y) = match (center["x"].as_f64(), center["y"].as_f64()) {
        (Some(x), Some(y)) => (x, y),
        _ => return Err(format!("no \"Manage billing\" button on {index_url}: {center}").into()),
    };
    for kind in ["mouseMoved", "mousePressed", "mouseReleased"] {
        page.call(
            "Input.dispatchMouseEvent",
            json!({ "type": kind, "x": x, "y": y, "button": "left", "buttons": 1, "clickCount": 1 }),
        )
        .await?;
    }

    // The browser must end up on the session URL, showing the portal page.
    let landed = page
        .wait_for("the browser to reach the portal session URL", |page| {
            let session_url = session_url.clone();
            async move {
                let state = page.evaluate("[document.readyState, location.href, document.body ? document.body.innerText : '']").await?;
                Ok(state[0] == "complete" && state[1] == session_url.as_str() && state[2].as_str().is_some_and(|t| t.contains(MARKER)))
            }
        })
        .await;
    if let Err(err) = landed {
        let state = page
            .evaluate("location.href + ' | ' + (document.body ? document.body.innerText : '')")
            .await;
        return Err(format!(
            "{err}; the browser is at {state:?}; portal hits: {:?}",
            portal.hits()
        )
        .into());
    }
    let final_url = page.evaluate("location.href").await?;
    assert_eq!(final_url.as_str(), Some(session_url.as_str()), "the browser's final URL");

    // It got there by following the app's 303 from the form post.
    let events = page.events();
    let redirect = events
        .iter()
        .filter(|event| event["method"] == "Network.requestWillBeSent")
        .find(|event| event["params"]["request"]["url"] == session_url.as_str())
        .ok_or_else(|| format!("the browser never requested {session_url}"))?;
    let via = &redirect["params"]["redirectResponse"];
    assert_eq!(via["status"], 303, "the session URL must be reached through a 303: {redirect}");
    assert_eq!(
        via["url"],
        format!("{app_url}/create-portal-session").as_str(),
        "the 303 came from: {redirect}"
    );
    let form_post = events
        .iter()
        .filter(|event| event["method"] == "Network.requestWillBeSent")
        .find(|event| {
            event["params"]["request"]["url"] == format!("{app_url}/create-portal-session").as_str()
        })
        .ok_or("the browser never requested /create-portal-session")?;
    assert_eq!(form_post["params"]["request"]["method"], "POST", "the form is posted: {form_post}");

    // The portal page server saw the browser's visit.
    assert!(
        portal.hits().iter().any(|hit| hit == &format!("GET {SESSION_PATH}")),
        "the portal page server was not visited at {SESSION_PATH}: {:?}",
        portal.hits()
    );

    // And the example created the session through the SDK, once, for the configured customer.
    let requests = api.requests();
    assert_eq!(requests.len(), 1, "one API request: {requests:#?}");
    let request = &requests[0];
    assert_eq!(
        (request.method.as_str(), request.target.as_str()),
        ("POST", "/v1/billing_portal/sessions")
    );
    assert_eq!(request.header("authorization"), Some(format!("Bearer {API_KEY}").as_str()));
    let params: HashMap<String, String> =
        form_urlencoded::parse(request.body.as_bytes()).into_owned().collect();
    assert_eq!(params.get("customer").map(String::as_str), Some(CUSTOMER), "{params:?}");
    assert_eq!(params.get("return_url"), Some(&index_url), "{params:?}");

    page.close().await;
    drop(browser);
    drop(example);
    Ok(())
}

/// Builds an example of `stripe-sdk` with the `cargo` running this test, and returns its path.
async fn build_example(root: &Path, name: &str) -> TestResult<PathBuf> {
    let mut build = tokio::process::Command::new(env!("CARGO"));
    build
        .current_dir(root)
        .args(["build", "--quiet", "--message-format=json", "-p", "stripe-sdk", "--example", name])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .kill_on_drop(true);
    let output = tokio::time::timeout(BUILD_TIMEOUT, build.output())
        .await
        .map_err(|_| format!("building the {name} example took more than {BUILD_TIMEOUT:?}"))??;
    if !output.status.success() {
        return Err(format!("building the {name} example failed ({})", output.status).into());
    }
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| serde_json::from_str::<Value>(line).ok())
        .filter(|message| {
            message["reason"] == "compiler-artifact" && message["target"]["name"] == name
        })
        .find_map(|message| message["executable"].as_str().map(PathBuf::from))
        .ok_or_else(|| format!("cargo built the {name} example but named no executable").into())
}

/// A child process that is killed (with its process group, if it leads one) when dropped.
struct ChildGuard {
    name: &'static str,
    child: Child,
    group: bool,
}

impl ChildGuard {
    fn spawn(name: &'static str, command: Command) -> TestResult<ChildGuard> {
        ChildGuard::start(name, command, false)
    }

    /// Starts `command` as the leader of a new process group, so that its children die with it.
    fn spawn_group(name: &'static str, mut command: Command) -> TestResult<ChildGuard> {
        command.process_group(0);
        ChildGuard::start(name, command, true)
    }

    fn start(name: &'static str, mut command: Command, group: bool) -> TestResult<ChildGuard> {
        let child = command.spawn().map_err(|err| format!("cannot start the {name}: {err}"))?;
        Ok(ChildGuard { name, child, group })
    }
}

impl Drop for ChildGuard {
    fn drop(&mut self) {
        if let Ok(Some(_)) = self.child.try_wait() {
            return;
        }
        let pid = self.child.id();
        if self.group && pid > 1 {
            // The group's id is the leader's pid: `kill -s KILL -- -<pid>` ends the whole group.
            // The `--` matters: without it, procps' kill reads `-<pid>` as options.
            let _ = Command::new("kill")
                .args(["-s", "KILL", "--", &format!("-{pid}")])
                .stderr(Stdio::null())
                .status();
        }
        if let Err(err) = self.child.kill() {
            eprintln!("cannot kill the {}: {err}", self.name);
        }
        let _ = self.child.wait();
    }
}

/// The first line the child writes on stdout, within `timeout`; the rest is drained in the
/// background so that the child never blocks on a full pipe.
fn first_stdout_line(child: &mut Child, timeout: Duration) -> TestResult<String> {
    let stdout = child.stdout.take().ok_or("the child's stdout is not piped")?;
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut reader = BufReader::new(stdout);
        let mut line = String::new();
        let _ = sender.send(reader.read_line(&mut line).map(|_| line));
        let _ = std::io::copy(&mut reader, &mut std::io::sink());
    });
    match receiver.recv_timeout(timeout) {
        Ok(Ok(line)) if !line.is_empty() => Ok(line.trim_end().to_owned()),
        Ok(Ok(_)) => {
            Err(format!("the child exited without printing a line ({:?})", child.try_wait()).into())
        }
        Ok(Err(err)) => Err(format!("cannot read the child's stdout: {err}").into()),
        Err(_) => Err(format!("the child printed no line within {timeout:?}").into()),
    }
}

/// A fresh directory under the system's temporary directory, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(prefix: &str) -> TestResult<TempDir> {
        let nanos = SystemTime::now().duration_since(UNIX_EPOCH)?.as_nanos();
        let path = std::env::temp_dir().join(format!("{prefix}-{}-{nanos}", std::process::id()));
        std::fs::create_dir_all(&path)?;
        Ok(TempDir(path))
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A local page server standing in for Stripe's hosted portal: it answers `GET /portal/...` with
/// a page showing [`MARKER`], anything else with 404, and records each request as `METHOD path`.
struct PortalServer {
    base_url: String,
    hits: Arc<Mutex<Vec<String>>>,
    task: tokio::task::JoinHandle<()>,
}

impl PortalServer {
    async fn start() -> TestResult<PortalServer> {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0)).await?;
        let base_url = format!("http://{}", listener.local_addr()?);
        let hits = Arc::new(Mutex::new(Vec::new()));
        let log = Arc::clone(&hits);
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let log = Arc::clone(&log);
                tokio::spawn(async move {
                    let _ = tokio::time::timeout(
                        Duration::from_secs(10),
                        serve_portal_page(stream, log),
                    )
                    .await;
                });
            }
        });
        Ok(PortalServer { base_url, hits, task })
    }

    fn hits(&self) -> Vec<String> {
        self.hits.lock().map(|hits| hits.clone()).unwrap_or_default()
    }
}

impl Drop for PortalServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn serve_portal_page(
    mut stream: TcpStream,
    log: Arc<Mutex<Vec<String>>>,
) -> std::io::Result<()> {
    let mut head = Vec::new();
    let mut chunk = [0u8; 4096];
    while !head.windows(4).any(|window| window == b"\r\n\r\n") {
        let read = stream.read(&mut chunk).await?;
        if read == 0 || head.len() > 64 * 1024 {
            return Ok(());
        }
        head.extend_from_slice(&chunk[..read]);
    }
    let head = String::from_utf8_lossy(&head);
    let mut request_line = head.lines().next().unwrap_or_default().split(' ');
    let method = request_line.next().unwrap_or_default().to_owned();
    let target = request_line.next().unwrap_or_default().to_owned();
    if let Ok(mut log) = log.lock() {
        log.push(format!("{method} {target}"));
    }
    let (status, body) = if method == "GET" && target.starts_with("/portal/") {
        ("200 OK", format!("<!DOCTYPE html><html><head><title>Billing portal</title></head><body><h1>{MARKER}</h1></body></html>"))
    } else {
        ("404 Not Found", "not found".to_owned())
    };
    let response = format!(
        "HTTP/1.1 {status}\r\ncontent-type: text/html; charset=utf-8\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(response.as_bytes()).await?;
    stream.shutdown().await
}

/// Headless Chromium with a fresh profile and the DevTools Protocol on a free port.
struct Browser {
    devtools_port: u16,
    stderr: Arc<Mutex<String>>,
    // Dropped in this order: the browser first, then its profile directory.
    _process: ChildGuard,
    _profile: TempDir,
}

impl Browser {
    async fn launch() -> TestResult<Browser> {
        let profile = TempDir::new("portal-browser-profile")?;
        let mut command = Command::new(CHROMIUM);
        command
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--remote-debugging-port=0",
            ])
            .arg(format!("--user-data-dir={}", profile.0.display()))
            .arg("about:blank")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        let mut process = ChildGuard::spawn_group("chromium", command)?;
        let stderr = Arc::new(Mutex::new(String::new()));
        if let Some(mut pipe) = process.child.stderr.take() {
            let log = Arc::clone(&stderr);
            std::thread::spawn(move || {
                let mut chunk = [0u8; 4096];
                while let Ok(read) = pipe.read(&mut chunk) {
                    if read == 0 {
                        break;
                    }
                    if let Ok(mut log) = log.lock() {
                        log.push_str(&String::from_utf8_lossy(&chunk[..read]));
                    }
                }
            });
        }
        // Chromium writes the port it picked to `DevToolsActivePort` in the profile.
        let port_file = profile.0.join("DevToolsActivePort");
        let deadline = Instant::now() + START_TIMEOUT;
        let devtools_port = loop {
            let port = std::fs::read_to_string(&port_file).ok().and_then(|text| {
                text.lines().next().and_then(|line| line.trim().parse::<u16>().ok())
            });
            if let Some(port) = port {
                break port;
            }
            if let Ok(Some(status)) = process.child.try_wait() {
                return Err(format!("chromium exited ({status}): {}", tail(&stderr)).into());
            }
            if Instant::now() > deadline {
                return Err(format!(
                    "chromium opened no DevTools port within {START_TIMEOUT:?}: {}",
                    tail(&stderr)
                )
                .into());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        };
        Ok(Browser { devtools_port, stderr, _process: process, _profile: profile })
    }

    /// A connection to the browser's first page (tab).
    async fn page(&self) -> TestResult<Page> {
        let http = reqwest::Client::new();
        let list_url = format!("http://127.0.0.1:{}/json/list", self.devtools_port);
        let deadline = Instant::now() + START_TIMEOUT;
        let websocket_url = loop {
            let targets = tokio::time::timeout(CDP_CALL_TIMEOUT, async {
                http.get(&list_url).send().await?.text().await
            })
            .await
            .ok()
            .and_then(Result::ok)
            .and_then(|text| serde_json::from_str::<Value>(&text).ok());
            let page_url = targets.as_ref().and_then(Value::as_array).and_then(|targets| {
                targets
                    .iter()
                    .find(|target| target["type"] == "page")
                    .and_then(|target| target["webSocketDebuggerUrl"].as_str().map(str::to_owned))
            });
            if let Some(url) = page_url {
                break url;
            }
            if Instant::now() > deadline {
                return Err(format!(
                    "chromium lists no page at {list_url}: {targets:?}; {}",
                    tail(&self.stderr)
                )
                .into());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        };
        let (socket, _) = tokio::time::timeout(
            CDP_CALL_TIMEOUT,
            tokio_tungstenite::connect_async(websocket_url.as_str()),
        )
        .await
        .map_err(|_| {
            format!("connecting to {websocket_url} took more than {CDP_CALL_TIMEOUT:?}")
        })??;
        Ok(Page::new(socket))
    }
}

/// The last part of a log, for failure messages.
fn tail(log: &Mutex<String>) -> String {
    let text = log.lock().map(|text| text.clone()).unwrap_or_default();
    let start = text.char_indices().rev().nth(2000).map_or(0, |(index, _)| index);
    format!("chromium's stderr ends with:\n{}", &text[start..])
}

type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;
type Pending = Arc<Mutex<HashMap<u64, tokio::sync::oneshot::Sender<Value>>>>;

/// A Chrome DevTools Protocol session with one page: commands with replies, and a log of events.
struct Page {
    sink: tokio::sync::Mutex<SplitSink<Socket, Message>>,
    pending: Pending,
    events: Arc<Mutex<Vec<Value>>>,
    next_id: std::sync::atomic::AtomicU64,
    reader: tokio::task::JoinHandle<()>,
}

impl Page {
    fn new(socket: Socket) -> Page {
        let (sink, mut stream) = socket.split();
        let pending: Pending = Arc::default();
        let events = Arc::new(Mutex::new(Vec::new()));
        let (waiting, log) = (Arc::clone(&pending), Arc::clone(&events));
        let reader = tokio::spawn(async move {
            while let Some(Ok(message)) = stream.next().await {
                let Ok(text) = message.to_text() else {
                    continue;
                };
                let Ok(value) = serde_json::from_str::<Value>(text) else {
                    continue;
                };
                match value["id"].as_u64() {
                    Some(id) => {
                        let sender =
                            waiting.lock().ok().and_then(|mut waiting| waiting.remove(&id));
                        if let Some(sender) = sender {
                            let _ = sender.send(value);
                        }
                    }
                    None => {
                        if let Ok(mut log) = log.lock() {
                            log.push(value);
                        }
                    }
                }
            }
        });
        Page {
            sink: tokio::sync::Mutex::new(sink),
            pending,
            events,
            next_id: std::sync::atomic::AtomicU64::new(1),
            reader,
        }
    }

    /// Sends a command and returns its `result`, within [`CDP_CALL_TIMEOUT`].
    async fn call(&self, method: &str, params: Value) -> TestResult<Value> {
        let id = self.next_id.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let (sender, receiver) = tokio::sync::oneshot::channel();
        self.pending.lock().map_err(|_| "poisoned")?.insert(id, sender);
        let message = json!({ "id": id, "method": method, "params": params }).to_string();
        let exchange = async {
            self.sink.lock().await.send(Message::Text(message.into())).await?;
            Ok::<_, Box<dyn std::error::Error>>(receiver.await?)
        };
        let reply = tokio::time::timeout(CDP_CALL_TIMEOUT, exchange)
            .await
            .map_err(|_| format!("{method}: no reply within {CDP_CALL_TIMEOUT:?}"))??;
        if let Some(error) = reply.get("error") {
            return Err(format!("{method}: {error}").into());
        }
        Ok(reply["result"].clone())
    }

    /// The value of a JavaScript expression in the page.
    async fn evaluate(&self, expression: &str) -> TestResult<Value> {
        let result = self
            .call("Runtime.evaluate", json!({ "expression": expression, "returnByValue": true }))
            .await?;
        if let Some(exception) = result.get("exceptionDetails") {
            return Err(format!("`{expression}` threw: {exception}").into());
        }
        Ok(result["result"]["value"].clone())
    }

    /// Polls `check` until it is true, within [`PAGE_TIMEOUT`]; errors (such as an evaluation
    /// during a navigation) count as not yet.
    async fn wait_for<'a, F, Fut>(&'a self, what: &str, check: F) -> TestResult
    where
        F: Fn(&'a Page) -> Fut,
        Fut: std::future::Future<Output = TestResult<bool>>,
    {
        let deadline = Instant::now() + PAGE_TIMEOUT;
        let mut last_error = None;
        loop {
            match check(self).await {
                Ok(true) => return Ok(()),
                Ok(false) => {}
                Err(err) => last_error = Some(err.to_string()),
            }
            if Instant::now() > deadline {
                let detail =
                    last_error.map(|err| format!(" (last error: {err})")).unwrap_or_default();
                return Err(
                    format!("timed out after {PAGE_TIMEOUT:?} waiting for {what}{detail}").into()
                );
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    fn events(&self) -> Vec<Value> {
        self.events.lock().map(|events| events.clone()).unwrap_or_default()
    }

    /// Asks the browser to close (best effort; the process is killed anyway).
    async fn close(&self) {
        let _ = self.call("Browser.close", json!({})).await;
    }
}

impl Drop for Page {
    fn drop(&mut self) {
        self.reader.abort();
    }
}
