import Foundation

/// Checks inline OpenPGP signatures (`-----BEGIN PGP SIGNED MESSAGE-----`) in mail, with the real
/// GnuPG, against one known key: the answer to "did the holder of this key sign this?".
enum OpenPGPSignature {
    /// The clearsigned block of `mail`, if it holds one.
    static func signedBlock(in mail: String) -> String? {
        guard let start = mail.range(of: "-----BEGIN PGP SIGNED MESSAGE-----"),
            let end = mail.range(of: "-----END PGP SIGNATURE-----", range: start.upperBound..<mail.endIndex)
        else { return nil }
        return String(mail[start.lowerBound..<end.upperBound]).replacingOccurrences(of: "\r\n", with: "\n")
    }

    /// Whether `signed` carries a good signature by the key with `fingerprint`, checked in a
    /// GnuPG home of its own holding that key only.
    static func verifies(_ signed: String, key: String, fingerprint: String, gnupg: any GnuPGEngine) async throws
        -> Bool
    {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("concord-verify-\(UUID().uuidString)")
            .path
        try FileManager.default.createDirectory(
            atPath: home, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        defer { try? FileManager.default.removeItem(atPath: home) }
        _ = try await gnupg.run(home: home, arguments: ["--import"], input: Data(key.utf8))
        let result = try await gnupg.run(
            home: home, arguments: ["--status-fd", "2", "--verify"], input: Data(signed.utf8))
        return result.status == 0 && result.stderr.contains("[GNUPG:] VALIDSIG \(fingerprint.uppercased())")
    }
}
