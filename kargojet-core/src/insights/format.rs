//! Number and word formatting for insight texts, in Turkish and English.
//!
//! Turkish writes the percent sign first and a decimal comma: `%18`, `%18,5`, `0,6 gün`,
//! thousands grouped with dots (`1.234 gönderi`); money is [`Money::to_turkish`]
//! (`1.234,56 TL`). Every figure is rounded half away from zero to the decimals asked for, and
//! trailing zeros after the comma are dropped (`%18,0` is written `%18`).
//!
//! Turkish suffixes after a proper noun follow vowel harmony and consonant assimilation and are
//! joined with an apostrophe: `Aras'ta`, `Sürat'te`, `PTT'de`, `Doğu Anadolu'ya`, `Ege'ye`.

use crate::carrier::CarrierId;
use crate::geo::Region;
use crate::money::Money;
use rust_decimal::{Decimal, RoundingStrategy};

/// A decimal rounded half away from zero to `dp` places, trailing zeros dropped, written with
/// `decimal_sep` and `group_sep` between thousands.
fn number(value: Decimal, dp: u32, decimal_sep: char, group_sep: char) -> String {
    let rounded = value
        .round_dp_with_strategy(dp, RoundingStrategy::MidpointAwayFromZero)
        .normalize();
    let negative = rounded.is_sign_negative() && !rounded.is_zero();
    let text = rounded.abs().to_string();
    let (int, frac) = match text.split_once('.') {
        Some((i, f)) => (i.to_string(), Some(f.to_string())),
        None => (text, None),
    };
    let mut out = String::with_capacity(int.len() + 8);
    if negative {
        out.push('-');
    }
    let len = int.len();
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (len - i).is_multiple_of(3) {
            out.push(group_sep);
        }
        out.push(ch);
    }
    if let Some(f) = frac.filter(|f| !f.is_empty()) {
        out.push(decimal_sep);
        out.push_str(&f);
    }
    out
}

/// A number the Turkish way: `1.234,5` (at most `dp` decimals).
pub fn decimal_tr(value: Decimal, dp: u32) -> String {
    number(value, dp, ',', '.')
}

/// A number the English way: `1,234.5` (at most `dp` decimals).
pub fn decimal_en(value: Decimal, dp: u32) -> String {
    number(value, dp, '.', ',')
}

/// A percentage the Turkish way, one decimal at most: `%18`, `%18,5`.
pub fn percent_tr(value: Decimal) -> String {
    format!("%{}", decimal_tr(value, 1))
}

/// A percentage the English way, one decimal at most: `18%`, `18.5%`.
pub fn percent_en(value: Decimal) -> String {
    format!("{}%", decimal_en(value, 1))
}

/// Days the Turkish way, one decimal at most: `0,6 gün`.
pub fn days_tr(value: Decimal) -> String {
    format!("{} gün", decimal_tr(value, 1))
}

/// Days the English way, one decimal at most: `0.6 days` (`1 day`).
pub fn days_en(value: Decimal) -> String {
    let n = decimal_en(value, 1);
    if n == "1" {
        "1 day".to_string()
    } else {
        format!("{n} days")
    }
}

/// Money the Turkish way: `1.234,56 TL`.
pub fn money_tr(value: Money) -> String {
    value.to_turkish()
}

/// Money the English way: `TRY 1,234.56`.
pub fn money_en(value: Money) -> String {
    let r = value.round_kurus().amount;
    let negative = r.is_sign_negative() && !r.is_zero();
    let body = number(r.abs(), 2, '.', ',');
    let body = match body.split_once('.') {
        Some((i, f)) if f.len() == 1 => format!("{i}.{f}0"),
        Some(_) => body,
        None => format!("{body}.00"),
    };
    format!("{}TRY {body}", if negative { "-" } else { "" })
}

/// A count the Turkish way: `1.234`.
pub fn count_tr(n: u32) -> String {
    decimal_tr(Decimal::from(n), 0)
}

/// A count the English way: `1,234`.
pub fn count_en(n: u32) -> String {
    decimal_en(Decimal::from(n), 0)
}

