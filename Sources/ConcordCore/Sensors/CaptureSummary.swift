/// A service as a darknet counts it: the transport protocol and the destination port (TCP, UDP)
/// or the ICMP type (ICMP, ICMPv6); other protocols have port 0.
public struct Service: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let ipProtocol: UInt8
    public let port: UInt16

    public init(ipProtocol: UInt8, port: UInt16) {
        self.ipProtocol = ipProtocol
        self.port = port
    }

    public init(_ packet: PacketSummary) {
        switch packet.ipProtocol {
        case 1, 6, 17, 58: self.init(ipProtocol: packet.ipProtocol, port: packet.destinationPort)
        default: self.init(ipProtocol: packet.ipProtocol, port: 0)
        }
    }

    public static func < (left: Service, right: Service) -> Bool {
        (left.ipProtocol, left.port) < (right.ipProtocol, right.port)
    }

    /// `tcp/23`, `udp/53`, `icmp/8` (echo request), `icmpv6/128`, `proto-47`.
    public var description: String {
        switch ipProtocol {
        case 6: return "tcp/\(port)"
        case 17: return "udp/\(port)"
        case 1: return "icmp/\(port)"
        case 58: return "icmpv6/\(port)"
        default: return "proto-\(ipProtocol)"
        }
    }

    /// The protocol's name: tcp, udp, icmp, icmpv6 or `proto-N`.
    public static func protocolName(_ number: UInt8) -> String {
        switch number {
        case 6: return "tcp"
        case 17: return "udp"
        case 1: return "icmp"
        case 58: return "icmpv6"
        default: return "proto-\(number)"
        }
    }
}

/// Packets and distinct sources of one slice of traffic (a service, an economy, a prefix, an hour).
public struct TrafficTally: Sendable, Equatable, Codable {
    public var packets = 0
    public var sources = DistinctCounter()

    public init(packets: Int = 0, sources: DistinctCounter = DistinctCounter()) {
        self.packets = packets
        self.sources = sources
    }

    mutating func add(_ sourceHash: UInt64) {
        packets += 1
        sources.insert(hash: sourceHash)
    }

    /// The distinct sources, never more than the packets (a sketch's estimate may overshoot a
    /// slice where every packet has its own source).
    public var sourceCount: Int { min(sources.count, packets) }

    /// True when `sourceCount` is an estimate (see `sources.standardError`).
    public var sourcesEstimated: Bool { !sources.isExact }

    /// Both tallies in one.
    public func merged(with other: TrafficTally) -> TrafficTally {
        TrafficTally(packets: packets + other.packets, sources: sources.merged(with: other.sources))
    }

    /// Adds the other tally into this one.
    public mutating func formUnion(_ other: TrafficTally) {
        packets += other.packets
        sources.formUnion(other.sources)
    }
}

/// The quick look at captures (`concord sensor summarize`): frames, packets, what could not be read
/// and why, and packets and distinct sources per protocol and per service scanned, with backscatter
/// (`DarknetRole`) in its own tables. Distinct sources are counted by `DistinctCounter` (exact up to
/// 65,536, then a HyperLogLog sketch), in bounded memory per service; two summaries merge to
/// exactly the summary of both captures.
public struct CaptureSummary: Sendable, Equatable {
    public var frames = 0
    /// Bytes on the wire, over all frames.
    public var bytes = 0
    /// IP datagrams counted (a fragmented one once, at its first fragment).
    public var packets = 0
    public var laterFragments = 0
    public var notIP = 0
    public var malformed: [MalformedFrame: Int] = [:]
    public var packetsByProtocol: [UInt8: Int] {
        get {
            var result: [UInt8: Int] = [:]
            for (number, count) in protocolCounts.enumerated() where count > 0 { result[UInt8(number)] = count }
            return result
        }
        set {
            protocolCounts = [Int](repeating: 0, count: 256)
            for (number, count) in newValue { protocolCounts[Int(number)] = count }
        }
    }
    /// Scans: packets and distinct sources per service scanned.
    public var services: [Service: TrafficTally] {
        get { tables.settled.scans.dictionary }
        set { tables.setScans(newValue) }
    }
    /// Backscatter: packets and distinct victims per answering service (TCP source port, ICMP error type).
    public var backscatter: [Service: TrafficTally] {
        get { tables.settled.replies.dictionary }
        set { tables.setReplies(newValue) }
    }
    /// Backscatter packets per victim address.
    public var victims: [IPAddress: Int] {
        get { tables.settled.victims.dictionary }
        set { tables.setVictims(newValue) }
    }
    /// Packets and distinct sources per source economy (ISO 3166 code, `--` where the country data
    /// set has none); empty when no data set was given.
    public var economies: [String: TrafficTally] {
        get { tables.settled.economies.dictionary }
        set { tables.setEconomies(newValue) }
    }
    /// The distinct sources of the whole capture.
    public var sources: DistinctCounter {
        get { tables.settled.sources }
        set { tables.setSources(newValue) }
    }
    // The same tables in the forms the inner loop counts in fast (flat arrays, no string or SipHash
    // per packet, counted in batches); the properties above show them as dictionaries.
    private var protocolCounts = [Int](repeating: 0, count: 256)
    private var tables = CaptureTables()
    /// Nanoseconds since 1970 of the first and last frame with a timestamp.
    public var firstSeen: Int64?
    public var lastSeen: Int64?

