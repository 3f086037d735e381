//! Response parsers: PTT answers (bytes) → wire types. One pass of a small pull tokenizer
//! ([`crate::lexer`]) over the whole document (nesting and termination are checked to the end),
//! borrowing text where it can.
//! Element names are matched by local name, so `ax:`, `ns1:` or unprefixed children all work.
//! Any input gives a value or a [`PttError`], never a panic.

use crate::error::PttError;
use crate::lexer::{Lexer, Tok};
use crate::wire::{DonguSonuc, Hareket, KabulReturn, SimpleReturn, TakipReturn};
use std::borrow::Cow;

/// Most leaf names a [`Shape`] lists for `return`.
const MAX_RET: usize = 9;
/// Most leaf names a [`Shape`] lists for one `dongu`.
const MAX_DONGU: usize = 6;

/// The leaf children of one element, by local name (only names the caller asked for): one slot
/// per name of the shape, holding the first child with that name.
#[derive(Debug)]
pub struct Fields<'a, const N: usize> {
    names: &'static [&'static str],
    vals: [Option<Cow<'a, str>>; N],
    /// The name tried first by the next `open`: the one after the last opened (answers list
    /// the fields in the shape's order).
    hint: usize,
}

impl<'a, const N: usize> Fields<'a, N> {
    fn new(names: &'static [&'static str]) -> Self {
        Fields {
            names,
            vals: [const { None }; N],
            hint: 0,
        }
    }

    /// Untrimmed text of the first child with this name.
    pub fn raw(&self, name: &str) -> Option<&str> {
        let i = self.names.iter().position(|n| same(n, name))?;
        self.vals.get(i)?.as_deref()
    }

    /// Text of the first child with this name, trimmed.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.raw(name).map(kargojet_carrier_common::scan::trim)
    }

    /// Text of the child named `self.names[i]` (the shape's `i`-th name), trimmed.
    #[inline]
    pub fn at(&self, i: usize) -> Option<&str> {
        self.vals
            .get(i)?
            .as_deref()
            .map(kargojet_carrier_common::scan::trim)
    }

    /// Text of the first child with this name, as an owned string, `None` when absent or empty.
    pub fn opt(&self, name: &str) -> Option<String> {
        self.get(name).filter(|s| !s.is_empty()).map(str::to_string)
    }

    /// Text of the first child with this name, empty when absent.
    pub fn text(&self, name: &str) -> String {
        self.get(name).unwrap_or_default().to_string()
    }

    /// Opens the slot of a child named `local` when it is one of the shape's names seen for the
    /// first time; its index.
    #[inline]
    fn open(&mut self, local: &str) -> Option<usize> {
        let i = match self.names.get(self.hint) {
            Some(n) if same(n, local) => self.hint,
            _ => self.names.iter().position(|n| same(n, local))?,
        };
        self.hint = i + 1;
        let slot = self.vals.get_mut(i)?;
        if slot.is_some() {
            return None;
        }
        *slot = Some(Cow::Borrowed(""));
        Some(i)
    }

    #[inline]
    fn push(&mut self, i: usize, piece: Cow<'a, str>) {
        if let Some(Some(value)) = self.vals.get_mut(i) {
            if value.is_empty() {
                *value = piece;
            } else {
                value.to_mut().push_str(&piece);
            }
        }
    }
}

/// A scanned `return` element: its leaf fields and its `dongu` blocks.
#[derive(Debug)]
pub struct Scan<'a> {
    /// Leaf children of `return`.
    pub ret: Fields<'a, MAX_RET>,
    /// `dongu` children of `return`, in document order.
    pub dongu: Vec<Fields<'a, MAX_DONGU>>,
}

/// What a response body holds.
#[derive(Debug)]
#[allow(clippy::large_enum_variant)] // one per response, never stored in bulk
pub enum Scanned<'a> {
    /// A `return` (or `*Return`) element.
    Return(Scan<'a>),
    /// A SOAP fault (read it with the SOAP helpers).
    Fault,
}

/// Names the scanner keeps: the `return` fields and the `dongu` fields of one operation.
pub struct Shape {
    /// Leaf children of `return`.
    pub ret: &'static [&'static str],
    /// Leaf children of each `dongu`.
    pub dongu: &'static [&'static str],
}

