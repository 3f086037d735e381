//! Async methods as Promises, on the facade's own tokio runtime (the add-on starts no runtime of
//! its own): the engine's future is spawned there and settles a napi deferred, which resolves
//! or rejects the Promise on the JavaScript thread.
//!
//! Every Promise settles: the task keeps the facade (and so its runtime) alive until it is done,
//! even if the JavaScript `KargoJet` object is collected meanwhile; a panicking operation
//! rejects with `internal.error`, and so does a task dropped unfinished.

use crate::error::to_napi;
use futures::FutureExt;
use kargojet_ffi::{KargoJet, KargoJetError};
use napi::bindgen_prelude::{Object, ToNapiValue};
use napi::{Env, JsDeferred};
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;

/// How a deferred is settled on the JavaScript thread.
type Settle<J> = Box<dyn FnOnce(Env) -> napi::Result<J> + Send>;

/// A deferred that is settled exactly once: with the result, or on drop with an internal error.
struct Pending<J: ToNapiValue + Send + 'static>(Option<JsDeferred<J, Settle<J>>>);

impl<J: ToNapiValue + Send + 'static> Pending<J> {
    fn settle(mut self, result: Result<J, KargoJetError>) {
        if let Some(deferred) = self.0.take() {
            deferred.resolve(Box::new(move |env: Env| {
                result.map_err(|e| to_napi(&env, &e))
            }));
        }
    }
}

impl<J: ToNapiValue + Send + 'static> Drop for Pending<J> {
    fn drop(&mut self) {
        if let Some(deferred) = self.0.take() {
            deferred.resolve(Box::new(|env: Env| {
                let e = KargoJetError::internal("the operation was stopped before it finished");
                Err(to_napi(&env, &e))
            }));
        }
    }
}

/// A Promise of `future`'s value converted by `convert` (off the JavaScript thread), or of its
/// error as a KargoJet `Error`.
pub fn spawn<'env, T, J, F>(
    env: &'env Env,
    facade: &Arc<KargoJet>,
    future: F,
    convert: fn(T) -> J,
) -> napi::Result<Object<'env>>
where
    F: Future<Output = Result<T, KargoJetError>> + Send + 'static,
    T: Send + 'static,
    J: ToNapiValue + Send + 'static,
{
    let (deferred, promise) = env.create_deferred::<J, Settle<J>>()?;
    let pending = Pending(Some(deferred));
    let keep_alive = facade.clone();
    facade.handle().spawn(async move {
        let result = AssertUnwindSafe(future)
            .catch_unwind()
            .await
            .unwrap_or_else(|_| Err(KargoJetError::internal("the operation panicked")))
            .map(convert);
        pending.settle(result);
        drop(keep_alive);
    });
    Ok(promise)
}
