extension String {
    /// The text without white space at either end. Returns the text itself when there is none,
    /// which is the usual case; Foundation's `trimmingCharacters(in:)` bridges and copies every
    /// time, and the parsers here run once per line of a million-line feed.
    public var trimmingSpaces: String {
        guard let head = utf8.first, let tail = utf8.last else { return self }
        // Bytes from 0x21 to 0x7E are never white space, and most text starts and ends with them.
        if (0x21...0x7E).contains(head) && (0x21...0x7E).contains(tail) { return self }
        var start = startIndex
        var end = endIndex
        while start < end, self[start].isWhitespace { formIndex(after: &start) }
        while end > start, self[index(before: end)].isWhitespace { formIndex(before: &end) }
        return String(self[start..<end])
    }
}
