import Foundation
import Testing

@testable import ConcordCore

@Suite struct CaptureReaderTests {
    /// Every format and link type reads back what was written: addresses, protocol, ports or ICMP
    /// type, flags, lengths and times (microsecond files to the microsecond).
    @Test(arguments: CaptureSamples.formats, CaptureSamples.linkTypes)
    func readsBackWhatWasWritten(format: CaptureFileFormat, linkType: LinkType) throws {
        let packets = CaptureSamples.packets(300, seed: 7)
        let path = try CaptureSamples.file(
            CaptureSamples.capture(packets, format: format, linkType: linkType), name: "\(format)-\(linkType).cap")
        var decoded: [DecodedFrame] = []
        var times: [Int64] = []
        try CaptureReader.read(path: path) { frame in
            decoded.append(PacketDecoder.decode(frame))
            times.append(frame.timestamp)
        }
        #expect(decoded.count == packets.count)
        for (index, packet) in packets.enumerated() {
            let expectedTime = CaptureSamples.timestamp(index)
            if case .pcap(false, _) = format {
                #expect(times[index] == expectedTime / 1000 * 1000)
            } else {
                #expect(times[index] == expectedTime)
            }
            if case .later = packet.fragment {
                #expect(decoded[index] == .laterFragment)
                continue
            }
            guard case .packet(let summary) = decoded[index] else {
                Issue.record("frame \(index): \(decoded[index])")
                continue
            }
            #expect(summary.source == packet.source && summary.destination == packet.destination)
            #expect(summary.ipProtocol == packet.ipProtocol)
            #expect(summary.length == packet.frame(linkType).count)
            switch packet.transport {
            case .tcp(let sourcePort, let destinationPort, let flags):
                #expect(summary.sourcePort == sourcePort && summary.destinationPort == destinationPort)
                #expect(summary.tcpFlags == flags)
            case .udp(let sourcePort, let destinationPort):
                #expect(summary.sourcePort == sourcePort && summary.destinationPort == destinationPort)
            case .icmp(let type, let code):
                #expect(summary.destinationPort == UInt16(type) && summary.sourcePort == UInt16(code))
            case .other:
                #expect(summary.destinationPort == 0)
            }
        }
    }

    /// Short frames are counted by reason and the rest of the file is read.
    @Test func truncatedFramesAreCountedByReason() throws {
        let syn = SyntheticPacket(
            source: IPAddress("198.51.100.7")!, destination: IPAddress("203.0.113.9")!,
            transport: .tcp(sourcePort: 40000, destinationPort: 23, flags: 2))
        let v6 = SyntheticPacket(
            source: IPAddress("2001:db8::1")!, destination: IPAddress("2001:db8:ffff::2")!,
            transport: .udp(sourcePort: 5000, destinationPort: 53))
        var writer = CaptureWriter(format: .pcap(nanoseconds: false, bigEndian: false), linkType: .ethernet)
        let full = syn.frame(.ethernet)
        writer.append(timestamp: 1, frame: Array(full.prefix(10)))  // link header cut
        writer.append(timestamp: 2, frame: Array(full.prefix(30)))  // IP header cut
        writer.append(timestamp: 3, frame: Array(full.prefix(40)))  // TCP header cut
        writer.append(timestamp: 4, frame: Array(v6.frame(.ethernet).prefix(50)))  // IPv6 header cut
        writer.append(timestamp: 5, frame: [UInt8](repeating: 0xFF, count: 12) + [0x08, 0x06] + [0, 1])  // ARP
        writer.append(timestamp: 6, frame: full)
        var summary = CaptureSummary()
        try CaptureReader.read(path: try CaptureSamples.file(writer.drain(), name: "short.pcap")) { summary.add($0) }
        #expect(summary.frames == 6 && summary.packets == 1 && summary.notIP == 1)
        #expect(
            summary.malformed == [
                .truncatedLinkHeader: 1, .truncatedIPHeader: 2, .truncatedTransportHeader: 1,
            ])
        #expect(summary.packetsByService == [Service(ipProtocol: 6, port: 23): 1])
    }

    /// A file cut in the middle of a record: the frames before it are delivered and the error
    /// names the offset of the record that is cut short.
    @Test(arguments: CaptureSamples.formats)
    func aCutFileKeepsWhatWasReadAndNamesTheOffset(format: CaptureFileFormat) throws {
        let packets = CaptureSamples.packets(20, seed: 3)
        let whole = CaptureSamples.capture(packets, format: format, linkType: .ethernet)
        let firstTen = CaptureSamples.capture(Array(packets.prefix(10)), format: format, linkType: .ethernet)
        let path = try CaptureSamples.file(Array(whole.prefix(firstTen.count + 9)), name: "cut-\(format).cap")
        var frames = 0
        #expect {
            try CaptureReader.read(path: path) { _ in frames += 1 }
        } throws: { error in
            (error as? CaptureFileError)?.offset == firstTen.count
        }
        #expect(frames == 10)
    }

    @Test func refusesWhatIsNotACapture() throws {
        let path = try CaptureSamples.file(Array("GET / HTTP/1.1\r\n\r\n".utf8), name: "not.cap")
        #expect(throws: CaptureFileError(offset: 0, reason: "not a pcap or pcapng file (magic 20544547)")) {
            try CaptureReader.read(path: path) { _ in }
        }
    }

    /// Summaries merge: the summary of two captures is the merge of their summaries, in any split.
    @Test(arguments: [0, 1, 77, 150, 299, 300])
    func summariesMergeLikeTheUnion(split: Int) throws {
        let packets = CaptureSamples.packets(300, seed: 11)
        func summary(_ part: ArraySlice<SyntheticPacket>, _ name: String) throws -> CaptureSummary {
            var summary = CaptureSummary()
            let path = try CaptureSamples.file(
                CaptureSamples.capture(part, format: .pcapng(bigEndian: false), linkType: .ethernet), name: name)
            try CaptureReader.read(path: path) { summary.add($0) }
            return summary
        }
        let whole = try summary(packets[...], "whole-\(split).pcapng")
        let first = try summary(packets[..<split], "first-\(split).pcapng")
        let second = try summary(packets[split...], "second-\(split).pcapng")
        // (Compared as Bool: a failing comparison of two summaries would print thousands of addresses.)
        #expect(first.merged(with: second) == whole ? true : false)
        #expect(second.merged(with: first) == whole ? true : false)
        #expect(whole.frames == 300 && whole.packets + whole.laterFragments == 300)
    }
}
