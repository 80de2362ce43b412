import Foundation
import Vapor

/// What makes a stored feed event unique: the first 128 bits of the SHA-256 of the feed's name, a
/// line feed and the line as read, so that importing the same file twice stores nothing twice.
/// Sixteen bytes rather than 64 hex characters keep the unique index a quarter of the size, and
/// that index is what bounds a large import on SQLite. (Among 10^9 events the chance of any two
/// colliding is about 10^-21.)
struct FeedFingerprint: Hashable, Sendable, CustomStringConvertible {
    let high: UInt64
    let low: UInt64

    init(feed: String, line: Substring) {
        var hasher = SHA256()
        Self.update(&hasher, with: feed.utf8)
        hasher.update(data: [0x0A])
        Self.update(&hasher, with: line.utf8)
        (high, low) = hasher.finalize().withUnsafeBytes {
            (
                UInt64(bigEndian: $0.loadUnaligned(as: UInt64.self)),
                UInt64(bigEndian: $0.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
            )
        }
    }

    /// The fingerprint as stored; nil unless exactly 16 bytes.
    init?<Bytes: Collection>(bytes: Bytes) where Bytes.Element == UInt8 {
        guard bytes.count == 16 else { return nil }
        var high: UInt64 = 0
        var low: UInt64 = 0
        for (offset, byte) in bytes.enumerated() {
            if offset < 8 { high = high << 8 | UInt64(byte) } else { low = low << 8 | UInt64(byte) }
        }
        (self.high, self.low) = (high, low)
    }

    /// The 16 bytes, big-endian, as the `fingerprint` column holds them.
    var bytes: [UInt8] {
        var bytes = [UInt8](repeating: 0, count: 16)
        for index in 0..<8 {
            bytes[index] = UInt8(truncatingIfNeeded: high >> (56 - 8 * UInt64(index)))
            bytes[index + 8] = UInt8(truncatingIfNeeded: low >> (56 - 8 * UInt64(index)))
        }
        return bytes
    }

    var data: Data { Data(bytes) }

    /// 32 lower-case hex digits, as the API shows it.
    var description: String { Hex.string(bytes) }

    private static func update<Bytes: Collection>(_ hasher: inout SHA256, with bytes: Bytes)
    where Bytes.Element == UInt8 {
        let done: Void? = bytes.withContiguousStorageIfAvailable {
            hasher.update(bufferPointer: UnsafeRawBufferPointer($0))
        }
        if done == nil { hasher.update(data: Array(bytes)) }
    }
}
