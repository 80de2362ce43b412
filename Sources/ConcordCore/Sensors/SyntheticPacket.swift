/// A packet built byte by byte for tests and benchmarks: IPv4 (with options, fragments) or IPv6
/// (with extension headers, fragments), TCP, UDP, ICMP/ICMPv6 or any other protocol, framed for
/// any supported link type. Checksums of IPv4 headers are right; transport checksums are zero.
public struct SyntheticPacket: Sendable {
    /// The transport and its header fields.
    public enum Transport: Sendable, Hashable {
        case tcp(sourcePort: UInt16, destinationPort: UInt16, flags: UInt8)
        case udp(sourcePort: UInt16, destinationPort: UInt16)
        /// ICMP for IPv4 sources, ICMPv6 for IPv6.
        case icmp(type: UInt8, code: UInt8)
        case other(ipProtocol: UInt8)
    }

    /// Which part of a fragmented datagram this frame is.
    public enum Fragment: Sendable, Hashable {
        case first
        /// A later fragment at this offset in 8-byte units.
        case later(offset: UInt16)
    }

    public var source: IPAddress
    public var destination: IPAddress
    public var transport: Transport
    public var payload = 0
    /// IPv4 option bytes (NOPs), a multiple of 4 up to 40.
    public var ipv4Options = 0
    /// IPv6 extension headers before the transport: 0 hop-by-hop, 60 destination options, 43 routing.
    public var ipv6Extensions: [UInt8] = []
    public var fragment: Fragment?
    /// 802.1Q tags on Ethernet.
    public var vlanTags = 0

    public init(source: IPAddress, destination: IPAddress, transport: Transport) {
        self.source = source
        self.destination = destination
        self.transport = transport
    }

    /// The IP protocol number of the transport.
    public var ipProtocol: UInt8 {
        switch transport {
        case .tcp: return 6
        case .udp: return 17
        case .icmp: return source.family == .v4 ? 1 : 58
        case .other(let number): return number
        }
    }

    /// The frame for `linkType`.
    public func frame(_ linkType: LinkType) -> [UInt8] {
        let ip = ipDatagram()
        let etherType: UInt16 = source.family == .v4 ? 0x0800 : 0x86DD
        var frame: [UInt8] = []
        switch linkType {
        case .ethernet:
            frame = [0x02, 0, 0, 0, 0, 1, 0x02, 0, 0, 0, 0, 2]
            for tag in 0..<vlanTags { frame += [0x81, 0x00, 0x00, UInt8(10 + tag)] }
            frame += be16(etherType)
        case .linuxSLL:
            frame = [0, 0, 0, 1, 0, 6, 0x02, 0, 0, 0, 0, 2, 0, 0] + be16(etherType)
        case .linuxSLL2:
            frame = be16(etherType) + [0, 0, 0, 0, 0, 2, 0, 1, 0, 6, 0x02, 0, 0, 0, 0, 2, 0, 0]
        case .null:
            frame = source.family == .v4 ? [2, 0, 0, 0] : [30, 0, 0, 0]
        default:
            break
        }
        return frame + ip
    }

    private func transportHeader() -> [UInt8] {
        switch transport {
        case .tcp(let sourcePort, let destinationPort, let flags):
            return be16(sourcePort) + be16(destinationPort) + [0, 0, 0, 1, 0, 0, 0, 0, 0x50, flags, 0xFF, 0xFF]
                + [0, 0, 0, 0]
        case .udp(let sourcePort, let destinationPort):
            return be16(sourcePort) + be16(destinationPort) + be16(UInt16(8 + payload)) + [0, 0]
        case .icmp(let type, let code):
            return [type, code, 0, 0, 0, 0, 0, 1]
        case .other:
            return []
        }
    }

    private func ipDatagram() -> [UInt8] {
        var upper = transportHeader() + [UInt8](repeating: 0x41, count: payload)
        if case .later = fragment { upper = [UInt8](repeating: 0x42, count: max(8, payload)) }
        if source.family == .v4 {
            let headerLength = 20 + ipv4Options
            var flagsAndOffset: UInt16 = 0
            switch fragment {
            case .first: flagsAndOffset = 0x2000
            case .later(let offset): flagsAndOffset = offset & 0x1FFF
            case nil: flagsAndOffset = 0x4000  // don't fragment
            }
            var header: [UInt8] = [UInt8(0x40 | headerLength / 4), 0] + be16(UInt16(headerLength + upper.count))
            header += [0x12, 0x34] + be16(flagsAndOffset) + [64, ipProtocol, 0, 0]
            header += be32(UInt32(source.high >> 32)) + be32(UInt32(destination.high >> 32))
            header += [UInt8](repeating: 1, count: ipv4Options)
            let sum = checksum(header)
            header[10] = UInt8(sum >> 8)
            header[11] = UInt8(sum & 0xFF)
            return header + upper
        }
        var chain = ipv6Extensions
        if fragment != nil { chain.append(44) }
        chain.append(ipProtocol)
        var extensions: [UInt8] = []
        for (index, kind) in chain.dropLast().enumerated() {
            let next = chain[index + 1]
            if kind == 44 {
                var offset: UInt16 = 0
                if case .later(let later) = fragment { offset = later << 3 }
                if case .first = fragment { offset = 1 }  // more fragments
                extensions += [next, 0] + be16(offset) + [0, 0, 0x56, 0x78]
            } else {
                extensions += [next, 0, 1, 4, 0, 0, 0, 0]  // 8 bytes: a PadN option
            }
        }
        let body = extensions + upper
        var header: [UInt8] = [0x60, 0, 0, 0] + be16(UInt16(body.count)) + [chain[0], 64]
        header += be64(source.high) + be64(source.low) + be64(destination.high) + be64(destination.low)
        return header + body
    }

    private func checksum(_ header: [UInt8]) -> UInt16 {
        var sum: UInt32 = 0
        for index in stride(from: 0, to: header.count, by: 2) {
            sum += UInt32(header[index]) << 8 | UInt32(header[index + 1])
        }
        while sum > 0xFFFF { sum = (sum & 0xFFFF) + (sum >> 16) }
        return ~UInt16(sum)
    }
}

private func be16(_ value: UInt16) -> [UInt8] { [UInt8(value >> 8), UInt8(value & 0xFF)] }
private func be32(_ value: UInt32) -> [UInt8] { be16(UInt16(value >> 16)) + be16(UInt16(value & 0xFFFF)) }
private func be64(_ value: UInt64) -> [UInt8] { be32(UInt32(value >> 32)) + be32(UInt32(value & 0xFFFF_FFFF)) }
