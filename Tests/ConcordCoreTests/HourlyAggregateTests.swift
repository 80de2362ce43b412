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
            for (service, tally) in aggregate.services {
                let matching = inHour.filter { Service($0) == service }
                #expect(tally.packets == matching.count && tally.sources.count == Set(matching.map(\.source)).count)
            }
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
}

@Suite struct AggregateCodingTests {
    /// An hour survives its wire form, exact and sketched counters alike, and still merges.
    @Test func hoursRoundTripThroughJSON() throws {
        var hours = HourlyAggregateTests.aggregate(HourlyAggregateTests.packets(3000, seed: 4))
        let hour = try #require(hours.keys.min())
        for index in 0..<2000 {
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
    ])
    func refusesDamagedCounters(json: String) {
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(DistinctCounter.self, from: Data(json.utf8)) }
    }
}
