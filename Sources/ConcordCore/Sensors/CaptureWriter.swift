/// The file formats `CaptureWriter` writes.
public enum CaptureFileFormat: Hashable, Sendable, CustomStringConvertible {
    case pcap(nanoseconds: Bool, bigEndian: Bool)
    case pcapng(bigEndian: Bool)

    public var description: String {
        switch self {
        case .pcap(let nanoseconds, let bigEndian):
            return "pcap-\(nanoseconds ? "ns" : "us")-\(bigEndian ? "be" : "le")"
        case .pcapng(let bigEndian): return "pcapng-\(bigEndian ? "be" : "le")"
        }
    }
}

/// Writes captures: what the tests compare with tshark, and the benchmark's synthetic darknet
/// traffic. Bytes accumulate until `drain()` takes them, so a large capture is written in pieces.
public struct CaptureWriter: Sendable {
    public let format: CaptureFileFormat
    public let linkType: LinkType
    private var bytes: [UInt8] = []

    public init(format: CaptureFileFormat, linkType: LinkType, snapLength: UInt32 = 262_144) {
        self.format = format
        self.linkType = linkType
        switch format {
        case .pcap(let nanoseconds, _):
            put32(nanoseconds ? 0xA1B2_3C4D : 0xA1B2_C3D4)
            put16(2)
            put16(4)
            put32(0)
            put32(0)
            put32(snapLength)
            put32(linkType.rawValue)
        case .pcapng:
            // Section header: byte-order magic, version 1.0, section length unknown.
            put32(0x0A0D_0D0A)
            put32(28)
            put32(0x1A2B_3C4D)
            put16(1)
            put16(0)
            put64(UInt64.max)
            put32(28)
            // Interface description with if_tsresol = 9 (nanoseconds).
            put32(1)
            put32(32)
            put16(UInt16(linkType.rawValue))
            put16(0)
            put32(snapLength)
            put16(9)
            put16(1)
            bytes += [9, 0, 0, 0]
            put32(0)
            put32(32)
        }
    }

    /// Appends one frame seen at `timestamp` (nanoseconds since 1970); `originalLength` defaults to
    /// the frame's length.
    public mutating func append(timestamp: Int64, frame: [UInt8], originalLength: Int? = nil) {
        let original = UInt32(originalLength ?? frame.count)
        switch format {
        case .pcap(let nanoseconds, _):
            put32(UInt32(timestamp / 1_000_000_000))
            let fraction = timestamp % 1_000_000_000
            put32(UInt32(nanoseconds ? fraction : fraction / 1000))
            put32(UInt32(frame.count))
            put32(original)
            bytes += frame
        case .pcapng:
            let padded = (frame.count + 3) / 4 * 4
            let length = UInt32(32 + padded)
            put32(6)
            put32(length)
            put32(0)
            put32(UInt32(UInt64(timestamp) >> 32))
            put32(UInt32(truncatingIfNeeded: UInt64(timestamp)))
            put32(UInt32(frame.count))
            put32(original)
            bytes += frame
            bytes += [UInt8](repeating: 0, count: padded - frame.count)
            put32(length)
        }
    }

    /// The bytes written since the last call.
    public mutating func drain() -> [UInt8] {
        defer { bytes.removeAll(keepingCapacity: true) }
        return bytes
    }

    private var bigEndian: Bool {
        switch format {
        case .pcap(_, let bigEndian), .pcapng(let bigEndian): return bigEndian
        }
    }

    private mutating func put16(_ value: UInt16) {
        let ordered = bigEndian ? value.bigEndian : value.littleEndian
        withUnsafeBytes(of: ordered) { bytes += $0 }
    }

    private mutating func put32(_ value: UInt32) {
        let ordered = bigEndian ? value.bigEndian : value.littleEndian
        withUnsafeBytes(of: ordered) { bytes += $0 }
    }

    private mutating func put64(_ value: UInt64) {
        let ordered = bigEndian ? value.bigEndian : value.littleEndian
        withUnsafeBytes(of: ordered) { bytes += $0 }
    }
}
