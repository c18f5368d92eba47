//! Structured values read from fuzz input bytes.

/// Reads numbers, choices and text from a byte string; past its end every read gives zero, so
/// any input (the empty one too) is a valid recipe.
pub struct Source<'a> {
    data: &'a [u8],
}

impl<'a> Source<'a> {
    pub fn new(data: &'a [u8]) -> Source<'a> {
        Source { data }
    }

    pub fn byte(&mut self) -> u8 {
        match self.data.split_first() {
            Some((first, rest)) => {
                self.data = rest;
                *first
            }
            None => 0,
        }
    }

    /// A number in `0..n` (`0` when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            return 0;
        }
        let raw = u32::from_le_bytes([self.byte(), self.byte(), self.byte(), self.byte()]);
        usize::try_from(raw).unwrap_or(usize::MAX) % n
    }

    /// True with probability `1/n`.
    pub fn one_in(&mut self, n: usize) -> bool {
        self.below(n) == 0
    }

    /// Up to `max` bytes of the input.
    pub fn bytes(&mut self, max: usize) -> &'a [u8] {
        let len = self.below(max + 1).min(self.data.len());
        let (head, rest) = self.data.split_at(len);
        self.data = rest;
        head
    }

    /// A short string mixing the characters that matter to encoders: separators, brackets,
    /// percent signs, spaces, controls and multi-byte characters.
    pub fn text(&mut self, max_chars: usize) -> String {
        const PIECES: &[&str] = &[
            "a", "Z", "0", "9", "-", "_", ".", "~", " ", "+", "&", "=", "%", "%2e", "%41", "[",
            "]", "[]", "/", "?", "#", "\"", "'", "\\", "\r", "\n", "\t", "\0", "é", "✓", "😀",
            "\u{7f}", "\u{a0}", "..", "a[b]", "=&", "cus_123",
        ];
        let len = self.below(max_chars + 1);
        (0..len).map(|_| PIECES[self.below(PIECES.len())]).collect()
    }

    pub fn is_empty(&self) -> bool {
        self.data.is_empty()
    }
}
