import Foundation
import Testing

@testable import ConcordCore

/// A random-mutation fuzz of the reader and decoder: valid captures with bytes flipped, runs
/// overwritten and tails cut. Nothing may crash or hang; every file ends either read to the end or
/// with a `CaptureFileError` at an offset inside the file, and every frame stays inside the file.
@Suite struct CaptureMutationTests {
    @Test(arguments: CaptureSamples.formats)
    func mutatedCapturesNeverCrash(format: CaptureFileFormat) throws {
        var rng = SplitMix64(seed: 0xF022)
        let linkTypes = CaptureSamples.linkTypes
        for round in 0..<400 {
            let linkType = linkTypes[round % linkTypes.count]
            var bytes = CaptureSamples.capture(
                CaptureSamples.packets(40, seed: rng.next()), format: format, linkType: linkType)
            for _ in 0..<Int(1 + rng.next() % 8) {
                let position = Int(rng.next() % UInt64(bytes.count))
                switch rng.next() % 3 {
                case 0: bytes[position] ^= UInt8(truncatingIfNeeded: 1 << (rng.next() % 8))
                case 1:
                    for index in position..<min(bytes.count, position + 4) {
                        bytes[index] = UInt8(truncatingIfNeeded: rng.next())
                    }
                default: bytes = Array(bytes.prefix(max(1, position)))
                }
            }
            let path = try CaptureSamples.file(bytes, name: "mutated-\(format)-\(round).cap")
            var summary = CaptureSummary()
            var framesInside = true
            do {
                try CaptureReader.read(path: path) { frame in
                    summary.add(frame)
                    framesInside = framesInside && frame.bytes.count <= bytes.count
                }
            } catch {
                #expect(error.offset >= 0 && error.offset <= bytes.count, "\(error)")
            }
            #expect(framesInside)
            #expect(
                summary.packets + summary.laterFragments + summary.notIP + summary.malformed.values.reduce(0, +)
                    == summary.frames)
            try FileManager.default.removeItem(atPath: path)
        }
    }
}
