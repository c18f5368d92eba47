//! Decoding JSON into the generated types, naming where a failure happened.
//!
//! A failed decode is reported with the JSON path of the value that did not fit (`data[3].customer`).
//! The path is found by scanning the bytes up to serde_json's error position, not by decoding
//! again through a path-tracking deserializer: every `Deserialize` impl reached that way would be
//! compiled a second time, for a wrapper type used only on the error path.

use serde::de::DeserializeOwned;

/// Decodes `json` into `T`; on failure, returns the JSON path of the value that did not fit with
/// serde_json's error.
pub(crate) fn decode<T: DeserializeOwned>(json: &[u8]) -> Result<T, (String, serde_json::Error)> {
    serde_json::from_slice(json).map_err(|err| (path_at(json, &err), err))
}

/// The path of the value being decoded where `err` happened: keys joined by `.`, array indexes as
/// `[i]`, `.` for the top level.
pub(crate) fn path_at(json: &[u8], err: &serde_json::Error) -> String {
    // serde_json reports the position just after the last byte it read: scan up to there.
    let end = offset(json, err.line(), err.column()).min(json.len());
    let mut scanner = Scanner::default();
    for &byte in &json[..end] {
        scanner.step(byte);
    }
    scanner.path()
}

/// The byte offset of a 1-based line and a column counted in bytes from the line's start.
fn offset(json: &[u8], line: usize, column: usize) -> usize {
    let line_start: usize = json.split(|&b| b == b'\n').take(line.saturating_sub(1)).map(|l| l.len() + 1).sum();
    line_start + column
}

/// One open container of the document.
enum Frame {
    /// An object, with the key of its current member (once read).
    Object { key: Option<String>, expect_key: bool },
    /// An array, with the index of its current element.
    Array { index: usize },
}

/// Where a byte-by-byte scan of a JSON document is.
#[derive(Default)]
struct Scanner {
    stack: Vec<Frame>,
    /// The string being read, if the scan is inside one.
    string: Option<Vec<u8>>,
    /// Whether the previous byte inside a string was an unescaped backslash.
    escaped: bool,
    /// The path of the object or array that was just closed, until anything but whitespace or a
    /// comma follows: a failure reported there (a missing field) is that container's own.
    closed: Option<String>,
}

impl Scanner {
    fn step(&mut self, byte: u8) {
        if let Some(text) = &mut self.string {
            match (self.escaped, byte) {
                (false, b'\\') => self.escaped = true,
                (false, b'"') => self.end_string(),
                _ => {
                    self.escaped = false;
                    text.push(byte);
                }
            }
            return;
        }
        if !matches!(byte, b' ' | b'\t' | b'\n' | b'\r' | b',') {
            self.closed = None;
        }
        match byte {
            b'"' => self.string = Some(Vec::new()),
            b'{' => self.stack.push(Frame::Object { key: None, expect_key: true }),
            b'[' => self.stack.push(Frame::Array { index: 0 }),
            b'}' | b']' => {
                let depth = self.stack.len().saturating_sub(1);
                self.closed = Some(path_of(&self.stack[..depth]));
                self.stack.pop();
            }
            b',' => match self.stack.last_mut() {
                Some(Frame::Array { index }) => *index += 1,
                Some(Frame::Object { expect_key, .. }) => *expect_key = true,
                None => {}
            },
            _ => {}
        }
    }

    /// A string ended: if it is where an object expects a key, it is the current key.
    fn end_string(&mut self) {
        let text = self.string.take().unwrap_or_default();
        if let Some(Frame::Object { key, expect_key }) = self.stack.last_mut() {
            if *expect_key {
                *key = Some(String::from_utf8_lossy(&text).into_owned());
                *expect_key = false;
            }
        }
    }

    fn path(&self) -> String {
        match &self.closed {
            Some(path) => path.clone(),
            None => path_of(&self.stack),
        }
    }
}

/// The path to the current value of the innermost of `frames`: keys joined by `.`, array indexes
/// as `[i]`, `.` for the top level.
fn path_of(frames: &[Frame]) -> String {
    let mut path = String::new();
    for frame in frames {
        match frame {
            Frame::Object { key: Some(key), expect_key: false } => {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(key);
            }
            Frame::Object { .. } => {}
            Frame::Array { index } => path.push_str(&format!("[{index}]")),
        }
    }
    if path.is_empty() {
        path.push('.');
    }
    path
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    struct Item {
        #[allow(dead_code)]
        quantity: i64,
    }

    #[derive(Debug, serde::Deserialize)]
    struct Order {
        #[allow(dead_code)]
        items: Vec<Item>,
        #[allow(dead_code)]
        note: Option<String>,
    }

    fn path_of(json: &str) -> String {
        decode::<Order>(json.as_bytes()).expect_err("does not decode").0
    }

    #[test]
    fn names_the_value_that_does_not_fit() {
        assert_eq!(path_of(r#"{"items": [{"quantity": 1}, {"quantity": "two"}]}"#), "items[1].quantity");
        assert_eq!(path_of("{\"note\": null,\n \"items\": [\n  {\"quantity\": 1.5}]}"), "items[0].quantity");
        assert_eq!(path_of(r#"{"items": [{"quantity": 1}, {}]}"#), "items[1]");
        assert_eq!(path_of(r#"{"note": "a \"quoted\", [tricky] {text}", "items": 3}"#), "items");
        assert_eq!(path_of(r#"{"note": 5, "items": []}"#), "note");
        assert_eq!(path_of(r#"{"note": "x"}"#), ".");
        assert_eq!(path_of(r#"{"items": [], "note": "x", "extra": {"a": [1, {"b": 2}]}, "more": 1"#), "more");
        assert_eq!(path_of(r#"[[{"quantity": "1"}]]"#), "[0][0].quantity");
        assert_eq!(path_of(r#""text""#), ".");
    }

    #[test]
    fn truncated_documents_name_where_they_stop() {
        assert_eq!(path_of(r#"{"items": [{"quantity": 1}, {"quan"#), "items[1]");
        assert_eq!(path_of(""), ".");
    }
}
