//! Encodes, renders to pixels, and reads back with an independent decoder (rqrr).

use recovery_qr::{Ecc, QrCode, QrError, encode};

const LEVELS: [Ecc; 4] = [Ecc::L, Ecc::M, Ecc::Q, Ecc::H];

/// Byte-mode capacity per version 1..=40 at L, M, Q, H (the standard's Table 7).
const CAPACITY: [[usize; 4]; 40] = [
    [17, 14, 11, 7],
    [32, 26, 20, 14],
    [53, 42, 32, 24],
    [78, 62, 46, 34],
    [106, 84, 60, 44],
    [134, 106, 74, 58],
    [154, 122, 86, 64],
    [192, 152, 108, 84],
    [230, 180, 130, 98],
    [271, 213, 151, 119],
    [321, 251, 177, 137],
    [367, 287, 203, 155],
    [425, 331, 241, 177],
    [458, 362, 258, 194],
    [520, 412, 292, 220],
    [586, 450, 322, 250],
    [644, 504, 364, 280],
    [718, 560, 394, 310],
    [792, 624, 442, 338],
    [858, 666, 482, 382],
    [929, 711, 509, 403],
    [1003, 779, 565, 439],
    [1091, 857, 611, 461],
    [1171, 911, 661, 511],
    [1273, 997, 715, 535],
    [1367, 1059, 751, 593],
    [1465, 1125, 805, 625],
    [1528, 1190, 868, 658],
    [1628, 1264, 908, 698],
    [1732, 1370, 982, 742],
    [1840, 1452, 1030, 790],
    [1952, 1538, 1112, 842],
    [2068, 1628, 1168, 898],
    [2188, 1722, 1228, 958],
    [2303, 1809, 1283, 983],
    [2431, 1911, 1351, 1051],
    [2563, 1989, 1423, 1093],
    [2699, 2099, 1499, 1139],
    [2809, 2213, 1579, 1219],
    [2953, 2331, 1663, 1273],
];

fn level_index(ecc: Ecc) -> usize {
    match ecc {
        Ecc::L => 0,
        Ecc::M => 1,
        Ecc::Q => 2,
        Ecc::H => 3,
    }
}

/// Smallest version whose capacity holds `len` bytes, by the table.
fn expected_version(len: usize, ecc: Ecc) -> Option<usize> {
    (1..=40).find(|&v| CAPACITY[v - 1][level_index(ecc)] >= len)
}

/// Printable ASCII that varies, so that symbols (and masks) vary.
fn text_of_len(len: usize, seed: u32) -> String {
    let mut x = seed.wrapping_mul(2_654_435_761).wrapping_add(12345);
    (0..len)
        .map(|_| {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
            char::from(b' ' + ((x >> 16) % 95) as u8)
        })
        .collect()
}

/// Renders with a 4-module quiet zone at `scale` pixels per module and
/// decodes with rqrr; returns rqrr's metadata and the raw bytes.
fn scan(code: &QrCode, scale: usize) -> (rqrr::MetaData, Vec<u8>) {
    let quiet = 4;
    let side = (code.size() + 2 * quiet) * scale;
    let mut img = rqrr::PreparedImage::prepare_from_greyscale(side, side, |x, y| {
        let (mx, my) = (x / scale, y / scale);
        let dark = mx >= quiet && my >= quiet && code.is_dark(mx - quiet, my - quiet);
        if dark { 0 } else { 255 }
    });
    let grids = img.detect_grids();
    // rqrr's detector may also group finder-like shapes inside big symbols
    // into a candidate that then fails to decode: exactly one must decode.
    let mut decoded = grids.iter().filter_map(|grid| {
        let mut bytes = Vec::new();
        grid.decode_to(&mut bytes).ok().map(|meta| (meta, bytes))
    });
    let first = decoded.next().unwrap_or_else(|| {
        panic!(
            "rqrr decodes none of {} candidates (version {})",
            grids.len(),
            code.version()
        )
    });
    assert!(decoded.next().is_none(), "rqrr decodes two symbols");
    first
}

