import Foundation

/// An Internet message (RFC 5322) around one MIME entity: the envelope header fields, a stable
/// Message-ID, and RFC 2047 encoded words where a subject is not ASCII.
public struct MailMessage: Hashable, Sendable {
    /// `Name <address>` or a bare address for From and To.
    public var from: String
    public var to: [String]
    public var subject: String
    public var date: Date
    /// Without angle brackets: `id@domain`. The same notification keeps the same id on every
    /// attempt, so a copy sent twice is recognisable as a duplicate.
    public var messageID: String
    /// Further header fields (for example `X-Concord-Incident`).
    public var extraFields: [MIMEEntity.Field]
    public var content: MIMEEntity

    public init(
        from: String, to: [String], subject: String, date: Date, messageID: String,
        extraFields: [MIMEEntity.Field] = [], content: MIMEEntity
    ) {
        self.from = from
        self.to = to
        self.subject = subject
        self.date = date
        self.messageID = messageID
        self.extraFields = extraFields
        self.content = content
    }

    /// The message as it is handed to the mail transport, CRLF throughout.
    public var text: String {
        var fields = [
            MIMEEntity.Field("From", from), MIMEEntity.Field("To", to.joined(separator: ", ")),
            MIMEEntity.Field("Subject", Self.encodedWords(subject)),
            MIMEEntity.Field("Date", Self.rfc5322Date(date)), MIMEEntity.Field("Message-ID", "<\(messageID)>"),
        ]
        fields += extraFields
        fields.append(MIMEEntity.Field("MIME-Version", "1.0"))
        return MIMEEntity(fields: fields + content.fields, body: content.body).text + "\r\n"
    }

    /// The text itself when it is printable ASCII; otherwise RFC 2047 `=?UTF-8?B?…?=` words of at
    /// most 75 characters, folded onto continuation lines, never splitting a character.
    public static func encodedWords(_ text: String) -> String {
        if text.unicodeScalars.allSatisfy({ $0.isASCII && $0.value >= 0x20 && $0.value < 0x7F }) { return text }
        var words: [String] = []
        var chunk = Data()
        for character in text {
            let bytes = Data(String(character).utf8)
            // 12 characters of =?UTF-8?B??= leave 63 for base64, i.e. 45 bytes of UTF-8.
            if chunk.count + bytes.count > 45 {
                words.append("=?UTF-8?B?\(chunk.base64EncodedString())?=")
                chunk = Data()
            }
            chunk.append(bytes)
        }
        if !chunk.isEmpty { words.append("=?UTF-8?B?\(chunk.base64EncodedString())?=") }
        return words.joined(separator: "\r\n ")
    }

    /// `Sun, 22 Nov 2026 22:28:10 +0000`.
    public static func rfc5322Date(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss '+0000'"
        return formatter.string(from: date)
    }
}
