// The bindings' scenario through Node, on the sandbox (every carrier simulator in-process):
// quote a COD shipment İstanbul → Van, ship it twice under one idempotency key, the label as
// PDF, track until delivered on the simulated clock, cancel a second shipment, and an invalid
// address and a carrier rejection with their codes — with the sync twins and with Promises.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { KargoJet, isKargoJetError } from 'kargojet'
import { codToVan, party, scaled, shipRequest } from './support/fixtures.mjs'

const LINES = ['cost', 'commission', 'codFee', 'smsFee', 'insuranceFee', 'discount', 'kdv']

function assertRankedWithExactBreakdowns(quote) {
  assert.ok(quote.offers.length >= 5, `offers: ${quote.offers.length}`)
  const totals = quote.offers.map((o) => scaled(o.breakdown.total.amount))
  for (let i = 1; i < totals.length; i++) assert.ok(totals[i - 1] <= totals[i], 'cheapest first')
  for (const o of quote.offers) {
    const b = o.breakdown
    const sum = LINES.reduce((s, line) => s + scaled(b[line].amount), 0n)
    assert.equal(sum, scaled(b.total.amount), `${o.carrier}: the lines add up to the total`)
    for (const line of [...LINES, 'total']) {
      assert.equal(b[line].currency, 'TRY')
      assert.equal(typeof b[line].amount, 'string', 'money is a decimal string, never a float')
    }
    assert.ok(scaled(b.codFee.amount) > 0n, `${o.carrier}: the COD fee is charged`)
    assert.equal(b.rounding, 'kurus_half_up')
    assert.ok(['uzun', 'sehir_disi', 'all'].includes(o.zone), o.zone)
  }
}

test('the whole scenario with the sync twins', () => {
  const kj = KargoJet.sandbox()
  assert.equal(kj.isSandbox(), true)
  assert.ok(kj.carriers().length >= 6, kj.carriers().join())

  const quote = kj.quoteSync({ shipment: codToVan('SIP-1') })
  assertRankedWithExactBreakdowns(quote)

  // The same key gives the same shipment, paid once from the wallet.
  const before = kj.walletBalancesSync()
  const shipped = kj.shipSync(shipRequest('SIP-1', 'order-SIP-1'))
  const paid = kj.walletBalancesSync()
  const again = kj.shipSync(shipRequest('SIP-1', 'order-SIP-1'))
  assert.equal(again.id, shipped.id)
  assert.equal(again.merchantKey, shipped.merchantKey)
  assert.equal(shipped.status, 'created')
  assert.equal(shipped.offer.carrier, quote.offers[0].carrier)
  assert.equal(shipped.codAmount.amount, '1250.00')
  assert.ok(
    scaled(before.available.amount) - scaled(paid.available.amount) >= scaled(shipped.offer.breakdown.total.amount),
    'the wallet paid the offer (and may hold a desi reserve)',
  )
  assert.deepEqual(kj.walletBalancesSync(), paid, 'the second ship with the same key paid nothing')

  // The label as PDF, whatever the carrier's own format; ZPL from KargoJet's renderer.
  const label = kj.labelSync(shipped.id, 'pdf')
  assert.ok(Buffer.isBuffer(label.bytes))
  assert.equal(label.bytes.subarray(0, 4).toString('latin1'), '%PDF')
  assert.equal(label.mime, 'application/pdf')
  assert.equal(label.format, 'pdf')
  const zpl = kj.labelSync(shipped.id, 'zpl', 'kargojet')
  assert.ok(zpl.bytes.toString('latin1').startsWith('^XA'))

  // Track until delivered on the simulated clock.
  let tracked = kj.trackSync(shipped.id)
  for (let i = 0; i < 40 && tracked.status !== 'delivered'; i++) {
    kj.advanceSandboxClock(6 * 3600)
    tracked = kj.trackSync(shipped.id)
  }
  assert.equal(tracked.status, 'delivered')
  assert.ok(tracked.events.length >= 2)
  for (const e of tracked.events) assert.ok(!Number.isNaN(Date.parse(e.time)), e.time)
  assert.equal(tracked.events.at(-1).status, 'delivered')

  // Cancel a second shipment.
  const second = kj.shipSync(shipRequest('SIP-2', 'order-SIP-2'))
  assert.notEqual(second.id, shipped.id)
  assert.equal(kj.cancelSync(second.id).status, 'cancelled')
  assert.equal(kj.shipmentSync(second.id).status, 'cancelled')
  assert.ok(kj.shipmentsSync().length >= 2)

  // An invalid address: a real Error with the KargoJet code and the field.
  const bad = codToVan('SIP-3')
  bad.recipient.address.line = 'x'
  assert.throws(
    () => kj.quoteSync({ shipment: bad }),
    (e) => {
      assert.ok(e instanceof Error)
      assert.ok(isKargoJetError(e))
      assert.equal(e.code, 'request.invalid_address')
      assert.equal(e.name, 'InvalidRequestError')
      assert.equal(e.kind, 'invalid_request')
      assert.equal(e.field, 'recipient.address.line')
      assert.match(e.messageTr, /Adres/)
      assert.match(e.messageEn, /address/i)
      assert.equal(e.message, `request.invalid_address: ${e.messageEn}`)
      assert.equal(e.retryable, false)
      assert.equal(e.maybeSent, false)
      assert.ok(Object.keys(e).includes('code'), 'code is an own, enumerable property')
      return true
    },
  )

  // A carrier rejection with the carrier's own code.
  kj.sandboxInjectFault('aras', 'create', { kind: 'reject' }, 1)
  assert.throws(
    () => kj.shipSync(shipRequest('SIP-4', 'order-SIP-4', { carrier: 'aras' })),
    (e) => {
      assert.equal(e.code, 'carrier.rejected')
      assert.equal(e.name, 'CarrierRejectedError')
      assert.equal(e.carrier, 'aras')
      assert.equal(e.carrierCode, '1002')
      assert.match(e.messageTr, /^Taşıyıcı isteği reddetti/)
      return true
    },
  )
  // The fault fired once: the next shipment with the carrier goes through.
  assert.equal(kj.shipSync(shipRequest('SIP-4', 'order-SIP-4b', { carrier: 'aras' })).carrier, 'aras')

  // A return of the delivered shipment, idempotent by its key (where the carrier offers one).
  try {
    const r = kj.createReturnSync(shipped.id, 'return-SIP-1')
    assert.equal(r.returnOf, shipped.id)
    assert.equal(kj.createReturnSync(shipped.id, 'return-SIP-1').id, r.id)
  } catch (e) {
    assert.equal(e.code, 'unsupported.operation', e.message)
  }
})