/// Format bits of the error-correction level as rqrr reports them.
fn rqrr_level(ecc: Ecc) -> u16 {
    match ecc {
        Ecc::L => 1,
        Ecc::M => 0,
        Ecc::Q => 3,
        Ecc::H => 2,
    }
}

fn roundtrip(text: &str, ecc: Ecc) -> QrCode {
    let code = encode(text, ecc).expect("fits");
    assert_eq!(code.size(), 4 * code.version() as usize + 17);
    assert_eq!(code.ecc(), ecc);
    let scale = if code.size() > 100 { 2 } else { 3 };
    let (meta, bytes) = scan(&code, scale);
    assert_eq!(bytes, text.as_bytes(), "{ecc:?} {text:?}");
    assert_eq!(meta.version.0, code.version() as usize);
    assert_eq!(meta.ecc_level, rqrr_level(ecc));
    assert_eq!(meta.mask, code.mask() as u16);
    code
}

#[test]
fn texts_roundtrip_at_every_level() {
    let texts = [
        "",
        "A",
        "hello, world",
        "https://example.com/t/#K7M-3QX.0123456789abcdef0123456789abcdef",
        "https://kiosk.example.org/recovery/status?ticket=K7M-3QX&lang=id#0123456789abcdef",
        "Terima kasih atas kesabaran Anda. Kami akan segera memperbaikinya.",
        "Åsa på ön äter smörgåsar — ÅÄÖ åäö",
        "Thanks 🙏 we're on it 🚀✨ (emoji 👩‍🔧)",
        "日本語のテキストも大丈夫です",
        "\0\u{1}\u{7f}\r\n\t",
    ];
    for text in texts {
        for ecc in LEVELS {
            roundtrip(text, ecc);
        }
    }
}

#[test]
fn empty_text_is_version_1() {
    for ecc in LEVELS {
        assert_eq!(roundtrip("", ecc).version(), 1);
    }
}

#[test]
fn version_boundaries_1_to_10_roundtrip() {
    for ecc in LEVELS {
        for v in 1..=10 {
            let cap = CAPACITY[v - 1][level_index(ecc)];
            for len in [cap, cap + 1] {
                let text = text_of_len(len, (v * 4 + level_index(ecc)) as u32);
                let code = roundtrip(&text, ecc);
                assert_eq!(
                    code.version() as usize,
                    if len == cap { v } else { v + 1 },
                    "{ecc:?} len {len}"
                );
            }
        }
    }
}

#[test]
fn full_symbols_of_versions_11_to_40_roundtrip() {
    for ecc in LEVELS {
        for v in 11..=40 {
            let cap = CAPACITY[v - 1][level_index(ecc)];
            let text = text_of_len(cap, (v * 4 + level_index(ecc)) as u32);
            assert_eq!(roundtrip(&text, ecc).version() as usize, v, "{ecc:?}");
        }
    }
}

#[test]
fn chosen_version_is_the_smallest_that_fits() {
    for ecc in LEVELS {
        // Both sides of every version boundary, and a stride in between.
        let lens = CAPACITY
            .iter()
            .flat_map(|caps| [caps[level_index(ecc)], caps[level_index(ecc)] + 1])
            .chain((0..2953).step_by(37));
        for len in lens {
            if len > CAPACITY[39][level_index(ecc)] {
                continue;
            }
            let text = "x".repeat(len);
            let code = encode(&text, ecc).expect("fits");
            assert_eq!(
                Some(code.version() as usize),
                expected_version(len, ecc),
                "{ecc:?} len {len}"
            );
        }
    }
}

#[test]
fn multibyte_text_counts_bytes_not_chars() {
    // 'å' is two bytes: 7 of them fill version 1-M's 14 bytes exactly.
    let seven = "å".repeat(7);
    assert_eq!(encode(&seven, Ecc::M).unwrap().version(), 1);
    let eight = "å".repeat(8);
    assert_eq!(roundtrip(&eight, Ecc::M).version(), 2);
}

