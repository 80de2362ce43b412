import ConcordTestTools
import Foundation
import Testing

@testable import ConcordCore

/// Concord's reader against Wireshark's: the same captures, every format and link type, the same
/// packets per service scanned (protocol and destination port or ICMP type) and per backscatter
/// service (a SYN-ACK's or RST's source port, an ICMP error's type), frame for frame, the flags as
/// tshark reads them. tshark comes from Debian's `tshark` package (scripts/test installs it).
@Suite struct TsharkAgreementTests {
    @Test(.needs(.tshark), arguments: CaptureSamples.formats, CaptureSamples.linkTypes)
    func countsAgreeWithTshark(format: CaptureFileFormat, linkType: LinkType) throws {
        let packets = CaptureSamples.packets(400, seed: 2026)
        let path = try CaptureSamples.file(
            CaptureSamples.capture(packets, format: format, linkType: linkType),
            name: "tshark-\(format)-\(linkType).cap")
        var ours = CaptureSummary()
        try CaptureReader.read(path: path) { ours.add($0) }
        let theirs = try Self.tsharkServices(path)
        #expect(theirs.frames == ours.frames)
        #expect(theirs.laterFragments == ours.laterFragments)
        for (name, tshark, concord) in [
            ("scan", theirs.services, ours.packetsByService),
            ("backscatter", theirs.backscatter, ours.packetsByBackscatterService),
        ] {
            let differing = Set(tshark.keys).union(concord.keys).filter { tshark[$0] != concord[$0] }
            let report = differing.sorted().map {
                "\(name) \($0): tshark \(tshark[$0] ?? 0), Concord \(concord[$0] ?? 0)"
            }
            #expect(report.isEmpty)
        }
        #expect(!theirs.backscatter.isEmpty, "the samples hold backscatter")
        #expect(ours.packets == packets.count - ours.laterFragments && ours.malformed.isEmpty)
    }

    /// Packets per service as tshark dissects the file (IP reassembly off, so that each frame stands
    /// for itself and a datagram's later fragments are told apart by their offset).
    static func tsharkServices(_ path: String) throws -> (
        frames: Int, laterFragments: Int, services: [Service: Int], backscatter: [Service: Int]
    ) {
        let fields = [
            "frame.number", "icmp.type", "icmpv6.type", "tcp.dstport", "udp.dstport", "ip.frag_offset",
            "ipv6.fraghdr.offset", "ip.proto", "ipv6.fraghdr.nxt", "ipv6.dstopts.nxt", "ipv6.hopopts.nxt", "ipv6.nxt",
            "tcp.srcport", "tcp.flags",
        ]
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/tshark")
        process.arguments =
            [
                "-n", "-r", path, "-o", "ip.defragment:FALSE", "-o", "ipv6.defragment:FALSE", "-T", "fields", "-E",
                "separator=|", "-E", "occurrence=f",
            ] + fields.flatMap { ["-e", $0] }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        var frames = 0
        var later = 0
        var services: [Service: Int] = [:]
        var backscatter: [Service: Int] = [:]
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
            let value = line.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
            frames += 1
            if Int(value[5]) ?? 0 > 0 || Int(value[6]) ?? 0 > 0 {
                later += 1
                continue
            }
            let service: Service
            if let type = UInt16(value[1]) {
                service = Service(ipProtocol: 1, port: type)
                if [3, 4, 5, 11, 12].contains(type) {
                    backscatter[service, default: 0] += 1
                    continue
                }
            } else if let type = UInt16(value[2]) {
                service = Service(ipProtocol: 58, port: type)
                if (1...4).contains(type) {
                    backscatter[service, default: 0] += 1
                    continue
                }
            } else if let port = UInt16(value[3]) {
                service = Service(ipProtocol: 6, port: port)
                let flags = UInt8(value[13].dropFirst(2), radix: 16) ?? 0  // "0x0012"
                if flags & 0x04 != 0 || flags & 0x12 == 0x12, let answering = UInt16(value[12]) {
                    backscatter[Service(ipProtocol: 6, port: answering), default: 0] += 1
                    continue
                }
            } else if let port = UInt16(value[4]) {
                service = Service(ipProtocol: 17, port: port)
            } else if let number = value[7...].lazy.compactMap({ UInt8($0) }).first {
                // The transport behind the last IPv6 extension header (the chain here: hop-by-hop,
                // destination options, fragment).
                service = Service(ipProtocol: number, port: 0)
            } else {
                continue
            }
            services[service, default: 0] += 1
        }
        return (frames, later, services, backscatter)
    }
}
