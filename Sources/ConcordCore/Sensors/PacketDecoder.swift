/// What one frame carried, as far as a darknet sensor cares: addresses, protocol, ports (or the
/// ICMP type and code), TCP flags and length.
public struct PacketSummary: Hashable, Sendable {
    /// Nanoseconds since 1970-01-01 UTC.
    public var timestamp: Int64
    public var source: IPAddress
    public var destination: IPAddress
    /// The IP protocol number of the transport (after any IPv6 extension headers): 6 TCP, 17 UDP,
    /// 1 ICMP, 58 ICMPv6, anything else as it is.
    public var ipProtocol: UInt8
    /// TCP and UDP ports; for ICMP and ICMPv6 the type (`destinationPort`) and code (`sourcePort`);
    /// zero for other protocols.
    public var sourcePort: UInt16
    public var destinationPort: UInt16
    /// TCP flags (FIN 0x01, SYN 0x02, RST 0x04, PSH 0x08, ACK 0x10, URG 0x20, ECE 0x40, CWR 0x80).
    public var tcpFlags: UInt8
    /// The frame's length on the wire.
    public var length: Int

    public init(
        timestamp: Int64, source: IPAddress, destination: IPAddress, ipProtocol: UInt8, sourcePort: UInt16,
        destinationPort: UInt16, tcpFlags: UInt8, length: Int
    ) {
        self.timestamp = timestamp
        self.source = source
        self.destination = destination
        self.ipProtocol = ipProtocol
        self.sourcePort = sourcePort
        self.destinationPort = destinationPort
        self.tcpFlags = tcpFlags
        self.length = length
    }
}

/// What the decoder made of a frame.
public enum DecodedFrame: Hashable, Sendable {
    case packet(PacketSummary)
    /// A later fragment of a fragmented IP datagram: the datagram was counted at its first fragment,
    /// which carries the transport header.
    case laterFragment
    /// A frame that does not carry IP (ARP, LLC, …).
    case notIP
    case malformed(MalformedFrame)
}

/// Why a frame could not be decoded; counted by reason, never fatal.
public enum MalformedFrame: String, Hashable, Sendable, CaseIterable, Codable {
    case unsupportedLinkType = "unsupported link type"
    case truncatedLinkHeader = "truncated link-layer header"
    case truncatedIPHeader = "truncated IP header"
    case badIPHeader = "bad IP header"
    case truncatedExtensionHeader = "truncated IPv6 extension header"
    case truncatedTransportHeader = "truncated TCP/UDP/ICMP header"
}

/// Decodes frames of the supported link types down to the transport header. Pure and
/// allocation-free: one call per packet of a capture.
public enum PacketDecoder {
    public static func decode(_ frame: CaptureFrame) -> DecodedFrame {
        let bytes = frame.bytes
        var offset: Int
        var etherType: UInt16
        switch frame.linkType {
        case .ethernet:
            guard bytes.count >= 14 else { return .malformed(.truncatedLinkHeader) }
            etherType = be16(bytes, 12)
            offset = 14
            // 802.1Q, 802.1ad and the older QinQ tag: 4 bytes each, any number of them.
            while etherType == 0x8100 || etherType == 0x88A8 || etherType == 0x9100 {
                guard bytes.count >= offset + 4 else { return .malformed(.truncatedLinkHeader) }
                etherType = be16(bytes, offset + 2)
                offset += 4
            }
        case .linuxSLL:
            guard bytes.count >= 16 else { return .malformed(.truncatedLinkHeader) }
            etherType = be16(bytes, 14)
            offset = 16
        case .linuxSLL2:
            guard bytes.count >= 20 else { return .malformed(.truncatedLinkHeader) }
            etherType = be16(bytes, 0)
            offset = 20
        case .raw:
            guard let first = bytes.first else { return .malformed(.truncatedIPHeader) }
            etherType = first >> 4 == 6 ? 0x86DD : first >> 4 == 4 ? 0x0800 : 0
            offset = 0
        case .ipv4: (etherType, offset) = (0x0800, 0)
        case .ipv6: (etherType, offset) = (0x86DD, 0)
        case .null:
            guard bytes.count >= 4 else { return .malformed(.truncatedLinkHeader) }
            // The address family in the byte order of the host that captured: try both.
            let little = bytes.loadUnaligned(as: UInt32.self).littleEndian
            let family = little > 0xFFFF ? UInt32(bigEndian: bytes.loadUnaligned(as: UInt32.self)) : little
            etherType =
                family == 2 ? 0x0800 : (family == 10 || family == 24 || family == 28 || family == 30) ? 0x86DD : 0
            offset = 4
        default:
            return .malformed(.unsupportedLinkType)
        }
        switch etherType {
        case 0x0800: return ipv4(bytes, offset, frame)
        case 0x86DD: return ipv6(bytes, offset, frame)
        default: return .notIP
        }
    }

