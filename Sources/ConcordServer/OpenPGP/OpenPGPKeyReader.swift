import Foundation

/// What GnuPG read from an OpenPGP public key.
struct OpenPGPKeyInfo: Sendable, Equatable {
    /// What is wrong with the key, stored with it rather than refused or silently accepted.
    enum Finding: String, Sendable, Codable {
        case expired
        case revoked
        case unparsable
    }

    var fingerprint: String?
    var userIDs: [String]
    var algorithm: String?
    var createdAt: Date?
    var expiresAt: Date?
    var finding: Finding?

    static let unparsable = OpenPGPKeyInfo(fingerprint: nil, userIDs: [], finding: .unparsable)
}

/// Reads OpenPGP keys with the real GnuPG: `gpg --with-colons --show-keys`, in Concord's own
/// `GNUPGHOME`, without importing anything into a keyring.
struct OpenPGPKeyReader: Sendable {
    let gnupg: any GnuPGEngine
    let home: String

    /// Parses an ASCII-armoured or binary public key; garbage yields `.unparsable`.
    func read(_ armored: String, now: Date) async throws -> OpenPGPKeyInfo {
        try FileManager.default.createDirectory(
            atPath: home, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let output = try await gnupg.run(
            home: home, arguments: ["--with-colons", "--fixed-list-mode", "--show-keys"],
            input: Data(armored.utf8))
        guard output.status == 0 else { return .unparsable }
        var info = Self.parseColons(output.stdout)
        if info.fingerprint == nil { return .unparsable }
        if info.finding == nil, let expires = info.expiresAt, expires <= now { info.finding = .expired }
        return info
    }

    /// Reads the primary key's `pub`, `fpr` and `uid` records of `--with-colons` output.
    static func parseColons(_ text: String) -> OpenPGPKeyInfo {
        var info = OpenPGPKeyInfo(fingerprint: nil, userIDs: [])
        var inPrimary = false
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            guard let record = fields.first else { continue }
            switch record {
            case "pub" where info.fingerprint == nil && fields.count > 6:
                inPrimary = true
                info.algorithm = algorithmName(
                    code: fields[3], bits: fields[2], curve: fields.count > 16 ? fields[16] : "")
                info.createdAt = TimeInterval(fields[5]).map { Date(timeIntervalSince1970: $0) }
                info.expiresAt = TimeInterval(fields[6]).map { Date(timeIntervalSince1970: $0) }
                if fields[1] == "r" { info.finding = .revoked }
                if fields[1] == "e" { info.finding = .expired }
            case "fpr" where inPrimary && info.fingerprint == nil && fields.count > 9:
                info.fingerprint = fields[9]
            case "uid" where inPrimary && fields.count > 9:
                info.userIDs.append(unescape(fields[9]))
            case "sub":
                inPrimary = false
            default:
                continue
            }
        }
        return info
    }

    private static func algorithmName(code: String, bits: String, curve: String) -> String {
        switch code {
        case "1", "2", "3": return "rsa\(bits)"
        case "17": return "dsa\(bits)"
        case "18", "19", "22": return curve.isEmpty ? "ecc\(bits)" : curve
        default: return "algorithm-\(code)"
        }
    }

    /// GnuPG escapes `:` and control characters as `\xHH` in colon output.
    private static func unescape(_ text: String) -> String {
        var bytes: [UInt8] = []
        var index = text.utf8.startIndex
        let utf8 = text.utf8
        while index < utf8.endIndex {
            if utf8[index] == UInt8(ascii: "\\"), utf8.distance(from: index, to: utf8.endIndex) >= 4,
                utf8[utf8.index(after: index)] == UInt8(ascii: "x"),
                let byte = UInt8(
                    String(
                        decoding: utf8[utf8.index(index, offsetBy: 2)..<utf8.index(index, offsetBy: 4)], as: UTF8.self),
                    radix: 16)
            {
                bytes.append(byte)
                index = utf8.index(index, offsetBy: 4)
            } else {
                bytes.append(utf8[index])
                index = utf8.index(after: index)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