/// The short name of a carrier used in sentences (`Aras`, `Yurtiçi`, `HepsiJET`).
pub fn carrier_short(c: &CarrierId) -> &str {
    match c {
        CarrierId::Yurtici => "Yurtiçi",
        CarrierId::Aras => "Aras",
        CarrierId::Mng => "MNG",
        CarrierId::Ptt => "PTT",
        CarrierId::Surat => "Sürat",
        CarrierId::Hepsijet => "HepsiJET",
        CarrierId::KolayGelsin => "Kolay Gelsin",
        CarrierId::Sendeo => "Sendeo",
        CarrierId::Custom(s) => s,
    }
}

/// The English name of a region (`Eastern Anatolia`).
pub fn region_en(r: Region) -> &'static str {
    match r {
        Region::Akdeniz => "the Mediterranean region",
        Region::DoguAnadolu => "Eastern Anatolia",
        Region::Ege => "the Aegean region",
        Region::GuneydoguAnadolu => "Southeastern Anatolia",
        Region::IcAnadolu => "Central Anatolia",
        Region::Karadeniz => "the Black Sea region",
        Region::Marmara => "the Marmara region",
    }
}

fn is_vowel(c: char) -> bool {
    matches!(
        c,
        'a' | 'ı'
            | 'o'
            | 'u'
            | 'e'
            | 'i'
            | 'ö'
            | 'ü'
            | 'A'
            | 'I'
            | 'O'
            | 'U'
            | 'E'
            | 'İ'
            | 'Ö'
            | 'Ü'
    )
}

fn is_back_vowel(c: char) -> bool {
    matches!(c, 'a' | 'ı' | 'o' | 'u' | 'A' | 'I' | 'O' | 'U')
}

fn is_hard_consonant(c: char) -> bool {
    // "FıSTıKÇı ŞaHaP": f s t k ç ş h p.
    matches!(
        c.to_lowercase().next().unwrap_or(c),
        'f' | 's' | 't' | 'k' | 'ç' | 'ş' | 'h' | 'p'
    )
}

/// Loanwords whose last back vowel still takes front suffixes (`saat → saatte`,
/// `sürat → süratte`, `kalp → kalbe`), compared on the last word, folded.
const FRONT_SUFFIX_WORDS: &[&str] = &[
    "surat", "saat", "kalp", "hal", "dikkat", "hayal", "rol", "gol", "alkol", "petrol", "kabul",
    "istiklal", "meal", "ihtimal", "hakikat", "seyahat", "sefalet", "idrak", "emsal",
];

fn takes_front_suffixes(word: &str) -> bool {
    let folded = crate::geo::fold(word);
    folded
        .rsplit(' ')
        .next()
        .is_some_and(|last| FRONT_SUFFIX_WORDS.contains(&last))
}

/// How a word sounds at its end: whether its last vowel is a back vowel, whether it ends in a
/// vowel, and whether it ends in a hard consonant. An acronym (`PTT`, `MNG`) is read letter by
/// letter, and consonant letters are read with an `e` (`te`, `ge`).
fn ending(word: &str) -> (bool, bool, bool) {
    let letters: Vec<char> = word.chars().filter(|c| c.is_alphabetic()).collect();
    let acronym = letters.len() >= 2 && letters.iter().all(|c| c.is_uppercase());
    if acronym {
        if let Some(&last) = letters.last() {
            if is_vowel(last) {
                return (is_back_vowel(last), true, false);
            }
            return (false, true, false);
        }
    }
    let last_vowel = letters.iter().rev().find(|c| is_vowel(**c)).copied();
    let back = last_vowel.is_some_and(is_back_vowel) && !takes_front_suffixes(word);
    let last = letters.last().copied();
    let ends_vowel = last.is_some_and(is_vowel);
    let hard = last.is_some_and(|c| !is_vowel(c) && is_hard_consonant(c));
    (back, ends_vowel, hard)
}

/// The locative (`-da/-de/-ta/-te`) of a proper noun: `Aras'ta`, `PTT'de`, `Ege'de`.
pub fn locative(word: &str) -> String {
    if word == "Yurtiçi" {
        // A compound with a possessive ending: "Yurtiçi'nde".
        return "Yurtiçi'nde".to_string();
    }
    let (back, _, hard) = ending(word);
    let d = if hard { 't' } else { 'd' };
    let a = if back { 'a' } else { 'e' };
    format!("{word}'{d}{a}")
}

