/// Reads pcap and pcapng capture files in one streaming pass and hands each frame to a closure.
///
/// - pcap: both byte orders, microsecond (`a1b2c3d4`) and nanosecond (`a1b23c4d`) timestamps.
/// - pcapng: section header blocks (either byte order, several sections), interface descriptions
///   (link type, `if_tsresol`, `if_tsoffset`), enhanced, simple and obsolete packet blocks; any
///   other block is skipped by its length.
///
/// Hand-written (no mirrored Swift package reads captures, and libpcap's reader would cost a C
/// dependency and a callback per packet for the same work). A damaged file stops the reading with
/// a `CaptureFileError` naming the byte offset; the frames before it have been delivered.
public enum CaptureReader {
    /// Reads the file at `path`, calling `body` for every frame in file order.
    public static func read(path: String, _ body: (CaptureFrame) -> Void) throws(CaptureFileError) {
        let stream = try ByteStream(path: path)
        guard let magic = try stream.peek(4) else {
            throw CaptureFileError(offset: 0, reason: "the file is too short to be a capture")
        }
        let little = magic.loadUnaligned(as: UInt32.self).littleEndian
        switch little {
        case 0xA1B2_C3D4, 0xD4C3_B2A1, 0xA1B2_3C4D, 0x4D3C_B2A1: try readPcap(stream, body)
        case 0x0A0D_0D0A: try readPcapng(stream, body)
        default:
            throw CaptureFileError(offset: 0, reason: "not a pcap or pcapng file (magic \(hex(little)))")
        }
    }

    // MARK: pcap

    private static func readPcap(_ stream: ByteStream, _ body: (CaptureFrame) -> Void) throws(CaptureFileError) {
        guard let header = try stream.peek(24) else {
            throw CaptureFileError(offset: 0, reason: "the pcap file header is cut short")
        }
        let raw = header.loadUnaligned(as: UInt32.self).littleEndian
        let bigEndian = raw == 0xD4C3_B2A1 || raw == 0x4D3C_B2A1
        let nanoseconds = raw == 0xA1B2_3C4D || raw == 0x4D3C_B2A1
        let fields = Fields(bigEndian: bigEndian)
        let linkType = LinkType(rawValue: fields.u32(header, 20) & 0x0FFF_FFFF)
        stream.skip(24)
        while true {
            guard let record = try stream.peek(16) else {
                if stream.available == 0 { return }
                throw CaptureFileError(offset: stream.offset, reason: "the file ends inside a packet record header")
            }
            let seconds = Int64(fields.u32(record, 0))
            let fraction = Int64(fields.u32(record, 4))
            let captured = Int(fields.u32(record, 8))
            let original = Int(fields.u32(record, 12))
            guard captured <= ByteStream.largestRecord else {
                throw CaptureFileError(offset: stream.offset, reason: "a packet record claims \(captured) bytes")
            }
            guard let whole = try stream.peek(16 + captured) else {
                throw CaptureFileError(
                    offset: stream.offset, reason: "the file ends inside a packet of \(captured) bytes")
            }
            let timestamp = seconds * 1_000_000_000 + (nanoseconds ? fraction : fraction * 1000)
            body(
                CaptureFrame(
                    timestamp: timestamp, linkType: linkType, originalLength: max(original, captured),
                    bytes: UnsafeRawBufferPointer(rebasing: whole[16...])))
            stream.skip(16 + captured)
        }
    }

    // MARK: pcapng

    /// One interface of the current section.
    private struct Interface {
        let linkType: LinkType
        let snapLength: Int
        /// Timestamp units per second, and the offset in seconds added to every timestamp.
        var unitsPerSecond: UInt64 = 1_000_000
        var offsetSeconds: Int64 = 0

        /// Nanoseconds since 1970; 0 (no time) when a damaged block gives one beyond the year 2262.
        func nanoseconds(_ units: UInt64) -> Int64 {
            let seconds = Int64(clamping: units / unitsPerSecond)
            let rest = units % unitsPerSecond
            let nanos =
                unitsPerSecond >= 1_000_000_000
                ? rest / (unitsPerSecond / 1_000_000_000)
                : rest * (1_000_000_000 / unitsPerSecond)
            let (shifted, late) = seconds.addingReportingOverflow(offsetSeconds)
            let (scaled, large) = shifted.multipliedReportingOverflow(by: 1_000_000_000)
            let (total, beyond) = scaled.addingReportingOverflow(Int64(nanos))
            return late || large || beyond ? 0 : total
        }
    }

