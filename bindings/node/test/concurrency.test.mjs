// 1,000 concurrent async quotes on one instance complete, all equal, without deadlock and
// without blocking the event loop; a batch quote gives one outcome per shipment in order.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { KargoJet, errorFromInfo } from 'kargojet'
import { codToVan, shipRequest } from './support/fixtures.mjs'

test('a thousand concurrent async quotes', { timeout: 120_000 }, async () => {
  const kj = KargoJet.sandbox()
  const request = { shipment: codToVan('SIP-A') }
  let ticks = 0
  const ticker = setInterval(() => ticks++, 1)
  const started = performance.now()
  const quotes = await Promise.all(Array.from({ length: 1000 }, () => kj.quote(request)))
  const elapsed = performance.now() - started
  clearInterval(ticker)
  assert.equal(quotes.length, 1000)
  for (const q of quotes) assert.deepEqual(q, quotes[0])
  assert.deepEqual(quotes[0], kj.quoteSync(request), 'async and sync give the same quote')
  if (elapsed > 50) assert.ok(ticks > 0, 'the event loop kept running while the quotes were pending')
  // Async ship and track from the same instance meanwhile.
  const [s, more] = await Promise.all([
    kj.ship(shipRequest('SIP-A', 'order-SIP-A')),
    Promise.all(Array.from({ length: 100 }, () => kj.quote(request))),
  ])
  assert.equal(more.length, 100)
  assert.equal((await kj.track(s.id)).id, s.id)
})

test('a batch quote gives one outcome per shipment in order', async () => {
  const kj = KargoJet.sandbox()
  const requests = Array.from({ length: 300 }, (_, i) => {
    const shipment = codToVan(`B-${i}`)
    shipment.parcels[0].weightKg = `${1 + (i % 30)}.5`
    return { shipment }
  })
  requests[7].shipment.recipient.address.district = 'Yok Böyle İlçe'
  const outcomes = await kj.quoteBatch(requests)
  assert.equal(outcomes.length, 300)
  assert.equal(outcomes[7].quote, undefined)
  assert.equal(outcomes[7].error.code, 'request.unknown_district')
  assert.throws(() => {
    throw errorFromInfo(outcomes[7].error)
  }, { code: 'request.unknown_district', name: 'InvalidRequestError' })
  for (const i of [0, 150, 299]) {
    const single = kj.quoteSync(requests[i])
    const batch = outcomes[i].quote
    // The same offers in the same order as a single quote, the best one in full.
    assert.deepEqual(
      batch.offers.map((o) => [o.carrier, o.agreementId, o.total]),
      single.offers.map((o) => [o.carrier, o.agreementId, o.breakdown.total]),
      `shipment ${i}`,
    )
    assert.deepEqual(batch.best, single.offers[0], `shipment ${i}`)
    assert.deepEqual(batch.excluded, single.excluded, `shipment ${i}`)
    for (const o of batch.offers) assert.equal(o.total.currency, 'TRY')
  }
  assert.deepEqual(kj.quoteBatchSync(requests.slice(0, 10)), outcomes.slice(0, 10))
})

test('a pending Promise settles even when its KargoJet object is collected', async (t) => {
  if (typeof globalThis.gc !== 'function') return t.skip('needs node --expose-gc')
  let pending
  ;(() => {
    const kj = KargoJet.sandbox()
    const s = kj.shipSync(shipRequest('GC-1', 'order-GC-1', { carrier: 'aras' }))
    kj.sandboxInjectFault('aras', 'track', { kind: 'delay', millis: 500 })
    pending = kj.track(s.id).then((tracked) => [s.id, tracked])
  })()
  for (let i = 0; i < 5; i++) {
    globalThis.gc()
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  const [id, tracked] = await pending
  assert.equal(tracked.id, id)
})
