//! [`FileUpload`]: a file sent as the part of a multipart upload.

/// A file to upload (`POST /v1/files`), sent as a multipart part.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct FileUpload {
    /// The file name sent with the part.
    pub name: String,
    /// The file's contents.
    pub data: Vec<u8>,
}

impl FileUpload {
    pub fn new(name: impl Into<String>, data: impl Into<Vec<u8>>) -> Self {
        FileUpload { name: name.into(), data: data.into() }
    }
}

impl std::fmt::Debug for FileUpload {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FileUpload")
            .field("name", &self.name)
            .field("bytes", &self.data.len())
            .finish()
    }
}

/// With the `deserialize` feature, the file field of parameters built from JSON: the key is known
/// (parameters refuse unknown keys) and its value ignored, since a file is not JSON; set the field
/// in code.
#[cfg(feature = "deserialize")]
pub fn ignore_in_json<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<FileUpload, D::Error> {
    <serde::de::IgnoredAny as serde::Deserialize>::deserialize(deserializer)?;
    Ok(FileUpload::default())
}
