//! A small, dependency-free QR Code encoder, written from ISO/IEC 18004.
//!
//! It does one thing: turn a UTF-8 string into a QR Code symbol in *byte mode*
//! (the bytes of the text as they are, without an ECI header; today's scanners
//! read such bytes as UTF-8), then draw it as SVG.
//!
//! - [`encode`] picks the smallest version (1 to 40) that holds the text at the
//!   chosen error-correction level [`Ecc`], splits the codewords into the
//!   standard's Reed–Solomon blocks (GF(256) over the polynomial `0x11D`),
//!   places them, and keeps the mask (of the eight) with the lowest penalty
//!   score of the standard's four rules.
//! - [`QrCode::svg`] gives a standalone `<svg>` element, and
//!   [`QrCode::svg_path`] just the path data of the dark modules, one
//!   rectangle per horizontal run.
//!
//! It is meant for a size-sensitive WebAssembly bundle: no tables beyond the
//! standard's block table, no `format!`, no maps, no sorting, and no panics on
//! any input.
//!
//! ```
//! let code = recovery_qr::encode("https://example.com/", recovery_qr::Ecc::M).unwrap();
//! assert_eq!(code.size(), 25); // version 2
//! let svg = code.svg(4, "Link to example.com");
//! assert!(svg.starts_with("<svg"));
//! ```

#![deny(missing_docs)]

mod reed_solomon;
mod svg;

use reed_solomon::{rs_generator, rs_remainder};

/// Error-correction level: how much of the symbol may be lost and still read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Ecc {
    /// About 7 % of codewords can be restored.
    L,
    /// About 15 % of codewords can be restored.
    M,
    /// About 25 % of codewords can be restored.
    Q,
    /// About 30 % of codewords can be restored.
    H,
}

impl Ecc {
    /// Row in the block tables below.
    fn index(self) -> usize {
        self as usize
    }

    /// The two error-correction bits of the format information.
    fn format_bits(self) -> u32 {
        match self {
            Ecc::L => 1,
            Ecc::M => 0,
            Ecc::Q => 3,
            Ecc::H => 2,
        }
    }
}

/// Why a text could not be encoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QrError {
    /// The text does not fit in a version 40 symbol at the chosen level.
    TooLong,
}

impl core::fmt::Display for QrError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("text too long for a QR code")
    }
}

impl std::error::Error for QrError {}

/// Error-correction codewords per block, by level (L, M, Q, H) and version 1..=40.
const ECC_PER_BLOCK: [[u8; 40]; 4] = [
    [
        7, 10, 15, 20, 26, 18, 20, 24, 30, 18, 20, 24, 26, 30, 22, 24, 28, 30, 28, 28, 28, 28, 30,
        30, 26, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30,
    ],
    [
        10, 16, 26, 18, 24, 16, 18, 22, 22, 26, 30, 22, 22, 24, 24, 28, 28, 26, 26, 26, 26, 28, 28,
        28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28,
    ],
    [
        13, 22, 18, 26, 18, 24, 18, 22, 20, 24, 28, 26, 24, 20, 30, 24, 28, 28, 26, 30, 28, 30, 30,
        30, 30, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30,
    ],
    [
        17, 28, 22, 16, 22, 28, 26, 26, 24, 28, 24, 28, 22, 24, 24, 30, 28, 28, 26, 28, 30, 24, 30,
        30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30,
    ],
];

/// Number of Reed–Solomon blocks, by level (L, M, Q, H) and version 1..=40.
const BLOCKS: [[u8; 40]; 4] = [
    [
        1, 1, 1, 1, 1, 2, 2, 2, 2, 4, 4, 4, 4, 4, 6, 6, 6, 6, 7, 8, 8, 9, 9, 10, 12, 12, 12, 13,
        14, 15, 16, 17, 18, 19, 19, 20, 21, 22, 24, 25,
    ],
    [
        1, 1, 1, 2, 2, 4, 4, 4, 5, 5, 5, 8, 9, 9, 10, 10, 11, 13, 14, 16, 17, 17, 18, 20, 21, 23,
        25, 26, 28, 29, 31, 33, 35, 37, 38, 40, 43, 45, 47, 49,
    ],
    [
        1, 1, 2, 2, 4, 4, 6, 6, 8, 8, 8, 10, 12, 16, 12, 17, 16, 18, 21, 20, 23, 23, 25, 27, 29,
        34, 34, 35, 38, 40, 43, 45, 48, 51, 53, 56, 59, 62, 65, 68,
    ],
    [
        1, 1, 2, 4, 4, 4, 5, 6, 8, 8, 11, 11, 16, 16, 18, 16, 19, 21, 25, 25, 25, 34, 30, 32, 35,
        37, 40, 42, 45, 48, 51, 54, 57, 60, 63, 66, 70, 74, 77, 81,
    ],
];

