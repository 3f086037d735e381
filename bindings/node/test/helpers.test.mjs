// The stateless helpers: desi, addresses and phones, geography, webhook signatures.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import {
  billableDesi,
  distanceZone,
  districts,
  normalizeAddress,
  normalizePhone,
  parcelDesi,
  provinces,
  signWebhook,
  verifyWebhook,
} from 'kargojet'

const parcel = (lengthCm, widthCm, heightCm, weightKg) => ({ lengthCm, widthCm, heightCm, weightKg })

test('desi and billable weight', () => {
  assert.deepEqual(parcelDesi(parcel('40', '30', '20', '3.2')), { desi: '8', weightKg: '3.2', billable: '8' })
  assert.equal(billableDesi([parcel('40', '30', '20', '3.2'), parcel('10', '10', '10', '2.25')]), '11')
  assert.equal(billableDesi([parcel('10', '10', '10', '2.25')], undefined, '0'), '2.25')
  assert.throws(() => parcelDesi(parcel('0', '30', '20', '1')), { code: 'request.invalid_dimensions' })
  assert.throws(() => parcelDesi(parcel('yirmi', '30', '20', '1')), { field: 'parcel.length_cm' })
})

test('addresses, phones and geography', () => {
  const a = normalizeAddress({ province: 'istanbul', district: 'KADIKOY', line: '  Moda   Cad. No 12 ', postalCode: '34710' })
  assert.deepEqual(a, { plate: 34, province: 'İstanbul', district: 'Kadıköy', line: 'Moda Cad. No 12', postalCode: '34710' })
  assert.equal(normalizePhone('+90 532 123 45 67'), '5321234567')
  assert.throws(() => normalizePhone('12'), (e) => e.code.startsWith('request.') && e.name === 'InvalidRequestError')
  assert.equal(provinces().length, 81)
  assert.equal(provinces()[33].name, 'İstanbul')
  assert.ok(districts('65').includes('İpekyolu'))
  assert.equal(distanceZone('İstanbul', 'Van'), 'uzun')
  assert.throws(() => districts('Atlantis'), { kind: 'invalid_request' })
})

test('webhook signatures', () => {
  const body = Buffer.from('{"event":"delivered"}')
  const header = signWebhook('s3cret', 1_700_000_000, body)
  assert.match(header, /^t=1700000000,v1=[0-9a-f]{64}$/)
  verifyWebhook(header, body, ['old', 's3cret'], 1_700_000_100)
  assert.throws(() => verifyWebhook(header, Buffer.from('{ }'), ['s3cret'], 1_700_000_100), {
    code: 'webhook.invalid_signature',
  })
  assert.throws(() => verifyWebhook(header, body, ['s3cret'], 1_700_009_999), { code: 'webhook.invalid_signature' })
})
