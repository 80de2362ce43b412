import Foundation

/// What Concord reads of a reply mail a mailbox posts: its sender, and the text its signature
/// covers (the clearsigned body, dash-escaping undone).
enum ReplyMail {
    /// The address of the mail's From header.
    static func sender(of mail: String) -> String? {
        let head = mail.replacingOccurrences(of: "\r\n", with: "\n").components(separatedBy: "\n\n").first ?? ""
        guard let line = head.split(separator: "\n").first(where: { $0.lowercased().hasPrefix("from:") }),
            let range = line.range(of: #"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+"#, options: .regularExpression)
        else { return nil }
        return String(line[range])
    }

    /// The text a clearsigned block signs: after its armour headers, before its signature.
    static func signedText(of block: String) -> String {
        let lines = block.replacingOccurrences(of: "\r\n", with: "\n").components(separatedBy: "\n")
        guard let blank = lines.firstIndex(of: "") else { return "" }
        let body = lines[(blank + 1)...].prefix { $0 != "-----BEGIN PGP SIGNATURE-----" }
        return body.map { $0.hasPrefix("- ") ? String($0.dropFirst(2)) : $0 }.joined(separator: "\n")
    }
}
