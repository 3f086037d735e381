// Shared inputs of the Node tests: the scenario's COD shipment İstanbul → Van.

/** A sender or recipient. */
export function party(name, phone, province, district, line) {
  return { name, phone, address: { province, district, line } }
}

/** One parcel of 40×30×20 cm and 3.2 kg, 1,250 TL cash on delivery, İstanbul → Van. */
export function codToVan(orderId) {
  return {
    sender: party('Moda Tekstil Ltd.', '0216 345 67 89', 'İstanbul', 'Kadıköy', 'Caferağa Mah. Moda Cad. No: 12'),
    recipient: party('Ayşe Yılmaz', '+90 532 123 45 67', 'Van', 'İpekyolu', 'Cumhuriyet Cad. No: 5 D: 3'),
    parcels: [{ lengthCm: '40', widthCm: '30', heightCm: '20', weightKg: '3.2' }],
    codAmount: '1250.00',
    orderId,
  }
}

/** A ship request for `codToVan(orderId)` under `key`. */
export function shipRequest(orderId, key, extra = {}) {
  return { shipment: codToVan(orderId), idempotencyKey: key, ...extra }
}

/** An exact decimal string as an integer of `scale` decimals (`"12.5"`, 2 → 1250n). */
export function scaled(amount, scale = 2) {
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(amount)
  if (!m) throw new Error(`not a decimal: ${amount}`)
  const [, sign, whole, frac = ''] = m
  if (frac.length > scale) throw new Error(`${amount} has more than ${scale} decimals`)
  const value = BigInt(whole + frac.padEnd(scale, '0'))
  return sign ? -value : value
}
