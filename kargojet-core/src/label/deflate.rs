//! A small, fast zlib (RFC 1950/1951) compressor for label content streams: greedy LZ77 over a
//! 4,096-entry hash table and one fixed-Huffman block. Content streams are a few KB, where
//! general-purpose compressors spend more time clearing their 100+ KB tables than compressing;
//! this one clears 16 KB. Output is standard zlib, checked by inflating it in the tests.

const HASH_BITS: u32 = 12;
const WINDOW: usize = 32 * 1024;
const MIN_MATCH: usize = 3;
const MAX_MATCH: usize = 258;

/// Length symbol bases (257..=285) and their extra bits.
const LEN_BASE: [u16; 29] = [
    3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131,
    163, 195, 227, 258,
];
const LEN_EXTRA: [u8; 29] = [
    0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
];
/// Distance code bases (0..=29) and their extra bits.
const DIST_BASE: [u16; 30] = [
    1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537,
    2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577,
];
const DIST_EXTRA: [u8; 30] = [
    0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13,
    13,
];

struct Bits<'a> {
    out: &'a mut Vec<u8>,
    acc: u64,
    n: u32,
}

impl Bits<'_> {
    #[inline]
    fn put(&mut self, value: u32, len: u32) {
        self.acc |= u64::from(value) << self.n;
        self.n += len;
        while self.n >= 8 {
            self.out.push(self.acc as u8);
            self.acc >>= 8;
            self.n -= 8;
        }
    }

    /// A Huffman code, most significant bit first.
    #[inline]
    fn code(&mut self, code: u32, len: u32) {
        self.put(code.reverse_bits() >> (32 - len), len);
    }

    fn flush(&mut self) {
        if self.n > 0 {
            self.out.push(self.acc as u8);
        }
        self.acc = 0;
        self.n = 0;
    }
}

#[inline]
fn literal(b: &mut Bits<'_>, sym: u32) {
    match sym {
        0..=143 => b.code(0x30 + sym, 8),
        144..=255 => b.code(0x190 + sym - 144, 9),
        256..=279 => b.code(sym - 256, 7),
        _ => b.code(0xC0 + sym - 280, 8),
    }
}

fn length(b: &mut Bits<'_>, len: usize) {
    let i = LEN_BASE.partition_point(|&base| usize::from(base) <= len) - 1;
    literal(b, 257 + i as u32);
    if LEN_EXTRA[i] > 0 {
        b.put(
            (len - usize::from(LEN_BASE[i])) as u32,
            u32::from(LEN_EXTRA[i]),
        );
    }
}

fn distance(b: &mut Bits<'_>, dist: usize) {
    let i = DIST_BASE.partition_point(|&base| usize::from(base) <= dist) - 1;
    b.code(i as u32, 5);
    if DIST_EXTRA[i] > 0 {
        b.put(
            (dist - usize::from(DIST_BASE[i])) as u32,
            u32::from(DIST_EXTRA[i]),
        );
    }
}

fn adler32(data: &[u8]) -> u32 {
    let (mut a, mut b) = (1u32, 0u32);
    for chunk in data.chunks(5552) {
        for &x in chunk {
            a += u32::from(x);
            b += a;
        }
        a %= 65521;
        b %= 65521;
    }
    (b << 16) | a
}

#[inline]
fn hash(d: &[u8], i: usize) -> usize {
    let v = u32::from(d[i]) | (u32::from(d[i + 1]) << 8) | (u32::from(d[i + 2]) << 16);
    (v.wrapping_mul(2_654_435_761) >> (32 - HASH_BITS)) as usize
}

/// A reusable compressor (its hash table is kept between calls).
#[derive(Debug, Default)]
pub struct FastDeflate {
    table: Vec<u32>,
}

impl FastDeflate {
    /// Appends the zlib stream of `data` to `out`.
    pub fn compress(&mut self, data: &[u8], out: &mut Vec<u8>) {
        self.table.clear();
        self.table.resize(1 << HASH_BITS, u32::MAX);
        out.extend_from_slice(&[0x78, 0x01]);
        let mut b = Bits { out, acc: 0, n: 0 };
        b.put(1, 1); // BFINAL
        b.put(1, 2); // BTYPE = fixed Huffman
        let n = data.len();
        let mut i = 0;
        while i < n {
            if i + MIN_MATCH <= n {
                let h = hash(data, i);
                let cand = self.table[h];
                self.table[h] = i as u32;
                if cand != u32::MAX {
                    let c = cand as usize;
                    let dist = i - c;
                    if dist <= WINDOW && data[c..c + MIN_MATCH] == data[i..i + MIN_MATCH] {
                        let max = (n - i).min(MAX_MATCH);
                        let mut len = MIN_MATCH;
                        while len < max && data[c + len] == data[i + len] {
                            len += 1;
                        }
                        length(&mut b, len);
                        distance(&mut b, dist);
                        let end = i + len;
                        i += 1;
                        while i < end {
                            if i + MIN_MATCH <= n {
                                let h = hash(data, i);
                                self.table[h] = i as u32;
                            }
                            i += 1;
                        }
                        continue;
                    }
                }
            }
            literal(&mut b, u32::from(data[i]));
            i += 1;
        }
        literal(&mut b, 256);
        b.flush();
        out.extend_from_slice(&adler32(data).to_be_bytes());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(data: &[u8]) -> Vec<u8> {
        let mut z = Vec::new();
        FastDeflate::default().compress(data, &mut z);
        miniz_oxide::inflate::decompress_to_vec_zlib(&z).expect("valid zlib")
    }

    #[test]
    fn content_streams_round_trip_and_shrink() {
        let content = b"q\n12 0 2 1 re\n15 0 1 1 re\n18 0 3 1 re\nf Q\nBT\n/F1 10 Tf\n11.34 385.51 Td\n(abc) Tj\n".repeat(40);
        let mut z = Vec::new();
        FastDeflate::default().compress(&content, &mut z);
        assert!(
            z.len() < content.len() / 4,
            "{} of {}",
            z.len(),
            content.len()
        );
        assert_eq!(round_trip(&content), content);
        assert_eq!(round_trip(b""), b"");
        assert_eq!(round_trip(b"ab"), b"ab");
        let all: Vec<u8> = (0..=255u8).cycle().take(70_000).collect();
        assert_eq!(round_trip(&all), all);
        assert_eq!(round_trip(&vec![7u8; 100_000]), vec![7u8; 100_000]);
    }

    proptest::proptest! {
        #[test]
        fn any_bytes_round_trip(data in proptest::collection::vec(0u8..8, 0..5000)) {
            proptest::prop_assert_eq!(round_trip(&data), data);
        }
    }
}
