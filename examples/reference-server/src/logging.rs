//! Structured logs: one JSON object per line (or text) on stderr, with the request id, route
//! template, status and actor of every request. Personal data is never written: routes log
//! templates, not paths or query strings; errors log codes and field paths, not details (which
//! may quote a name or phone); and [`mask`] is what any code that must mention a person uses.

use crate::config::{Config, LogFormat};
use tracing_subscriber::EnvFilter;

/// Installs the global subscriber (a second call does nothing).
pub fn init(config: &Config) {
    let filter = EnvFilter::try_new(&config.log_filter).unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_target(true);
    let _ = match config.log_format {
        LogFormat::Json => builder
            .json()
            .flatten_event(true)
            .with_current_span(false)
            .try_init(),
        LogFormat::Text => builder.try_init(),
    };
}

/// Masks a name, address or phone for a log line (`Ayşe Yılmaz` → `A*** Y*****`,
/// `05321234567` → `0532*****67`).
pub fn mask(s: &str) -> String {
    if s.chars().filter(char::is_ascii_digit).count() >= 7 {
        kargojet::address::mask_phone(s)
    } else {
        kargojet::address::mask_text(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_hide_the_person() {
        let m = mask("Ayşe Yılmaz");
        assert!(m.starts_with('A') && !m.contains("yşe"));
        let p = mask("05321234567");
        assert!(!p.contains("1234"), "{p}");
    }
}