/// The dative (`-a/-e/-ya/-ye`) of a proper noun: `Doğu Anadolu'ya`, `Akdeniz'e`.
pub fn dative(word: &str) -> String {
    if word == "Yurtiçi" {
        return "Yurtiçi'ne".to_string();
    }
    let (back, ends_vowel, _) = ending(word);
    let a = if back { 'a' } else { 'e' };
    if ends_vowel {
        format!("{word}'y{a}")
    } else {
        format!("{word}'{a}")
    }
}

/// "two times", "three times" in Turkish (`iki`, `üç`, … up to ten), for "… katına çıktı".
pub fn times_word_tr(n: u32) -> Option<&'static str> {
    Some(match n {
        2 => "iki",
        3 => "üç",
        4 => "dört",
        5 => "beş",
        6 => "altı",
        7 => "yedi",
        8 => "sekiz",
        9 => "dokuz",
        10 => "on",
        _ => return None,
    })
}

/// "doubled", "tripled", … in English.
pub fn times_word_en(n: u32) -> Option<&'static str> {
    Some(match n {
        2 => "doubled",
        3 => "tripled",
        4 => "quadrupled",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn turkish_numbers_use_a_percent_prefix_and_a_decimal_comma() {
        assert_eq!(percent_tr(dec!(18)), "%18");
        assert_eq!(percent_tr(dec!(18.04)), "%18");
        assert_eq!(percent_tr(dec!(18.05)), "%18,1");
        assert_eq!(percent_tr(dec!(18.50)), "%18,5");
        assert_eq!(percent_en(dec!(18.50)), "18.5%");
        assert_eq!(days_tr(dec!(0.64)), "0,6 gün");
        assert_eq!(days_tr(dec!(2)), "2 gün");
        assert_eq!(days_en(dec!(1.0)), "1 day");
        assert_eq!(days_en(dec!(0.55)), "0.6 days");
        assert_eq!(decimal_tr(dec!(1234567.891), 2), "1.234.567,89");
        assert_eq!(decimal_en(dec!(1234567.891), 2), "1,234,567.89");
        assert_eq!(decimal_tr(dec!(-0.25), 1), "-0,3");
        assert_eq!(count_tr(1234), "1.234");
        assert_eq!(count_en(1234), "1,234");
        assert_eq!(money_tr(Money::try_lira(dec!(1234.56))), "1.234,56 TL");
        assert_eq!(money_en(Money::try_lira(dec!(1234.5))), "TRY 1,234.50");
        assert_eq!(money_en(Money::try_lira(dec!(7))), "TRY 7.00");
        assert_eq!(money_en(Money::try_lira(dec!(-0.005))), "-TRY 0.01");
    }

    #[test]
    fn suffixes_follow_vowel_harmony_and_hard_consonants() {
        assert_eq!(locative("Aras"), "Aras'ta");
        assert_eq!(locative("Sürat"), "Sürat'te");
        assert_eq!(locative("HepsiJET"), "HepsiJET'te");
        assert_eq!(locative("PTT"), "PTT'de");
        assert_eq!(locative("MNG"), "MNG'de");
        assert_eq!(locative("Sendeo"), "Sendeo'da");
        assert_eq!(locative("Kolay Gelsin"), "Kolay Gelsin'de");
        assert_eq!(locative("Yurtiçi"), "Yurtiçi'nde");
        assert_eq!(locative("Doğu Anadolu"), "Doğu Anadolu'da");
        assert_eq!(locative("Akdeniz"), "Akdeniz'de");
        assert_eq!(dative("Doğu Anadolu"), "Doğu Anadolu'ya");
        assert_eq!(dative("Ege"), "Ege'ye");
        assert_eq!(dative("Akdeniz"), "Akdeniz'e");
        assert_eq!(dative("Marmara"), "Marmara'ya");
        assert_eq!(dative("Karadeniz"), "Karadeniz'e");
        assert_eq!(dative("İç Anadolu"), "İç Anadolu'ya");
        assert_eq!(dative("Güneydoğu Anadolu"), "Güneydoğu Anadolu'ya");
        assert_eq!(dative("Aras"), "Aras'a");
        assert_eq!(dative("PTT"), "PTT'ye");
        assert_eq!(dative("Sürat"), "Sürat'e");
        assert_eq!(locative("Saat"), "Saat'te");
        for r in Region::ALL {
            assert!(!region_en(r).is_empty());
            assert!(dative(r.name_tr()).contains('\''));
        }
    }
}
