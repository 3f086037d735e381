// Hand-written helpers beside the uniffi-generated Kotlin (same package): the details of any
// KargoJetException as one record, its kind, the exception class of every kind, and the
// exception for an ErrorInfo (a batch outcome's or a bulk row's error) — the same class the
// calls throw for that code.
package dev.kargojet

import kotlin.reflect.KClass

/** Everything this exception says, as the record batch outcomes carry. */
fun KargoJetException.info(): ErrorInfo = when (this) {
    is KargoJetException.InvalidRequest -> ErrorInfo(ErrorKind.INVALID_REQUEST, code, messageTr, messageEn, field, carrier, carrierCode, retryable, maybeSent)
    is KargoJetException.Unsupported -> ErrorInfo(ErrorKind.UNSUPPORTED, code, messageTr, messageEn, field, carrier, carrierCode, retryable, maybeSent)
    is KargoJetException.Auth -> ErrorInfo(ErrorKind.AUTH, code, messageTr, messageEn, field, carrier, carrierCode, retryable, maybeSent)
    is KargoJetException.RateLimited -> ErrorInfo(ErrorKind.RATE_LIMITED, code, messageTr, messageEn, field, carrier, carrierCode, retryable, maybeSent)
    is KargoJetException.CarrierRejected -> ErrorInfo(ErrorKind.CARRIER_REJECTED, code, messageTr, messageEn, field, carrier, carrierCode, retryable, maybeSent)
    is KargoJetException.Timeout -> ErrorInfo(ErrorKind.TIMEOUT, code, messageTr, messageEn, field, carrier, carrierCode, retryable, maybeSent)
    is KargoJetException.Transport -> ErrorInfo(ErrorKind.TRANSPORT, code, messageTr, messageEn, field, carrier, carrierCode, retryable, maybeSent)
    is KargoJetException.Protocol -> ErrorInfo(ErrorKind.PROTOCOL, code, messageTr, messageEn, field, carrier, carrierCode, retryable, maybeSent)
    is KargoJetException.NotFound -> ErrorInfo(ErrorKind.NOT_FOUND, code, messageTr, messageEn, field, carrier, carrierCode, retryable, maybeSent)
    is KargoJetException.Conflict -> ErrorInfo(ErrorKind.CONFLICT, code, messageTr, messageEn, field, carrier, carrierCode, retryable, maybeSent)
    is KargoJetException.InsufficientFunds -> ErrorInfo(ErrorKind.INSUFFICIENT_FUNDS, code, messageTr, messageEn, field, carrier, carrierCode, retryable, maybeSent)
    is KargoJetException.Internal -> ErrorInfo(ErrorKind.INTERNAL, code, messageTr, messageEn, field, carrier, carrierCode, retryable, maybeSent)
}

/** The stable dotted code (`request.invalid_address`). */
val KargoJetException.errorCode: String get() = info().code

/** What the caller can do about it. */
val KargoJetException.kind: ErrorKind get() = info().kind

/** The exception class KargoJet throws for errors of this kind. */
fun ErrorKind.exceptionClass(): KClass<out KargoJetException> = when (this) {
    ErrorKind.INVALID_REQUEST -> KargoJetException.InvalidRequest::class
    ErrorKind.UNSUPPORTED -> KargoJetException.Unsupported::class
    ErrorKind.AUTH -> KargoJetException.Auth::class
    ErrorKind.RATE_LIMITED -> KargoJetException.RateLimited::class
    ErrorKind.CARRIER_REJECTED -> KargoJetException.CarrierRejected::class
    ErrorKind.TIMEOUT -> KargoJetException.Timeout::class
    ErrorKind.TRANSPORT -> KargoJetException.Transport::class
    ErrorKind.PROTOCOL -> KargoJetException.Protocol::class
    ErrorKind.NOT_FOUND -> KargoJetException.NotFound::class
    ErrorKind.CONFLICT -> KargoJetException.Conflict::class
    ErrorKind.INSUFFICIENT_FUNDS -> KargoJetException.InsufficientFunds::class
    ErrorKind.INTERNAL -> KargoJetException.Internal::class
}

/**
 * The exception the calls throw for an error with these details (e.g. `throw outcome.error!!.toException()`
 * for a failed shipment of a batch). The kind is recomputed from the code, as the calls do.
 */
fun ErrorInfo.toException(): KargoJetException {
    val i = this
    return when (errorKindOf(code)) {
        ErrorKind.INVALID_REQUEST -> KargoJetException.InvalidRequest(i.code, i.messageTr, i.messageEn, i.field, i.carrier, i.carrierCode, i.retryable, i.maybeSent)
        ErrorKind.UNSUPPORTED -> KargoJetException.Unsupported(i.code, i.messageTr, i.messageEn, i.field, i.carrier, i.carrierCode, i.retryable, i.maybeSent)
        ErrorKind.AUTH -> KargoJetException.Auth(i.code, i.messageTr, i.messageEn, i.field, i.carrier, i.carrierCode, i.retryable, i.maybeSent)
        ErrorKind.RATE_LIMITED -> KargoJetException.RateLimited(i.code, i.messageTr, i.messageEn, i.field, i.carrier, i.carrierCode, i.retryable, i.maybeSent)
        ErrorKind.CARRIER_REJECTED -> KargoJetException.CarrierRejected(i.code, i.messageTr, i.messageEn, i.field, i.carrier, i.carrierCode, i.retryable, i.maybeSent)
        ErrorKind.TIMEOUT -> KargoJetException.Timeout(i.code, i.messageTr, i.messageEn, i.field, i.carrier, i.carrierCode, i.retryable, i.maybeSent)
        ErrorKind.TRANSPORT -> KargoJetException.Transport(i.code, i.messageTr, i.messageEn, i.field, i.carrier, i.carrierCode, i.retryable, i.maybeSent)
        ErrorKind.PROTOCOL -> KargoJetException.Protocol(i.code, i.messageTr, i.messageEn, i.field, i.carrier, i.carrierCode, i.retryable, i.maybeSent)
        ErrorKind.NOT_FOUND -> KargoJetException.NotFound(i.code, i.messageTr, i.messageEn, i.field, i.carrier, i.carrierCode, i.retryable, i.maybeSent)
        ErrorKind.CONFLICT -> KargoJetException.Conflict(i.code, i.messageTr, i.messageEn, i.field, i.carrier, i.carrierCode, i.retryable, i.maybeSent)
        ErrorKind.INSUFFICIENT_FUNDS -> KargoJetException.InsufficientFunds(i.code, i.messageTr, i.messageEn, i.field, i.carrier, i.carrierCode, i.retryable, i.maybeSent)
        ErrorKind.INTERNAL -> KargoJetException.Internal(i.code, i.messageTr, i.messageEn, i.field, i.carrier, i.carrierCode, i.retryable, i.maybeSent)
    }
}
