//! The JSON reader of [`decode_json`](super::decode_json): reads the text and drives the slots
//! directly, with no serde layer between a key and its builder.
//!
//! It is the fast path only. Any failure (bad JSON, a value a slot refuses, a missing field)
//! returns an error without details, and `decode_json` decodes the text again through
//! serde_json, whose error names the line, the column and the JSON path. So the reader may
//! refuse more than serde_json does, never less: what it accepts, serde_json accepts with the
//! same values (the `decode` fuzz target checks both on mutated fixtures). Its grammar is
//! serde_json's, nesting is limited to serde_json's 128 levels, and numbers are classified as
//! serde_json classifies them (`u64`, `i64`, else `f64`; `-0` is a float).

use super::{DeError, Field, Keys, MapReader, Mark, Result, Scalar, SeqReader, Slot};

/// How deep arrays and objects may nest (serde_json's limit).
const MAX_DEPTH: u32 = 128;

/// Decodes the JSON `text` into `slot`, or fails without saying why.
pub(super) fn read(text: &str, slot: &mut dyn Slot) -> Result<()> {
    let mut reader = Reader { text, pos: 0, depth: MAX_DEPTH, scratch: String::new() };
    reader.value(slot, false)?;
    match reader.token() {
        None => Ok(()),
        Some(_) => Err(invalid()),
    }
}

/// The one error of the fast path: the caller decodes again through serde_json for the details.
#[cold]
fn invalid() -> DeError {
    DeError::new("invalid JSON")
}

struct Reader<'a> {
    text: &'a str,
    pos: usize,
    /// How many more levels of arrays and objects may open.
    depth: u32,
    /// A string or key with escapes, unescaped.
    scratch: String,
}

/// Bytes that end the fast scan of a string: the closing quote, an escape, a control character.
static STOPS: [bool; 256] = {
    let mut table = [false; 256];
    let mut byte = 0;
    while byte < 0x20 {
        table[byte] = true;
        byte += 1;
    }
    table[b'"' as usize] = true;
    table[b'\\' as usize] = true;
    table
};

/// The value of a run of decimal digits, if it fits a `u64`.
#[cold]
fn exact(digits: &[u8]) -> Option<u64> {
    digits.iter().try_fold(0u64, |value, &digit| {
        value.checked_mul(10)?.checked_add(u64::from(digit.wrapping_sub(b'0')))
    })
}

/// The value of eight ASCII digits, or `None` if one of the bytes is not a digit (eight at
/// once, as fast_float reads them: the digits' values in pairs, then in fours, then all eight).
#[inline(always)]
fn eight_digits(chunk: &[u8; 8]) -> Option<u64> {
    const ONES: u64 = u64::from_le_bytes([1; 8]);
    let word = u64::from_le_bytes(*chunk);
    // A byte below `0` borrows into its high bit, one above `9` carries into it; a carry or a
    // borrow between bytes only follows a byte that is flagged itself.
    let digits = word.wrapping_sub(ONES * u64::from(b'0'));
    if (word.wrapping_add(ONES * 0x46) | digits) & (ONES << 7) != 0 {
        return None;
    }
    // Each byte (and the one above it) becomes a two-digit value in the low byte of each pair.
    let pairs = digits.wrapping_mul(10).wrapping_add(digits >> 8);
    const PAIRS: u64 = 0x0000_00FF_0000_00FF;
    const HIGH: u64 = 100 + (1_000_000 << 32);
    const LOW: u64 = 1 + (10_000 << 32);
    Some(
        (pairs & PAIRS).wrapping_mul(HIGH).wrapping_add(((pairs >> 16) & PAIRS).wrapping_mul(LOW))
            >> 32,
    )
}

