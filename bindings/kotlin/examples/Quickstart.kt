// KargoJet quickstart for Kotlin/JVM: quote a shipment across every sandbox carrier, ship the
// cheapest offer, save its label as PDF and print the tracking history until delivery.
//
//   (cd bindings/kotlin && mvn -q exec:exec)   after test.sh built and generated everything
package dev.kargojet.examples

import dev.kargojet.AddressInput
import dev.kargojet.KargoJet
import dev.kargojet.KargoJetException
import dev.kargojet.LabelFormat
import dev.kargojet.ParcelInput
import dev.kargojet.PartyInput
import dev.kargojet.QuoteRequest
import dev.kargojet.ShipRequest
import dev.kargojet.ShipmentInput
import dev.kargojet.ShipmentStatus
import dev.kargojet.errorCode
import kotlinx.coroutines.runBlocking
import java.io.File

fun main(args: Array<String>): Unit = runBlocking {
    val labelPath = args.firstOrNull() ?: "label.pdf"
    val shipment = ShipmentInput(
        sender = PartyInput(
            name = "Moda Tekstil Ltd.",
            phone = "0216 345 67 89",
            address = AddressInput(province = "İstanbul", district = "Kadıköy", line = "Caferağa Mah. Moda Cad. No: 12"),
        ),
        recipient = PartyInput(
            name = "Ayşe Yılmaz",
            phone = "+90 532 123 45 67",
            address = AddressInput(province = "Van", district = "İpekyolu", line = "Cumhuriyet Cad. No: 5 D: 3"),
        ),
        parcels = listOf(ParcelInput(lengthCm = "40", widthCm = "30", heightCm = "20", weightKg = "3.2")),
        codAmount = "1250.00",
        orderId = "SIP-1001",
    )

    KargoJet.sandbox().use { kj ->
        val quote = kj.quote(QuoteRequest(shipment = shipment))
        println("${quote.offers.size} offers (illustrative sandbox prices):")
        for (o in quote.offers) {
            val days = o.transitDays?.let { "${it.min}-${it.max} days" } ?: "days unknown"
            println("  ${o.carrierName.padEnd(24)} ${o.breakdown.total.amount.padStart(9)} ${o.breakdown.total.currency}  $days")
        }
        quote.excluded.forEach { println("  (left out: ${it.carrier}, ${it.code})") }

        val shipped = kj.ship(ShipRequest(shipment = shipment, idempotencyKey = "order-SIP-1001"))
        println("shipped with ${shipped.carrierName}: ${shipped.id}, tracking ${shipped.trackingNumber}")

        val label = kj.label(shipped.id, LabelFormat.PDF, null)
        File(labelPath).writeBytes(label.bytes)
        println("label: $labelPath (${label.bytes.size} bytes, ${label.mime})")

        var tracked = kj.track(shipped.id)
        repeat(40) {
            if (tracked.status != ShipmentStatus.DELIVERED) {
                kj.advanceSandboxClock(6UL * 3600UL) // the simulators' clock: six hours later
                tracked = kj.track(shipped.id)
            }
        }
        println("tracking history of ${tracked.trackingNumber}:")
        for (e in tracked.events) {
            val where = e.location?.let { " ($it)" } ?: ""
            println("  ${e.time}  ${(e.status?.name ?: "?").padEnd(16)} ${e.carrierText}$where")
        }

        try {
            kj.cancel(shipped.id)
            println("cancelled")
        } catch (e: KargoJetException) {
            println("cancel after delivery: ${e.errorCode}")
        }
    }
}
