//! [`LlmNarrator`]: a [`Narrator`] over any OpenAI-compatible chat-completions endpoint
//! (`POST {base_url}/chat/completions`: OpenAI, or a local Ollama / vLLM server), feature `llm`
//! — the one network client in the core.
//!
//! The model is sent only the snapshot's [`Digest`] (aggregates and findings; no names, phones
//! or addresses) and the question. Every call has a deadline; on a timeout, a quota answer
//! (HTTP 429), any other error status, a connection failure or a reply that is not a
//! chat completion, the narration is the [`RuleNarrator`]'s text, prefixed with a note saying
//! so, and [`Narration::fallback`] carries the failure's code.
//!
//! ```no_run
//! use kargojet_core::insights::llm::{LlmConfig, LlmNarrator};
//! # fn demo() -> kargojet_core::Result<()> {
//! // A local Ollama server; for OpenAI: LlmConfig::new("https://api.openai.com/v1", "gpt-4o-mini").with_api_key(key)
//! let narrator = LlmNarrator::new(LlmConfig::new("http://127.0.0.1:11434/v1", "qwen2.5:7b"))?;
//! # let _ = narrator; Ok(()) }
//! ```

use super::digest::Digest;
use super::findings::Finding;
use super::narrator::{Fallback, Language, Narration, NarrationSource, Narrator, RuleNarrator};
use super::snapshot::Snapshot;
use crate::error::{Code, Error, Result, SendState};
use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;
use std::time::Duration;

/// The default deadline of one completion.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// Where and how to reach the model.
#[derive(Clone, PartialEq)]
pub struct LlmConfig {
    /// Base URL of the API, up to and including the version (`https://api.openai.com/v1`,
    /// `http://127.0.0.1:11434/v1`); `/chat/completions` is appended.
    pub base_url: String,
    /// Model name (`gpt-4o-mini`, `llama3.1:8b`, …).
    pub model: String,
    /// Bearer key, if the server needs one (never logged or shown by `Debug`).
    pub api_key: Option<String>,
    /// Deadline of one completion, connection included.
    pub timeout: Duration,
    /// Sampling temperature.
    pub temperature: f32,
    /// Upper bound of the answer's tokens, if any.
    pub max_tokens: Option<u32>,
    /// Use the `HTTP(S)_PROXY` environment variables (off by default).
    pub proxy_from_env: bool,
}

impl std::fmt::Debug for LlmConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LlmConfig")
            .field("base_url", &self.base_url)
            .field("model", &self.model)
            .field("api_key", &self.api_key.as_ref().map(|_| "<redacted>"))
            .field("timeout", &self.timeout)
            .field("temperature", &self.temperature)
            .field("max_tokens", &self.max_tokens)
            .field("proxy_from_env", &self.proxy_from_env)
            .finish()
    }
}

impl LlmConfig {
    /// A configuration for `model` at `base_url`, no key, [`DEFAULT_TIMEOUT`], temperature 0.2.
    pub fn new(base_url: impl Into<String>, model: impl Into<String>) -> LlmConfig {
        LlmConfig {
            base_url: base_url.into(),
            model: model.into(),
            api_key: None,
            timeout: DEFAULT_TIMEOUT,
            temperature: 0.2,
            max_tokens: None,
            proxy_from_env: false,
        }
    }

    /// The same configuration with a bearer key.
    pub fn with_api_key(mut self, key: impl Into<String>) -> LlmConfig {
        self.api_key = Some(key.into());
        self
    }

    /// The same configuration with another deadline.
    pub fn with_timeout(mut self, timeout: Duration) -> LlmConfig {
        self.timeout = timeout;
        self
    }

