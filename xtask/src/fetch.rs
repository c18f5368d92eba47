//! Fetching the pinned spec: from a local folder or over HTTPS, always checked against the pin.

use std::io::Read;
use std::path::Path;
use std::time::Duration;

use anyhow::{Context, Result};
use codegen::pin::{self, Pin, SpecFiles};

/// Puts the pinned files into `spec/cache/`, from `from`, `STRIPE_OPENAPI_DIR` or upstream.
pub fn fetch(root: &Path, from: Option<&Path>) -> Result<SpecFiles> {
    let pin = Pin::load(root)?;
    let from =
        from.map(Path::to_path_buf).or_else(|| std::env::var_os(pin::ENV_DIR).map(Into::into));
    let cache = pin::cache_dir(root);
    std::fs::create_dir_all(&cache)
        .with_context(|| format!("cannot create {}", cache.display()))?;
    for file in &pin.files {
        let target = cache.join(&file.name);
        let (bytes, source) = match &from {
            Some(dir) => {
                let path = dir.join(&file.name);
                let bytes = std::fs::read(&path)
                    .with_context(|| format!("cannot read {}", path.display()))?;
                (bytes, path.display().to_string())
            }
            None => {
                let url = pin.url(file);
                (download(&url)?, url)
            }
        };
        pin.verify(file, Path::new(&source), &bytes)?;
        let partial = target.with_extension("partial");
        std::fs::write(&partial, &bytes)
            .with_context(|| format!("cannot write {}", partial.display()))?;
        std::fs::rename(&partial, &target)
            .with_context(|| format!("cannot write {}", target.display()))?;
        eprintln!("{} ({} bytes, sha256 ok) <- {source}", target.display(), bytes.len());
    }
    Ok(pin.locate(root)?)
}

/// The verified pinned files, fetching them first when the cache does not hold them.
pub fn ensure(root: &Path, from: Option<&Path>) -> Result<SpecFiles> {
    let pin = Pin::load(root)?;
    match (from, pin.locate(root)) {
        (None, Ok(files)) if files.spec.starts_with(pin::cache_dir(root)) => Ok(files),
        _ => fetch(root, from),
    }
}

fn download(url: &str) -> Result<Vec<u8>> {
    let agent = ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_secs(120)))
        .build()
        .new_agent();
    let hint = format!(
        "could not download {url}. Without network access, copy the pinned files from a local folder: \
         `cargo xtask fetch-spec --from DIR` (or set {}=DIR)",
        pin::ENV_DIR
    );
    let response = agent.get(url).call().context(hint.clone())?;
    let mut bytes = Vec::new();
    response.into_body().into_reader().read_to_end(&mut bytes).context(hint)?;
    Ok(bytes)
}
