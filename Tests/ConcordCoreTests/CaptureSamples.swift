import Foundation

@testable import ConcordCore

/// Captures with known content for the reader's tests: a seeded mix of what a darknet sees.
enum CaptureSamples {
    static let linkTypes: [LinkType] = [.ethernet, .raw, .linuxSLL, .linuxSLL2, .null]
    static let formats: [CaptureFileFormat] = [
        .pcap(nanoseconds: false, bigEndian: false), .pcap(nanoseconds: true, bigEndian: false),
        .pcap(nanoseconds: false, bigEndian: true), .pcapng(bigEndian: false), .pcapng(bigEndian: true),
    ]

    /// `count` packets: SYN scans, SYN-ACK backscatter, UDP probes, ICMP and ICMPv6 echo, an
    /// unknown protocol, IPv4 options, IPv6 extension headers, VLAN tags and fragmented datagrams.
    static func packets(_ count: Int, seed: UInt64) -> [SyntheticPacket] {
        var rng = SplitMix64(seed: seed)
        let ports: [UInt16] = [22, 23, 80, 443, 445, 3389, 5555, 8080, 37215, 60023]
        return (0..<count).map { index in
            let v6 = rng.next() % 5 == 0
            let source =
                v6
                ? IPAddress(v6High: 0x2001_0DB8_0000_0000 | (rng.next() % 64) << 16, low: rng.next() % 500)
                : IPAddress(v4: 0xC633_6400 | UInt32(rng.next() % 200))  // 198.51.100.0/24
            let destination =
                v6
                ? IPAddress(v6High: 0x2001_0DB8_FFFF_0000, low: rng.next() % 1000)
                : IPAddress(v4: 0xCB00_7100 | UInt32(rng.next() % 256))  // 203.0.113.0/24
            let port = ports[Int(rng.next() % UInt64(ports.count))]
            let transport: SyntheticPacket.Transport
            switch rng.next() % 10 {
            case 0...4:
                transport = .tcp(sourcePort: UInt16(1024 + rng.next() % 60_000), destinationPort: port, flags: 0x02)
            case 5:  // backscatter: a SYN-ACK or a RST from the attacked port
                transport = .tcp(
                    sourcePort: port, destinationPort: UInt16(1024 + rng.next() % 60_000),
                    flags: index % 2 == 0 ? 0x12 : 0x14)
            case 6, 7: transport = .udp(sourcePort: UInt16(1024 + rng.next() % 60_000), destinationPort: port)
            case 8:  // an echo request, or an error (destination unreachable) as backscatter
                transport = .icmp(type: index % 3 == 0 ? (v6 ? 1 : 3) : (v6 ? 128 : 8), code: 0)
            default: transport = .other(ipProtocol: 253)
            }
            var packet = SyntheticPacket(source: source, destination: destination, transport: transport)
            packet.payload = Int(rng.next() % 40)
            if !v6 && rng.next() % 10 == 0 { packet.ipv4Options = 4 * Int(1 + rng.next() % 3) }
            if v6 && rng.next() % 4 == 0 { packet.ipv6Extensions = rng.next() % 2 == 0 ? [0] : [0, 60] }
            packet.vlanTags = Int(rng.next() % 3) == 0 ? Int(rng.next() % 3) : 0
            if index % 37 == 5 { packet.fragment = .first }
            if index % 37 == 6 { packet.fragment = .later(offset: 185) }
            return packet
        }
    }

    /// The packets written as one capture; timestamps one millisecond and 7 ns apart from 2026-11-22.
    static func capture<Packets: Collection<SyntheticPacket>>(
        _ packets: Packets, format: CaptureFileFormat, linkType: LinkType
    ) -> [UInt8] where Packets.Index == Int {
        var writer = CaptureWriter(format: format, linkType: linkType)
        for index in packets.indices {
            writer.append(timestamp: timestamp(index), frame: packets[index].frame(linkType))
        }
        return writer.drain()
    }

    static func timestamp(_ index: Int) -> Int64 { 1_795_341_600_000_000_000 + Int64(index) * 1_000_007 }

    /// Writes `bytes` to a new temporary file and returns its path.
    static func file(_ bytes: [UInt8], name: String) throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("concord-captures-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let url = directory.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url.path
    }
}
