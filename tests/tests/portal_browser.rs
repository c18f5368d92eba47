//! End to end in a real headless browser: the `portal_redirect` example of `stripe-sdk` serves its
//! "Manage billing" page, the browser presses the button, the example creates a billing portal
//! session through the SDK and answers `303 See Other`, and the browser lands on the session URL.
//!
//! No network is needed: the "Stripe API" is a wiremock server answering the
//! `billing_portal.session` fixture whose `url` points to a local portal page, served by another.
//! The browser is Debian's `/usr/bin/chromium`, driven over WebDriver (fantoccini) through Debian's
//! `/usr/bin/chromedriver` (`apt-get install chromium chromium-driver`; `.ci/run` installs both).
//! Without them the test fails; it never skips.

use std::collections::HashMap;
use std::io::BufRead as _;
use std::io::BufReader;
use std::os::unix::process::CommandExt as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use fantoccini::wd::{Capabilities, WebDriverCompatibleCommand};
use fantoccini::{Client as WebDriver, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{json, Value};
use url::{Position, Url};
use wiremock::matchers::{any, method, path_regex};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

type TestResult<T = ()> = Result<T, Box<dyn std::error::Error>>;

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
/// Headless, and quiet: no first-run UI, no background traffic, no QUIC.
const CHROMIUM_FLAGS: [&str; 8] = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
];
const SESSION_PATH: &str = "/portal/session_abc";
/// Text of the local portal page, looked for in the browser's final page.
const MARKER: &str = "Mock customer portal: session_abc";
const CUSTOMER: &str = "cus_browser_test";
const API_KEY: &str = "sk_test_browser";

const BUILD_TIMEOUT: Duration = Duration::from_secs(20 * 60);
const START_TIMEOUT: Duration = Duration::from_secs(30);
const CALL_TIMEOUT: Duration = Duration::from_secs(10);
const PAGE_TIMEOUT: Duration = Duration::from_secs(30);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn manage_billing_button_redirects_the_browser_to_the_portal_session() -> TestResult {
    for (program, package) in [(CHROMIUM, "chromium"), (CHROMEDRIVER, "chromium-driver")] {
        if !Path::new(program).exists() {
            panic!(
                "{program} is missing: this test drives a real headless browser. Install it with \
                 `apt-get install -y {package}` (Debian), as `.ci/run` does."
            );
        }
    }

    // The local "customer portal" the session URL points to; anything else is a 404.
    let portal = MockServer::start().await;
    let page = format!(
        "<!DOCTYPE html><html><head><title>Billing portal</title></head>\
         <body><h1>{MARKER}</h1></body></html>"
    );
    Mock::given(method("GET"))
        .and(path_regex("^/portal/"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(page, "text/html; charset=utf-8"))
        .mount(&portal)
        .await;
    let session_url = format!("{}{SESSION_PATH}", portal.uri());

    // The "Stripe API": answers every request with the session fixture, its URL made local.
    let mut session = tests::fixtures::get("billing_portal.session");
    session["url"] = Value::from(session_url.as_str());
    session["customer"] = Value::from(CUSTOMER);
    let api = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(200).set_body_raw(session.to_string(), "application/json"),
        )
        .mount(&api)
        .await;

    // The example, listening on a free port.
    let executable = build_example(&tests::workspace_root(), "portal_redirect").await?;
    let mut example = Command::new(&executable);
    example
        .env("PORT", "0")
        .env("STRIPE_API_BASE", api.uri())
        .env("STRIPE_SECRET_KEY", API_KEY)
        .env("STRIPE_CUSTOMER_ID", CUSTOMER)
        .env_remove("APP_URL")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit());
    let mut example = ChildGuard::spawn("portal_redirect example", example)?;
    let first_line = StdoutLines::take(example.name, &mut example.child)?
        .next(example.name, Instant::now() + START_TIMEOUT)?;
    let app_url = first_line
        .strip_prefix("listening on ")
        .ok_or_else(|| {
            format!("the example's first line is {first_line:?}, not `listening on <url>`")
        })?
        .trim()
        .to_owned();
    let index_url = format!("{app_url}/");

    // The browser: dropped after the session closes, before its profile directory.
    let profile = TempDir::new("portal-browser-profile")?;
    let driver = ChromeDriver::start()?;
    let browser = driver.session(&profile).await?;
    let outcome = press_manage_billing(&browser, &index_url, &session_url, &portal).await;
    // Ends the browser too (best effort: the driver's process group is killed anyway).
    let _ = tokio::time::timeout(CALL_TIMEOUT, browser.close()).await;
    let (final_url, events) = outcome?;
    assert_eq!(final_url, session_url, "the browser's final URL");

    // It got there by following the app's 303 from the form post.
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
    let hits = hits(&portal).await;
    assert!(
        hits.iter().any(|hit| hit == &format!("GET {SESSION_PATH}")),
        "the portal page server was not visited at {SESSION_PATH}: {hits:?}"
    );

    // And the example created the session through the SDK, once, for the configured customer.
    let requests = api.received_requests().await.ok_or("wiremock records no requests")?;
    assert_eq!(requests.len(), 1, "one API request: {requests:#?}");
    let request = &requests[0];
    assert_eq!(
        (request.method.as_str(), &request.url[Position::BeforePath..]),
        ("POST", "/v1/billing_portal/sessions")
    );
    assert_eq!(
        request.headers.get("authorization").and_then(|value| value.to_str().ok()),
        Some(format!("Bearer {API_KEY}").as_str())
    );
    let params: HashMap<String, String> =
        form_urlencoded::parse(&request.body).into_owned().collect();
    assert_eq!(params.get("customer").map(String::as_str), Some(CUSTOMER), "{params:?}");
    assert_eq!(params.get("return_url"), Some(&index_url), "{params:?}");

    drop(driver);
    drop(example);
    Ok(())
}

