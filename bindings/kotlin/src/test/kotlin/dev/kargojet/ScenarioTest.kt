// The bindings' scenario on the JVM, on the sandbox (every carrier simulator in-process): quote
// a COD shipment İstanbul → Van, ship it twice under one idempotency key, the label as PDF,
// track until delivered on the simulated clock, cancel a second shipment, and an invalid
// address and a carrier rejection with their codes — blocking twins and suspend functions.
package dev.kargojet

import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNotEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows
import java.math.BigDecimal

class ScenarioTest {
    private fun assertRankedWithExactBreakdowns(quote: Quote) {
        assertTrue(quote.offers.size >= 5, "offers: ${quote.offers.size}")
        val totals = quote.offers.map { it.breakdown.total.decimal }
        assertEquals(totals.sorted(), totals, "cheapest first")
        for (o in quote.offers) {
            val b = o.breakdown
            val lines = listOf(b.cost, b.commission, b.codFee, b.smsFee, b.insuranceFee, b.discount, b.kdv)
            assertEquals(b.total.decimal, lines.fold(BigDecimal.ZERO) { s, m -> s + m.decimal }, o.carrier)
            assertTrue((lines + b.total).all { it.currency == Currency.TRY })
            assertTrue(b.codFee.decimal > BigDecimal.ZERO, "${o.carrier}: the COD fee is charged")
            assertEquals("kurus_half_up", b.rounding)
        }
    }

    @Test
    fun `the whole scenario with the blocking twins`() {
        KargoJet.sandbox().use { kj ->
            assertTrue(kj.isSandbox())
            assertTrue(kj.carriers().size >= 6, kj.carriers().toString())

            val quote = kj.quoteBlocking(quoteRequest(codToVan("SIP-1")))
            assertRankedWithExactBreakdowns(quote)

            // The same key gives the same shipment, paid once from the wallet.
            val before = kj.walletBalancesBlocking()
            val shipped = kj.shipBlocking(shipRequest("SIP-1", "order-SIP-1"))
            val paid = kj.walletBalancesBlocking()
            val again = kj.shipBlocking(shipRequest("SIP-1", "order-SIP-1"))
            assertEquals(shipped.id, again.id)
            assertEquals(shipped.merchantKey, again.merchantKey)
            assertEquals(ShipmentStatus.CREATED, shipped.status)
            assertEquals(quote.offers[0].carrier, shipped.offer.carrier)
            assertTrue(before.available.decimal - paid.available.decimal >= shipped.offer.breakdown.total.decimal)
            assertEquals(paid, kj.walletBalancesBlocking(), "the second ship with the same key paid nothing")

            // The label as PDF whatever the carrier's own format; ZPL from KargoJet's renderer.
            val label = kj.labelBlocking(shipped.id, LabelFormat.PDF, null)
            assertEquals("%PDF", label.bytes.copyOfRange(0, 4).decodeToString())
            assertEquals("application/pdf", label.mime)
            val zpl = kj.labelBlocking(shipped.id, LabelFormat.ZPL, LabelSource.KARGO_JET)
            assertTrue(zpl.bytes.decodeToString().startsWith("^XA"))

            // Track until delivered on the simulated clock.
            var tracked = kj.trackBlocking(shipped.id)
            repeat(40) {
                if (tracked.status != ShipmentStatus.DELIVERED) {
                    kj.advanceSandboxClock(6UL * 3600UL)
                    tracked = kj.trackBlocking(shipped.id)
                }
            }
            assertEquals(ShipmentStatus.DELIVERED, tracked.status)
            assertTrue(tracked.events.size >= 2)
            tracked.events.forEach { java.time.OffsetDateTime.parse(it.time) }

            // Cancel a second shipment.
            val second = kj.shipBlocking(shipRequest("SIP-2", "order-SIP-2"))
            assertNotEquals(shipped.id, second.id)
            assertEquals(ShipmentStatus.CANCELLED, kj.cancelBlocking(second.id).status)
            assertEquals(ShipmentStatus.CANCELLED, kj.shipmentBlocking(second.id).status)
            assertTrue(kj.shipmentsBlocking().size >= 2)

            // An invalid address, with its code and field.
            val bad = codToVan("SIP-3").copy(
                recipient = party("Ayşe Yılmaz", "+90 532 123 45 67", "Van", "İpekyolu", "x"),
            )
            val invalid = assertThrows<KargoJetException.InvalidRequest> { kj.quoteBlocking(quoteRequest(bad)) }
            assertEquals("request.invalid_address", invalid.code)
            assertEquals("recipient.address.line", invalid.field)
            assertEquals(ErrorKind.INVALID_REQUEST, invalid.kind)
            assertTrue(invalid.messageTr.startsWith("Adres"), invalid.messageTr)
            assertTrue(!invalid.retryable && !invalid.maybeSent)

            // A carrier rejection with the carrier's own code.
            kj.sandboxInjectFault("aras", SandboxOperation.CREATE, SandboxFault.Reject(null), 1u)
            val rejected = assertThrows<KargoJetException.CarrierRejected> {
                kj.shipBlocking(shipRequest("SIP-4", "order-SIP-4", carrier = "aras"))
            }
            assertEquals("carrier.rejected", rejected.code)
            assertEquals("aras", rejected.carrier)
            assertEquals("1002", rejected.carrierCode)
            assertEquals("aras", kj.shipBlocking(shipRequest("SIP-4", "order-SIP-4b", carrier = "aras")).carrier)

            // A return of the delivered shipment, idempotent by its key (where the carrier has one).
            try {
                val r = kj.createReturnBlocking(shipped.id, "return-SIP-1")
                assertEquals(shipped.id, r.returnOf)
                assertEquals(r.id, kj.createReturnBlocking(shipped.id, "return-SIP-1").id)
            } catch (e: KargoJetException.Unsupported) {
                assertEquals("unsupported.operation", e.code)
            }
        }
    }