    public init() {}

    /// Counts one frame; `countries` places its source in an economy.
    public mutating func add(_ frame: CaptureFrame, countries: GeoIPCountries? = nil) {
        frames += 1
        bytes += frame.originalLength
        if frame.timestamp != 0 {
            firstSeen = min(firstSeen ?? frame.timestamp, frame.timestamp)
            lastSeen = max(lastSeen ?? frame.timestamp, frame.timestamp)
        }
        switch PacketDecoder.decode(frame) {
        case .packet(let packet):
            packets += 1
            protocolCounts[Int(packet.ipProtocol)] += 1
            let hash = DistinctCounter.hash(packet.source)
            let country = countries?.countryIndex(of: packet.source).index
            switch DarknetRole(packet) {
            case .scan(let service): tables.scan(service, hash: hash, country: country)
            case .backscatter(let service):
                tables.backscatter(service, from: packet.source, hash: hash, country: country)
            }
        case .laterFragment: laterFragments += 1
        case .notIP: notIP += 1
        case .malformed(let reason): malformed[reason, default: 0] += 1
        }
    }

    /// Both summaries in one, as if their captures had been read as one.
    public func merged(with other: CaptureSummary) -> CaptureSummary {
        var result = self
        result.frames += other.frames
        result.bytes += other.bytes
        result.packets += other.packets
        result.laterFragments += other.laterFragments
        result.notIP += other.notIP
        result.malformed.merge(other.malformed, uniquingKeysWith: +)
        for number in result.protocolCounts.indices { result.protocolCounts[number] += other.protocolCounts[number] }
        result.tables.formUnion(other.tables)
        result.firstSeen = [firstSeen, other.firstSeen].compactMap { $0 }.min()
        result.lastSeen = [lastSeen, other.lastSeen].compactMap { $0 }.max()
        return result
    }

    /// The `count` source economies with the most packets.
    public func topEconomies(_ count: Int) -> [(economy: String, tally: TrafficTally)] {
        HourlyAggregate.top(economies, count).map { ($0.key, $0.tally) }
    }

    /// Scan packets per service.
    public var packetsByService: [Service: Int] { services.mapValues(\.packets) }

    /// Backscatter packets per answering service.
    public var packetsByBackscatterService: [Service: Int] { backscatter.mapValues(\.packets) }

    /// The `count` services scanned with the most packets, ties by service order.
    public func topServices(_ count: Int) -> [(service: Service, tally: TrafficTally)] {
        HourlyAggregate.top(services, count).map { ($0.key, $0.tally) }
    }

    /// The `count` services whose backscatter had the most packets.
    public func topBackscatter(_ count: Int) -> [(service: Service, tally: TrafficTally)] {
        HourlyAggregate.top(backscatter, count).map { ($0.key, $0.tally) }
    }

    /// The `count` victims that sent the most backscatter, ties by address.
    public func topVictims(_ count: Int) -> [(address: IPAddress, packets: Int)] {
        HourlyAggregate.topVictims(victims, count)
    }

    /// The distinct sources of the whole capture, never more than its packets.
    public var sourceCount: Int { min(sources.count, packets) }
}