    private static func ipv4(_ bytes: UnsafeRawBufferPointer, _ start: Int, _ frame: CaptureFrame) -> DecodedFrame {
        guard bytes.count >= start + 20 else { return .malformed(.truncatedIPHeader) }
        let versionAndLength = bytes[start]
        let headerLength = Int(versionAndLength & 0x0F) * 4
        guard versionAndLength >> 4 == 4, headerLength >= 20, Int(be16(bytes, start + 2)) >= headerLength else {
            return .malformed(.badIPHeader)
        }
        guard bytes.count >= start + headerLength else { return .malformed(.truncatedIPHeader) }
        if be16(bytes, start + 6) & 0x1FFF != 0 { return .laterFragment }
        let source = IPAddress(v4: be32(bytes, start + 12))
        let destination = IPAddress(v4: be32(bytes, start + 16))
        return transport(bytes[start + 9], bytes, start + headerLength, source, destination, frame)
    }

    private static func ipv6(_ bytes: UnsafeRawBufferPointer, _ start: Int, _ frame: CaptureFrame) -> DecodedFrame {
        guard bytes.count >= start + 40 else { return .malformed(.truncatedIPHeader) }
        guard bytes[start] >> 4 == 6 else { return .malformed(.badIPHeader) }
        let source = IPAddress(v6High: be64(bytes, start + 8), low: be64(bytes, start + 16))
        let destination = IPAddress(v6High: be64(bytes, start + 24), low: be64(bytes, start + 32))
        var next = bytes[start + 6]
        var offset = start + 40
        // Extension headers: hop-by-hop, routing, fragment, destination options, AH, mobility, HIP, shim6.
        while isExtensionHeader(next) {
            guard bytes.count >= offset + 8 else { return .malformed(.truncatedExtensionHeader) }
            let length: Int
            switch next {
            case 44:
                if be16(bytes, offset + 2) & 0xFFF8 != 0 { return .laterFragment }
                length = 8
            case 51: length = (Int(bytes[offset + 1]) + 2) * 4
            default: length = (Int(bytes[offset + 1]) + 1) * 8
            }
            next = bytes[offset]
            offset += length
        }
        return transport(next, bytes, offset, source, destination, frame)
    }

    @inline(__always) private static func isExtensionHeader(_ next: UInt8) -> Bool {
        switch next {
        case 0, 43, 44, 51, 60, 135, 139, 140: return true
        default: return false
        }
    }

    private static func transport(
        _ ipProtocol: UInt8, _ bytes: UnsafeRawBufferPointer, _ offset: Int, _ source: IPAddress,
        _ destination: IPAddress, _ frame: CaptureFrame
    ) -> DecodedFrame {
        var packet = PacketSummary(
            timestamp: frame.timestamp, source: source, destination: destination, ipProtocol: ipProtocol,
            sourcePort: 0, destinationPort: 0, tcpFlags: 0, length: frame.originalLength)
        switch ipProtocol {
        case 6:
            guard bytes.count >= offset + 14 else { return .malformed(.truncatedTransportHeader) }
            packet.sourcePort = be16(bytes, offset)
            packet.destinationPort = be16(bytes, offset + 2)
            packet.tcpFlags = bytes[offset + 13]
        case 17:
            guard bytes.count >= offset + 8 else { return .malformed(.truncatedTransportHeader) }
            packet.sourcePort = be16(bytes, offset)
            packet.destinationPort = be16(bytes, offset + 2)
        case 1, 58:
            guard bytes.count >= offset + 2 else { return .malformed(.truncatedTransportHeader) }
            packet.destinationPort = UInt16(bytes[offset])
            packet.sourcePort = UInt16(bytes[offset + 1])
        default:
            break
        }
        return .packet(packet)
    }

    @inline(__always) static func be16(_ bytes: UnsafeRawBufferPointer, _ offset: Int) -> UInt16 {
        UInt16(bigEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt16.self))
    }

    @inline(__always) static func be32(_ bytes: UnsafeRawBufferPointer, _ offset: Int) -> UInt32 {
        UInt32(bigEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
    }

    @inline(__always) static func be64(_ bytes: UnsafeRawBufferPointer, _ offset: Int) -> UInt64 {
        UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }
}
