//! Reading Sürat's Turkish wordings fast: the text is folded word by word (Turkish-aware lower
//! case, diacritics dropped, as [`kargojet_core::geo::fold`] does) into a small stack buffer,
//! with no allocation, and each word is matched against the keywords status mapping needs.
//! This runs once per tracking event, so it sits on the hot path.

/// The longest word that is folded; longer words match no keyword.
const MAX_WORD: usize = 24;

/// Folds one character: `Some(b)` for an ASCII letter/digit or a Turkish letter (to its
/// ASCII base), `None` for a separator, `Some(0)` for any other letter (no keyword has it).
fn fold_char(c: char) -> Option<u8> {
    match c {
        'a'..='z' | '0'..='9' => Some(c as u8),
        'A'..='Z' => Some(c.to_ascii_lowercase() as u8),
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

/// Calls `f` with each folded word of `text` (words with letters no keyword has are skipped).
pub fn for_each_word(text: &str, mut f: impl FnMut(&str)) {
    let mut buf = [0u8; MAX_WORD];
    let mut len = 0usize;
    let mut usable = true;
    let mut flush = |buf: &[u8; MAX_WORD], len: &mut usize, usable: &mut bool| {
        if *len > 0 && *usable {
            if let Ok(w) = std::str::from_utf8(&buf[..*len]) {
                f(w);
            }
        }
        *len = 0;
        *usable = true;
    };
    for c in text.chars() {
        match fold_char(c) {
            None => flush(&buf, &mut len, &mut usable),
            Some(1) => {} // combining dot above (from a naive lower case of İ)
            Some(0) => usable = false,
            Some(b) if len < MAX_WORD => {
                buf[len] = b;
                len += 1;
            }
            Some(_) => usable = false,
        }
    }
    flush(&buf, &mut len, &mut usable);
}

/// True when the folded `text` is exactly `word` (e.g. `Hayır` is `hayir`).
pub fn is_word(text: &str, word: &str) -> bool {
    let mut n = 0;
    let mut same = true;
    for_each_word(text, |w| {
        n += 1;
        same &= w == word;
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
            "edilemedi" | "edilmedi" | "bulunamadi" => k.not_delivered = true,
            "teslim" => k.teslim = true,
            "edildi" => k.edildi = true,
            "kuryede" => k.dagitim = true,
            "evrak" => k.evrak = true,
            "olusturuldu" => k.olusturuldu = true,
            "yuklendi" | "transfer" => k.transfer = true,
            "varis" => k.varis = true,
            "yapti" => k.yapti = true,
            w if w.starts_with("iptal") => k.iptal = true,
            w if w.starts_with("iade") => k.iade = true,
            w if w.starts_with("dagitim") => k.dagitim = true,
            w if w.starts_with("aktarma") => k.transfer = true,
            w if w.starts_with("sube") => k.sube = true,
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
            for_each_word(s, |w| words.push(w.to_string()));
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
