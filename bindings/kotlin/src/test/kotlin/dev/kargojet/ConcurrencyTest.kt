// 1,000 concurrent suspend quotes on one instance complete, all equal, without deadlock; a
// batch quote gives one outcome per shipment in order.
package dev.kargojet

import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows

class ConcurrencyTest {
    @Test
    fun `a thousand concurrent suspend quotes`() = runBlocking {
        KargoJet.sandbox().use { kj ->
            val request = quoteRequest(codToVan("SIP-A"))
            val quotes = withTimeout(120_000) {
                (1..1000).map { async(Dispatchers.Default) { kj.quote(request) } }.awaitAll()
            }
            assertEquals(1000, quotes.size)
            quotes.forEach { assertEquals(quotes[0], it) }
            assertEquals(kj.quoteBlocking(request), quotes[0], "suspend and blocking give the same quote")
            val shipped = kj.ship(shipRequest("SIP-A", "order-SIP-A"))
            assertEquals(shipped.id, kj.track(shipped.id).id)
        }
    }

    @Test
    fun `a batch quote gives one outcome per shipment in order`() {
        KargoJet.sandbox().use { kj ->
            val requests = (0 until 300).map { i ->
                val s = codToVan("B-$i")
                quoteRequest(s.copy(parcels = listOf(s.parcels[0].copy(weightKg = "${1 + i % 30}.5"))))
            }.toMutableList()
            val bad = requests[7].shipment
            requests[7] = quoteRequest(bad.copy(recipient = bad.recipient.copy(address = bad.recipient.address.copy(district = "Yok Böyle İlçe"))))
            val outcomes = runBlocking { kj.quoteBatch(requests) }
            assertEquals(300, outcomes.size)
            assertNull(outcomes[7].quote)
            assertEquals("request.unknown_district", outcomes[7].error?.code)
            assertThrows<KargoJetException.InvalidRequest> { throw outcomes[7].error!!.toException() }
            for (i in listOf(0, 150, 299)) {
                val single = kj.quoteBlocking(requests[i])
                val batch = outcomes[i].quote!!
                // The same offers in the same order as a single quote, the best one in full.
                assertEquals(
                    single.offers.map { Triple(it.carrier, it.agreementId, it.breakdown.total) },
                    batch.offers.map { Triple(it.carrier, it.agreementId, it.total) },
                    "shipment $i",
                )
                assertEquals(single.offers.first(), batch.best, "shipment $i")
                assertEquals(single.excluded, batch.excluded, "shipment $i")
            }
        }
    }
}