/// `kabulEkle2Response`.
pub const KABUL_SHAPE: Shape = Shape {
    ret: &["aciklama", "hataKodu"],
    dongu: &[
        "Barkod_quid",
        "barkod",
        "donguAciklama",
        "donguHataKodu",
        "donguSonuc",
    ],
};
/// `gonderiSorguResponse`.
pub const TAKIP_SHAPE: Shape = Shape {
    ret: &[
        "ALICI",
        "BARNO",
        "GONDEREN",
        "GR",
        "ITARIH",
        "TESALAN",
        "VMERK",
        "sonucAciklama",
        "sonucKodu",
    ],
    dongu: &["IKODU", "IMERK", "ISAAT", "ISLEM", "ITARIH", "siraNo"],
};
/// Index of `IKODU` in [`TAKIP_SHAPE`]'s `dongu` names (see [`Fields::at`]).
pub const DONGU_IKODU: usize = 0;
/// Index of `IMERK`.
pub const DONGU_IMERK: usize = 1;
/// Index of `ISAAT`.
pub const DONGU_ISAAT: usize = 2;
/// Index of `ISLEM`.
pub const DONGU_ISLEM: usize = 3;
/// Index of `ITARIH`.
pub const DONGU_ITARIH: usize = 4;
/// Index of `siraNo`.
pub const DONGU_SIRA_NO: usize = 5;

/// `barkodVeriSil` / `referansVeriSil` / `etiketGetir` responses.
pub const SIMPLE_SHAPE: Shape = Shape {
    ret: &["aciklama", "epl_format", "hataKodu"],
    dongu: &[],
};

/// Byte equality for short names without a `memcmp` call (hot: every tag goes through it).
#[inline]
fn same(a: &str, b: &str) -> bool {
    kargojet_carrier_common::scan::eq_bytes(a.as_bytes(), b.as_bytes())
}

fn is_return(local: &str) -> bool {
    local == "return" || local.ends_with("Return")
}

enum Level {
    /// Outside `return`.
    Outside,
    /// Directly inside `return`.
    Return,
    /// Inside a leaf field of `return` (index into `ret.items`, or skipped).
    RetField(Option<usize>),
    /// Directly inside a `dongu`.
    Dongu,
    /// Inside a leaf field of the current `dongu`.
    DonguField(Option<usize>),
    /// Inside something we do not read.
    Skip,
}

/// Scans a response body for its `return` element (or a fault).
pub fn scan<'a>(raw: &'a [u8], shape: &Shape) -> Result<Scanned<'a>, PttError> {
    scan_str(utf8(raw)?, shape)
}

/// The body as text: UTF-8 only (a PTT answer in another encoding is refused, not guessed).
pub fn utf8(raw: &[u8]) -> Result<&str, PttError> {
    kargojet_carrier_common::scan::utf8(raw).map_err(|e| PttError::Encoding(e.to_string()))
}

