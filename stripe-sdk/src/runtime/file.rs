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