/// Largest number of bytes any symbol holds (version 40, level L).
const MAX_BYTES: usize = 2953;

/// Modules left for codewords (data, error correction, remainder bits) once
/// the function patterns of version `v` are drawn.
fn raw_modules(v: usize) -> usize {
    // Whole square, less finders with separators (3 × 64), timing
    // (2 × (size − 16)), format information and the dark module (31).
    let mut n = (16 * v + 128) * v + 64;
    if v >= 2 {
        // (n² − 3) alignment patterns of 25 modules; 2(n − 2) of them share
        // 5 modules with a timing pattern.
        let a = v / 7 + 2;
        n -= (25 * a - 10) * a - 55;
        if v >= 7 {
            n -= 36; // two version-information blocks of 18
        }
    }
    n
}

/// Data codewords (before error correction) in version `v` at level `ecc`.
fn data_codewords(v: usize, ecc: Ecc) -> usize {
    let e = ecc.index();
    raw_modules(v) / 8 - ECC_PER_BLOCK[e][v - 1] as usize * BLOCKS[e][v - 1] as usize
}

/// Bits of the character count indicator in byte mode.
fn count_bits(v: usize) -> usize {
    if v < 10 { 8 } else { 16 }
}

/// A BCH code word: `value` followed by the remainder of `value · x^deg`
/// divided by `poly` (of degree `deg`).
fn bch(value: u32, poly: u32, deg: u32) -> u32 {
    let mut r = value << deg;
    while r >> deg != 0 {
        r ^= poly << (31 - r.leading_zeros() - deg);
    }
    (value << deg) | r
}

/// The 15 format-information bits for a level and mask, already XORed with
/// the standard's 0x5412.
fn format_info(ecc: Ecc, mask: u8) -> u32 {
    bch((ecc.format_bits() << 3) | mask as u32, 0x537, 10) ^ 0x5412
}

/// Whether mask `m` inverts the module in column `x`, row `y`.
fn mask_hit(m: u8, x: usize, y: usize) -> bool {
    let even = |n: usize| n.is_multiple_of(2);
    match m {
        0 => even(x + y),
        1 => even(y),
        2 => x.is_multiple_of(3),
        3 => (x + y).is_multiple_of(3),
        4 => even(y / 2 + x / 3),
        5 => (x * y) % 2 + (x * y) % 3 == 0,
        6 => even((x * y) % 2 + (x * y) % 3),
        _ => even((x + y) % 2 + (x * y) % 3),
    }
}

/// Appends bits, most significant first, to a byte vector.
struct Bits {
    bytes: Vec<u8>,
    len: usize,
}

impl Bits {
    fn push(&mut self, value: u32, n: usize) {
        for i in (0..n).rev() {
            if self.len.is_multiple_of(8) {
                self.bytes.push(0);
            }
            if (value >> i) & 1 != 0
                && let Some(b) = self.bytes.last_mut()
            {
                *b |= 0x80 >> (self.len % 8);
            }
            self.len += 1;
        }
    }
}

/// An encoded QR Code symbol: a square of dark and light modules.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QrCode {
    size: usize,
    version: u8,
    mask: u8,
    ecc: Ecc,
    dark: Vec<bool>,
    /// Function modules (finders, timing, alignment, format, version):
    /// never masked. Only needed while encoding.
    func: Vec<bool>,
}

/// Encodes `text` (its UTF-8 bytes, in byte mode) at level `ecc`, in the
/// smallest version that holds it, with the best-scoring mask.
///
/// Returns [`QrError::TooLong`] when not even version 40 holds it.
pub fn encode(text: &str, ecc: Ecc) -> Result<QrCode, QrError> {
    let data = text.as_bytes();
    if data.len() > MAX_BYTES {
        return Err(QrError::TooLong);
    }
    let version = (1..=40)
        .find(|&v| 4 + count_bits(v) + 8 * data.len() <= 8 * data_codewords(v, ecc))
        .ok_or(QrError::TooLong)?;
    let capacity = data_codewords(version, ecc);

    let data = data_stream(data, version, capacity);
    let codewords = interleave(&data, version, ecc);
    let mut code = QrCode::blank(version, ecc);
    code.place(&codewords);

    let mut best = (u32::MAX, 0);
    for mask in 0..8 {
        code.apply_mask(mask);
        code.draw_format(mask);
        let score = code.penalty();
        if score < best.0 {
            best = (score, mask);
        }
        code.apply_mask(mask); // XOR again: undone
    }
    code.apply_mask(best.1);
    code.draw_format(best.1);
    code.mask = best.1;
    code.func = Vec::new();
    Ok(code)
}