/// [`scan`] over a body already known to be UTF-8.
pub fn scan_str<'a>(text: &'a str, shape: &Shape) -> Result<Scanned<'a>, PttError> {
    if text.trim_start().is_empty() {
        return Err(PttError::Empty);
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lexer = Lexer::new(text);
    let mut stack: Vec<(&'a str, Level)> = Vec::with_capacity(16);
    let mut found: Option<Scan<'a>> = None;
    let mut cur: Option<Scan<'a>> = None;
    let mut fault = false;
    let mut roots = 0usize;
    loop {
        // Inside `return` or a `dongu`, the children are leaves: read a plain one in one step.
        // What `enter`, the text and `leave` would do for it, done in place.
        if let Some((_, parent @ (Level::Return | Level::Dongu))) = stack.last() {
            let in_dongu = matches!(parent, Level::Dongu);
            if let Some((local, text)) = lexer.try_leaf() {
                let blank = text.bytes().all(|b| b.is_ascii_whitespace());
                if let Some(scan) = cur.as_mut() {
                    if in_dongu {
                        if let Some(d) = scan.dongu.last_mut() {
                            if let (Some(i), false) = (d.open(local), blank) {
                                d.push(i, Cow::Borrowed(text));
                            }
                        }
                    } else if local == "dongu" {
                        scan.dongu.push(Fields::new(shape.dongu));
                    } else if let (Some(i), false) = (scan.ret.open(local), blank) {
                        scan.ret.push(i, Cow::Borrowed(text));
                    }
                }
                continue;
            }
        }
        match lexer.next_tok()? {
            Tok::Start { name, local, empty } => {
                if stack.is_empty() {
                    roots += 1;
                }
                let level = enter(
                    &mut cur,
                    &mut found,
                    &mut fault,
                    stack.last().map(|(_, l)| l),
                    local,
                    shape,
                );
                if empty {
                    leave(&mut cur, &mut found, level);
                } else if let Some(text) = leaf_level(&level, !stack.is_empty())
                    .then(|| lexer.leaf_text(name))
                    .flatten()
                {
                    // A plain leaf in one step: its text (as the text token would give it), then
                    // its end.
                    if !text.bytes().all(|b| b.is_ascii_whitespace()) {
                        push_text(&mut cur, Some(&level), Cow::Borrowed(text));
                    }
                    leave(&mut cur, &mut found, level);
                } else {
                    stack.push((name, level));
                }
            }
            Tok::End(name) => match stack.pop() {
                Some((open, level)) if same(open, name) => leave(&mut cur, &mut found, level),
                Some((open, _)) => return Err(PttError::Xml(format!("</{name}> closes <{open}>"))),
                None => return Err(PttError::Xml("unbalanced end tag".into())),
            },
            Tok::Text(t) => {
                if stack.is_empty() {
                    if !t.trim().is_empty() {
                        return Err(PttError::Xml("text outside the root element".into()));
                    }
                } else {
                    push_text(&mut cur, stack.last().map(|(_, l)| l), t);
                }
            }
            Tok::Eof => {
                if !stack.is_empty() {
                    return Err(PttError::Xml("truncated document".into()));
                }
                break;
            }
        }
    }
    if roots != 1 {
        return Err(PttError::Xml(format!("{roots} root elements")));
    }
    match found {
        Some(s) => Ok(Scanned::Return(s)),
        None if fault => Ok(Scanned::Fault),
        None => Err(PttError::Missing("return")),
    }
}

/// True for levels whose element is read as a leaf (a field, or something skipped) when it is
/// one, inside a parent (a root element is always read token by token).
fn leaf_level(level: &Level, has_parent: bool) -> bool {
    has_parent
        && matches!(
            level,
            Level::RetField(_) | Level::DonguField(_) | Level::Skip
        )
}

#[inline]
fn enter<'a>(
    cur: &mut Option<Scan<'a>>,
    found: &mut Option<Scan<'a>>,
    fault: &mut bool,
    parent: Option<&Level>,
    name: &str,
    shape: &Shape,
) -> Level {
    match parent {
        None | Some(Level::Outside) => {
            if found.is_none() && cur.is_none() && is_return(name) {
                *cur = Some(Scan {
                    ret: Fields::new(shape.ret),
                    dongu: Vec::with_capacity(16),
                });
                Level::Return
            } else {
                if name == "Fault" {
                    *fault = true;
                }
                Level::Outside
            }
        }
        Some(Level::Return) => match cur {
            Some(scan) if name == "dongu" => {
                scan.dongu.push(Fields::new(shape.dongu));
                Level::Dongu
            }
            Some(scan) => Level::RetField(scan.ret.open(name)),
            None => Level::Skip,
        },
        Some(Level::Dongu) => match cur.as_mut().and_then(|s| s.dongu.last_mut()) {
            Some(d) => Level::DonguField(d.open(name)),
            None => Level::Skip,
        },
        Some(Level::RetField(_) | Level::DonguField(_) | Level::Skip) => Level::Skip,
    }
}

#[inline]
fn leave<'a>(cur: &mut Option<Scan<'a>>, found: &mut Option<Scan<'a>>, level: Level) {
    if let Level::Return = level {
        *found = cur.take();
    }
}

#[inline]
fn push_text<'a>(cur: &mut Option<Scan<'a>>, level: Option<&Level>, piece: Cow<'a, str>) {
    let Some(scan) = cur.as_mut() else { return };
    match level {
        Some(Level::RetField(Some(i))) => scan.ret.push(*i, piece),
        Some(Level::DonguField(Some(i))) => {
            if let Some(d) = scan.dongu.last_mut() {
                d.push(*i, piece);
            }
        }
        _ => {}
    }
}

/// Parses `kabulEkle2Response/return`. `Ok(None)` means the body is a SOAP fault.
pub fn kabul_return(raw: &[u8]) -> Result<Option<KabulReturn>, PttError> {
    let Scanned::Return(s) = scan(raw, &KABUL_SHAPE)? else {
        return Ok(None);
    };
    let hata_kodu = s
        .ret
        .get("hataKodu")
        .ok_or(PttError::Missing("hataKodu"))?
        .to_string();
    let mut dongu = Vec::with_capacity(s.dongu.len());
    for d in &s.dongu {
        let dongu_sonuc = match d.get("donguSonuc") {
            None | Some("") => None,
            Some(v) if v.eq_ignore_ascii_case("true") => Some(true),
            Some(v) if v.eq_ignore_ascii_case("false") => Some(false),
            Some(v) => {
                return Err(PttError::Invalid {
                    field: "donguSonuc",
                    value: v.to_string(),
                });
            }
        };
        dongu.push(DonguSonuc {
            barkod_quid: d.opt("Barkod_quid"),
            barkod: d.text("barkod"),
            dongu_aciklama: d.text("donguAciklama"),
            dongu_hata_kodu: d.text("donguHataKodu"),
            dongu_sonuc,
        });
    }
    Ok(Some(KabulReturn {
        aciklama: s.ret.text("aciklama"),
        dongu,
        hata_kodu,
    }))
}

