// KargoJet quickstart for Swift: quote a shipment across every sandbox carrier, ship the
// cheapest offer, save its label as PDF and print the tracking history until delivery.
// Not compiled on the project's machines (no Swift toolchain); written against the generated
// Sources/KargoJet/KargoJet.swift.
//
//   swift run Quickstart label.pdf
import Foundation
import KargoJet

@main
struct Quickstart {
    static func main() async throws {
        let labelPath = CommandLine.arguments.dropFirst().first ?? "label.pdf"
        let shipment = ShipmentInput(
            sender: PartyInput(
                name: "Moda Tekstil Ltd.",
                phone: "0216 345 67 89",
                address: AddressInput(province: "İstanbul", district: "Kadıköy", line: "Caferağa Mah. Moda Cad. No: 12")
            ),
            recipient: PartyInput(
                name: "Ayşe Yılmaz",
                phone: "+90 532 123 45 67",
                address: AddressInput(province: "Van", district: "İpekyolu", line: "Cumhuriyet Cad. No: 5 D: 3")
            ),
            parcels: [ParcelInput(lengthCm: "40", widthCm: "30", heightCm: "20", weightKg: "3.2")],
            codAmount: "1250.00",
            orderId: "SIP-1001"
        )

        let kj = try KargoJet.sandbox()
        let quote = try await kj.quote(request: QuoteRequest(shipment: shipment))
        print("\(quote.offers.count) offers (illustrative sandbox prices):")
        for offer in quote.offers {
            let days = offer.transitDays.map { "\($0.min)-\($0.max) days" } ?? "days unknown"
            print("  \(offer.carrierName)  \(offer.breakdown.total.amount) \(offer.breakdown.total.currency)  \(days)")
        }
        for left in quote.excluded {
            print("  (left out: \(left.carrier), \(left.code))")
        }

        let shipped = try await kj.ship(request: ShipRequest(shipment: shipment, idempotencyKey: "order-SIP-1001"))
        print("shipped with \(shipped.carrierName): \(shipped.id), tracking \(shipped.trackingNumber)")

        let label = try await kj.label(shipmentId: shipped.id, format: .pdf, source: nil)
        try label.bytes.write(to: URL(fileURLWithPath: labelPath))
        print("label: \(labelPath) (\(label.bytes.count) bytes, \(label.mime))")

        var tracked = try await kj.track(shipmentId: shipped.id)
        for _ in 0..<40 where tracked.status != .delivered {
            try kj.advanceSandboxClock(seconds: 6 * 3600) // the simulators' clock: six hours later
            tracked = try await kj.track(shipmentId: shipped.id)
        }
        print("tracking history of \(tracked.trackingNumber):")
        for event in tracked.events {
            let status = event.status.map { "\($0)" } ?? "?"
            print("  \(event.time)  \(status)  \(event.carrierText)\(event.location.map { " (\($0))" } ?? "")")
        }

        do {
            _ = try await kj.cancel(shipmentId: shipped.id)
        } catch let error as KargoJetError {
            print("cancel after delivery: \(error)")
        }
    }
}
