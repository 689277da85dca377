//! Drawing a symbol as SVG: the path data of its dark modules, one rectangle per horizontal
//! run, and a standalone `<svg>` element. No `core::fmt` machinery: numbers are written by hand.

use crate::QrCode;

impl QrCode {
    /// The SVG path data (`d`) of the dark modules, in module units with the
    /// symbol's top-left corner at the origin (no quiet zone): one rectangle
    /// `M{x},{y}h{n}v1h-{n}z` per horizontal run of dark modules.
    pub fn svg_path(&self) -> String {
        let mut out = String::new();
        self.path_into(&mut out, 0);
        out
    }

    fn path_into(&self, out: &mut String, offset: usize) {
        for y in 0..self.size {
            let mut x = 0;
            while x < self.size {
                if !self.is_dark(x, y) {
                    x += 1;
                    continue;
                }
                let start = x;
                while self.is_dark(x, y) {
                    x += 1;
                }
                out.push('M');
                push_num(out, start + offset);
                out.push(',');
                push_num(out, y + offset);
                out.push('h');
                push_num(out, x - start);
                out.push_str("v1h-");
                push_num(out, x - start);
                out.push('z');
            }
        }
    }

    /// A standalone SVG image: a white square with `quiet` light modules
    /// around the symbol on each side (the standard asks for 4), the dark
    /// modules as one black path, `role="img"` with `aria_label` (escaped
    /// here) as its accessible name, and crisp edges. It has a `viewBox` in
    /// module units but no width or height, so it fills whatever box CSS
    /// gives it.
    pub fn svg(&self, quiet: usize, aria_label: &str) -> String {
        let side = self.size + 2 * quiet;
        let mut out = String::with_capacity(256 + self.size * self.size);
        out.push_str("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ");
        push_num(&mut out, side);
        out.push(' ');
        push_num(&mut out, side);
        out.push_str("\" role=\"img\" aria-label=\"");
        for c in aria_label.chars() {
            match c {
                '&' => out.push_str("&amp;"),
                '<' => out.push_str("&lt;"),
                '>' => out.push_str("&gt;"),
                '"' => out.push_str("&quot;"),
                '\'' => out.push_str("&apos;"),
                _ => out.push(c),
            }
        }
        out.push_str("\" shape-rendering=\"crispEdges\"><path fill=\"#fff\" d=\"M0,0h");
        push_num(&mut out, side);
        out.push('v');
        push_num(&mut out, side);
        out.push_str("H0z\"/><path fill=\"#000\" d=\"");
        self.path_into(&mut out, quiet);
        out.push_str("\"/></svg>");
        out
    }
}

/// Appends the decimal digits of `n` (no `core::fmt` machinery).
pub(crate) fn push_num(out: &mut String, n: usize) {
    if n >= 10 {
        push_num(out, n / 10);
    }
    out.push(char::from(b'0' + (n % 10) as u8));
}
