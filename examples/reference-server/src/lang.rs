//! The language of messages: `Accept-Language: tr` or `en` (Turkish when neither is asked for).

/// A message language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// Turkish (the default).
    #[default]
    Tr,
    /// English.
    En,
}

impl Lang {
    /// Picks the language from an `Accept-Language` value: the first of `tr` or `en` by
    /// quality (`en-US,en;q=0.9,tr;q=0.8` → English); anything else is Turkish.
    pub fn from_accept_language(header: Option<&str>) -> Lang {
        let Some(h) = header else {
            return Lang::Tr;
        };
        let mut best: Option<(f32, Lang)> = None;
        for part in h.split(',') {
            let mut it = part.split(';');
            let tag = it.next().unwrap_or("").trim().to_ascii_lowercase();
            let q = it
                .filter_map(|p| p.trim().strip_prefix("q="))
                .find_map(|v| v.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            let primary = tag.split('-').next().unwrap_or("");
            let lang = match primary {
                "tr" => Lang::Tr,
                "en" => Lang::En,
                _ => continue,
            };
            if q > 0.0 && best.is_none_or(|(bq, _)| q > bq) {
                best = Some((q, lang));
            }
        }
        best.map(|(_, l)| l).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picks_by_quality_and_defaults_to_turkish() {
        assert_eq!(Lang::from_accept_language(None), Lang::Tr);
        assert_eq!(Lang::from_accept_language(Some("en")), Lang::En);
        assert_eq!(Lang::from_accept_language(Some("en-US,en;q=0.9")), Lang::En);
        assert_eq!(
            Lang::from_accept_language(Some("de, en;q=0.5, tr;q=0.8")),
            Lang::Tr
        );
        assert_eq!(Lang::from_accept_language(Some("fr")), Lang::Tr);
        assert_eq!(Lang::from_accept_language(Some("en;q=0")), Lang::Tr);
    }
}
