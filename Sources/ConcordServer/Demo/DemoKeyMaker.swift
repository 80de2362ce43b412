import Foundation

/// Generates throw-away OpenPGP keys for the demo forum with the real GnuPG, in a temporary home
/// that is removed afterwards. Ed25519 keys with a Curve25519 encryption subkey take milliseconds, so the demo loads quickly.
struct DemoKeyMaker {
    let gnupg: any GnuPGEngine
    /// The time the keys' ages count back from.
    let now: Date

    /// An armoured public key for `email`, valid for `days` from `createdDaysAgo` days ago
    /// (a negative remaining validity gives an expired key).
    func makeKey(name: String, email: String, createdDaysAgo: Int, validDays: Int) async throws -> String {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("concord-demo-\(UUID().uuidString)")
            .path
        try FileManager.default.createDirectory(
            atPath: home, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        defer { try? FileManager.default.removeItem(atPath: home) }
        let created = now.addingTimeInterval(-Double(createdDaysAgo) * 86_400)
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss"
        let generate = try await gnupg.run(
            home: home,
            arguments: [
                "--faked-system-time", formatter.string(from: created) + "!", "--passphrase", "",
                "--pinentry-mode", "loopback", "--quick-gen-key", "\(name) <\(email)>", "future-default", "default",
                "\(validDays)d",
            ])
        guard generate.status == 0 else {
            throw ConcordError(.unavailable, "gpg could not generate a demo key: \(generate.stderr.prefix(200))")
        }
        let export = try await gnupg.run(home: home, arguments: ["--armor", "--export", email])
        guard export.status == 0, export.stdout.contains("BEGIN PGP PUBLIC KEY BLOCK") else {
            throw ConcordError(.unavailable, "gpg could not export a demo key")
        }
        return export.stdout
    }
}