/// The data codewords: mode indicator 0100 (byte), count, the bytes; then
/// the 4-bit terminator, which also fills the last byte (4 + count + 8n bits
/// is always 4 bits short of a byte boundary), then the pad bytes 0xEC, 0x11
/// in turn up to `capacity`.
fn data_stream(data: &[u8], version: usize, capacity: usize) -> Vec<u8> {
    let mut bits = Bits {
        bytes: Vec::with_capacity(capacity),
        len: 0,
    };
    bits.push(0b0100, 4);
    bits.push(data.len() as u32, count_bits(version));
    for &b in data {
        bits.push(b as u32, 8);
    }
    let mut out = bits.bytes;
    let mut pad = 0xEC;
    while out.len() < capacity {
        out.push(pad);
        pad ^= 0xEC ^ 0x11;
    }
    out
}

/// Splits the data codewords into blocks, adds each block's error
/// correction, and interleaves them as the standard orders them.
fn interleave(data: &[u8], version: usize, ecc: Ecc) -> Vec<u8> {
    let blocks = BLOCKS[ecc.index()][version - 1] as usize;
    let per_ecc = ECC_PER_BLOCK[ecc.index()][version - 1] as usize;
    let total = raw_modules(version) / 8;
    // The first `short` blocks hold one data codeword fewer than the rest.
    let short = blocks - total % blocks;
    let short_len = total / blocks - per_ecc;
    let generator = rs_generator(per_ecc);

    let mut ecc_words = Vec::with_capacity(blocks * per_ecc);
    let mut start = 0;
    for b in 0..blocks {
        let len = short_len + usize::from(b >= short);
        rs_remainder(&data[start..start + len], &generator, &mut ecc_words);
        start += len;
    }

    let mut out = Vec::with_capacity(total);
    for i in 0..=short_len {
        let mut start = 0;
        for b in 0..blocks {
            let len = short_len + usize::from(b >= short);
            if i < len {
                out.push(data[start + i]);
            }
            start += len;
        }
    }
    for i in 0..per_ecc {
        for b in 0..blocks {
            out.push(ecc_words[b * per_ecc + i]);
        }
    }
    out
}

impl QrCode {
    /// A symbol with only its function patterns drawn (format area reserved).
    fn blank(version: usize, ecc: Ecc) -> QrCode {
        let size = 4 * version + 17;
        let mut code = QrCode {
            size,
            version: version as u8,
            mask: 0,
            ecc,
            dark: vec![false; size * size],
            func: vec![false; size * size],
        };
        for i in 0..size {
            code.set_func(6, i, i % 2 == 0);
            code.set_func(i, 6, i % 2 == 0);
        }
        // Finder patterns with their light separators.
        for (cx, cy) in [(3, 3), (size - 4, 3), (3, size - 4)] {
            for dy in 0..9 {
                for dx in 0..9 {
                    let (x, y) = ((cx + dx).wrapping_sub(4), (cy + dy).wrapping_sub(4));
                    if x < size && y < size {
                        let d = dx.abs_diff(4).max(dy.abs_diff(4));
                        code.set_func(x, y, d != 2 && d != 4);
                    }
                }
            }
        }
        // Alignment patterns: centres on a grid from 6 to size − 7, evenly
        // spaced by an even step (the standard's table; version 32 is the
        // one exception to rounding the step up).
        if version >= 2 {
            let n = version / 7 + 2;
            let last = size - 7;
            let step = if version == 32 {
                26
            } else {
                (last - 6).div_ceil(n - 1).div_ceil(2) * 2
            };
            for i in 0..n {
                for j in 0..n {
                    let cx = if i == 0 { 6 } else { last - (n - 1 - i) * step };
                    let cy = if j == 0 { 6 } else { last - (n - 1 - j) * step };
                    if i.min(j) == 0 && (i.max(j) == 0 || i.max(j) == n - 1) {
                        continue; // a corner under a finder pattern
                    }
                    for dy in 0..5usize {
                        for dx in 0..5usize {
                            let d = dx.abs_diff(2).max(dy.abs_diff(2));
                            code.set_func(cx + dx - 2, cy + dy - 2, d != 1);
                        }
                    }
                }
            }
        }
        // Format information: reserve it now, draw it per mask.
        code.draw_format(0);
        code.set_func(8, size - 8, true); // the dark module
        if version >= 7 {
            let info = bch(version as u32, 0x1F25, 12);
            for i in 0..18 {
                let bit = (info >> i) & 1 != 0;
                let (a, b) = (i / 3, size - 11 + i % 3);
                code.set_func(a, b, bit);
                code.set_func(b, a, bit);
            }
        }
        code
    }

    fn set_func(&mut self, x: usize, y: usize, dark: bool) {
        let i = y * self.size + x;
        self.dark[i] = dark;
        self.func[i] = true;
    }

