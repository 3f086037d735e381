//! Progress reports: rows done out of the total, per stage, for a progress bar.

use serde::{Deserialize, Serialize};

/// The stage a bulk operation is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// Rows being validated ([`super::import`]).
    Validating,
    /// Accepted rows being quoted ([`super::plan`]).
    Quoting,
    /// Planned rows being shipped ([`super::buy`]).
    Buying,
    /// Labels of shipped rows being collected into one PDF ([`super::buy`]).
    Labels,
}

impl Stage {
    /// A short Turkish name (`Doğrulanıyor`).
    pub fn name_tr(self) -> &'static str {
        match self {
            Stage::Validating => "Doğrulanıyor",
            Stage::Quoting => "Fiyatlanıyor",
            Stage::Buying => "Gönderiler oluşturuluyor",
            Stage::Labels => "Etiketler hazırlanıyor",
        }
    }

    /// A short English name (`Validating`).
    pub fn name_en(self) -> &'static str {
        match self {
            Stage::Validating => "Validating",
            Stage::Quoting => "Quoting",
            Stage::Buying => "Shipping",
            Stage::Labels => "Labels",
        }
    }
}

/// `done` of `total` rows of a stage are finished. Reported once with `done == 0` when a stage
/// starts and once per row after that.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Progress {
    /// The stage.
    pub stage: Stage,
    /// Rows finished.
    pub done: usize,
    /// Rows in the stage.
    pub total: usize,
}

/// A progress callback. It is called on the task doing the work, so it should be quick (a
/// progress bar's `set_position`, an atomic store).
pub type ProgressFn<'a> = &'a (dyn Fn(Progress) + Send + Sync);

/// A callback that ignores progress.
pub fn no_progress(_: Progress) {}

/// Reports the start of a stage and then each row, through one callback.
pub(crate) struct Reporter<'a> {
    callback: ProgressFn<'a>,
    stage: Stage,
    total: usize,
    done: usize,
}

impl<'a> Reporter<'a> {
    pub(crate) fn start(callback: ProgressFn<'a>, stage: Stage, total: usize) -> Reporter<'a> {
        callback(Progress {
            stage,
            done: 0,
            total,
        });
        Reporter {
            callback,
            stage,
            total,
            done: 0,
        }
    }

    pub(crate) fn step(&mut self) {
        self.done = (self.done + 1).min(self.total);
        (self.callback)(Progress {
            stage: self.stage,
            done: self.done,
            total: self.total,
        });
    }
}