/// The length of the run of `bytes` before the first byte that ends the fast scan of a string
/// (all of them if none does): eight bytes at a time, then one by one.
#[inline]
fn stop(bytes: &[u8]) -> usize {
    const ONES: u64 = u64::from_le_bytes([1; 8]);
    const HIGH: u64 = ONES << 7;
    // The bytes of `word` that are zero (or, below, under 0x20), flagged by their high bit. A
    // borrow only flags a byte above one that is flagged itself, so the lowest flag is a true one.
    let zeros = |word: u64| word.wrapping_sub(ONES) & !word & HIGH;
    let mut chunks = bytes.chunks_exact(8);
    let mut pos = 0;
    for chunk in &mut chunks {
        let word = u64::from_le_bytes(chunk.try_into().unwrap_or_default());
        let flags = zeros(word ^ (ONES * u64::from(b'"')))
            | zeros(word ^ (ONES * u64::from(b'\\')))
            | (word.wrapping_sub(ONES * 0x20) & !word & HIGH);
        if flags != 0 {
            return pos + (flags.trailing_zeros() / 8) as usize;
        }
        pos += 8;
    }
    for &byte in chunks.remainder() {
        if STOPS[byte as usize] {
            break;
        }
        pos += 1;
    }
    pos
}

impl<'a> Reader<'a> {
    #[inline(always)]
    fn bytes(&self) -> &'a [u8] {
        self.text.as_bytes()
    }

    /// The next byte after whitespace, not consumed; `None` at the end of the text.
    #[inline(always)]
    fn token(&mut self) -> Option<u8> {
        // Compact JSON has none: one comparison (every whitespace byte is at most a space).
        match self.bytes().get(self.pos) {
            Some(&byte) if byte > b' ' => Some(byte),
            _ => self.after_whitespace(),
        }
    }

    /// [`Reader::token`] after whitespace (pretty-printed JSON, as Stripe sends it).
    #[inline]
    fn after_whitespace(&mut self) -> Option<u8> {
        let mut pos = self.pos;
        while let Some(&byte) = self.bytes().get(pos) {
            if !matches!(byte, b' ' | b'\n' | b'\r' | b'\t') {
                self.pos = pos;
                return Some(byte);
            }
            pos += 1;
        }
        self.pos = pos;
        None
    }

    /// Consumes `byte` after whitespace.
    #[inline(always)]
    fn expect(&mut self, byte: u8) -> Result<()> {
        if self.token() != Some(byte) {
            return Err(invalid());
        }
        self.pos += 1;
        Ok(())
    }

    /// Decodes the next value into `slot`; with `nullable`, `null` leaves it empty. Strings and
    /// `null`, most of Stripe's values, are read here, inlined into the loops over entries and
    /// elements; the other values in [`Reader::other`].
    #[inline(always)]
    fn value(&mut self, slot: &mut dyn Slot, nullable: bool) -> Result<()> {
        match self.token() {
            Some(b'"') => {
                self.pos += 1;
                let text = self.string()?;
                slot.scalar(Scalar::Str(text))
            }
            Some(b'n') => {
                self.literal(b"null")?;
                if nullable {
                    return Ok(());
                }
                slot.scalar(Scalar::Null)
            }
            next => self.other(next, slot),
        }
    }

    /// A value other than a string or `null`, its first byte `next`.
    #[inline(never)]
    fn other(&mut self, next: Option<u8>, slot: &mut dyn Slot) -> Result<()> {
        match next {
            Some(b'-' | b'0'..=b'9') => {
                let number = self.number()?;
                slot.scalar(number)
            }
            Some(b'{') => self.nested(|reader| {
                let mut entries = Entries { reader, first: true, done: false };
                slot.map(&mut entries)?;
                Ok(entries.done)
            }),
            Some(b'[') => self.nested(|reader| {
                let mut elements = Elements { reader, first: true, done: false };
                slot.seq(&mut elements)?;
                Ok(elements.done)
            }),
            Some(b't') => {
                self.literal(b"true")?;
                slot.scalar(Scalar::Bool(true))
            }
            Some(b'f') => {
                self.literal(b"false")?;
                slot.scalar(Scalar::Bool(false))
            }
            _ => Err(invalid()),
        }
    }

    /// Reads an array or an object (its opening bracket next) one level deeper; `read` says
    /// whether it read up to the closing bracket (a slot that stops before it fails). The depth
    /// is back to this level even when `read` fails: an object read again goes back to its
    /// first entry after a value that failed (`MapReader::rewind`).
    fn nested(&mut self, read: impl FnOnce(&mut Reader<'a>) -> Result<bool>) -> Result<()> {
        // serde_json refuses the 128th level.
        if self.depth <= 1 {
            return Err(invalid());
        }
        self.pos += 1;
        self.depth -= 1;
        let done = read(self);
        self.depth += 1;
        if !done? {
            return Err(invalid());
        }
        Ok(())
    }

    #[inline(always)]
    fn literal(&mut self, word: &[u8]) -> Result<()> {
        match self.bytes().get(self.pos..self.pos + word.len()) {
            Some(found) if found == word => {
                self.pos += word.len();
                Ok(())
            }
            _ => Err(invalid()),
        }
    }

    /// A string's contents, its opening quote consumed: borrowed from the text where it has
    /// no escapes, else unescaped into `scratch`.
    #[inline(always)]
    fn string(&mut self) -> Result<&str> {
        let start = self.pos;
        let end = start + stop(self.bytes().get(start..).unwrap_or_default());
        self.pos = end;
        if self.bytes().get(end) != Some(&b'"') {
            return self.escaped(start);
        }
        self.pos = end + 1;
        self.text.get(start..end).ok_or_else(invalid)
    }

    /// The rest of a string with escapes (or a control character, refused), from `start`.
    #[cold]
    fn escaped(&mut self, start: usize) -> Result<&str> {
        self.scratch.clear();
        let mut run = start;
        loop {
            let Some(&byte) = self.bytes().get(self.pos) else { return Err(invalid()) };
            if !STOPS[byte as usize] {
                self.pos += 1;
                continue;
            }
            self.scratch.push_str(self.text.get(run..self.pos).ok_or_else(invalid)?);
            self.pos += 1;
            match byte {
                b'"' => return Ok(&self.scratch),
                b'\\' => self.escape()?,
                _ => return Err(invalid()),
            }
            run = self.pos;
        }
    }

    /// One escape, its backslash consumed, unescaped into `scratch`.
    fn escape(&mut self) -> Result<()> {
        let Some(&byte) = self.bytes().get(self.pos) else { return Err(invalid()) };
        self.pos += 1;
        let unescaped = match byte {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => self.unicode()?,
            _ => return Err(invalid()),
        };
        self.scratch.push(unescaped);
        Ok(())
    }

    /// A `\u` escape, `\u` consumed: a character, or a surrogate pair of two escapes (a lone
    /// surrogate is refused, as serde_json refuses it).
    fn unicode(&mut self) -> Result<char> {
        let high = self.hex4()?;
        let code = match high {
            0xD800..=0xDBFF => {
                self.literal(b"\\u")?;
                let low = self.hex4()?;
                if !(0xDC00..=0xDFFF).contains(&low) {
                    return Err(invalid());
                }
                0x1_0000 + ((high - 0xD800) << 10) + (low - 0xDC00)
            }
            code => code,
        };
        char::from_u32(code).ok_or_else(invalid)
    }

    fn hex4(&mut self) -> Result<u32> {
        let digits = self.bytes().get(self.pos..self.pos + 4).ok_or_else(invalid)?;
        let mut code = 0;
        for &digit in digits {
            let value = (digit as char).to_digit(16).ok_or_else(invalid)?;
            code = code * 16 + value;
        }
        self.pos += 4;
        Ok(code)
    }

    /// A number, classified as serde_json does: an integer is a `u64` if it is not negative, an
    /// `i64` if it fits, else (like `-0` and any fraction or exponent) an `f64`.
    fn number(&mut self) -> Result<Scalar<'static>> {
        let bytes = self.bytes();
        let start = self.pos;
        let negative = bytes.get(start) == Some(&b'-');
        let mut pos = start + usize::from(negative);
        let mut significand: u64 = 0;
        let mut overflowed = false;
        match bytes.get(pos) {
            Some(b'0') => pos += 1,
            Some(b'1'..=b'9') => {
                let first = pos;
                // Timestamps and amounts: most integers have eight digits or more.
                while let Some(eight) =
                    bytes.get(pos..).and_then(<[u8]>::first_chunk::<8>).and_then(eight_digits)
                {
                    significand = significand.wrapping_mul(100_000_000).wrapping_add(eight);
                    pos += 8;
                }
                while let Some(&digit @ b'0'..=b'9') = bytes.get(pos) {
                    significand =
                        significand.wrapping_mul(10).wrapping_add(u64::from(digit - b'0'));
                    pos += 1;
                }
                // Nineteen digits always fit a `u64`; more may not (the float path reads them).
                if pos - first > 19 {
                    match bytes.get(first..pos).and_then(exact) {
                        Some(value) => significand = value,
                        None => overflowed = true,
                    }
                }
            }
            _ => return Err(invalid()),
        }
        self.pos = pos;
        match bytes.get(pos) {
            Some(b'0'..=b'9') => Err(invalid()),
            Some(b'.' | b'e' | b'E') => self.float(start),
            _ if overflowed => self.float(start),
            _ if !negative => Ok(Scalar::U64(significand)),
            _ => {
                let negated = (significand as i64).wrapping_neg();
                if negated >= 0 {
                    self.float(start)
                } else {
                    Ok(Scalar::I64(negated))
                }
            }
        }
    }

    /// The rest of a number with a fraction or an exponent (or an integer out of range), read
    /// from `start` as an `f64`; an infinite value is refused.
    #[cold]
    fn float(&mut self, start: usize) -> Result<Scalar<'static>> {
        if self.bytes().get(self.pos) == Some(&b'.') {
            self.pos += 1;
            self.digits()?;
        }
        if let Some(b'e' | b'E') = self.bytes().get(self.pos) {
            self.pos += 1;
            if let Some(b'+' | b'-') = self.bytes().get(self.pos) {
                self.pos += 1;
            }
            self.digits()?;
        }
        let text = self.text.get(start..self.pos).ok_or_else(invalid)?;
        match text.parse::<f64>() {
            Ok(value) if value.is_finite() => Ok(Scalar::F64(value)),
            _ => Err(invalid()),
        }
    }

    /// Before an entry or an element: the comma that separates it from the previous one
    /// (unless it is the `first`), then its first byte, not consumed; `None` at the `close`
    /// bracket, consumed.
    #[inline(always)]
    fn next_item(&mut self, first: &mut bool, close: u8) -> Result<Option<u8>> {
        let mut next = self.token();
        if !std::mem::take(first) && next != Some(close) {
            if next != Some(b',') {
                return Err(invalid());
            }
            self.pos += 1;
            next = self.token();
            if next == Some(close) {
                // A trailing comma.
                return Err(invalid());
            }
        }
        if next == Some(close) {
            self.pos += 1;
            return Ok(None);
        }
        next.map(Some).ok_or_else(invalid)
    }

    /// One or more digits.
    fn digits(&mut self) -> Result<()> {
        let start = self.pos;
        while let Some(b'0'..=b'9') = self.bytes().get(self.pos) {
            self.pos += 1;
        }
        if self.pos == start {
            return Err(invalid());
        }
        Ok(())
    }
}

