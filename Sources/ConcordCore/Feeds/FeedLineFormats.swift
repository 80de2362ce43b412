import Foundation

/// The two line formats a feed comes in: IntelMQ's harmonised JSON (one object per line) and CSV
/// with a header and a column mapping. Both give the event's fields by IntelMQ name.
public enum FeedLineFormat: Sendable, Hashable {
    case intelmq
    /// CSV; `mapping` takes a header name to an IntelMQ field (`ip` → `source.ip`). Header names
    /// that are IntelMQ fields already need no mapping.
    case csv(mapping: [String: String])

    /// Reads one JSON object's fields; numbers and booleans become their text, null leaves the
    /// field out. Nested objects (not harmonised IntelMQ) are refused.
    public static func intelMQFields(_ line: Substring) -> [String: String]? { FlatJSONScanner.fields(line) }

    /// Splits one CSV record (RFC 4180 quoting, on one line); nil when a quote is left open.
    public static func csvFields(_ line: Substring) -> [String]? {
        var fields: [String] = []
        var current = ""
        var quoted = false
        var index = line.startIndex
        while index < line.endIndex {
            let character = line[index]
            if quoted {
                if character == "\"" {
                    let next = line.index(after: index)
                    if next < line.endIndex && line[next] == "\"" {
                        current.append("\"")
                        index = next
                    } else {
                        quoted = false
                    }
                } else {
                    current.append(character)
                }
            } else if character == "\"" && current.isEmpty {
                quoted = true
            } else if character == "," {
                fields.append(current)
                current = ""
            } else if character != "\r" {
                current.append(character)
            }
            index = line.index(after: index)
        }
        guard !quoted else { return nil }
        fields.append(current)
        return fields
    }
}
