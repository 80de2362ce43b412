import ConcordTestTools
import Foundation
import Testing

@testable import ConcordCore

/// The GeoIP reader against Debian's own `geoiplookup` (package `geoip-bin`) on the same
/// `geoip-database` files, address by address.
@Suite struct GeoIPCountryTests {
    @Test func theCountryTableHasAllIndexes() {
        #expect(GeoIPCountryDatabase.codes.count == 256)
        #expect(GeoIPCountryDatabase.codes[111] == "JP" && GeoIPCountryDatabase.codes[225] == "US")
    }

    @Test(.needs(.geoiplookup)) func agreesWithGeoiplookup() throws {
        let countries = try GeoIPCountries()
        var rng = SplitMix64(seed: 164)
        var addresses: [IPAddress] = (0..<300).map { _ in IPAddress(v4: UInt32(truncatingIfNeeded: rng.next())) }
        // IPv6: inside 2000::/3, most of it inside the /12s the RIRs hold.
        addresses += (0..<100).map { _ in
            IPAddress(v6High: 0x2000_0000_0000_0000 | rng.next() >> 12 & 0x00FF_FFFF_FFFF_FFFF, low: rng.next())
        }
        var found = 0
        for address in addresses {
            let theirs = try Self.geoiplookup(address)
            let ours = countries.country(of: address)
            #expect(ours == theirs, "\(address)")
            if ours != nil { found += 1 }
        }
        #expect(found > 200, "most random addresses are registered somewhere")
    }

    @Test func documentationRangesHaveNoCountry() throws {
        let countries = try GeoIPCountries()
        #expect(countries.country(of: IPAddress("203.0.113.7")!) == nil)
        #expect(countries.country(of: IPAddress("2001:db8::1")!) == nil)
    }

    static func geoiplookup(_ address: IPAddress) throws -> String? {
        let process = Process()
        process.executableURL = URL(
            fileURLWithPath: address.family == .v4 ? "/usr/bin/geoiplookup" : "/usr/bin/geoiplookup6")
        process.arguments = [address.description]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard let colon = text.firstIndex(of: ":"), !text.contains("not found") else { return nil }
        let code = text[text.index(after: colon)...].trimmingCharacters(in: .whitespaces).prefix(2)
        return code == "--" ? nil : String(code)
    }
}

@Suite struct CaptureEconomyTests {
    /// Packets are counted under their source's economy, and economy tallies merge like the rest.
    @Test func summariesCountSourceEconomies() throws {
        let countries = try GeoIPCountries()
        var rng = SplitMix64(seed: 8)
        let packets = (0..<500).map { _ in
            SyntheticPacket(
                source: IPAddress(v4: UInt32(truncatingIfNeeded: rng.next() % 64) << 24 | 0x0102_0304),
                destination: IPAddress("203.0.113.1")!, transport: .tcp(sourcePort: 1000, destinationPort: 23, flags: 2)
            )
        }
        var expected: [String: Int] = [:]
        for packet in packets { expected[countries.country(of: packet.source) ?? "--", default: 0] += 1 }
        func summary(_ part: ArraySlice<SyntheticPacket>, _ name: String) throws -> CaptureSummary {
            var summary = CaptureSummary()
            let path = try CaptureSamples.file(
                CaptureSamples.capture(part, format: .pcap(nanoseconds: true, bigEndian: false), linkType: .raw),
                name: name)
            try CaptureReader.read(path: path) { summary.add($0, countries: countries) }
            return summary
        }
        let whole = try summary(packets[...], "economies.pcap")
        #expect(whole.economies.mapValues(\.packets) == expected)
        #expect(expected.count > 5, "the sources fall in several economies")
        let merged = try summary(packets[..<123], "economies-a.pcap").merged(
            with: summary(packets[123...], "economies-b.pcap"))
        #expect(merged == whole ? true : false)
    }
}
