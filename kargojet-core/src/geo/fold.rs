//! Turkish-aware case folding for matching names typed by people and carriers.
//!
//! `İSTANBUL`, `istanbul` and `Istanbul` all fold to `istanbul`; `IĞDIR`, `Igdir` and `ığdır` to
//! `igdir`. Folding lowercases with Turkish rules (`I`→`ı`, `İ`→`i`) and then drops the
//! diacritics, so an ASCII spelling matches the official one.

/// Folds a name for matching: Turkish lowercase, diacritics removed, inner whitespace and
/// punctuation collapsed to single spaces.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    for ch in s.chars() {
        let mapped: Option<char> = match ch {
            'I' | 'ı' | 'İ' | 'i' | 'Î' | 'î' | 'Ì' | 'ì' | 'Í' | 'í' => Some('i'),
            'Ğ' | 'ğ' => Some('g'),
            'Ü' | 'ü' | 'Û' | 'û' => Some('u'),
            'Ş' | 'ş' => Some('s'),
            'Ö' | 'ö' => Some('o'),
            'Ç' | 'ç' => Some('c'),
            'Â' | 'â' | 'À' | 'à' | 'Á' | 'á' => Some('a'),
            '\u{307}' => None, // combining dot above (from a naive lowercase of İ)
            c if c.is_alphanumeric() => {
                let mut lower = c.to_lowercase();
                let first = lower.next();
                if lower.next().is_none() {
                    first
                } else {
                    Some(c)
                }
            }
            _ => {
                pending_space = !out.is_empty();
                None
            }
        };
        if let Some(m) = mapped {
            if pending_space {
                out.push(' ');
                pending_space = false;
            }
            out.push(m);
        }
    }
    out
}

/// Turkish upper case (`i`→`İ`, `ı`→`I`), as several carriers want names on the wire.
pub fn turkish_upper(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 4);
    for ch in s.chars() {
        match ch {
            'i' => out.push('İ'),
            'ı' => out.push('I'),
            c => out.extend(c.to_uppercase()),
        }
    }
    out
}

/// Edit distance between two folded strings (for "did you mean" suggestions).
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur[j + 1] = (prev[j + 1] + 1).min(cur[j] + 1).min(prev[j] + cost);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_dotted_and_dotless_i() {
        for s in ["İSTANBUL", "istanbul", "Istanbul", "İstanbul", "ISTANBUL"] {
            assert_eq!(fold(s), "istanbul", "{s}");
        }
        for s in ["IĞDIR", "Igdir", "ığdır", "Iğdır", "IGDIR"] {
            assert_eq!(fold(s), "igdir", "{s}");
        }
        assert_eq!(fold("  Kocaeli (İzmit) "), "kocaeli izmit");
        assert_eq!(fold("ŞANLIURFA"), "sanliurfa");
    }

    #[test]
    fn upper_case_is_turkish() {
        assert_eq!(turkish_upper("Diyarbakır ilçesi"), "DİYARBAKIR İLÇESİ");
    }

    #[test]
    fn edit_distance_counts_edits() {
        assert_eq!(edit_distance("ankara", "ankra"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
    }
}