#[test]
fn too_long() {
    for ecc in LEVELS {
        let max = CAPACITY[39][level_index(ecc)];
        assert!(encode(&"z".repeat(max), ecc).is_ok());
        assert_eq!(encode(&"z".repeat(max + 1), ecc), Err(QrError::TooLong));
    }
    assert_eq!(encode(&"z".repeat(1 << 20), Ecc::L), Err(QrError::TooLong));
    assert_eq!(QrError::TooLong.to_string(), "text too long for a QR code");
}

/// Reads the 15 format bits (most significant first) of both copies, at the
/// positions of the standard's figure, unmasked as drawn.
fn format_copies(code: &QrCode) -> (String, String) {
    let n = code.size();
    let bit = |x, y| if code.is_dark(x, y) { '1' } else { '0' };
    // Copy 1: bit 14 at (0, 8) … along row 8 (skipping the timing column),
    // then up column 8 to bit 0 at (8, 0).
    let mut first = String::new();
    for x in [0, 1, 2, 3, 4, 5, 7, 8] {
        first.push(bit(x, 8));
    }
    for y in [7, 5, 4, 3, 2, 1, 0] {
        first.push(bit(8, y));
    }
    // Copy 2: bit 14 at the bottom of column 8 up to bit 8, then bits 7 … 0
    // along row 8 from x = n − 8 to the right edge.
    let mut second = String::new();
    for y in (n - 7..n).rev() {
        second.push(bit(8, y));
    }
    for x in n - 8..n {
        second.push(bit(x, 8));
    }
    (first, second)
}

#[test]
fn format_information_matches_the_standard() {
    // (level, mask, 15 bits after XOR with 101010000010010), from the standard's table.
    let known = [
        (Ecc::L, 0, "111011111000100"),
        (Ecc::L, 4, "110011000101111"),
        (Ecc::M, 0, "101010000010010"),
        (Ecc::M, 5, "100000011001110"),
        (Ecc::Q, 2, "011111100110001"),
        (Ecc::Q, 7, "010101111101101"),
        (Ecc::H, 3, "001100111010000"),
        (Ecc::H, 6, "000110100001100"),
    ];
    let mut seen = 0;
    'outer: for (ecc, mask, bits) in known {
        // Find a text whose best mask is this one, then check the symbol.
        for seed in 0..400 {
            let text = text_of_len(10 + seed as usize % 40, seed);
            let code = encode(&text, ecc).unwrap();
            if code.mask() == mask {
                let (first, second) = format_copies(&code);
                assert_eq!(first, bits, "{ecc:?} mask {mask} first copy");
                assert_eq!(second, bits, "{ecc:?} mask {mask} second copy");
                // The dark module above the second copy.
                assert!(code.is_dark(8, code.size() - 8));
                seen += 1;
                continue 'outer;
            }
        }
        panic!("no text chose {ecc:?} mask {mask}");
    }
    assert_eq!(seen, known.len());
}

#[test]
fn version_information_is_drawn() {
    // Version 7's 18 bits are 000111110010010100 (0x07C94), bit 0 at the
    // top-left of the bottom-left block, going down then right.
    let text = text_of_len(CAPACITY[6][0], 7);
    let code = encode(&text, Ecc::L).unwrap();
    assert_eq!(code.version(), 7);
    let n = code.size();
    for i in 0..18 {
        let expect = (0x07C94 >> i) & 1 != 0;
        assert_eq!(
            code.is_dark(i / 3, n - 11 + i % 3),
            expect,
            "bottom-left bit {i}"
        );
        assert_eq!(
            code.is_dark(n - 11 + i % 3, i / 3),
            expect,
            "top-right bit {i}"
        );
    }
}

