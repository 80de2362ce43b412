import Foundation

/// The wire form of distinct-source counters: `{"exact": base64}` (the 64-bit hashes, big-endian,
/// sorted; at most 65,536) or `{"sketch": base64, "precision": p}` (the 2^p registers). A sketch
/// without `precision` is an older sensor's, of 4,096 registers (p = 12). Decoding checks the sizes.
extension DistinctCounter: Codable {
    private enum Keys: String, CodingKey { case exact, sketch, precision }

    /// The precision of sketches sent before the wire form named it.
    static let legacyPrecision = 12

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        let (hashes, sketch) = storage
        if let sketch {
            try container.encode(Data(sketch.registers).base64EncodedString(), forKey: .sketch)
            try container.encode(sketch.precision, forKey: .precision)
            return
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(hashes.count * 8)
        for hash in hashes { withUnsafeBytes(of: hash.bigEndian) { bytes += $0 } }
        try container.encode(Data(bytes).base64EncodedString(), forKey: .exact)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Keys.self)
        if let text = try container.decodeIfPresent(String.self, forKey: .sketch) {
            let precision = try container.decodeIfPresent(Int.self, forKey: .precision) ?? Self.legacyPrecision
            guard let data = Data(base64Encoded: text),
                let sketch = HyperLogLogSketch(precision: precision, registers: [UInt8](data))
            else {
                throw DecodingError.dataCorruptedError(
                    forKey: .sketch, in: container,
                    debugDescription: "a sketch of precision \(precision) has 2^\(precision) registers of at most "
                        + "\(65 - precision) (precision 4 to 18)")
            }
            self.init(sketch: sketch)
            return
        }
        let text = try container.decode(String.self, forKey: .exact)
        guard let data = Data(base64Encoded: text), data.count % 8 == 0, data.count / 8 <= Self.exactLimit else {
            throw DecodingError.dataCorruptedError(
                forKey: .exact, in: container,
                debugDescription: "an exact list has at most \(Self.exactLimit) eight-byte hashes")
        }
        let bytes = [UInt8](data)
        let hashes = stride(from: 0, to: bytes.count, by: 8).map { start in
            bytes[start..<start + 8].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        }
        guard Set(hashes).count == hashes.count else {
            throw DecodingError.dataCorruptedError(
                forKey: .exact, in: container, debugDescription: "an exact list repeats a hash")
        }
        self.init(exactHashes: hashes)
    }
}

/// The wire form of an hour: services and backscatter as rows, economies, prefixes, flag patterns
/// and victims keyed by their text (`JP`, `198.51.100.0/24`, `syn`, `192.0.2.7`). Hours from
/// sensors older than the backscatter tables have neither key (and their backscatter among the
/// services).
extension HourlyAggregate: Codable {
    private enum Keys: String, CodingKey {
        case hour, total, services, economies, prefixes, flagPatterns, backscatter, victims
    }

    private struct ServiceRow: Codable {
        let `protocol`: UInt8
        let port: UInt16
        let tally: TrafficTally
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(hour, forKey: .hour)
        try container.encode(total, forKey: .total)
        try container.encode(
            services.sorted { $0.key < $1.key }.map {
                ServiceRow(protocol: $0.key.ipProtocol, port: $0.key.port, tally: $0.value)
            },
            forKey: .services)
        try container.encode(economies, forKey: .economies)
        try container.encode(
            Dictionary(uniqueKeysWithValues: prefixes.map { ($0.key.description, $0.value) }), forKey: .prefixes)
        try container.encode(
            Dictionary(uniqueKeysWithValues: flagPatterns.map { ($0.key.rawValue, $0.value) }), forKey: .flagPatterns)
        if !backscatter.isEmpty {
            try container.encode(
                backscatter.sorted { $0.key < $1.key }.map {
                    ServiceRow(protocol: $0.key.ipProtocol, port: $0.key.port, tally: $0.value)
                },
                forKey: .backscatter)
            try container.encode(
                Dictionary(uniqueKeysWithValues: victims.map { ($0.key.description, $0.value) }), forKey: .victims)
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Keys.self)
        let hour = try container.decode(Int64.self, forKey: .hour)
        guard hour % 3600 == 0 else {
            throw DecodingError.dataCorruptedError(forKey: .hour, in: container, debugDescription: "not on the hour")
        }
        self.init(hour: hour)
        total = try container.decode(TrafficTally.self, forKey: .total)
        for row in try container.decode([ServiceRow].self, forKey: .services) {
            services[Service(ipProtocol: row.protocol, port: row.port)] = row.tally
        }
        economies = try container.decode([String: TrafficTally].self, forKey: .economies)
        for (text, tally) in try container.decode([String: TrafficTally].self, forKey: .prefixes) {
            guard let prefix = IPPrefix(text) else {
                throw DecodingError.dataCorruptedError(
                    forKey: .prefixes, in: container, debugDescription: "'\(text)' is not a prefix")
            }
            prefixes[prefix] = tally
        }
        for (text, tally) in try container.decode([String: TrafficTally].self, forKey: .flagPatterns) {
            guard let pattern = TCPFlagPattern(rawValue: text) else {
                throw DecodingError.dataCorruptedError(
                    forKey: .flagPatterns, in: container, debugDescription: "'\(text)' is not a flag pattern")
            }
            flagPatterns[pattern] = tally
        }
        for row in try container.decodeIfPresent([ServiceRow].self, forKey: .backscatter) ?? [] {
            backscatter[Service(ipProtocol: row.protocol, port: row.port)] = row.tally
        }
        for (text, packets) in try container.decodeIfPresent([String: Int].self, forKey: .victims) ?? [:] {
            guard let address = IPAddress(text), packets > 0 else {
                throw DecodingError.dataCorruptedError(
                    forKey: .victims, in: container,
                    debugDescription: "'\(text)': \(packets) is not an address with a positive packet count")
            }
            victims[address] = packets
        }
    }
}

/// What a sensor agent uploads to the hub: an id chosen once (so that a retry is recognised) and
/// whole hours.
public struct SensorUploadPayload: Codable, Sendable {
    public let id: UUID
    public let hours: [HourlyAggregate]

    public init(id: UUID, hours: [HourlyAggregate]) {
        self.id = id
        self.hours = hours
    }
}
