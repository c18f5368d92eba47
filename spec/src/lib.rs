//! The pinned upstream spec (`spec/pin.json`): which files, from where, with which sha256, and
//! where the verified copies are kept (`spec/cache/`, git-ignored).

use std::path::{Path, PathBuf};

use serde::Deserialize;
use sha2::{Digest, Sha256};

/// Environment variable naming a local folder that holds the pinned files.
pub const ENV_DIR: &str = "STRIPE_OPENAPI_DIR";

#[derive(Debug, Deserialize)]
pub struct Pin {
    pub repository: String,
    pub tag: String,
    pub commit: String,
    pub api_version: String,
    /// URL pattern with `{tag}` and `{path}`.
    pub raw_url: String,
    pub files: Vec<PinnedFile>,
}

#[derive(Debug, Deserialize)]
pub struct PinnedFile {
    /// File name in the cache and in local folders (`spec3.json`).
    pub name: String,
    /// Path inside the upstream repository (`latest/openapi.spec3.json`).
    pub path: String,
    /// The sha256 of the file's bytes (of the copy the pin was made from).
    pub sha256: String,
    /// For a JSON file: the sha256 of the parsed document written back compactly (keys in their
    /// order, no whitespace). The same document indented or compact has this one hash, so
    /// upstream's indented file and a compact copy of it both pass; any change of content fails.
    #[serde(default)]
    pub document_sha256: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum PinError {
    #[error("cannot read {path}: {source}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("{path} is not a valid pin file: {source}")]
    Invalid { path: PathBuf, source: serde_json::Error },
    #[error("{path} has sha256 {actual}, but spec/pin.json pins {name} of {tag} at {expected}")]
    Mismatch { path: PathBuf, name: String, tag: String, expected: String, actual: String },
    #[error(
        "the pinned spec is not in {cache}; run `cargo xtask fetch-spec` (it downloads {tag}), \
         or `cargo xtask fetch-spec --from DIR` / set {ENV_DIR}=DIR to copy it from a local folder"
    )]
    Missing { cache: PathBuf, tag: String },
}

/// Paths of the verified pinned files.
#[derive(Debug, Clone)]
pub struct SpecFiles {
    pub spec: PathBuf,
    pub fixtures: PathBuf,
}

impl Pin {
    pub fn load(root: &Path) -> Result<Pin, PinError> {
        let path = root.join("spec/pin.json");
        let text = std::fs::read_to_string(&path)
            .map_err(|source| PinError::Read { path: path.clone(), source })?;
        serde_json::from_str(&text).map_err(|source| PinError::Invalid { path, source })
    }

    pub fn url(&self, file: &PinnedFile) -> String {
        self.raw_url.replace("{tag}", &self.tag).replace("{path}", &file.path)
    }

    /// Checks `bytes` (read from `path`) against the pinned sha256 of `file`, or, for a JSON
    /// file whose bytes differ, against the pinned hash of its parsed document.
    pub fn verify(&self, file: &PinnedFile, path: &Path, bytes: &[u8]) -> Result<(), PinError> {
        let actual = sha256_hex(bytes);
        if actual == file.sha256 {
            return Ok(());
        }
        let (expected, actual) = match &file.document_sha256 {
            Some(expected) => (expected.clone(), document_sha256(bytes)),
            None => (file.sha256.clone(), actual),
        };
        if actual == expected {
            return Ok(());
        }
        Err(PinError::Mismatch {
            path: path.to_owned(),
            name: file.name.clone(),
            tag: self.tag.clone(),
            expected,
            actual,
        })
    }

    /// The verified files: from the cache, else from the folder in [`ENV_DIR`].
    pub fn locate(&self, root: &Path) -> Result<SpecFiles, PinError> {
        let cache = cache_dir(root);
        let dir = if cache.join(&self.files[0].name).exists() {
            cache
        } else {
            match std::env::var_os(ENV_DIR) {
                Some(dir) => PathBuf::from(dir),
                None => return Err(PinError::Missing { cache, tag: self.tag.clone() }),
            }
        };
        for file in &self.files {
            let path = dir.join(&file.name);
            let bytes = std::fs::read(&path)
                .map_err(|source| PinError::Read { path: path.clone(), source })?;
            self.verify(file, &path, &bytes)?;
        }
        let named = |suffix: &str| {
            let file = self.files.iter().find(|file| file.name.ends_with(suffix));
            dir.join(file.map_or(suffix, |file| file.name.as_str()))
        };
        Ok(SpecFiles { spec: named(&self.files[0].name), fixtures: named("fixtures3.json") })
    }
}

pub fn cache_dir(root: &Path) -> PathBuf {
    root.join("spec/cache")
}

/// The sha256 of a JSON document written back compactly, or `"not JSON: …"` (which never matches
/// a pin) when the bytes do not parse.
pub fn document_sha256(bytes: &[u8]) -> String {
    match serde_json::from_slice::<serde_json::Value>(bytes) {
        Ok(value) => match serde_json::to_vec(&value) {
            Ok(compact) => sha256_hex(&compact),
            Err(error) => format!("not JSON: {error}"),
        },
        Err(error) => format!("not JSON: {error}"),
    }
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|byte| format!("{byte:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pin(sha256: &str, document: Option<String>) -> (Pin, PinnedFile) {
        let file = PinnedFile {
            name: "spec3.json".into(),
            path: "latest/openapi.spec3.json".into(),
            sha256: sha256.into(),
            document_sha256: document,
        };
        let pin = Pin {
            repository: String::new(),
            tag: "v1".into(),
            commit: String::new(),
            api_version: String::new(),
            raw_url: String::new(),
            files: Vec::new(),
        };
        (pin, file)
    }

    #[test]
    fn indented_and_compact_forms_of_one_document_both_pass() {
        let compact = br#"{"b":1,"a":[1.5,"\u00e9"]}"#;
        let indented = b"{\n  \"b\": 1,\n  \"a\": [\n    1.5,\n    \"\xc3\xa9\"\n  ]\n}\n";
        let (pin, file) = pin(&sha256_hex(compact), Some(document_sha256(compact)));
        let path = Path::new("spec3.json");
        pin.verify(&file, path, compact).unwrap();
        pin.verify(&file, path, indented).unwrap();
        let changed = br#"{"b":2,"a":[1.5,"\u00e9"]}"#;
        assert!(matches!(pin.verify(&file, path, changed), Err(PinError::Mismatch { .. })));
        // Key order is content: a reordered document is another document.
        let reordered = br#"{"a":[1.5,"\u00e9"],"b":1}"#;
        assert!(pin.verify(&file, path, reordered).is_err());
        assert!(pin.verify(&file, path, b"not json").is_err());
    }

    #[test]
    fn without_a_document_hash_only_the_bytes_pass() {
        let compact = br#"{"a":1}"#;
        let (pin, file) = pin(&sha256_hex(compact), None);
        assert!(pin.verify(&file, Path::new("f"), br#"{ "a": 1 }"#).is_err());
    }
}
