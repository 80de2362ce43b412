import Foundation

/// The lines of a file, read in 4 MiB chunks so that a file of a million events never sits in
/// memory whole. Lines end at LF (a CR before it is left for the reader to drop).
struct FileLines: Sequence {
    let handle: FileHandle

    func makeIterator() -> Iterator { Iterator(handle: handle) }

    /// Yields one line at a time, carrying a partial line over to the next chunk.
    struct Iterator: IteratorProtocol {
        let handle: FileHandle
        private var pending: [Substring] = []
        private var carry = Data()
        private var finished = false

        init(handle: FileHandle) { self.handle = handle }

        mutating func next() -> Substring? {
            while pending.isEmpty {
                if finished { return nil }
                let chunk = (try? handle.read(upToCount: 4 << 20)) ?? nil
                guard let chunk, !chunk.isEmpty else {
                    finished = true
                    if carry.isEmpty { return nil }
                    pending = [Substring(String(decoding: carry, as: UTF8.self))]
                    carry = Data()
                    break
                }
                carry.append(chunk)
                guard let lastNewline = carry.lastIndex(of: 0x0A) else { continue }
                let complete = String(decoding: carry[carry.startIndex..<lastNewline], as: UTF8.self)
                carry = Data(carry[(lastNewline + 1)...])
                pending = complete.split(separator: "\n", omittingEmptySubsequences: false).reversed()
            }
            return pending.popLast()
        }
    }
}

extension String {
    /// The lines of an uploaded body, as `FeedImporter` takes them.
    var feedLines: [Substring] { split(separator: "\n", omittingEmptySubsequences: false) }
}