test('the same scenario with Promises', async () => {
  const kj = KargoJet.sandbox()
  const pending = kj.quote({ shipment: codToVan('P-1') })
  assert.ok(pending instanceof Promise)
  assertRankedWithExactBreakdowns(await pending)

  const shipped = await kj.ship(shipRequest('P-1', 'order-P-1'))
  assert.equal((await kj.ship(shipRequest('P-1', 'order-P-1'))).id, shipped.id)
  const label = await kj.label(shipped.id, 'pdf')
  assert.equal(label.bytes.subarray(0, 4).toString('latin1'), '%PDF')

  let tracked = await kj.track(shipped.id)
  for (let i = 0; i < 40 && tracked.status !== 'delivered'; i++) {
    kj.advanceSandboxClock(6 * 3600)
    tracked = await kj.track(shipped.id)
  }
  assert.equal(tracked.status, 'delivered')

  const second = await kj.ship(shipRequest('P-2', 'order-P-2'))
  assert.equal((await kj.cancel(second.id)).status, 'cancelled')
  assert.ok((await kj.shipments()).some((s) => s.id === second.id))

  const bad = codToVan('P-3')
  bad.recipient.address.line = 'x'
  await assert.rejects(kj.quote({ shipment: bad }), (e) => {
    assert.ok(e instanceof Error && isKargoJetError(e))
    assert.equal(e.code, 'request.invalid_address')
    assert.equal(e.field, 'recipient.address.line')
    return true
  })

  kj.sandboxInjectFault('aras', 'create', { kind: 'reject', carrierCode: '1002' })
  await assert.rejects(kj.ship(shipRequest('P-4', 'order-P-4', { carrier: 'aras' })), (e) => {
    assert.equal(e.code, 'carrier.rejected')
    assert.equal(e.name, 'CarrierRejectedError')
    assert.equal(e.carrierCode, '1002')
    return true
  })
  await assert.rejects(kj.shipment('shp_unknown'), (e) => e.kind === 'not_found' && e.name === 'NotFoundError')
})

test('arguments the facade cannot take are KargoJet errors too', () => {
  const kj = KargoJet.sandbox()
  for (const seconds of [-1, 1.5, Number.NaN]) {
    assert.throws(() => kj.advanceSandboxClock(seconds), { code: 'request.invalid', field: 'seconds' })
  }
  assert.throws(() => kj.sandboxInjectFault('aras', 'create', { kind: 'reject' }, -2), {
    code: 'request.invalid',
    field: 'times',
  })
  assert.throws(() => kj.quoteSync({ shipment: { ...codToVan('X'), parcels: [] } }), { name: 'InvalidRequestError' })
  assert.throws(() => KargoJet.fromJson('{ not json'), { code: 'request.invalid_config' })
  const quoteOnly = new KargoJet({ company: 'acme', illustrativeAgreements: true })
  assert.equal(quoteOnly.isSandbox(), false)
  assert.throws(() => quoteOnly.advanceSandboxClock(60), { code: 'unsupported.operation', name: 'UnsupportedError' })
  assert.ok(quoteOnly.quoteSync({ shipment: codToVan('Q-1') }).offers.length > 0)
  const recipient = party('Ayşe Yılmaz', '+90 532 123 45 67', 'Van', 'Yok Böyle İlçe', 'Cumhuriyet Cad. No: 5')
  assert.throws(() => quoteOnly.quoteSync({ shipment: { ...codToVan('Q-2'), recipient } }), {
    code: 'request.unknown_district',
  })
})
