//! Unit tests of the encoder's parts: GF(256) arithmetic and the generator polynomial, block layout and masking.

use super::*;
use crate::reed_solomon::gf_mul;
use crate::svg::push_num;

#[test]
fn gf_and_generator() {
    assert_eq!(gf_mul(0x80, 2), 0x1D);
    assert_eq!(gf_mul(0, 0x53), 0);
    // Degree-7 generator of the standard's Annex A: α exponents
    // 87, 229, 146, 149, 238, 102, 21.
    let mut expect = Vec::new();
    for e in [87, 229, 146, 149, 238, 102, 21] {
        let mut v = 1u8;
        for _ in 0..e {
            v = gf_mul(v, 2);
        }
        expect.push(v);
    }
    assert_eq!(rs_generator(7), expect);
}

#[test]
fn reed_solomon_known_block() {
    // Version 1-M "01234567" in numeric mode, from the standard's Annex I.
    let data = [
        0x10, 0x20, 0x0C, 0x56, 0x61, 0x80, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11, 0xEC,
        0x11,
    ];
    let mut ecc = Vec::new();
    rs_remainder(&data, &rs_generator(10), &mut ecc);
    assert_eq!(
        ecc,
        [0xA5, 0x24, 0xD4, 0xC1, 0xED, 0x36, 0xC7, 0x87, 0x2C, 0x55]
    );
}

#[test]
fn version_information() {
    assert_eq!(bch(7, 0x1F25, 12), 0x07C94);
    assert_eq!(bch(40, 0x1F25, 12), 0x28C69);
}

#[test]
fn raw_codewords() {
    // Total codewords per version from the standard's Table 1.
    for (v, n) in [
        (1, 26),
        (2, 44),
        (6, 172),
        (7, 196),
        (10, 346),
        (32, 2465),
        (35, 2876),
        (40, 3706),
    ] {
        assert_eq!(raw_modules(v) / 8, n, "version {v}");
    }
    assert_eq!(raw_modules(1) % 8, 0);
    assert_eq!(raw_modules(2) % 8, 7);
    assert_eq!(raw_modules(40) % 8, 0);
}

#[test]
fn itoa() {
    for n in [0, 7, 10, 99, 100, 12345] {
        let mut s = String::new();
        push_num(&mut s, n);
        assert_eq!(s, n.to_string());
    }
}

#[test]
fn penalty_rules_count() {
    // All light version 1: every row and column one run of 21 (19 each),
    // 400 2×2 blocks, 0 % dark (k = 10).
    let mut code = QrCode::blank(1, Ecc::L);
    code.dark.iter_mut().for_each(|d| *d = false);
    assert_eq!(code.penalty(), 42 * 19 + 400 * 3 + 100);
}
#[test]
fn data_stream_layout() {
    // "hello" in version 1-L: 0100 00000101 then the bytes, terminator, pads.
    let mut expect = vec![0x40, 0x56, 0x86, 0x56, 0xC6, 0xC6, 0xF0];
    for _ in 0..6 {
        expect.extend([0xEC, 0x11]);
    }
    assert_eq!(data_stream(b"hello", 1, 19), expect);
    // Version 10 and up count in 16 bits.
    assert_eq!(data_stream(b"A", 10, 4), [0x40, 0x00, 0x14, 0x10]);
}

#[test]
fn penalty_rules_on_a_finder_like_row() {
    // 11 × 11, all light but row 5 = 00101110100.
    let mut code = QrCode::blank(1, Ecc::L);
    code.size = 11;
    code.dark = vec![false; 121];
    for x in [2, 4, 5, 6, 8] {
        code.dark[5 * 11 + x] = true;
    }
    // Rule 1: ten light rows (9 each), six light columns (9 each), five
    // columns of 5 light, 1 dark, 5 light (3 + 3 each).
    let rule1 = 10 * 9 + 6 * 9 + 5 * 6;
    // Rule 2: 80 blocks away from row 5, plus 2 on each side of it.
    let rule2 = (80 + 4) * 3;
    // Rule 3: 1011101 with four light modules before it and after it.
    let rule3 = 2 * 40;
    // Rule 4: 5 of 121 dark is 45.9 % off, 9 whole steps of 5 %.
    let rule4 = 9 * 10;
    assert_eq!(code.penalty(), rule1 + rule2 + rule3 + rule4);
}
