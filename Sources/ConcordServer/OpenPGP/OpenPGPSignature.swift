import Crypto
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
    /// GnuPG home holding that key only. The home is named by the SHA-256 of the armored key under
    /// `keysDirectory` and built once (in a home of its own, then renamed into place, so that two
    /// checks building it at once leave one whole home); each check after the first runs one
    /// `gpg --verify`, not an import and a verify. A changed key is another home.
    static func verifies(
        _ signed: String, key: String, fingerprint: String, gnupg: any GnuPGEngine, keysDirectory: String
    ) async throws -> Bool {
        let home = try await keyHome(for: key, in: keysDirectory, gnupg: gnupg)
        let result = try await gnupg.run(
            home: home, arguments: ["--no-autostart", "--no-auto-check-trustdb", "--status-fd", "2", "--verify"],
            input: Data(signed.utf8))
        return result.status == 0 && result.stderr.contains("[GNUPG:] VALIDSIG \(fingerprint.uppercased())")
    }

    /// The home holding `key` alone, built when it is not there yet.
    static func keyHome(for key: String, in keysDirectory: String, gnupg: any GnuPGEngine) async throws -> String {
        let digest = SHA256.hash(data: Data(key.utf8)).map { String(format: "%02x", $0) }.joined()
        let home = (keysDirectory as NSString).appendingPathComponent(digest)
        let files = FileManager.default
        if files.fileExists(atPath: (home as NSString).appendingPathComponent("pubring.kbx")) { return home }
        try files.createDirectory(
            atPath: keysDirectory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let building = (keysDirectory as NSString).appendingPathComponent(".building-\(UUID().uuidString)")
        try files.createDirectory(
            atPath: building, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        defer { try? files.removeItem(atPath: building) }
        // Its status is not read: without an agent (none is started for public keys, and a long
        // data path leaves no room for its socket) gpg says so and fails, having imported the key.
        // A key it could not import leaves a home that verifies nothing.
        _ = try await gnupg.run(home: building, arguments: ["--no-autostart", "--import"], input: Data(key.utf8))
        if rename(building, home) != 0, !files.fileExists(atPath: home) {
            throw ConcordError(.unavailable, "could not keep the key's GnuPG home in \(keysDirectory)")
        }
        return home
    }
}
