import Vapor

/// Refuses request bodies whose text carries control characters (NUL and the rest below U+0020,
/// but tab, line feed and carriage return): a NUL silently cut stored titles short, and none of
/// them belongs in a field a person types. It wraps the JSON and URL-encoded form decoders every
/// `req.content.decode` goes through; binary uploads (attachments, captures, feeds) and TAXII's
/// own media type are not decoded here and are left alone.
struct ControlCharacterGuard: ContentDecoder {
    let wrapped: any ContentDecoder
    let form: Bool

    func decode<D: Decodable>(_ decodable: D.Type, from body: ByteBuffer, headers: HTTPHeaders) throws -> D {
        try decode(decodable, from: body, headers: headers, userInfo: [:])
    }

    func decode<D: Decodable>(
        _ decodable: D.Type, from body: ByteBuffer, headers: HTTPHeaders, userInfo: [CodingUserInfoKey: any Sendable]
    ) throws -> D {
        let bytes = body.readableBytesView
        if form ? Self.formHasControl(bytes) : Self.jsonHasControl(bytes) {
            throw ConcordError.invalid(
                field: "body", "control characters (such as NUL) are not accepted in text; remove them and send again")
        }
        return try wrapped.decode(decodable, from: body, headers: headers, userInfo: userInfo)
    }

    /// Installs the guard around the JSON and form decoders, once per process (the content
    /// configuration is global; every later call, from every application, finds it done).
    static func install() { _ = installed }

    private static let installed: Void = {
        for (type, form) in [(HTTPMediaType.json, false), (.urlEncodedForm, true)] {
            guard let existing = try? ContentConfiguration.global.requireDecoder(for: type),
                !(existing is ControlCharacterGuard)
            else { continue }
            ContentConfiguration.global.use(decoder: ControlCharacterGuard(wrapped: existing, form: form), for: type)
        }
    }()

    private static let allowed: Set<UInt32> = [0x09, 0x0A, 0x0D]

    /// A `\u00XX` escape below U+0020 (other than tab and line breaks), or such a raw byte.
    static func jsonHasControl(_ bytes: some Collection<UInt8>) -> Bool {
        let array = Array(bytes)
        var index = 0
        while index < array.count {
            let byte = array[index]
            if byte < 0x20, !allowed.contains(UInt32(byte)) { return true }
            if byte == UInt8(ascii: "\\"), index + 1 < array.count {
                if array[index + 1] == UInt8(ascii: "u"), index + 5 < array.count,
                    let value = UInt32(String(decoding: array[(index + 2)...(index + 5)], as: UTF8.self), radix: 16)
                {
                    if value < 0x20, !allowed.contains(value) { return true }
                    index += 6
                } else {
                    index += 2  // an escaped character, `\\` among them
                }
                continue
            }
            index += 1
        }
        return false
    }

    /// A `%XX` escape below 0x20 (other than tab and line breaks), or such a raw byte.
    static func formHasControl(_ bytes: some Collection<UInt8>) -> Bool {
        let array = Array(bytes)
        var index = 0
        while index < array.count {
            let byte = array[index]
            if byte < 0x20, !allowed.contains(UInt32(byte)) { return true }
            if byte == UInt8(ascii: "%"), index + 2 < array.count,
                let value = UInt32(String(decoding: array[(index + 1)...(index + 2)], as: UTF8.self), radix: 16)
            {
                if value < 0x20, !allowed.contains(value) { return true }
                index += 3
                continue
            }
            index += 1
        }
        return false
    }
}