    fn validate(&self) -> Result<String> {
        let base = self.base_url.trim().trim_end_matches('/');
        if !(base.starts_with("http://") || base.starts_with("https://"))
            || base.len() <= "https://".len()
        {
            return Err(Error::invalid(
                Code::RequestInvalidConfig,
                "llm.base_url",
                format!("'{}' is not an http(s) URL", self.base_url),
            ));
        }
        if self.model.trim().is_empty() {
            return Err(Error::invalid(
                Code::RequestInvalidConfig,
                "llm.model",
                "no model given",
            ));
        }
        if self.timeout.is_zero() {
            return Err(Error::invalid(
                Code::RequestInvalidConfig,
                "llm.timeout",
                "must be positive",
            ));
        }
        if !self.temperature.is_finite() || !(0.0..=2.0).contains(&self.temperature) {
            return Err(Error::invalid(
                Code::RequestInvalidConfig,
                "llm.temperature",
                format!("{} is not within 0–2", self.temperature),
            ));
        }
        Ok(format!("{base}/chat/completions"))
    }
}

/// One chat message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChatMessage {
    /// `system`, `user` or `assistant`.
    pub role: String,
    /// Text.
    pub content: String,
}

#[derive(Debug, Serialize)]
struct ChatRequest<'a> {
    model: &'a str,
    messages: &'a [ChatMessage],
    temperature: f32,
    #[serde(skip_serializing_if = "Option::is_none")]
    max_tokens: Option<u32>,
    stream: bool,
}

#[derive(Debug, Deserialize)]
struct ChatResponse {
    choices: Vec<ChatChoice>,
}

#[derive(Debug, Deserialize)]
struct ChatChoice {
    message: ChatReply,
}

#[derive(Debug, Deserialize)]
struct ChatReply {
    #[serde(default)]
    content: Option<String>,
}

/// Installs the ring rustls provider once per process (reqwest is built without one); a
/// provider installed earlier by the application or another crate is kept.
fn install_crypto_provider() {
    static ONCE: OnceLock<()> = OnceLock::new();
    ONCE.get_or_init(|| {
        if rustls::crypto::CryptoProvider::get_default().is_none() {
            // Err means another thread installed one first: that one is used.
            let _ = rustls::crypto::ring::default_provider().install_default();
        }
    });
}

/// A narrator over an OpenAI-compatible chat-completions endpoint, falling back to
/// [`RuleNarrator`] (see the module docs).
#[derive(Debug, Clone)]
pub struct LlmNarrator {
    config: LlmConfig,
    endpoint: String,
    client: reqwest::Client,
    rules: RuleNarrator,
}

fn system_prompt(language: Language) -> &'static str {
    match language {
        Language::Tr => {
            "Sen bir e-ticaret satıcısının kargo analistisin. Yalnızca verilen JSON'daki KargoJet \
             rakamlarını kullan; rakam uydurma, veride olmayanı 'veride yok' diye belirt. Türkçe \
             yaz: para 1.234,56 TL biçiminde, yüzdeler %18 biçiminde, ondalık ayırıcı virgül. Kısa \
             ve somut ol: hangi taşıyıcı, hangi bölge, hangi risk ve önerilen aksiyon; bulgular \
             risk altındaki tutara göre sıralıdır."
        }
        Language::En => {
            "You are the shipping analyst of an e-commerce seller. Use only the KargoJet figures \
             in the JSON given; never invent numbers, and say 'not in the data' for anything \
             missing. Write in English; amounts are Turkish lira (TRY). Be short and concrete: \
             which carrier, which region, which risk, and the suggested action; findings are \
             ordered by money at stake."
        }
    }
}

impl LlmNarrator {
    /// A narrator for `config`; `request.invalid_config` for a bad URL, model, deadline or
    /// temperature, or when the HTTP client cannot be built.
    pub fn new(config: LlmConfig) -> Result<LlmNarrator> {
        let endpoint = config.validate()?;
        install_crypto_provider();
        let mut builder = reqwest::Client::builder()
            .connect_timeout(config.timeout.min(Duration::from_secs(10)))
            .tcp_nodelay(true);
        if !config.proxy_from_env {
            builder = builder.no_proxy();
        }
        let client = builder.build().map_err(|e| {
            Error::invalid(
                Code::RequestInvalidConfig,
                "llm",
                format!("HTTP client: {e}"),
            )
        })?;
        Ok(LlmNarrator {
            config,
            endpoint,
            client,
            rules: RuleNarrator,
        })
    }

