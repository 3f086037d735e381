//! Test knobs of a sandbox instance: fault injection on a carrier simulator's operation (a
//! rejection with the carrier's own error code, an HTTP 500, a timeout, …). Moving the
//! simulated clock is [`crate::KargoJet::advance_sandbox_clock`].

use crate::error::KargoJetError;
use kargojet::carrier::CarrierId;
use kargojet::error::Code;
use kargojet::sandbox::Sandbox;
use kargojet_carrier_common::sim::FaultBuilder;
use std::time::Duration;

/// A simulator operation faults can be injected into.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, uniffi::Enum)]
pub enum SandboxOperation {
    /// Creating a shipment.
    Create,
    /// Tracking a shipment.
    Track,
    /// Cancelling a shipment.
    Cancel,
}

/// What the simulator does to the next matching requests.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum SandboxFault {
    /// Answer with the carrier's business error `carrier_code`, rendered as that carrier does
    /// (default: a code the carrier documents as a plain rejection).
    Reject {
        /// The carrier's own error code.
        carrier_code: Option<String>,
    },
    /// HTTP 500.
    Error500,
    /// Read the request and never answer.
    Timeout,
    /// Close the connection without answering.
    DropConnection,
    /// HTTP 200 with a garbled body.
    Malformed,
    /// Answer normally after a delay.
    Delay {
        /// Milliseconds.
        millis: u64,
    },
}

/// A carrier business error the simulator of `carrier` renders and its connector maps to
/// `carrier.rejected` (each taken from the carrier's documented error list).
pub fn default_reject_code(carrier: &CarrierId) -> &'static str {
    match carrier {
        CarrierId::Yurtici => "82516",
        CarrierId::Aras => "1002",
        CarrierId::Ptt => "3",
        CarrierId::Surat => "006",
        CarrierId::Hepsijet => "ADDRESS_NOT_MATCHED",
        CarrierId::Sendeo => "205",
        CarrierId::Mng => "1001",
        CarrierId::KolayGelsin => "404.1",
        CarrierId::Custom(_) => "REJECTED",
    }
}

fn unsupported(carrier: &CarrierId, op: SandboxOperation) -> KargoJetError {
    KargoJetError::invalid(
        Code::RequestInvalid,
        "operation",
        format!("the {carrier} simulator has no {op:?} fault point"),
    )
}

/// The fault builder of `carrier`'s simulator for `op`.
fn builder(
    sandbox: &Sandbox,
    carrier: &CarrierId,
    op: SandboxOperation,
) -> Result<FaultBuilder, KargoJetError> {
    use SandboxOperation::*;
    Ok(match (carrier, op) {
        (CarrierId::Yurtici, Create) => sandbox.yurtici.create_shipment(),
        (CarrierId::Yurtici, Track) => sandbox.yurtici.query_shipment(),
        (CarrierId::Yurtici, Cancel) => sandbox.yurtici.cancel_shipment(),
        (CarrierId::Aras, Create) => sandbox.aras.create_shipment(),
        (CarrierId::Aras, Track) => sandbox.aras.track(),
        (CarrierId::Aras, Cancel) => sandbox.aras.cancel(),
        (CarrierId::Ptt, Create) => sandbox.ptt.create_shipment(),
        (CarrierId::Ptt, Track) => sandbox.ptt.track(),
        (CarrierId::Ptt, Cancel) => sandbox.ptt.cancel(),
        (CarrierId::Surat, Create) => sandbox.surat.create_shipment(),
        (CarrierId::Surat, Track) => sandbox.surat.track(),
        (CarrierId::Surat, Cancel) => sandbox.surat.cancel(),
        (CarrierId::Hepsijet, Create) => sandbox.hepsijet.create_shipment(),
        (CarrierId::Hepsijet, Track) => sandbox.hepsijet.track(),
        (CarrierId::Hepsijet, Cancel) => sandbox.hepsijet.cancel(),
        (CarrierId::Sendeo, Create) => sandbox.sendeo.create_shipment(),
        (CarrierId::Sendeo, Track) => sandbox.sendeo.track(),
        (CarrierId::Sendeo, Cancel) => sandbox.sendeo.cancel(),
        (CarrierId::Mng, Create) => sandbox.mng.create_shipment(),
        (CarrierId::Mng, Track) => sandbox.mng.track(),
        (CarrierId::Mng, Cancel) => sandbox.mng.cancel(),
        (CarrierId::KolayGelsin, Create) => sandbox.kolaygelsin.create_shipment(),
        (CarrierId::KolayGelsin, Track) => sandbox.kolaygelsin.track(),
        (CarrierId::KolayGelsin, Cancel) => sandbox.kolaygelsin.cancel(),
        (other, op) => return Err(unsupported(other, op)),
    })
}

/// Injects `fault` into the next `times` requests (at least one) of `op` at `carrier`'s
/// simulator.
pub fn inject(
    sandbox: &Sandbox,
    carrier: &str,
    op: SandboxOperation,
    fault: &SandboxFault,
    times: u32,
) -> Result<(), KargoJetError> {
    let id = CarrierId::parse(carrier);
    let b = builder(sandbox, &id, op)?;
    let b = match fault {
        SandboxFault::Reject { carrier_code } => b.reject(
            carrier_code
                .clone()
                .filter(|c| !c.trim().is_empty())
                .unwrap_or_else(|| default_reject_code(&id).to_string()),
        ),
        SandboxFault::Error500 => b.error500(),
        SandboxFault::Timeout => b.timeout(),
        SandboxFault::DropConnection => b.drop_connection(),
        SandboxFault::Malformed => b.malformed(),
        SandboxFault::Delay { millis } => b.delay(Duration::from_millis(*millis)),
    };
    b.times(times.max(1));
    Ok(())
}