#[test]
fn outside_the_symbol_is_light() {
    let code = encode("x", Ecc::L).unwrap();
    assert!(code.is_dark(0, 0));
    assert!(!code.is_dark(21, 0));
    assert!(!code.is_dark(0, 21));
    assert!(!code.is_dark(usize::MAX, usize::MAX));
}

/// Fills a module grid from path data of the form `M{x},{y}h{n}v1h-{n}z`.
fn paint(path: &str, side: usize) -> Vec<bool> {
    let mut grid = vec![false; side * side];
    for rect in path.split('z').filter(|s| !s.is_empty()) {
        let rest = rect.strip_prefix('M').expect("starts with M");
        let (xy, rest) = rest.split_once('h').expect("h");
        let (x, y) = xy.split_once(',').expect("x,y");
        let (n, back) = rest.split_once("v1h-").expect("v1h-");
        assert_eq!(n, back, "closes the rectangle");
        let (x, y, n): (usize, usize, usize) =
            (x.parse().unwrap(), y.parse().unwrap(), n.parse().unwrap());
        assert!(n > 0);
        for dx in 0..n {
            let cell = &mut grid[y * side + x + dx];
            assert!(!*cell, "rectangles overlap");
            *cell = true;
        }
    }
    grid
}

#[test]
fn svg_path_covers_exactly_the_dark_modules() {
    for text in ["", "https://example.com/t/#K7M-3QX", &text_of_len(500, 1)] {
        let code = encode(text, Ecc::M).unwrap();
        let n = code.size();
        let path = code.svg_path();
        assert!(
            path.starts_with("M0,0h7v1h-7z"),
            "finder row first: {path:.40}"
        );
        let grid = paint(&path, n);
        for y in 0..n {
            for x in 0..n {
                assert_eq!(grid[y * n + x], code.is_dark(x, y), "module {x},{y}");
            }
        }
        // Runs are merged: no rectangle starts right where the previous ended.
        assert!(!path.contains("h1v1h-1zM1,0"));
    }
}

#[test]
fn svg_is_well_formed_and_escapes_the_label() {
    let code = encode("https://example.com/", Ecc::M).unwrap();
    let n = code.size() + 8;
    let svg = code.svg(4, "Scan <me> & \"go\" 'now'");
    assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\" "));
    assert!(svg.ends_with("</svg>"));
    assert!(svg.contains(&format!("viewBox=\"0 0 {n} {n}\"")));
    assert!(svg.contains("role=\"img\""));
    assert!(svg.contains("shape-rendering=\"crispEdges\""));
    assert!(svg.contains("aria-label=\"Scan &lt;me&gt; &amp; &quot;go&quot; &apos;now&apos;\""));
    // Balanced: exactly the svg element and two self-closed paths.
    assert_eq!(svg.matches('<').count(), 4);
    assert_eq!(svg.matches('>').count(), 4);
    assert_eq!(svg.matches("/>").count(), 2);
    assert_eq!(svg.matches('"').count() % 2, 0);
    // The dark path is the bare path shifted by the quiet zone.
    let dark = svg
        .split("fill=\"#000\" d=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap();
    let grid = paint(dark, n);
    for y in 0..n {
        for x in 0..n {
            let inside = x >= 4 && y >= 4 && code.is_dark(x - 4, y - 4);
            assert_eq!(grid[y * n + x], inside);
        }
    }
    // Without a quiet zone the viewBox is the symbol itself.
    let bare = code.svg(0, "");
    assert!(bare.contains(&format!("viewBox=\"0 0 {0} {0}\"", code.size())));
    assert!(bare.contains(&code.svg_path()));
}

#[test]
fn masks_vary_with_content() {
    // Not a rule of the standard, but if every symbol chose one mask the
    // penalty scoring would surely be broken.
    let mut used = [false; 8];
    for seed in 0..200 {
        let code = encode(&text_of_len(30, seed), Ecc::Q).unwrap();
        used[code.mask() as usize] = true;
    }
    assert!(used.iter().filter(|&&u| u).count() >= 6, "{used:?}");
}
