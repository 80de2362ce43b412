import Foundation

/// The lines of a file, read in 4 MiB chunks so that a file of a million events never sits in
/// memory whole. Lines end at LF (a CR before it is left for the reader to drop). Lines are cut
/// at the byte 0x0A, never by characters: that is exact for UTF-8, and several times faster than
/// splitting a `String` by grapheme.
struct FileLines: Sequence {
    let handle: FileHandle

    func makeIterator() -> Iterator { Iterator(handle: handle) }

    /// Yields one line at a time, carrying a partial line over to the next chunk.
    struct Iterator: IteratorProtocol {
        let handle: FileHandle
        private var chunk = Substring()
        private var carry = Data()
        private var finished = false

        init(handle: FileHandle) { self.handle = handle }

        mutating func next() -> Substring? {
            while chunk.isEmpty {
                if finished { return nil }
                let read = (try? handle.read(upToCount: 4 << 20)) ?? nil
                guard let read, !read.isEmpty else {
                    finished = true
                    if carry.isEmpty { return nil }
                    let last = Substring(String(decoding: carry, as: UTF8.self))
                    carry = Data()
                    return last
                }
                carry.append(read)
                guard let lastNewline = carry.lastIndex(of: 0x0A) else { continue }
                // The complete lines, each with its LF, so that an empty line still counts as one.
                chunk = Substring(String(decoding: carry[carry.startIndex...lastNewline], as: UTF8.self))
                carry = Data(carry[(lastNewline + 1)...])
            }
            return chunk.popFeedLine()
        }
    }
}

extension Substring {
    /// Removes and returns the first line (without its LF); the text must not be empty.
    mutating func popFeedLine() -> Substring {
        let bytes = utf8
        guard let newline = bytes.firstIndex(of: 0x0A) else {
            defer { self = self[endIndex...] }
            return self
        }
        defer { self = self[bytes.index(after: newline)...] }
        return self[..<newline]
    }
}

extension String {
    /// The lines of an uploaded body, as `FeedImporter` takes them (split at LF bytes).
    var feedLines: [Substring] {
        utf8.split(separator: 0x0A, omittingEmptySubsequences: false).map { Substring($0) }
    }
}
