// Synthetic darknet traffic for the capture benchmark: a pcap (Ethernet, microseconds) of about
// SIZE megabytes. Mostly TCP SYN scans of the ports scanners favour, from 200,000 scanners spread
// over the whole address space (a few busy, most seen a handful of times), plus UDP probes, ICMP echo, SYN-ACK and RST backscatter, IPv6 and a few
// fragments, one packet every 50 µs from 2026-11-22T00:00Z. Seeded: the same file on every machine.
// Usage: concord-capture-gen OUTPUT [SIZE-MB]   (default 1024)
import ConcordCore
import Foundation

let arguments = CommandLine.arguments.dropFirst()
guard let output = arguments.first else {
    FileHandle.standardError.write(Data("usage: concord-capture-gen OUTPUT [SIZE-MB]\n".utf8))
    exit(2)
}
let targetBytes = (arguments.dropFirst().first.flatMap { Int($0) } ?? 1024) << 20
guard FileManager.default.createFile(atPath: output, contents: nil), let handle = FileHandle(forWritingAtPath: output)
else { exit(1) }
var rng = SplitMix64(seed: 2026)
var writer = CaptureWriter(format: .pcap(nanoseconds: false, bigEndian: false), linkType: .ethernet)
let ports: [UInt16] = [23, 22, 80, 443, 445, 8080, 3389, 5555, 37215, 52869, 2323, 81, 8443, 1433, 6379, 60023]
let darknet: UInt32 = 0xCB00_7100  // 203.0.113.0/24
var written = 0
var count = 0
let start: Int64 = 1_795_305_600_000_000_000
while written < targetBytes {
    let dice = rng.next() % 100
    let v6 = dice >= 97
    // Skewed towards the first scanners of the pool: the product of two uniform draws.
    let scanner = rng.next() % 200_000 * (rng.next() % 200_000) / 200_000
    let source =
        v6
        ? IPAddress(v6High: 0x2001_0DB8_0000_0000 | scanner, low: scanner &* 0x9E37_79B9)
        : IPAddress(v4: UInt32(truncatingIfNeeded: scanner &* 0x9E37_79B9_7F4A_7C15 >> 32) | 0x0100_0000)
    let destination =
        v6
        ? IPAddress(v6High: 0x2001_0DB8_FFFF_0000, low: rng.next() % 256)
        : IPAddress(v4: darknet | UInt32(rng.next() % 256))
    let port =
        rng.next() % 4 == 0 ? UInt16(truncatingIfNeeded: rng.next()) : ports[Int(rng.next() % UInt64(ports.count))]
    let ephemeral = UInt16(1024 + rng.next() % 64_000)
    let transport: SyntheticPacket.Transport
    switch dice {
    case 0..<75: transport = .tcp(sourcePort: ephemeral, destinationPort: port, flags: 0x02)
    case 75..<80: transport = .tcp(sourcePort: port, destinationPort: ephemeral, flags: 0x12)
    case 80..<83: transport = .tcp(sourcePort: port, destinationPort: ephemeral, flags: 0x14)
    case 83..<93: transport = .udp(sourcePort: ephemeral, destinationPort: port)
    default: transport = .icmp(type: v6 ? 128 : 8, code: 0)
    }
    var packet = SyntheticPacket(source: source, destination: destination, transport: transport)
    if case .udp = transport { packet.payload = Int(rng.next() % 64) }
    if count % 1000 == 999 { packet.fragment = .first }
    writer.append(timestamp: start + Int64(count) * 50_000, frame: packet.frame(.ethernet))
    count += 1
    if count % 10_000 == 0 {
        let bytes = writer.drain()
        written += bytes.count
        handle.write(Data(bytes))
    }
}
let rest = writer.drain()
handle.write(Data(rest))
try handle.close()
print("\(count) packets, \(written + rest.count) bytes")
