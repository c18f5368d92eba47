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
    /// File name in the cache and in local folders (`spec3.yaml`).
    pub name: String,
    /// Path inside the upstream repository (`openapi/spec3.yaml`).
    pub path: String,
    pub sha256: String,
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

    /// Checks `bytes` (read from `path`) against the pinned sha256 of `file`.
    pub fn verify(&self, file: &PinnedFile, path: &Path, bytes: &[u8]) -> Result<(), PinError> {
        let actual = sha256_hex(bytes);
        if actual == file.sha256 {
            return Ok(());
        }
        Err(PinError::Mismatch {
            path: path.to_owned(),
            name: file.name.clone(),
            tag: self.tag.clone(),
            expected: file.sha256.clone(),
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
        Ok(SpecFiles { spec: dir.join("spec3.yaml"), fixtures: dir.join("fixtures3.json") })
    }
}

pub fn cache_dir(root: &Path) -> PathBuf {
    root.join("spec/cache")
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|byte| format!("{byte:02x}")).collect()
}
