import Foundation
import Testing

@testable import ConcordCore

/// The flat tables the capture reader counts in (`ServiceTallies`, `EconomyTallies`) give the same
/// tallies as the dictionaries they stand in for.
@Suite struct CaptureTallyTablesTests {
    /// `count` packets over many services (enough to grow the table several times, ports that
    /// differ only in their high bits, and every protocol slot), with sources from a pool.
    static func packets(_ count: Int, seed: UInt64) -> [(Service, UInt64)] {
        var rng = SplitMix64(seed: seed)
        let protocols: [UInt8] = [1, 6, 17, 47, 58, 132]
        return (0..<count).map { _ in
            let port = UInt16(truncatingIfNeeded: rng.next() % 3 == 0 ? rng.next() % 5 << 12 : rng.next() % 700)
            let service = Service(ipProtocol: protocols[Int(rng.next() % 6)], port: port)
            return (service, DistinctCounter.hash(IPAddress(v4: UInt32(truncatingIfNeeded: rng.next() % 5_000))))
        }
    }

    @Test(arguments: [0, 1, 63, 64, 5_000, 80_000])
    func serviceTablesCountAsDictionariesDo(count: Int) {
        var table = ServiceTallies()
        var dictionary: [Service: TrafficTally] = [:]
        for (service, hash) in Self.packets(count, seed: UInt64(count)) {
            table.add(service, hash)
            dictionary[service, default: TrafficTally()].add(hash)
        }
        #expect(table.dictionary == dictionary)
        #expect(table.isEmpty == dictionary.isEmpty)
        #expect(ServiceTallies(dictionary).dictionary == dictionary, "a dictionary makes the same table")
        #expect(ServiceTallies(dictionary) == table, "equality does not depend on the order services came in")
    }

    @Test func serviceTablesMergeAsDictionariesDo() {
        let first = Self.packets(3_000, seed: 1)
        let second = Self.packets(3_000, seed: 2)
        var mine = ServiceTallies()
        var theirs = ServiceTallies()
        for (service, hash) in first { mine.add(service, hash) }
        for (service, hash) in second { theirs.add(service, hash) }
        var expected = mine.dictionary
        expected.merge(theirs.dictionary) { $0.merged(with: $1) }
        mine.formUnion(theirs)
        #expect(mine.dictionary == expected)
        var both = ServiceTallies()
        for (service, hash) in first + second { both.add(service, hash) }
        #expect(mine == both, "merging is counting both streams")
    }

    @Test func economyTablesNameEveryCountryAndFoldDuplicateCodes() throws {
        var table = EconomyTallies()
        let codes = GeoIPCountryDatabase.codes
        let repeated = try #require(codes.indices.filter { codes[$0] == "O1" }.last)
        let first = try #require(codes.firstIndex(of: "O1"))
        #expect(repeated != first, "the legacy data set lists O1 twice")
        table.add(countryIndex: 0, 1)
        table.add(countryIndex: first, 2)
        table.add(countryIndex: repeated, 3)
        table.add(countryIndex: repeated, 2)
        let dictionary = table.dictionary
        #expect(dictionary["--"]?.packets == 1)
        #expect(dictionary["O1"]?.packets == 3 && dictionary["O1"]?.sourceCount == 2)
        #expect(dictionary.count == 2)
        var other = EconomyTallies(["XK": TrafficTally(packets: 4), "JP": TrafficTally(packets: 5)])
        other.add(countryIndex: try #require(codes.firstIndex(of: "JP")), 9)
        #expect(other.dictionary["XK"]?.packets == 4, "a code the data set does not have is kept")
        #expect(other.dictionary["JP"]?.packets == 6)
    }

    @Test func aSummaryShowsWhatWasSetOnIt() {
        var summary = CaptureSummary()
        let services: [Service: TrafficTally] = [
            Service(ipProtocol: 6, port: 23): TrafficTally(packets: 7),
            Service(ipProtocol: 17, port: 53): TrafficTally(),
        ]
        summary.packetsByProtocol = [6: 7, 17: 1, 255: 2]
        summary.services = services
        summary.backscatter = [Service(ipProtocol: 6, port: 80): TrafficTally(packets: 2)]
        summary.economies = ["JP": TrafficTally(packets: 3)]
        #expect(summary.packetsByProtocol == [6: 7, 17: 1, 255: 2])
        #expect(summary.services == services)
        #expect(summary.backscatter.keys.map(\.description) == ["tcp/80"])
        #expect(summary.economies == ["JP": TrafficTally(packets: 3)])
        var same = CaptureSummary()
        same.economies = ["JP": TrafficTally(packets: 3)]
        same.backscatter = summary.backscatter
        same.services = [
            Service(ipProtocol: 17, port: 53): TrafficTally(),
            Service(ipProtocol: 6, port: 23): TrafficTally(packets: 7),
        ]
        same.packetsByProtocol = [255: 2, 17: 1, 6: 7]
        #expect(same == summary)
        same.packetsByProtocol[6] = 8
        #expect(same != summary)
    }

    /// The summary counts in batches: reading it between batches (a copy settles) changes nothing
    /// of what it counts after, and every table agrees with counting one packet at a time.
    @Test func readingBetweenBatchesChangesNothing() throws {
        let packets = CaptureSamples.packets(300, seed: 5)
        let path = try CaptureSamples.file(
            CaptureSamples.capture(
                packets[...], format: .pcap(nanoseconds: false, bigEndian: false), linkType: .ethernet),
            name: "batches.pcap")
        var whole = CaptureSummary()
        var read = CaptureSummary()
        var frames = 0
        var services: [Service: TrafficTally] = [:]
        var backscatter: [Service: TrafficTally] = [:]
        var victims: [IPAddress: Int] = [:]
        var sources = DistinctCounter()
        try CaptureReader.read(path: path) { frame in
            whole.add(frame)
            read.add(frame)
            frames += 1
            if frames % 37 == 0 { _ = (read.services, read.victims, read.sources.count) }
            guard case .packet(let packet) = PacketDecoder.decode(frame) else { return }
            sources.insert(packet.source)
            switch DarknetRole(packet) {
            case .scan(let service): services[service, default: TrafficTally()].add(DistinctCounter.hash(packet.source))
            case .backscatter(let service):
                backscatter[service, default: TrafficTally()].add(DistinctCounter.hash(packet.source))
                victims[packet.source, default: 0] += 1
            }
        }
        #expect(whole == read ? true : false)
        #expect(whole.services == services && whole.backscatter == backscatter)
        #expect(whole.victims == victims && !victims.isEmpty)
        #expect(whole.sources == sources && whole.sourceCount == sources.count)
    }
}
