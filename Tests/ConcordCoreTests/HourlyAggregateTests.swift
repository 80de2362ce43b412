import Foundation
import Testing

@testable import ConcordCore

@Suite struct HourlyAggregateTests {
    /// Packets over three hours from a small population of sources (so that every count is exact).
    static func packets(_ count: Int, seed: UInt64) -> [PacketSummary] {
        var rng = SplitMix64(seed: seed)
        let start: Int64 = 1_795_341_600 * 1_000_000_000
        return (0..<count).map { _ in
            let v6 = rng.next() % 6 == 0
            let source =
                v6
                ? IPAddress(v6High: 0x2001_0DB8_0000_0000 | (rng.next() % 4) << 16, low: rng.next() % 50)
                : IPAddress(v4: 0xC633_6400 | UInt32(rng.next() % 3) << 8 | UInt32(rng.next() % 40))
            let flags: [UInt8] = [0x02, 0x02, 0x12, 0x14, 0x04, 0x10]
            let ipProtocol: UInt8 = [6, 6, 6, 17, 1, 47][Int(rng.next() % 6)]
            return PacketSummary(
                timestamp: start + Int64(rng.next() % (3 * 3600 * 1_000_000_000)), source: source,
                destination: IPAddress("203.0.113.1")!, ipProtocol: ipProtocol, sourcePort: 40000,
                destinationPort: [23, 445, 80][Int(rng.next() % 3)],
                tcpFlags: ipProtocol == 6 ? flags[Int(rng.next() % 6)] : 0, length: 60)
        }
    }

    static func aggregate<Packets: Sequence<PacketSummary>>(_ packets: Packets) -> [Int64: HourlyAggregate] {
        var hours: [Int64: HourlyAggregate] = [:]
        for packet in packets {
            let hour = HourlyAggregate.hour(of: packet.timestamp)
            hours[hour, default: HourlyAggregate(hour: hour)].add(packet)
        }
        return hours
    }

    /// Any split of the packets, aggregated apart and merged, equals the aggregate of all of them;
    /// and the order of the packets does not matter.
    @Test(arguments: [1, 2, 3, 4, 5])
    func aggregatesMergeLikeTheUnionAndIgnoreOrder(seed: UInt64) {
        let all = Self.packets(3000, seed: seed)
        var rng = SplitMix64(seed: seed &+ 100)
        var left: [PacketSummary] = []
        var right: [PacketSummary] = []
        for packet in all { if rng.next() % 3 == 0 { left.append(packet) } else { right.append(packet) } }
        let whole = Self.aggregate(all)
        let merged = Self.aggregate(left).merging(Self.aggregate(right)) { $0.merged(with: $1) }
        let reversedMerge = Self.aggregate(right).merging(Self.aggregate(left)) { $0.merged(with: $1) }
        #expect(merged == whole ? true : false)
        #expect(reversedMerge == whole ? true : false)
        #expect(Self.aggregate(all.shuffled(using: &rng)) == whole ? true : false)
        #expect(whole.count == 3)
    }

    /// Every table against a count made the obvious way.
    @Test func countsAreExactForSmallPopulations() {
        let all = Self.packets(2000, seed: 9)
        for (hour, aggregate) in Self.aggregate(all) {
            let inHour = all.filter { HourlyAggregate.hour(of: $0.timestamp) == hour }
            #expect(aggregate.total.packets == inHour.count)
            #expect(aggregate.total.sources.count == Set(inHour.map(\.source)).count)
            // Backscatter written out: a TCP packet with RST, or with SYN and ACK, from its source port.
            func isBackscatter(_ packet: PacketSummary) -> Bool {
                packet.ipProtocol == 6 && (packet.tcpFlags & 0x04 != 0 || packet.tcpFlags & 0x12 == 0x12)
            }
            for (service, tally) in aggregate.services {
                let matching = inHour.filter { !isBackscatter($0) && Service($0) == service }
                #expect(tally.packets == matching.count && tally.sources.count == Set(matching.map(\.source)).count)
            }
            let backscatter = inHour.filter(isBackscatter)
            #expect(!backscatter.isEmpty)
            #expect(aggregate.backscatter.values.map(\.packets).reduce(0, +) == backscatter.count)
            #expect(
                aggregate.backscatter[Service(ipProtocol: 6, port: 40000)]?.sources.count
                    == Set(backscatter.map(\.source)).count)
            #expect(aggregate.victims.values.reduce(0, +) == backscatter.count)
            #expect(aggregate.services.values.map(\.packets).reduce(0, +) == inHour.count - backscatter.count)
            for (prefix, tally) in aggregate.prefixes {
                let matching = inHour.filter { prefix.contains($0.source) }
                #expect(tally.packets == matching.count)
                #expect(prefix.length == (prefix.address.family == .v4 ? 24 : 48))
            }
            let tcp = inHour.filter { $0.ipProtocol == 6 }
            #expect(aggregate.flagPatterns.values.map(\.packets).reduce(0, +) == tcp.count)
            #expect(aggregate.flagPatterns[.synOnly]?.packets == tcp.filter { $0.tcpFlags == 0x02 }.count)
            #expect(aggregate.flagPatterns[.synAck]?.packets == tcp.filter { $0.tcpFlags == 0x12 }.count)
            #expect(aggregate.flagPatterns[.reset]?.packets == tcp.filter { $0.tcpFlags & 0x04 != 0 }.count)
            let top = HourlyAggregate.top(aggregate.services, 2)
            #expect(top.count == 2 && top[0].tally.packets >= top[1].tally.packets)
        }
    }

    @Test func hoursStartOnTheHour() {
        #expect(HourlyAggregate.hour(of: 1_795_341_600_000_000_000) == 1_795_341_600)
        #expect(HourlyAggregate.hour(of: 1_795_345_199_999_999_999) == 1_795_341_600)
        #expect(HourlyAggregate.hour(of: 0) == 0)
        #expect(HourlyAggregate.hour(of: -1) == -3600)
    }

    @Test(arguments: [
        (UInt8(0x02), TCPFlagPattern.synOnly), (0x12, .synAck), (0x04, .reset), (0x14, .reset), (0x10, .other),
        (0x18, .other), (0xC2, .synOnly),
    ])
    func flagPatterns(flags: UInt8, pattern: TCPFlagPattern) {
        #expect(TCPFlagPattern(flags: flags) == pattern)
    }

    /// Scans by the port scanned; backscatter (SYN-ACK, RST, ICMP errors) by the port that answered
    /// or the error's type; echo requests and other ICMP are scans.
    @Test(arguments: [
        (UInt8(6), UInt8(0x02), UInt16(23), DarknetRole.scan(Service(ipProtocol: 6, port: 23))),
        (6, 0x12, 23, .backscatter(Service(ipProtocol: 6, port: 443))),
        (6, 0x14, 23, .backscatter(Service(ipProtocol: 6, port: 443))),
        (6, 0x04, 23, .backscatter(Service(ipProtocol: 6, port: 443))),
        (6, 0x10, 23, .scan(Service(ipProtocol: 6, port: 23))),
        (1, 0, 8, .scan(Service(ipProtocol: 1, port: 8))), (1, 0, 3, .backscatter(Service(ipProtocol: 1, port: 3))),
        (1, 0, 11, .backscatter(Service(ipProtocol: 1, port: 11))),
        (58, 0, 128, .scan(Service(ipProtocol: 58, port: 128))),
        (58, 0, 1, .backscatter(Service(ipProtocol: 58, port: 1))),
        (17, 0, 53, .scan(Service(ipProtocol: 17, port: 53))),
    ])
    func darknetRoles(ipProtocol: UInt8, flags: UInt8, port: UInt16, role: DarknetRole) {
        let packet = PacketSummary(
            timestamp: 0, source: IPAddress("192.0.2.1")!, destination: IPAddress("203.0.113.1")!,
            ipProtocol: ipProtocol, sourcePort: 443, destinationPort: port, tcpFlags: flags, length: 60)
        #expect(DarknetRole(packet) == role)
    }
}

