// Every code of errorCodes() maps to an exception class on the JVM: the subclass of
// KargoJetException for the code's kind — the class the calls throw for it.
package dev.kargojet

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows

class ErrorCoverageTest {
    @Test
    fun `every code maps to an exception class`() {
        val codes = errorCodes()
        val catalog = errorCatalog()
        assertTrue(codes.size >= 40, "${codes.size} codes")
        assertEquals(codes, catalog.map { it.code })
        assertEquals(codes.size, codes.toSet().size, "codes are unique")
        for (c in catalog) {
            assertEquals(c.kind, errorKindOf(c.code), c.code)
            val info = ErrorInfo(ErrorKind.INTERNAL, c.code, c.messageTr, c.messageEn, null, null, null, false, false)
            val e = info.toException()
            assertEquals(c.kind.exceptionClass(), e::class, c.code)
            assertEquals(c.code, e.errorCode)
            assertEquals(c.kind, e.kind)
            assertEquals(info.copy(kind = c.kind), e.info())
            val thrown = assertThrows<KargoJetException> { throw e }
            assertTrue(c.kind.exceptionClass().isInstance(thrown))
        }
        val kinds = catalog.map { it.kind }.toSet()
        for (k in listOf(ErrorKind.INVALID_REQUEST, ErrorKind.CARRIER_REJECTED, ErrorKind.TIMEOUT, ErrorKind.NOT_FOUND, ErrorKind.INTERNAL)) {
            assertTrue(k in kinds, "some code is $k")
        }
        val classes = ErrorKind.entries.map { it.exceptionClass() }.toSet()
        assertEquals(ErrorKind.entries.size, classes.size, "one class per kind")
    }

    @Test
    fun `families decide the kind`() {
        assertEquals(ErrorKind.TIMEOUT, errorKindOf("transport.timeout"))
        assertEquals(ErrorKind.TRANSPORT, errorKindOf("transport.connection"))
        assertEquals(ErrorKind.INSUFFICIENT_FUNDS, errorKindOf("wallet.insufficient_funds"))
        assertEquals(ErrorKind.NOT_FOUND, errorKindOf("quote.no_offer"))
        assertEquals(ErrorKind.INTERNAL, errorKindOf("something.new"))
    }

    @Test
    fun `thrown exceptions are of their code's class`() {
        KargoJet.sandbox().use { kj ->
            val e = assertThrows<KargoJetException> { kj.shipmentBlocking("shp_unknown") }
            assertEquals(errorKindOf(e.errorCode).exceptionClass(), e::class)
            assertThrows<KargoJetException.InvalidRequest> { KargoJet.fromJson("{ not json") }
        }
    }
}
