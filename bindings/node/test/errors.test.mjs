// Every code of errorCodes() maps to a KargoJet error type in JavaScript: an `Error` whose
// `.name` is its kind's error name, whose `.code` is the code and whose `.kind` is the code's
// kind — the same object the calls throw.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { errorCatalog, errorCodes, errorFromInfo, errorKindOf, isKargoJetError } from 'kargojet'

const NAMES = {
  invalid_request: 'InvalidRequestError',
  unsupported: 'UnsupportedError',
  auth: 'AuthError',
  rate_limited: 'RateLimitedError',
  carrier_rejected: 'CarrierRejectedError',
  timeout: 'TimeoutError',
  transport: 'TransportError',
  protocol: 'ProtocolError',
  not_found: 'NotFoundError',
  conflict: 'ConflictError',
  insufficient_funds: 'InsufficientFundsError',
  internal: 'InternalError',
}

test('every code maps to an error type', () => {
  const codes = errorCodes()
  const catalog = errorCatalog()
  assert.ok(codes.length >= 40, `${codes.length} codes`)
  assert.deepEqual(catalog.map((c) => c.code), codes)
  assert.equal(new Set(codes).size, codes.length, 'codes are unique')
  const kindsSeen = new Set()
  for (const c of catalog) {
    assert.equal(errorKindOf(c.code), c.kind, c.code)
    assert.equal(c.errorName, NAMES[c.kind], c.code)
    const e = errorFromInfo({
      kind: 'internal', // recomputed from the code, as the calls do
      code: c.code,
      messageTr: c.messageTr,
      messageEn: c.messageEn,
      retryable: false,
      maybeSent: false,
    })
    assert.ok(e instanceof Error, c.code)
    assert.ok(isKargoJetError(e), c.code)
    assert.equal(e.code, c.code)
    assert.equal(e.kind, c.kind)
    assert.equal(e.name, NAMES[c.kind])
    assert.equal(e.message, `${c.code}: ${c.messageEn}`)
    assert.equal(e.field, null)
    assert.match(e.stack, new RegExp(c.code.replace('.', '\\.')))
    kindsSeen.add(c.kind)
  }
  for (const kind of ['invalid_request', 'carrier_rejected', 'timeout', 'not_found', 'internal']) {
    assert.ok(kindsSeen.has(kind), `some code is ${kind}`)
  }
})

test('families decide the kind, and the details survive', () => {
  assert.equal(errorKindOf('transport.timeout'), 'timeout')
  assert.equal(errorKindOf('transport.connection'), 'transport')
  assert.equal(errorKindOf('wallet.insufficient_funds'), 'insufficient_funds')
  assert.equal(errorKindOf('quote.no_offer'), 'not_found')
  assert.equal(errorKindOf('something.new'), 'internal')
  const e = errorFromInfo({
    kind: 'timeout',
    code: 'transport.timeout',
    messageTr: 'Taşıyıcı zamanında yanıt vermedi',
    messageEn: 'The carrier did not answer in time',
    carrier: 'yurtici',
    retryable: true,
    maybeSent: true,
  })
  assert.equal(e.name, 'TimeoutError')
  assert.equal(e.carrier, 'yurtici')
  assert.equal(e.carrierCode, null)
  assert.equal(e.retryable, true)
  assert.equal(e.maybeSent, true)
})

test('isKargoJetError tells KargoJet errors from others', () => {
  assert.equal(isKargoJetError(new Error('x')), false)
  assert.equal(isKargoJetError(Object.assign(new Error('x'), { name: 'TimeoutError', code: 'a', kind: 'nope' })), false)
  assert.equal(isKargoJetError({ name: 'TimeoutError', code: 'transport.timeout', kind: 'timeout' }), false)
  for (const v of [null, undefined, 'transport.timeout', 42]) assert.equal(isKargoJetError(v), false)
})
