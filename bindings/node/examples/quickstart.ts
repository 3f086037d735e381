// KargoJet quickstart for Node.js: quote a shipment across every sandbox carrier, ship the
// cheapest offer, save its label as PDF and print the tracking history until delivery.
//
//   npx tsc -p examples/tsconfig.json && node examples/dist/quickstart.js [label.pdf]
import { writeFileSync } from 'node:fs'
import { KargoJet, isKargoJetError, type ShipmentInput } from 'kargojet'

const shipment: ShipmentInput = {
  sender: {
    name: 'Moda Tekstil Ltd.',
    phone: '0216 345 67 89',
    address: { province: 'İstanbul', district: 'Kadıköy', line: 'Caferağa Mah. Moda Cad. No: 12' },
  },
  recipient: {
    name: 'Ayşe Yılmaz',
    phone: '+90 532 123 45 67',
    address: { province: 'Van', district: 'İpekyolu', line: 'Cumhuriyet Cad. No: 5 D: 3' },
  },
  parcels: [{ lengthCm: '40', widthCm: '30', heightCm: '20', weightKg: '3.2' }],
  codAmount: '1250.00',
  orderId: 'SIP-1001',
}

async function main(labelPath: string): Promise<void> {
  const kj = KargoJet.sandbox()

  const quote = await kj.quote({ shipment })
  console.log(`${quote.offers.length} offers (illustrative sandbox prices):`)
  for (const o of quote.offers) {
    const days = o.transitDays ? `${o.transitDays.min}-${o.transitDays.max} days` : 'days unknown'
    console.log(`  ${o.carrierName.padEnd(24)} ${o.breakdown.total.amount.padStart(9)} ${o.breakdown.total.currency}  ${days}`)
  }
  for (const x of quote.excluded) console.log(`  (left out: ${x.carrier}, ${x.code})`)

  const shipped = await kj.ship({ shipment, idempotencyKey: 'order-SIP-1001' })
  console.log(`shipped with ${shipped.carrierName}: ${shipped.id}, tracking ${shipped.trackingNumber}`)

  const label = await kj.label(shipped.id, 'pdf')
  writeFileSync(labelPath, label.bytes)
  console.log(`label: ${labelPath} (${label.bytes.length} bytes, ${label.mime})`)

  let tracked = await kj.track(shipped.id)
  for (let i = 0; i < 40 && tracked.status !== 'delivered'; i++) {
    kj.advanceSandboxClock(6 * 3600) // the simulators' clock: six hours later
    tracked = await kj.track(shipped.id)
  }
  console.log(`tracking history of ${tracked.trackingNumber}:`)
  for (const e of tracked.events) {
    console.log(`  ${e.time}  ${(e.status ?? '?').padEnd(16)} ${e.carrierText}${e.location ? ` (${e.location})` : ''}`)
  }

  try {
    await kj.cancel(shipped.id)
  } catch (e) {
    if (!isKargoJetError(e)) throw e
    console.log(`cancel after delivery: ${e.code} — ${e.messageTr}`)
  }
}

main(process.argv[2] ?? 'label.pdf').catch((e: unknown) => {
  console.error(e)
  process.exitCode = 1
})
