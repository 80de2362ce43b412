/// One frame as a capture file holds it: the bytes captured (at most the snapshot length), the
/// length it had on the wire, when it was seen and its link type. `bytes` is valid only inside the
/// closure that receives the frame: the reader reuses its buffer.
public struct CaptureFrame {
    /// Nanoseconds since 1970-01-01 UTC.
    public let timestamp: Int64
    public let linkType: LinkType
    /// The frame's length on the wire (`orig_len`), which may exceed `bytes.count`.
    public let originalLength: Int
    public let bytes: UnsafeRawBufferPointer

    public init(timestamp: Int64, linkType: LinkType, originalLength: Int, bytes: UnsafeRawBufferPointer) {
        self.timestamp = timestamp
        self.linkType = linkType
        self.originalLength = originalLength
        self.bytes = bytes
    }
}

/// Why a capture file could not be read on, with the byte offset where reading stopped. What was
/// read before that offset has been delivered.
public struct CaptureFileError: Error, Hashable, Sendable, CustomStringConvertible {
    public let offset: Int
    public let reason: String

    public init(offset: Int, reason: String) {
        self.offset = offset
        self.reason = reason
    }

    public var description: String { "\(reason) (at byte \(offset))" }
}
