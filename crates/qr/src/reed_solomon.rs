//! Reed–Solomon error correction over GF(256) with the standard's polynomial `0x11D`.

/// Multiplies in GF(256) modulo x⁸ + x⁴ + x³ + x² + 1 (0x11D).
pub(crate) fn gf_mul(mut a: u8, mut b: u8) -> u8 {
    let mut r = 0;
    while b != 0 {
        if b & 1 != 0 {
            r ^= a;
        }
        a = (a << 1) ^ if a & 0x80 != 0 { 0x1D } else { 0 };
        b >>= 1;
    }
    r
}

/// Coefficients of (x − α⁰)(x − α¹)…(x − α^(n−1)) from x^(n−1) down to x⁰;
/// the leading 1 of xⁿ is left out.
pub(crate) fn rs_generator(n: usize) -> Vec<u8> {
    let mut g = vec![0u8; n];
    g[n - 1] = 1; // the polynomial 1, with the leading term kept at g[n-1]
    let mut root = 1u8;
    for _ in 0..n {
        // Multiply by (x + root): shift up one degree, add root × old.
        for j in 0..n {
            let next = if j + 1 < n { g[j + 1] } else { 0 };
            g[j] = gf_mul(g[j], root) ^ next;
        }
        root = gf_mul(root, 2);
    }
    g
}

/// Remainder of data(x) · xⁿ divided by the generator: the n ECC codewords.
pub(crate) fn rs_remainder(data: &[u8], generator: &[u8], out: &mut Vec<u8>) {
    let start = out.len();
    out.resize(start + generator.len(), 0);
    let rem = &mut out[start..];
    for &byte in data {
        let factor = byte ^ rem[0];
        rem.copy_within(1.., 0);
        let last = rem.len() - 1;
        rem[last] = 0;
        for (r, &g) in rem.iter_mut().zip(generator) {
            *r ^= gf_mul(g, factor);
        }
    }
}