/// Parses a `return` with `aciklama`/`hataKodu` (delete, label). `Ok(None)` means a fault.
pub fn simple_return(raw: &[u8]) -> Result<Option<SimpleReturn>, PttError> {
    let Scanned::Return(s) = scan(raw, &SIMPLE_SHAPE)? else {
        return Ok(None);
    };
    let hata_kodu = s
        .ret
        .get("hataKodu")
        .ok_or(PttError::Missing("hataKodu"))?
        .to_string();
    // The EPL text is whitespace-sensitive: keep it as sent (no trimming).
    let epl_format = s.ret.raw("epl_format").map(str::to_string);
    Ok(Some(SimpleReturn {
        aciklama: s.ret.text("aciklama"),
        epl_format,
        hata_kodu,
    }))
}

/// Parses `gonderiSorguResponse/return`. `Ok(None)` means a fault.
pub fn takip_return(raw: &[u8]) -> Result<Option<TakipReturn>, PttError> {
    let Scanned::Return(s) = scan(raw, &TAKIP_SHAPE)? else {
        return Ok(None);
    };
    let dongu = s
        .dongu
        .iter()
        .map(|d| Hareket {
            ikodu: d.text("IKODU"),
            imerk: d.text("IMERK"),
            isaat: d.text("ISAAT"),
            islem: d.text("ISLEM"),
            itarih: d.text("ITARIH"),
            sira_no: d.text("siraNo"),
        })
        .collect();
    let r = &s.ret;
    Ok(Some(TakipReturn {
        alici: r.opt("ALICI"),
        barno: r.opt("BARNO"),
        gonderen: r.opt("GONDEREN"),
        gr: r.opt("GR"),
        itarih: r.opt("ITARIH"),
        tesalan: r.opt("TESALAN"),
        vmerk: r.opt("VMERK"),
        dongu,
        sonuc_aciklama: r.opt("sonucAciklama"),
        sonuc_kodu: r.opt("sonucKodu"),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_any_prefix_and_entities() {
        let xml = br#"<e:Envelope xmlns:e="urn:e"><e:Body><r xmlns="urn:x"><return><aciklama>A &amp; B</aciklama><hataKodu> 1 </hataKodu></return></r></e:Body></e:Envelope>"#;
        let r = simple_return(xml).expect("parse").expect("return");
        assert_eq!(r.aciklama, "A & B");
        assert_eq!(r.hata_kodu, "1");
    }

    #[test]
    fn faults_and_garbage_are_told_apart() {
        let fault = br#"<s:Envelope xmlns:s="urn:s"><s:Body><s:Fault><faultstring>x</faultstring></s:Fault></s:Body></s:Envelope>"#;
        assert!(matches!(simple_return(fault), Ok(None)));
        for bad in [
            &b""[..],
            b"   ",
            b"<a>",
            b"<return><hataKodu>1</hataKodu>",
            b"\xff\xfe",
            b"<x/>",
            b"<a/><b/>",
            b"<return><hataKodu>1</hataKodu></return></x>",
        ] {
            assert!(
                simple_return(bad).is_err(),
                "{:?}",
                String::from_utf8_lossy(bad)
            );
        }
    }

    #[test]
    fn dongu_indices_name_the_shape() {
        let d = TAKIP_SHAPE.dongu;
        assert_eq!(
            [
                d[DONGU_IKODU],
                d[DONGU_IMERK],
                d[DONGU_ISAAT],
                d[DONGU_ISLEM],
                d[DONGU_ITARIH],
                d[DONGU_SIRA_NO]
            ],
            ["IKODU", "IMERK", "ISAAT", "ISLEM", "ITARIH", "siraNo"]
        );
    }

    #[test]
    fn every_shape_fits_its_slots() {
        for shape in [&KABUL_SHAPE, &TAKIP_SHAPE, &SIMPLE_SHAPE] {
            assert!(shape.ret.len() <= MAX_RET);
            assert!(shape.dongu.len() <= MAX_DONGU);
        }
    }

    #[test]
    fn first_field_wins_and_pieces_join() {
        let xml = b"<return><hataKodu>1</hataKodu><hataKodu>2</hataKodu><aciklama>a<![CDATA[<b>]]>c</aciklama></return>";
        let r = simple_return(xml).expect("parse").expect("return");
        assert_eq!(r.hata_kodu, "1");
        assert_eq!(r.aciklama, "a<b>c");
    }

    #[test]
    fn missing_outcome_is_an_error() {
        assert_eq!(
            simple_return(b"<return><aciklama>x</aciklama></return>").err(),
            Some(PttError::Missing("hataKodu"))
        );
        assert!(matches!(kabul_return(b"<return><hataKodu>1</hataKodu><dongu><donguSonuc>maybe</donguSonuc></dongu></return>"), Err(PttError::Invalid { .. })));
    }
}
