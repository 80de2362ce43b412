import Foundation

/// One MIME entity (RFC 2045): ordered header fields and a body, written with CRLF line ends.
/// Its `text` is exactly what an OpenPGP/MIME signature covers (RFC 3156 §5), so it is built in
/// canonical form from the start: CRLF, 7-bit, no trailing white space.
public struct MIMEEntity: Hashable, Sendable {
    /// A header field as it is written (`name: value`).
    public struct Field: Hashable, Sendable {
        public let name: String
        public let value: String

        public init(_ name: String, _ value: String) {
            self.name = name
            self.value = value
        }
    }

    public var fields: [Field]
    /// The body, lines joined by CRLF.
    public var body: String

    public init(fields: [Field], body: String) {
        self.fields = fields
        self.body = body
    }

    /// Header fields, an empty line and the body, in canonical CRLF form.
    public var text: String {
        fields.map { "\($0.name): \($0.value)\r\n" }.joined() + "\r\n" + body
    }

    /// A `text/plain; charset=utf-8` entity. ASCII text goes as 7bit (trailing white space removed,
    /// which a signature would not survive); anything else as base64 in 76-column lines.
    public static func plainText(_ text: String) -> MIMEEntity {
        let lines = text.replacingOccurrences(of: "\r\n", with: "\n").split(
            separator: "\n", omittingEmptySubsequences: false
        )
        .map { $0.replacing(/[ \t]+$/, with: "") }
        let isSevenBit = text.unicodeScalars.allSatisfy { $0.isASCII } && lines.allSatisfy { $0.utf8.count <= 998 }
        if isSevenBit {
            return MIMEEntity(
                fields: [
                    Field("Content-Type", "text/plain; charset=utf-8"), Field("Content-Transfer-Encoding", "7bit"),
                ],
                body: lines.joined(separator: "\r\n"))
        }
        return MIMEEntity(
            fields: [Field("Content-Type", "text/plain; charset=utf-8"), Field("Content-Transfer-Encoding", "base64")],
            body: base64Lines(Data(lines.joined(separator: "\r\n").utf8)))
    }

    /// A file as a base64 part with `Content-Disposition: attachment`.
    public static func attachment(_ data: Data, filename: String, contentType: String) -> MIMEEntity {
        let safe = filename.filter { $0.isASCII && $0 != "\"" && $0 != "\\" && !$0.isNewline }
        return MIMEEntity(
            fields: [
                Field("Content-Type", "\(contentType); name=\"\(safe)\""),
                Field("Content-Disposition", "attachment; filename=\"\(safe)\""),
                Field("Content-Transfer-Encoding", "base64"),
            ],
            body: base64Lines(data))
    }

    /// `multipart/mixed` (RFC 2046 §5.1.3): a text and its attachments.
    public static func mixed(_ parts: [MIMEEntity], boundary: String) -> MIMEEntity {
        MIMEEntity(
            fields: [Field("Content-Type", "multipart/mixed; boundary=\"\(boundary)\"")],
            body: parts.map { "--\(boundary)\r\n" + $0.text + "\r\n" }.joined() + "--\(boundary)--")
    }

    /// `multipart/signed` (RFC 3156 §5): this entity, then the detached ASCII-armoured signature
    /// made over exactly `signed.text`.
    public static func signed(_ signed: MIMEEntity, armoredSignature: String, boundary: String) -> MIMEEntity {
        MIMEEntity(
            fields: [
                Field(
                    "Content-Type",
                    "multipart/signed; micalg=pgp-sha256; protocol=\"application/pgp-signature\"; boundary=\"\(boundary)\""
                )
            ],
            body: [
                "This is an OpenPGP/MIME signed message (RFC 4880 and 3156)", "--\(boundary)", signed.text,
                "--\(boundary)", "Content-Type: application/pgp-signature; name=\"signature.asc\"",
                "Content-Description: OpenPGP digital signature", "",
                crlf(armoredSignature), "--\(boundary)--", "",
            ].joined(separator: "\r\n"))
    }

    /// `multipart/encrypted` (RFC 3156 §4): the version part and the ASCII-armoured OpenPGP message
    /// (signed and encrypted in one, §6.2).
    public static func encrypted(armoredMessage: String, boundary: String) -> MIMEEntity {
        MIMEEntity(
            fields: [
                Field(
                    "Content-Type",
                    "multipart/encrypted; protocol=\"application/pgp-encrypted\"; boundary=\"\(boundary)\"")
            ],
            body: [
                "This is an OpenPGP/MIME encrypted message (RFC 4880 and 3156)", "--\(boundary)",
                "Content-Type: application/pgp-encrypted", "Content-Description: PGP/MIME version identification", "",
                "Version: 1", "", "--\(boundary)",
                "Content-Type: application/octet-stream; name=\"encrypted.asc\"",
                "Content-Description: OpenPGP encrypted message",
                "Content-Disposition: inline; filename=\"encrypted.asc\"",
                "", crlf(armoredMessage), "--\(boundary)--", "",
            ].joined(separator: "\r\n"))
    }

    /// Base64 in lines of 76 characters joined by CRLF (RFC 2045 §6.8).
    public static func base64Lines(_ data: Data) -> String {
        let encoded = data.base64EncodedString()
        var lines: [Substring] = []
        var start = encoded.startIndex
        while start < encoded.endIndex {
            let end = encoded.index(start, offsetBy: 76, limitedBy: encoded.endIndex) ?? encoded.endIndex
            lines.append(encoded[start..<end])
            start = end
        }
        return lines.joined(separator: "\r\n")
    }

    /// `text` with LF line ends turned into CRLF and no trailing line end.
    static func crlf(_ text: String) -> String {
        text.replacingOccurrences(of: "\r\n", with: "\n").trimmingCharacters(in: .newlines)
            .replacingOccurrences(of: "\n", with: "\r\n")
    }
}