/// The entries of an object being read, for the slot it decodes into.
struct Entries<'r, 'a> {
    reader: &'r mut Reader<'a>,
    first: bool,
    /// The closing brace was read (a slot that returns before the end fails).
    done: bool,
}

impl MapReader for Entries<'_, '_> {
    #[inline(always)]
    fn next_key(&mut self) -> Result<Option<&str>> {
        if self.done {
            return Ok(None);
        }
        match self.reader.next_item(&mut self.first, b'}')? {
            Some(b'"') => {
                self.reader.pos += 1;
                self.reader.string().map(Some)
            }
            Some(_) => Err(invalid()),
            None => {
                self.done = true;
                Ok(None)
            }
        }
    }

    #[inline(always)]
    fn value(&mut self, slot: &mut dyn Slot, nullable: bool) -> Result<()> {
        self.reader.expect(b':')?;
        self.reader.value(slot, nullable)
    }

    fn skip(&mut self) -> Result<()> {
        self.value(&mut Ignored, false)
    }

    /// The loop of [`MapReader::fill`] over the text: after each value, a comma and the next
    /// key's quote, or the closing brace; the state of [`Entries::next_key`] (`first`, `done`)
    /// is only read on entry and written on exit. (The separator before the first entry is read
    /// before the loop: a loop checking a flag for it on every entry took 2% more instructions
    /// per decode, `bench/instructions.sh`.)
    fn fill(&mut self, keys: &mut dyn Keys) -> Result<()> {
        if self.done {
            return Ok(());
        }
        let reader = &mut *self.reader;
        let mut next = reader.token();
        if std::mem::take(&mut self.first) {
            if next == Some(b'}') {
                return closed(reader, &mut self.done);
            }
        } else {
            match next {
                Some(b'}') => return closed(reader, &mut self.done),
                Some(b',') => {
                    reader.pos += 1;
                    next = reader.token();
                }
                _ => return Err(invalid()),
            }
        }
        loop {
            if next != Some(b'"') {
                return Err(invalid());
            }
            reader.pos += 1;
            match keys.key(reader.string()?)? {
                Some(Field { slot, nullable }) => {
                    reader.expect(b':')?;
                    reader.value(slot, nullable)?;
                }
                None => {
                    reader.expect(b':')?;
                    reader.value(&mut Ignored, false)?;
                }
            }
            match reader.token() {
                Some(b',') => {
                    reader.pos += 1;
                    next = reader.token();
                }
                Some(b'}') => return closed(reader, &mut self.done),
                _ => return Err(invalid()),
            }
        }
    }