    /// The configuration.
    pub fn config(&self) -> &LlmConfig {
        &self.config
    }

    /// The messages sent for a summary (`question` `None`) or an answer: the system
    /// instructions, then the digest and the task.
    pub fn messages(
        &self,
        snapshot: &Snapshot,
        findings: &[Finding],
        question: Option<&str>,
        language: Language,
    ) -> Result<Vec<ChatMessage>> {
        let digest = Digest::of(snapshot, findings, language).to_json()?;
        let task = match (question, language) {
            (None, Language::Tr) => {
                "Görev: bu dönemin kısa bir özetini yaz; risk altındaki tutarı en yüksek bulgulardan başla.".to_string()
            }
            (None, Language::En) => {
                "Task: write a short summary of this period, starting with the findings with the most money at stake.".to_string()
            }
            (Some(q), Language::Tr) => format!("Soru: {}", q.trim()),
            (Some(q), Language::En) => format!("Question: {}", q.trim()),
        };
        let data = match language {
            Language::Tr => "Veri (JSON)",
            Language::En => "Data (JSON)",
        };
        Ok(vec![
            ChatMessage {
                role: "system".into(),
                content: system_prompt(language).into(),
            },
            ChatMessage {
                role: "user".into(),
                content: format!("{data}:\n{digest}\n\n{task}"),
            },
        ])
    }

    /// Sends one chat completion and returns the reply's text. Errors: `transport.timeout`
    /// (deadline passed), `rate.limited` (429, with `Retry-After` when given), `auth.failed`
    /// (401/403), `transport.http_status` (any other non-2xx), `transport.connection`, and
    /// `protocol.malformed` (not a chat completion, or an empty reply; the raw body is kept).
    pub async fn complete(&self, messages: &[ChatMessage]) -> Result<String> {
        let body = serde_json::to_vec(&ChatRequest {
            model: self.config.model.trim(),
            messages,
            temperature: self.config.temperature,
            max_tokens: self.config.max_tokens,
            stream: false,
        })
        .map_err(|e| Error::internal(format!("chat request JSON: {e}")))?;
        let mut rb = self
            .client
            .post(&self.endpoint)
            .timeout(self.config.timeout)
            .header("content-type", "application/json")
            .header("accept", "application/json")
            .body(body);
        if let Some(key) = self.config.api_key.as_deref().filter(|k| !k.is_empty()) {
            rb = rb.bearer_auth(key);
        }
        let resp = rb.send().await.map_err(|e| self.transport_error(&e))?;
        let status = resp.status().as_u16();
        let retry_after = resp
            .headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok());
        let bytes = resp.bytes().await.map_err(|e| self.transport_error(&e))?;
        let raw = String::from_utf8_lossy(&bytes).into_owned();
        match status {
            200..=299 => {}
            429 => {
                return Err(Error::RateLimited {
                    code: Code::RateLimited,
                    carrier: None,
                    retry_after_ms: retry_after.map(|s| s.saturating_mul(1000)),
                });
            }
            401 | 403 => {
                return Err(Error::Auth {
                    code: Code::AuthFailed,
                    carrier: None,
                    detail: format!("chat completions answered HTTP {status}"),
                });
            }
            _ => {
                return Err(Error::Transport {
                    code: Code::TransportHttpStatus,
                    carrier: None,
                    send_state: SendState::Sent,
                    http_status: Some(status),
                    detail: format!("chat completions answered HTTP {status}"),
                });
            }
        }
        let parsed: ChatResponse = serde_json::from_slice(&bytes).map_err(|e| {
            Error::protocol(None, format!("not a chat completion: {e}"), raw.clone())
        })?;
        parsed
            .choices
            .into_iter()
            .next()
            .and_then(|c| c.message.content)
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty())
            .ok_or_else(|| Error::protocol(None, "the completion has no text", raw))
    }

    fn transport_error(&self, e: &reqwest::Error) -> Error {
        if e.is_timeout() {
            Error::Timeout {
                code: Code::TransportTimeout,
                carrier: None,
                send_state: SendState::MaybeSent,
                detail: format!(
                    "chat completions after {} ms",
                    self.config.timeout.as_millis()
                ),
            }
        } else {
            Error::Transport {
                code: Code::TransportConnection,
                carrier: None,
                send_state: if e.is_connect() {
                    SendState::NotSent
                } else {
                    SendState::MaybeSent
                },
                http_status: None,
                detail: format!("chat completions: {e}"),
            }
        }
    }

    async fn narrate(
        &self,
        snapshot: &Snapshot,
        findings: &[Finding],
        question: Option<&str>,
        language: Language,
    ) -> Narration {
        let reply = match self.messages(snapshot, findings, question, language) {
            Ok(m) => self.complete(&m).await,
            Err(e) => Err(e),
        };
        match reply {
            Ok(text) => Narration {
                text,
                language,
                source: NarrationSource::Model {
                    model: self.config.model.clone(),
                },
                fallback: None,
            },
            Err(e) => {
                let rules = match question {
                    None => self.rules.summary_text(snapshot, findings, language),
                    Some(q) => self.rules.answer_text(snapshot, findings, q, language),
                };
                let note = match language {
                    Language::Tr => format!(
                        "Not: dil modeli yanıt veremedi ({}); aşağıdaki metin kural tabanlı anlatıcıdan.",
                        e.code()
                    ),
                    Language::En => format!(
                        "Note: the language model could not answer ({}); the text below is from the rule-based narrator.",
                        e.code()
                    ),
                };
                tracing::warn!(code = %e.code(), "insights narrator fell back to rules: {e}");
                Narration {
                    text: format!("{note}\n{rules}"),
                    language,
                    source: NarrationSource::RuleBased,
                    fallback: Some(Fallback {
                        code: e.code(),
                        detail: e.message_en(),
                    }),
                }
            }
        }
    }
}