    /// Draws both copies of the format information for `mask`.
    fn draw_format(&mut self, mask: u8) {
        let bits = format_info(self.ecc, mask);
        let size = self.size;
        for i in 0..15 {
            let bit = (bits >> i) & 1 != 0;
            // Around the top-left finder: down column 8, then left along row 8.
            let (x, y) = match i {
                0..=5 => (8, i),
                6 => (8, 7),
                7 => (8, 8),
                8 => (7, 8),
                _ => (14 - i, 8),
            };
            self.set_func(x, y, bit);
            // Second copy: along row 8 at the right, then up column 8 at the bottom.
            if i < 8 {
                self.set_func(size - 1 - i, 8, bit);
            } else {
                self.set_func(8, size - 15 + i, bit);
            }
        }
    }

    /// Places codeword bits in the standard's two-column zigzag, from the
    /// bottom-right corner, skipping function modules.
    fn place(&mut self, codewords: &[u8]) {
        let size = self.size;
        let total = codewords.len() * 8;
        let mut k = 0;
        let mut right = size - 1;
        loop {
            if right == 6 {
                right = 5; // the vertical timing pattern is not part of any pair
            }
            let upward = (right + 1) & 2 == 0;
            for vert in 0..size {
                let y = if upward { size - 1 - vert } else { vert };
                for x in [right, right - 1] {
                    let i = y * size + x;
                    if !self.func[i] && k < total {
                        self.dark[i] = (codewords[k >> 3] >> (7 - (k & 7))) & 1 != 0;
                        k += 1;
                    }
                }
            }
            if right < 2 {
                break;
            }
            right -= 2;
        }
    }

    fn apply_mask(&mut self, mask: u8) {
        let size = self.size;
        for y in 0..size {
            for x in 0..size {
                let i = y * size + x;
                if !self.func[i] && mask_hit(mask, x, y) {
                    self.dark[i] = !self.dark[i];
                }
            }
        }
    }

    /// The standard's penalty score (lower is better) of the symbol as drawn.
    fn penalty(&self) -> u32 {
        let size = self.size;
        let at = |x: usize, y: usize| self.dark[y * size + x];
        let mut score = 0;
        for horizontal in [true, false] {
            for a in 0..size {
                let mut run = 0;
                let mut prev = false;
                // The last 11 modules, light before the symbol starts (the
                // quiet zone), for the 1:1:3:1:1 finder-like pattern.
                let mut window = 0u32;
                // Four more light modules past the end for the same reason.
                for b in 0..size + 4 {
                    let m = b < size && if horizontal { at(b, a) } else { at(a, b) };
                    if b < size {
                        // Rule 1: 3 for a run of five alike, 1 more per extra module.
                        if b > 0 && m == prev {
                            run += 1;
                        } else {
                            score += run_penalty(run);
                            run = 1;
                            prev = m;
                        }
                    }
                    // Rule 3: dark-light-dark×3-light-dark with four light on one side.
                    window = ((window << 1) | m as u32) & 0x7FF;
                    if window == 0b000_0101_1101 || window == 0b101_1101_0000 {
                        score += 40;
                    }
                }
                score += run_penalty(run);
            }
        }
        // Rule 2: 3 for every 2×2 block of one colour.
        let mut dark = 0;
        for y in 0..size {
            for x in 0..size {
                let c = at(x, y);
                dark += c as usize;
                if x + 1 < size
                    && y + 1 < size
                    && c == at(x + 1, y)
                    && c == at(x, y + 1)
                    && c == at(x + 1, y + 1)
                {
                    score += 3;
                }
            }
        }
        // Rule 4: 10 for each full 5 % the dark share is away from 50 %.
        let total = size * size;
        score + 10 * ((dark * 20).abs_diff(total * 10) / total) as u32
    }

    /// Modules along one side (21 for version 1, up to 177 for version 40).
    pub fn size(&self) -> usize {
        self.size
    }

    /// The version, 1 to 40: the size is 4 × version + 17.
    pub fn version(&self) -> u8 {
        self.version
    }

    /// The mask pattern chosen, 0 to 7.
    pub fn mask(&self) -> u8 {
        self.mask
    }

    /// The error-correction level it was encoded at.
    pub fn ecc(&self) -> Ecc {
        self.ecc
    }

    /// Whether the module in column `x`, row `y` is dark. Outside the
    /// symbol (its quiet zone) every module is light.
    pub fn is_dark(&self, x: usize, y: usize) -> bool {
        x < self.size && y < self.size && self.dark[y * self.size + x]
    }
}

/// Rule 1's score for a run of `n` like modules in a row or column.
fn run_penalty(n: u32) -> u32 {
    if n >= 5 { n - 2 } else { 0 }
}

#[cfg(test)]
mod tests;
