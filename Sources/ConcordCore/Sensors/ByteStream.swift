#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A file read front to back through one reusable buffer (4 MiB, grown only for a larger record),
/// so that a capture of any size is read in one pass with flat memory. Offsets are from the
/// start of the file.
final class ByteStream {
    private let descriptor: Int32
    private var buffer: UnsafeMutableRawBufferPointer
    /// Valid bytes are `buffer[start..<end]`.
    private var start = 0
    private var end = 0
    private var atEndOfFile = false
    /// The file offset of `buffer[start]`.
    private(set) var offset = 0
    /// The largest record accepted; anything larger is taken for corruption.
    static let largestRecord = 256 << 20

    init(path: String) throws(CaptureFileError) {
        descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else {
            throw CaptureFileError(offset: 0, reason: "cannot open \(path): \(String(cString: strerror(errno)))")
        }
        buffer = .allocate(byteCount: 4 << 20, alignment: 8)
    }

    deinit {
        close(descriptor)
        buffer.deallocate()
    }

    /// The next `count` bytes without consuming them; nil when the file ends before them (then
    /// `available` says how many there were).
    func peek(_ count: Int) throws(CaptureFileError) -> UnsafeRawBufferPointer? {
        if end - start < count { try fill(count) }
        guard end - start >= count else { return nil }
        return UnsafeRawBufferPointer(rebasing: buffer[start..<start + count])
    }

    /// Bytes left before the end of the file, as far as read.
    var available: Int { end - start }

    func skip(_ count: Int) {
        start += count
        offset += count
    }

    private func fill(_ count: Int) throws(CaptureFileError) {
        guard count <= Self.largestRecord else {
            throw CaptureFileError(offset: offset, reason: "a record of \(count) bytes is larger than any real one")
        }
        if start > 0 {
            let remaining = end - start
            if remaining > 0, let base = buffer.baseAddress {
                memmove(base, base + start, remaining)
            }
            (start, end) = (0, remaining)
        }
        if count > buffer.count {
            let grown = UnsafeMutableRawBufferPointer.allocate(byteCount: count, alignment: 8)
            if end > 0, let target = grown.baseAddress, let source = buffer.baseAddress {
                memcpy(target, source, end)
            }
            buffer.deallocate()
            buffer = grown
        }
        while end < count && !atEndOfFile {
            let got = read(descriptor, buffer.baseAddress! + end, buffer.count - end)
            if got < 0 {
                if errno == EINTR { continue }
                throw CaptureFileError(offset: offset + end, reason: "read failed: \(String(cString: strerror(errno)))")
            }
            if got == 0 { atEndOfFile = true }
            end += got
        }
    }
}