/// Opens the app's page, presses "Manage billing" and waits for the portal page; returns the
/// browser's final URL and its network events (DevTools `Network.*` events, `{method, params}`).
async fn press_manage_billing(
    browser: &WebDriver,
    index_url: &str,
    session_url: &str,
    portal: &MockServer,
) -> TestResult<(String, Vec<Value>)> {
    browser.goto(index_url).await?;
    wait_for(
        browser,
        "the app's page to load",
        "return document.readyState + ' ' + location.href",
        |state| state.as_str() == Some(format!("complete {index_url}").as_str()),
    )
    .await?;

    // Press "Manage billing" with the mouse: a WebDriver element click moves the pointer to the
    // button's center, presses and releases.
    let button = browser
        .find(Locator::XPath("//button[normalize-space(.) = 'Manage billing']"))
        .await
        .map_err(|err| format!("no \"Manage billing\" button on {index_url}: {err}"))?;
    button.click().await?;

    // The browser must end up on the session URL, showing the portal page.
    let landed = wait_for(
        browser,
        "the browser to reach the portal session URL",
        "return [document.readyState, location.href, document.body ? document.body.innerText : '']",
        |state| {
            state[0] == "complete"
                && state[1] == session_url
                && state[2].as_str().is_some_and(|text| text.contains(MARKER))
        },
    )
    .await;
    if let Err(err) = landed {
        let state = browser
            .execute(
                "return location.href + ' | ' + (document.body ? document.body.innerText : '')",
                Vec::new(),
            )
            .await;
        return Err(format!(
            "{err}; the browser is at {state:?}; portal hits: {:?}",
            hits(portal).await
        )
        .into());
    }
    let final_url = browser.current_url().await?.to_string();
    Ok((final_url, network_events(browser).await?))
}

