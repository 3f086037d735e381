// A bulk file through Node: import with an error report, price, buy once (a second upload of
// the same file ships no row twice), one PDF of every label.
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'
import { KargoJet, bulkImport } from 'kargojet'
import { party } from './support/fixtures.mjs'

const file = readFileSync(new URL('./fixtures/orders.csv', import.meta.url))
const options = {
  sender: party('Moda Tekstil Ltd.', '0216 345 67 89', 'İstanbul', 'Kadıköy', 'Caferağa Mah. Moda Cad. No: 12'),
}

test('a bulk file is read, priced and bought once', async () => {
  const imported = bulkImport(file, options)
  assert.equal(imported.format, 'csv')
  assert.equal(imported.totalRows, 3)
  assert.deepEqual(imported.acceptedRows, [2, 3])
  assert.ok(imported.errors.some((e) => e.row === 4 && e.code.startsWith('request.')), JSON.stringify(imported.errors))
  assert.ok(Buffer.isBuffer(imported.errorReportCsv))

  const kj = KargoJet.sandbox()
  const plan = await kj.bulkQuote(file, options)
  assert.equal(plan.rows.length, 2)
  assert.equal(plan.imported.fileHash, imported.fileHash)
  assert.equal(plan.illustrative, true)

  const bought = await kj.bulkShip(new Uint8Array(file), options)
  assert.equal(bought.shipped.length, 2)
  assert.equal(bought.labels.bytes.subarray(0, 4).toString('latin1'), '%PDF')
  const again = kj.bulkShipSync(file, options)
  assert.deepEqual(
    again.shipped.map((s) => s.shipmentId),
    bought.shipped.map((s) => s.shipmentId),
    'the same file ships no row twice',
  )
  assert.equal(kj.shipmentsSync().length, 2)

  assert.throws(() => bulkImport(Buffer.alloc(0), options), { kind: 'invalid_request' })
})
