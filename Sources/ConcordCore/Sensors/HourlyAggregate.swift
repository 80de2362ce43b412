/// What a TCP packet's flags say about it, for a darknet: a SYN alone is a scan; a SYN-ACK or a
/// RST is backscatter, the answer of a victim to a spoofed address in the darknet.
public enum TCPFlagPattern: String, Hashable, Sendable, CaseIterable, Codable, Comparable {
    case synOnly = "syn"
    case synAck = "syn-ack"
    case reset = "rst"
    case other

    public init(flags: UInt8) {
        let syn = flags & 0x02 != 0
        let ack = flags & 0x10 != 0
        if flags & 0x04 != 0 {
            self = .reset
        } else if syn && !ack {
            self = .synOnly
        } else if syn && ack {
            self = .synAck
        } else {
            self = .other
        }
    }

    public static func < (left: TCPFlagPattern, right: TCPFlagPattern) -> Bool { left.rawValue < right.rawValue }
}

/// One sensor's traffic in one hour, as the hub stores it: totals and, for each, packets and
/// distinct sources by service scanned, by source economy, by source prefix (/24 for IPv4, /48 for
/// IPv6) and by TCP flag pattern; backscatter (`DarknetRole`) by answering service and by victim. A pure function of the packets and mergeable: the aggregate of two
/// sets of packets of the same hour is the merge of their aggregates, in any order.
public struct HourlyAggregate: Sendable, Equatable {
    /// The hour's start, in seconds since 1970 (a multiple of 3,600).
    public let hour: Int64
    public var total = TrafficTally()
    /// Scans, by the service scanned.
    public var services: [Service: TrafficTally] = [:]
    public var economies: [String: TrafficTally] = [:]
    public var prefixes: [IPPrefix: TrafficTally] = [:]
    public var flagPatterns: [TCPFlagPattern: TrafficTally] = [:]
    /// Backscatter, by the victim's answering service (distinct sources are distinct victims).
    public var backscatter: [Service: TrafficTally] = [:]
    /// Backscatter packets by victim address.
    public var victims: [IPAddress: Int] = [:]

    public init(hour: Int64) { self.hour = hour }

    /// The hour a packet seen at `nanoseconds` since 1970 falls in.
    public static func hour(of nanoseconds: Int64) -> Int64 {
        func floorDivide(_ value: Int64, _ divisor: Int64) -> Int64 {
            let quotient = value / divisor
            return value % divisor != 0 && value < 0 ? quotient - 1 : quotient
        }
        return floorDivide(floorDivide(nanoseconds, 1_000_000_000), 3600) * 3600
    }

    /// The prefix a source is counted under: its /24 or /48.
    public static func sourcePrefix(_ address: IPAddress) -> IPPrefix {
        IPPrefix(network: address, length: address.family == .v4 ? 24 : 48)
    }

    /// Counts one packet of this hour; `countries` places its source in an economy.
    public mutating func add(_ packet: PacketSummary, countries: GeoIPCountries? = nil) {
        let hash = DistinctCounter.hash(packet.source)
        total.add(hash)
        switch DarknetRole(packet) {
        case .scan(let service): services[service, default: TrafficTally()].add(hash)
        case .backscatter(let service):
            backscatter[service, default: TrafficTally()].add(hash)
            victims[packet.source, default: 0] += 1
        }
        prefixes[Self.sourcePrefix(packet.source), default: TrafficTally()].add(hash)
        if let countries { economies[countries.country(of: packet.source) ?? "--", default: TrafficTally()].add(hash) }
        if packet.ipProtocol == 6 {
            flagPatterns[TCPFlagPattern(flags: packet.tcpFlags), default: TrafficTally()].add(hash)
        }
    }

    /// Both aggregates of the same hour in one.
    public func merged(with other: HourlyAggregate) -> HourlyAggregate {
        precondition(hour == other.hour, "only aggregates of the same hour merge")
        var result = self
        result.total = total.merged(with: other.total)
        result.services.merge(other.services) { $0.merged(with: $1) }
        result.economies.merge(other.economies) { $0.merged(with: $1) }
        result.prefixes.merge(other.prefixes) { $0.merged(with: $1) }
        result.flagPatterns.merge(other.flagPatterns) { $0.merged(with: $1) }
        result.backscatter.merge(other.backscatter) { $0.merged(with: $1) }
        result.victims.merge(other.victims, uniquingKeysWith: +)
        return result
    }

    /// The `count` keys with the most packets (ties in key order): the top-N tables.
    public static func top<Key: Comparable>(_ table: [Key: TrafficTally], _ count: Int) -> [(
        key: Key, tally: TrafficTally
    )] {
        table.sorted { ($1.value.packets, $0.key) < ($0.value.packets, $1.key) }.prefix(count).map {
            ($0.key, $0.value)
        }
    }

    /// The `count` victims that sent the most backscatter packets, ties by address.
    public static func topVictims(_ table: [IPAddress: Int], _ count: Int) -> [(address: IPAddress, packets: Int)] {
        table.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.prefix(count).map { ($0.key, $0.value) }
    }

    /// The `count` keys with the most distinct sources (ties by packets, then key order): how the
    /// surge monitor ranks services.
    public static func topBySources<Key: Comparable>(_ table: [Key: TrafficTally], _ count: Int) -> [(
        key: Key, tally: TrafficTally
    )] {
        let ranked = table.map { (key: $0.key, tally: $0.value, sources: $0.value.sourceCount) }
        return ranked.sorted { ($1.sources, $1.tally.packets, $0.key) < ($0.sources, $0.tally.packets, $1.key) }
            .prefix(count).map { ($0.key, $0.tally) }
    }
}

/// A sensor's traffic hour by hour: what the agent builds from captures and uploads.
public struct SensorAggregate: Sendable, Equatable {
    public var hours: [Int64: HourlyAggregate] = [:]
    /// Frames that were not IP, could not be read, or were later fragments: counted, not aggregated.
    public var skipped = 0

    public init() {}

    /// Counts one frame. `anonymize` counts each source as its /24 or /48 (the network's first
    /// address), so that no single address leaves the sensor.
    public mutating func add(_ frame: CaptureFrame, countries: GeoIPCountries? = nil, anonymize: Bool = false) {
        guard case .packet(var packet) = PacketDecoder.decode(frame) else {
            skipped += 1
            return
        }
        if anonymize { packet.source = HourlyAggregate.sourcePrefix(packet.source).address }
        let hour = HourlyAggregate.hour(of: packet.timestamp)
        hours[hour, default: HourlyAggregate(hour: hour)].add(packet, countries: countries)
    }

    public func merged(with other: SensorAggregate) -> SensorAggregate {
        var result = self
        result.skipped += other.skipped
        result.hours.merge(other.hours) { $0.merged(with: $1) }
        return result
    }
}