    private static func readPcapng(_ stream: ByteStream, _ body: (CaptureFrame) -> Void) throws(CaptureFileError) {
        var fields = Fields(bigEndian: false)
        var interfaces: [Interface] = []
        while true {
            guard let head = try stream.peek(12) else {
                if stream.available == 0 { return }
                throw CaptureFileError(offset: stream.offset, reason: "the file ends inside a block header")
            }
            let type = head.loadUnaligned(as: UInt32.self).littleEndian
            if type == 0x0A0D_0D0A {
                // A section header: its byte-order magic decides how everything in the section reads.
                switch head.loadUnaligned(fromByteOffset: 8, as: UInt32.self).littleEndian {
                case 0x1A2B_3C4D: fields = Fields(bigEndian: false)
                case 0x4D3C_2B1A: fields = Fields(bigEndian: true)
                default:
                    throw CaptureFileError(offset: stream.offset, reason: "a section header with no byte-order magic")
                }
                interfaces = []
            }
            let length = Int(fields.u32(head, 4))
            guard length >= 12, length % 4 == 0 else {
                throw CaptureFileError(offset: stream.offset, reason: "a block of length \(length)")
            }
            guard let block = try stream.peek(length) else {
                throw CaptureFileError(offset: stream.offset, reason: "the file ends inside a block of \(length) bytes")
            }
            guard Int(fields.u32(block, length - 4)) == length else {
                throw CaptureFileError(offset: stream.offset, reason: "a block whose two lengths differ")
            }
            let blockType = fields.u32(block, 0)
            let offset = stream.offset
            switch blockType {
            case 1:  // interface description
                guard length >= 20 else { throw CaptureFileError(offset: offset, reason: "a short interface block") }
                var interface = Interface(
                    linkType: LinkType(rawValue: UInt32(fields.u16(block, 8))), snapLength: Int(fields.u32(block, 12)))
                readOptions(block, from: 16, to: length - 4, fields) { code, value in
                    if code == 9, value.count >= 1 {
                        let exponent = UInt64(value[0] & 0x7F)
                        let power: UInt64 = value[0] & 0x80 == 0 ? 10 : 2
                        var units: UInt64 = 1
                        for _ in 0..<min(exponent, power == 10 ? 18 : 62) { units *= power }
                        interface.unitsPerSecond = units
                    } else if code == 14, value.count >= 8 {
                        interface.offsetSeconds = Int64(bitPattern: fields.u64(value, 0))
                    }
                }
                interfaces.append(interface)
            case 6, 2:  // enhanced packet; obsolete packet
                guard length >= 32 else { throw CaptureFileError(offset: offset, reason: "a short packet block") }
                let index = blockType == 6 ? Int(fields.u32(block, 8)) : Int(fields.u16(block, 8))
                guard index < interfaces.count else {
                    throw CaptureFileError(offset: offset, reason: "a packet on interface \(index), never described")
                }
                let units = UInt64(fields.u32(block, 12)) << 32 | UInt64(fields.u32(block, 16))
                let captured = Int(fields.u32(block, 20))
                let original = Int(fields.u32(block, 24))
                guard 28 + captured <= length - 4 else {
                    throw CaptureFileError(offset: offset, reason: "a packet longer than its block")
                }
                let interface = interfaces[index]
                body(
                    CaptureFrame(
                        timestamp: interface.nanoseconds(units), linkType: interface.linkType,
                        originalLength: max(original, captured),
                        bytes: UnsafeRawBufferPointer(rebasing: block[28..<28 + captured])))
            case 3:  // simple packet: interface 0, no timestamp
                guard length >= 16, let interface = interfaces.first else {
                    throw CaptureFileError(offset: offset, reason: "a simple packet block before any interface")
                }
                let original = Int(fields.u32(block, 8))
                var captured = min(original, length - 16)
                if interface.snapLength > 0 { captured = min(captured, interface.snapLength) }
                body(
                    CaptureFrame(
                        timestamp: 0, linkType: interface.linkType, originalLength: original,
                        bytes: UnsafeRawBufferPointer(rebasing: block[12..<12 + captured])))
            default:
                break
            }
            stream.skip(length)
        }
    }

    /// Calls `body` with each option (code, value) between `start` and `end`, until `opt_endofopt`.
    private static func readOptions(
        _ block: UnsafeRawBufferPointer, from start: Int, to end: Int, _ fields: Fields,
        _ body: (UInt16, UnsafeRawBufferPointer) -> Void
    ) {
        var position = start
        while position + 4 <= end {
            let code = fields.u16(block, position)
            let length = Int(fields.u16(block, position + 2))
            if code == 0 || position + 4 + length > end { return }
            body(code, UnsafeRawBufferPointer(rebasing: block[position + 4..<position + 4 + length]))
            position += 4 + (length + 3) / 4 * 4
        }
    }

    private static func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 8 - digits.count) + digits
    }
}

/// Integers of one byte order, read from unaligned bytes.
struct Fields {
    let bigEndian: Bool

    func u16(_ bytes: UnsafeRawBufferPointer, _ offset: Int) -> UInt16 {
        let value = bytes.loadUnaligned(fromByteOffset: offset, as: UInt16.self)
        return bigEndian ? UInt16(bigEndian: value) : UInt16(littleEndian: value)
    }

    func u32(_ bytes: UnsafeRawBufferPointer, _ offset: Int) -> UInt32 {
        let value = bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self)
        return bigEndian ? UInt32(bigEndian: value) : UInt32(littleEndian: value)
    }

    func u64(_ bytes: UnsafeRawBufferPointer, _ offset: Int) -> UInt64 {
        let value = bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
        return bigEndian ? UInt64(bigEndian: value) : UInt64(littleEndian: value)
    }
}
