import ConcordCore

/// A version as TAXII serves it (manifests, the versions endpoint, statuses): exactly the object's
/// own `modified` text (`2020-01-01T00:00:00.000Z` stays so), since clients compare the two as
/// strings; Concord's six-digit form only for an object without `modified` (an observable, whose
/// version is its first `date_added`).
enum STIXVersionText {
    /// The version text of the object whose JSON is `body`.
    static func of(body: String, microseconds: Int64) -> String {
        var body = body
        let modified = body.withUTF8 { bytes in
            let object = (try? JSONParser.parse(UnsafeRawBufferPointer(bytes)))?.object
            return (object?["modified"] ?? object?["created"])?.string
        }
        return of(modified: modified, microseconds: microseconds)
    }

    /// The version text given the object's `modified` member (else `created`), when it has one.
    static func of(modified: String?, microseconds: Int64) -> String {
        if let modified, STIXTimestamp(modified)?.microseconds == microseconds { return modified }
        return STIXTimestamp(microseconds: microseconds).description
    }
}

extension StoredSTIXObject {
    /// This version as TAXII serves it (`STIXVersionText`).
    var versionText: String { STIXVersionText.of(body: body, microseconds: versionMicroseconds) }
}
