//! Reading Sürat's Turkish wordings fast: the text is folded word by word (Turkish-aware lower
//! case, diacritics dropped, as [`kargojet_core::geo::fold`] does) into a small stack buffer,
//! with no allocation, and each word is matched against the keywords status mapping needs.
//! This runs once per tracking event, so it sits on the hot path.

/// The longest word that is folded; longer words match no keyword.
const MAX_WORD: usize = 24;

/// Folds one non-ASCII character: `Some(b)` for a Turkish letter (to its ASCII base), `None`
/// for a separator, `Some(0)` for any other letter (no keyword has it), `Some(1)` for the
/// combining dot above (dropped, as a naive lower case of `İ` leaves it).
#[inline]
fn fold_non_ascii(c: char) -> Option<u8> {
    match c {
        'ı' | 'İ' | 'î' | 'Î' | 'ì' | 'Ì' | 'í' | 'Í' => Some(b'i'),
        'ğ' | 'Ğ' => Some(b'g'),
        'ü' | 'Ü' | 'û' | 'Û' => Some(b'u'),
        'ş' | 'Ş' => Some(b's'),
        'ö' | 'Ö' => Some(b'o'),
        'ç' | 'Ç' => Some(b'c'),
        'â' | 'Â' | 'à' | 'À' | 'á' | 'Á' => Some(b'a'),
        '\u{307}' => Some(1),
        c if c.is_alphanumeric() => Some(0),
        _ => None,
    }
}

/// ASCII bytes folded: letters and digits lower-cased, everything else 0 (a separator).
const ASCII_FOLD: [u8; 128] = {
    let mut t = [0u8; 128];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        if c.is_ascii_alphanumeric() {
            t[b] = c.to_ascii_lowercase();
        }
        b += 1;
    }
    t
};

/// Calls `f` with each folded word of `text` as ASCII bytes (words with letters no keyword
/// has, or longer than the buffer, are skipped).
pub fn for_each_word(text: &str, mut f: impl FnMut(&[u8])) {
    let bytes = text.as_bytes();
    let mut buf = [0u8; MAX_WORD];
    let mut len = 0usize;
    let mut usable = true;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let folded = if b.is_ascii() {
            i += 1;
            match ASCII_FOLD[usize::from(b)] {
                0 => None,
                f => Some(f),
            }
        } else {
            // Two-byte sequences (every Turkish letter) decoded in place, others by `chars`.
            let c = match bytes.get(i + 1) {
                Some(&n) if (0xc2..=0xdf).contains(&b) && n & 0xc0 == 0x80 => {
                    i += 2;
                    char::from_u32((u32::from(b & 0x1f) << 6) | u32::from(n & 0x3f))
                        .unwrap_or('\u{fffd}')
                }
                _ => {
                    let c = text
                        .get(i..)
                        .and_then(|t| t.chars().next())
                        .unwrap_or('\u{fffd}');
                    i += c.len_utf8();
                    c
                }
            };
            fold_non_ascii(c)
        };
        match folded {
            None => {
                if len > 0 && usable {
                    f(&buf[..len]);
                }
                len = 0;
                usable = true;
            }
            Some(1) => {}
            Some(0) => usable = false,
            Some(c) if len < MAX_WORD => {
                buf[len] = c;
                len += 1;
            }
            Some(_) => usable = false,
        }
    }
    if len > 0 && usable {
        f(&buf[..len]);
    }
}

/// True when the folded `text` is exactly `word` (e.g. `Hayır` is `hayir`).
pub fn is_word(text: &str, word: &str) -> bool {
    let mut n = 0;
    let mut same = true;
    for_each_word(text, |w| {
        n += 1;
        same &= w == word.as_bytes();
    });
    n == 1 && same
}

/// The keywords of a wording that status mapping looks at.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Keywords {
    /// `iptal…`
    pub iptal: bool,
    /// `edilemedi`, `edilmedi`, `bulunamadı`.
    pub not_delivered: bool,
    /// `iade…`
    pub iade: bool,
    /// `teslim`
    pub teslim: bool,
    /// `edildi`
    pub edildi: bool,
    /// `dağıtım…`, `kuryede`
    pub dagitim: bool,
    /// `evrak`
    pub evrak: bool,
    /// `oluşturuldu`
    pub olusturuldu: bool,
    /// `aktarma…`, `yüklendi`, `transfer`, `varış` + `yaptı`
    pub transfer: bool,
    /// `varış`
    pub varis: bool,
    /// `yaptı`
    pub yapti: bool,
    /// `şube…`
    pub sube: bool,
}

impl Keywords {
    /// The keywords found in `text`.
    pub fn of(text: &str) -> Keywords {
        let mut k = Keywords::default();
        for_each_word(text, |w| match w {
            b"edilemedi" | b"edilmedi" | b"bulunamadi" => k.not_delivered = true,
            b"teslim" => k.teslim = true,
            b"edildi" => k.edildi = true,
            b"kuryede" => k.dagitim = true,
            b"evrak" => k.evrak = true,
            b"olusturuldu" => k.olusturuldu = true,
            b"yuklendi" | b"transfer" => k.transfer = true,
            b"varis" => k.varis = true,
            b"yapti" => k.yapti = true,
            w if w.starts_with(b"iptal") => k.iptal = true,
            w if w.starts_with(b"iade") => k.iade = true,
            w if w.starts_with(b"dagitim") => k.dagitim = true,
            w if w.starts_with(b"aktarma") => k.transfer = true,
            w if w.starts_with(b"sube") => k.sube = true,
            _ => {}
        });
        k.transfer |= k.varis && k.yapti;
        k
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kargojet_core::geo::fold;

    #[test]
    fn words_fold_like_the_core() {
        for s in [
            "Dağıtıma Çıkarıldı",
            "İADE SÜRECİNDE",
            "Teslim Edilemedi - Alıcı adreste bulunamadı",
            "Araç Varış Yaptı",
            "ŞUBEDE",
            "i\u{307}ptal",
        ] {
            let mut words = Vec::new();
            for_each_word(s, |w| words.push(String::from_utf8_lossy(w).into_owned()));
            assert_eq!(words.join(" "), fold(s), "{s}");
        }
    }

    #[test]
    fn keywords_are_found() {
        let k = Keywords::of("Teslim Edilemedi - Alıcı adreste bulunamadı");
        assert!(k.teslim && k.not_delivered && !k.edildi);
        assert!(Keywords::of("Araç Varış Yaptı").transfer);
        assert!(Keywords::of("TESLİMAT ŞUBESİNDE").sube);
        assert!(!Keywords::of("Şubat kampanyası").sube);
        assert!(is_word(" Hayır ", "hayir"));
        assert!(!is_word("Hayır değil", "hayir"));
        let mut n = 0;
        for_each_word(&"a".repeat(40), |_| n += 1);
        assert_eq!(n, 0, "over-long words are skipped");
    }
}