@Suite struct AggregateCodingTests {
    /// An hour survives its wire form, exact and sketched counters alike, and still merges.
    @Test func hoursRoundTripThroughJSON() throws {
        var hours = HourlyAggregateTests.aggregate(HourlyAggregateTests.packets(3000, seed: 4))
        let hour = try #require(hours.keys.min())
        for index in 0..<(DistinctCounter.exactLimit + 2000) {
            hours[hour]?.add(
                PacketSummary(
                    timestamp: hour * 1_000_000_000, source: IPAddress(v4: UInt32(index) << 8),
                    destination: IPAddress("203.0.113.1")!,
                    ipProtocol: 6, sourcePort: 1, destinationPort: 23, tcpFlags: 2, length: 60))
        }
        for original in hours.values {
            let decoded = try JSONDecoder().decode(HourlyAggregate.self, from: JSONEncoder().encode(original))
            #expect(decoded == original ? true : false)
        }
        #expect(hours[hour]?.total.sources.isExact == false, "the busy hour's total is a sketch")
    }

    @Test(arguments: [
        #"{"exact":"AAAA"}"#, #"{"sketch":"AAAA"}"#, #"{"exact":"AAAAAAAAAAEAAAAAAAAAAQ=="}"#, #"{}"#,
        #"{"sketch":"AAAA","precision":1}"#, #"{"sketch":"AAAA","precision":16}"#,
        "{\"sketch\":\"\(Data(repeating: 60, count: 65_536).base64EncodedString())\",\"precision\":16}",
    ])
    func refusesDamagedCounters(json: String) {
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(DistinctCounter.self, from: Data(json.utf8)) }
    }

    /// A sketch an older sensor sent (4,096 registers, no precision named) is still read, as p = 12.
    @Test func readsTheOlderSketch() throws {
        var registers = [UInt8](repeating: 0, count: 4_096)
        registers[7] = 3
        let json = #"{"sketch":"\#(Data(registers).base64EncodedString())"}"#
        let counter = try JSONDecoder().decode(DistinctCounter.self, from: Data(json.utf8))
        #expect(!counter.isExact && counter.count == 1)
        let again = try JSONDecoder().decode(DistinctCounter.self, from: JSONEncoder().encode(counter))
        #expect(again == counter)
    }

    /// Backscatter travels in its own keys, and an hour without them (an older sensor's) decodes.
    @Test func backscatterRoundTripsAndOlderHoursDecode() throws {
        var hour = HourlyAggregate(hour: 3_600)
        hour.add(
            PacketSummary(
                timestamp: 3_600_000_000_000, source: IPAddress("192.0.2.80")!, destination: IPAddress("203.0.113.9")!,
                ipProtocol: 6, sourcePort: 80, destinationPort: 40_001, tcpFlags: 0x12, length: 60))
        let decoded = try JSONDecoder().decode(HourlyAggregate.self, from: JSONEncoder().encode(hour))
        #expect(decoded == hour && decoded.backscatter[Service(ipProtocol: 6, port: 80)]?.packets == 1)
        #expect(decoded.victims == [IPAddress("192.0.2.80")!: 1] && decoded.services.isEmpty)
        let older =
            #"{"hour":0,"total":{"packets":0,"sources":{"exact":""}},"services":[],"economies":{},"prefixes":{},"flagPatterns":{}}"#
        #expect(try JSONDecoder().decode(HourlyAggregate.self, from: Data(older.utf8)).backscatter.isEmpty)
    }
}