/// Runs `script` in the page until `done` holds for its value, within [`PAGE_TIMEOUT`]; errors
/// (such as a script run during a navigation) count as not yet.
async fn wait_for(
    browser: &WebDriver,
    what: &str,
    script: &str,
    done: impl Fn(&Value) -> bool,
) -> TestResult {
    let deadline = Instant::now() + PAGE_TIMEOUT;
    let mut last_error = None;
    loop {
        match tokio::time::timeout(CALL_TIMEOUT, browser.execute(script, Vec::new())).await {
            Ok(Ok(value)) if done(&value) => return Ok(()),
            Ok(Ok(_)) => {}
            Ok(Err(err)) => last_error = Some(err.to_string()),
            Err(_) => last_error = Some(format!("no answer within {CALL_TIMEOUT:?}")),
        }
        if Instant::now() > deadline {
            let detail = last_error.map(|err| format!(" (last error: {err})")).unwrap_or_default();
            return Err(
                format!("timed out after {PAGE_TIMEOUT:?} waiting for {what}{detail}").into()
            );
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// What the portal page server received, as `METHOD path`.
async fn hits(portal: &MockServer) -> Vec<String> {
    let requests: Vec<Request> = portal.received_requests().await.unwrap_or_default();
    requests.iter().map(|request| format!("{} {}", request.method, request.url.path())).collect()
}

/// Debian's chromedriver on a free loopback port; it and its browser end when dropped.
struct ChromeDriver {
    url: String,
    _process: ChildGuard,
}

impl ChromeDriver {
    const NAME: &'static str = "chromedriver";

    fn start() -> TestResult<ChromeDriver> {
        let mut command = Command::new(CHROMEDRIVER);
        // Port 0: chromedriver takes a free port and prints it. It accepts local connections only.
        command
            .arg("--port=0")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit());
        let mut process = ChildGuard::spawn_group(Self::NAME, command)?;
        let lines = StdoutLines::take(Self::NAME, &mut process.child)?;
        let deadline = Instant::now() + START_TIMEOUT;
        loop {
            let line = lines.next(Self::NAME, deadline)?;
            let port = line
                .strip_prefix("ChromeDriver was started successfully on port ")
                .and_then(|rest| rest.trim_end_matches('.').parse::<u16>().ok());
            if let Some(port) = port {
                let url = format!("http://127.0.0.1:{port}");
                return Ok(ChromeDriver { url, _process: process });
            }
        }
    }

    /// A session with headless Chromium on a fresh profile, recording network events.
    async fn session(&self, profile: &TempDir) -> TestResult<WebDriver> {
        let mut args: Vec<String> = CHROMIUM_FLAGS.iter().map(|flag| flag.to_string()).collect();
        args.push(format!("--user-data-dir={}", profile.0.display()));
        let mut capabilities = Capabilities::new();
        capabilities.insert("browserName".into(), json!("chrome"));
        capabilities
            .insert("goog:chromeOptions".into(), json!({ "binary": CHROMIUM, "args": args }));
        // The performance log carries DevTools network events: how the test sees the 303.
        capabilities.insert("goog:loggingPrefs".into(), json!({ "performance": "ALL" }));
        capabilities.insert(
            "timeouts".into(),
            json!({ "pageLoad": PAGE_TIMEOUT.as_millis(), "script": CALL_TIMEOUT.as_millis() }),
        );
        let mut builder = ClientBuilder::new(HttpConnector::new());
        builder.capabilities(capabilities);
        let session = tokio::time::timeout(START_TIMEOUT, builder.connect(&self.url))
            .await
            .map_err(|_| format!("chromedriver started no browser within {START_TIMEOUT:?}"))?;
        Ok(session?)
    }
}

/// Chromedriver's `performance` log (entries since the last read): DevTools events as JSON text.
#[derive(Debug)]
struct PerformanceLog;

impl WebDriverCompatibleCommand for PerformanceLog {
    fn endpoint(&self, base: &Url, session_id: Option<&str>) -> Result<Url, url::ParseError> {
        base.join(&format!("session/{}/se/log", session_id.unwrap_or_default()))
    }

    fn method_and_body(&self, _: &Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(json!({ "type": "performance" }).to_string()))
    }
}

/// The DevTools events of the performance log, each `{"method": .., "params": ..}`.
async fn network_events(browser: &WebDriver) -> TestResult<Vec<Value>> {
    let log = tokio::time::timeout(CALL_TIMEOUT, browser.issue_cmd(PerformanceLog))
        .await
        .map_err(|_| format!("the performance log: no answer within {CALL_TIMEOUT:?}"))??;
    let entries =
        log.as_array().ok_or_else(|| format!("the performance log is not a list: {log}"))?;
    entries
        .iter()
        .map(|entry| {
            let text = entry["message"]
                .as_str()
                .ok_or_else(|| format!("a performance log entry without a message: {entry}"))?;
            let message: Value = serde_json::from_str(text)?;
            Ok(message["message"].clone())
        })
        .collect()
}

/// Variables cargo sets for a running test (with `CARGO_PKG_*`), naming the tests package.
const TEST_PACKAGE_ENV: [&str; 5] = [
    "CARGO_MANIFEST_DIR",
    "CARGO_MANIFEST_PATH",
    "CARGO_CRATE_NAME",
    "CARGO_PRIMARY_PACKAGE",
    "CARGO_TARGET_TMPDIR",
];

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
    // What cargo sets for this test describes the tests package; build scripts that watch it
    // (ring's watches CARGO_MANIFEST_DIR) would otherwise rebuild, and so would everything above
    // them at the next `cargo test`.
    for (name, _) in std::env::vars_os() {
        let name = name.to_string_lossy();
        if name.starts_with("CARGO_PKG_") || TEST_PACKAGE_ENV.contains(&name.as_ref()) {
            build.env_remove(name.as_ref());
        }
    }
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

/// The lines a child writes on stdout, read on a thread that drains the pipe to its end, so that
/// the child never blocks on a full pipe.
struct StdoutLines(mpsc::Receiver<std::io::Result<String>>);

impl StdoutLines {
    fn take(name: &str, child: &mut Child) -> TestResult<StdoutLines> {
        let stdout =
            child.stdout.take().ok_or_else(|| format!("the {name}'s stdout is not piped"))?;
        let (sender, receiver) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                // Once nobody listens, the rest is read and dropped.
                let _ = sender.send(line);
            }
        });
        Ok(StdoutLines(receiver))
    }

    /// The next line, if it comes before `deadline`.
    fn next(&self, name: &str, deadline: Instant) -> TestResult<String> {
        let left = deadline.saturating_duration_since(Instant::now());
        match self.0.recv_timeout(left) {
            Ok(Ok(line)) => Ok(line.trim_end().to_owned()),
            Ok(Err(err)) => Err(format!("cannot read the {name}'s stdout: {err}").into()),
            Err(mpsc::RecvTimeoutError::Timeout) => {
                Err(format!("the {name} printed no expected line within {START_TIMEOUT:?}").into())
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                Err(format!("the {name} closed its stdout (exited?) before the expected line")
                    .into())
            }
        }
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