    @Test
    fun `the same scenario with suspend functions`() = runBlocking {
        KargoJet.sandbox().use { kj ->
            assertRankedWithExactBreakdowns(kj.quote(quoteRequest(codToVan("S-1"))))
            val shipped = kj.ship(shipRequest("S-1", "order-S-1"))
            assertEquals(shipped.id, kj.ship(shipRequest("S-1", "order-S-1")).id)
            assertEquals("%PDF", kj.label(shipped.id, LabelFormat.PDF, null).bytes.copyOfRange(0, 4).decodeToString())

            var tracked = kj.track(shipped.id)
            repeat(40) {
                if (tracked.status != ShipmentStatus.DELIVERED) {
                    kj.advanceSandboxClock(6UL * 3600UL)
                    tracked = kj.track(shipped.id)
                }
            }
            assertEquals(ShipmentStatus.DELIVERED, tracked.status)

            val second = kj.ship(shipRequest("S-2", "order-S-2"))
            assertEquals(ShipmentStatus.CANCELLED, kj.cancel(second.id).status)

            val bad = codToVan("S-3").copy(parcels = listOf(ParcelInput("40", "30", "yirmi", "3.2")))
            val invalid = assertThrows<KargoJetException.InvalidRequest> { runBlocking { kj.quote(quoteRequest(bad)) } }
            assertEquals("request.invalid_dimensions", invalid.code)
            assertEquals("parcels[0].height_cm", invalid.field)

            kj.sandboxInjectFault("aras", SandboxOperation.CREATE, SandboxFault.Reject("1002"), 1u)
            val rejected = assertThrows<KargoJetException.CarrierRejected> {
                runBlocking { kj.ship(shipRequest("S-4", "order-S-4", carrier = "aras")) }
            }
            assertEquals("carrier.rejected", rejected.errorCode)
            assertEquals("1002", rejected.carrierCode)
            assertThrows<KargoJetException.NotFound> { runBlocking { kj.shipment("shp_unknown") } }
            Unit
        }
    }
}
