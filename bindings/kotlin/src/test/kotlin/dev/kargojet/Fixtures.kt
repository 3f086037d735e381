// Shared inputs of the Kotlin tests: the scenario's COD shipment İstanbul → Van.
package dev.kargojet

import java.math.BigDecimal

fun party(name: String, phone: String, province: String, district: String, line: String) =
    PartyInput(name = name, phone = phone, address = AddressInput(province = province, district = district, line = line))

/** One parcel of 40×30×20 cm and 3.2 kg, 1,250 TL cash on delivery, İstanbul → Van. */
fun codToVan(orderId: String) = ShipmentInput(
    sender = party("Moda Tekstil Ltd.", "0216 345 67 89", "İstanbul", "Kadıköy", "Caferağa Mah. Moda Cad. No: 12"),
    recipient = party("Ayşe Yılmaz", "+90 532 123 45 67", "Van", "İpekyolu", "Cumhuriyet Cad. No: 5 D: 3"),
    parcels = listOf(ParcelInput(lengthCm = "40", widthCm = "30", heightCm = "20", weightKg = "3.2")),
    codAmount = "1250.00",
    orderId = orderId,
)

fun quoteRequest(shipment: ShipmentInput) = QuoteRequest(shipment = shipment)

fun shipRequest(orderId: String, key: String, carrier: String? = null) =
    ShipRequest(shipment = codToVan(orderId), idempotencyKey = key, carrier = carrier)

val Money.decimal: BigDecimal get() = BigDecimal(amount)