    fn mark(&self) -> Option<Mark> {
        self.first.then_some(Mark { pos: self.reader.pos })
    }

    fn rewind(&mut self, mark: Mark) {
        self.reader.pos = mark.pos;
        self.first = true;
        self.done = false;
    }
}

/// Consumes the closing brace of the object being read: its entries are done.
#[inline(always)]
fn closed(reader: &mut Reader<'_>, done: &mut bool) -> Result<()> {
    reader.pos += 1;
    *done = true;
    Ok(())
}

/// The elements of an array being read, for the slot it decodes into.
struct Elements<'r, 'a> {
    reader: &'r mut Reader<'a>,
    first: bool,
    /// The closing bracket was read.
    done: bool,
}

impl SeqReader for Elements<'_, '_> {
    fn next(&mut self, slot: &mut dyn Slot) -> Result<bool> {
        if self.done {
            return Ok(false);
        }
        if self.reader.next_item(&mut self.first, b']')?.is_none() {
            self.done = true;
            return Ok(false);
        }
        self.reader.value(slot, false)?;
        Ok(true)
    }
}

/// A slot that takes any value and keeps nothing: the value of a key no field has.
struct Ignored;

impl Slot for Ignored {
    fn expected(&self) -> &'static str {
        "any value"
    }

    fn type_name(out: &mut String) {
        out.push_str("serde::de::IgnoredAny")
    }

    fn scalar(&mut self, _value: Scalar<'_>) -> Result<()> {
        Ok(())
    }

    fn map(&mut self, entries: &mut dyn MapReader) -> Result<()> {
        while entries.next_key()?.is_some() {
            entries.skip()?;
        }
        Ok(())
    }

    fn seq(&mut self, elements: &mut dyn SeqReader) -> Result<()> {
        while elements.next(&mut Ignored)? {}
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use serde_json::Value;

    use super::super::{MapReader, Result, SeqReader, Slot};

    /// The fast path alone, into a `serde_json::Value`.
    fn fast(text: &str) -> Option<Value> {
        let mut out = None;
        super::read(text, &mut out).ok()?;
        out
    }

    #[test]
    fn reads_what_serde_json_reads_with_the_same_values() {
        let cases = [
            r#"{"a": 1, "b": [true, false, null], "c": {"d": "e"}, "f": {}, "g": []}"#,
            " \t\r\n[ 1 , -2 ,3.5, -0, 0, -0.0, 1e3, 1E-3, 2.5e+2 ] \n",
            "18446744073709551615",
            "18446744073709551616",
            "12345678901234567890",
            "99999999999999999999",
            "-12345678901234567890",
            "1234567890123456789",
            "[12345678, 87654321, -12345678, 123456789, 1234567890, 1234567812345678]",
            "[12345678.5, 1234567890123456.25, 12345678e2, 1234567800000000000000]",
            "[10000000, 99999999, 9999999999999999999, 10000000000000000000]",
            "-9223372036854775808",
            "-9223372036854775809",
            "123456789012345678901234567890",
            "0.1",
            "1e-400",
            r#""plain""#,
            r#""quote \" backslash \\ slash \/ \b\f\n\r\t""#,
            r#""\u00e9\u4e2d \ud83d\ude00 é""#,
            r#"{"k\u0065y": "v", "key": 2}"#,
            r#"[[[]], [{}], {"a": [{"b": null}]}]"#,
            "true",
            "null",
        ];
        for case in cases {
            let expected: Value = serde_json::from_str(case).expect(case);
            assert_eq!(fast(case), Some(expected), "{case}");
        }
    }

    #[test]
    fn refuses_what_serde_json_refuses() {
        let cases = [
            "",
            " ",
            "01",
            "-",
            "1.",
            ".5",
            "1e",
            "1e+",
            "+1",
            "1e400",
            "-1e400",
            "[1,]",
            "[,1]",
            "[1 2]",
            r#"{"a":1,}"#,
            r#"{"a" 1}"#,
            r#"{"a":1 "b":2}"#,
            r#"{a:1}"#,
            r#"{"a":1"#,
            "[1",
            r#""unterminated"#,
            "\"tab\tinside\"",
            r#""\x""#,
            r#""\u12""#,
            r#""\ud83d""#,
            r#""\ud83d\u0041""#,
            r#""\ude00""#,
            "nul",
            "tru",
            "falsey",
            "1 2",
            "12345678x",
            "1234567812345678a",
            "012345678",
            "{} {}",
            "NaN",
        ];
        for case in cases {
            assert!(serde_json::from_str::<Value>(case).is_err(), "serde_json reads {case:?}");
            assert_eq!(fast(case), None, "{case:?}");
        }
    }

    #[test]
    fn a_string_scan_stops_at_the_first_quote_backslash_or_control_character() {
        let fillers = [b'a', b' ', 0x7f, 0x80, 0x9f, 0xa0, 0xff, b'!', b'#', b'[', b']'];
        for filler in fillers {
            for stopper in [b'"', b'\\', 0x00, 0x1f, b'\n'] {
                for at in 0..20 {
                    let mut bytes = vec![filler; 24];
                    bytes[at] = stopper;
                    // A second stopper after the first (and a control byte right below it).
                    bytes[(at + 3).min(23)] = 0x01;
                    assert_eq!(super::stop(&bytes), at, "{filler:#x} {stopper:#x} {at}");
                }
            }
            assert_eq!(super::stop(&[filler; 21]), 21, "{filler:#x}");
        }
    }

    #[test]
    fn eight_digits_read_as_their_value_and_anything_else_is_refused() {
        let mut state = 0x9E37_79B9_7F4A_7C15u64;
        for round in 0..20_000u64 {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            let number = (state >> 11) % 100_000_000;
            let text = format!("{number:08}");
            let mut chunk: [u8; 8] = text.as_bytes().try_into().unwrap();
            assert_eq!(super::eight_digits(&chunk), Some(number), "{text}");
            // One byte replaced by something else than a digit.
            let at = (round % 8) as usize;
            chunk[at] = [b'/', b':', b'.', b'e', b'-', 0x00, 0xff, 0xb9, 0xba, b' ']
                [(state >> 3) as usize % 10];
            assert_eq!(super::eight_digits(&chunk), None, "{chunk:?}");
        }
        for byte in 0..=255u8 {
            let mut chunk = *b"12345678";
            chunk[7] = byte;
            assert_eq!(super::eight_digits(&chunk).is_some(), byte.is_ascii_digit(), "{byte:#x}");
            let mut chunk = *b"12345678";
            chunk[0] = byte;
            assert_eq!(super::eight_digits(&chunk).is_some(), byte.is_ascii_digit(), "{byte:#x}");
        }
    }

    /// A slot that reads its object's first value into `first`, goes back to the first entry
    /// and reads them all into `then`.
    struct Twice<A, B> {
        first: A,
        then: B,
    }

    impl<A: Slot, B: Slot> Slot for Twice<A, B> {
        fn expected(&self) -> &'static str {
            "an object"
        }

        fn type_name(out: &mut String) {
            out.push_str("Twice")
        }

        fn map(&mut self, entries: &mut dyn MapReader) -> Result<()> {
            let mark = entries.mark().expect("the JSON reader can read entries again");
            if entries.next_key()?.is_some() {
                // Refused or not, the entries are read again.
                let _ = entries.value(&mut self.first, false);
            }
            entries.rewind(mark);
            self.then.map(entries)
        }
    }

    /// Goes down every array and refuses what is at the bottom.
    struct Refuses;

    impl Slot for Refuses {
        fn expected(&self) -> &'static str {
            "nothing"
        }

        fn type_name(out: &mut String) {
            out.push_str("Refuses")
        }

        fn seq(&mut self, elements: &mut dyn SeqReader) -> Result<()> {
            while elements.next(&mut Refuses)? {}
            Ok(())
        }
    }

    #[test]
    fn a_rewound_object_reads_its_entries_again_at_the_same_depth() {
        // 127 levels, the most serde_json reads; the first reading fails at the bottom.
        let deep = format!("{}\"x\"{}", "[".repeat(126), "]".repeat(126));
        let text = format!(r#"{{"a": {deep}, "b": {{"c": 1}}}}"#);
        let mut twice = Twice { first: Refuses, then: None::<Value> };
        super::read(&text, &mut twice).expect("read again after a failure");
        assert_eq!(twice.then, serde_json::from_str(&text).ok());

        // Read to the end the first time, then again.
        let mut twice = Twice { first: None::<Value>, then: None::<Value> };
        super::read(r#"{"a": [1, {"b": 2}], "c": "d"}"#, &mut twice).expect("read twice");
        assert_eq!(twice.first, Some(serde_json::json!([1, {"b": 2}])));
        assert_eq!(twice.then, Some(serde_json::json!({"a": [1, {"b": 2}], "c": "d"})));
    }

    #[test]
    fn nests_as_deep_as_serde_json() {
        for (depth, readable) in [(127, true), (128, false)] {
            let text = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
            assert_eq!(serde_json::from_str::<Value>(&text).is_ok(), readable, "{depth}");
            assert_eq!(fast(&text).is_some(), readable, "{depth}");
        }
    }
}