#[async_trait]
impl Narrator for LlmNarrator {
    async fn summary(
        &self,
        snapshot: &Snapshot,
        findings: &[Finding],
        language: Language,
    ) -> Narration {
        self.narrate(snapshot, findings, None, language).await
    }

    async fn answer(
        &self,
        snapshot: &Snapshot,
        findings: &[Finding],
        question: &str,
        language: Language,
    ) -> Narration {
        self.narrate(snapshot, findings, Some(question), language)
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn configs_are_checked_and_keys_never_shown() {
        let ok = LlmConfig::new("http://127.0.0.1:11434/v1/", "llama3.1").with_api_key("sk-secret");
        assert_eq!(
            ok.validate().ok().as_deref(),
            Some("http://127.0.0.1:11434/v1/chat/completions")
        );
        assert!(!format!("{ok:?}").contains("sk-secret"));
        for (bad, field) in [
            (LlmConfig::new("ftp://x", "m"), "llm.base_url"),
            (LlmConfig::new("https://", "m"), "llm.base_url"),
            (LlmConfig::new("http://x/v1", " "), "llm.model"),
            (
                LlmConfig::new("http://x/v1", "m").with_timeout(Duration::ZERO),
                "llm.timeout",
            ),
        ] {
            let e = LlmNarrator::new(bad).err();
            assert_eq!(
                e.as_ref().map(|e| e.code()),
                Some(Code::RequestInvalidConfig)
            );
            assert_eq!(e.as_ref().and_then(|e| e.field()), Some(field));
        }
        let mut hot = LlmConfig::new("http://x/v1", "m");
        hot.temperature = f32::NAN;
        assert!(LlmNarrator::new(hot).is_err());
    }
}
