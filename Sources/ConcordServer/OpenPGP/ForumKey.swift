import Foundation

/// The forum's own OpenPGP key in `DATA/gnupg`, which signs every notification. `concord forum-key
/// create` makes one (Ed25519 for signing, Curve25519 for encryption, no passphrase: the file
/// permissions of the data directory protect it, as with a mail server's DKIM key).
struct ForumKey: Sendable {
    let gnupg: any GnuPGEngine
    let home: String
    /// `CONCORD_SIGNING_KEY`, if set.
    let configured: String?

    init(_ configuration: ConcordConfiguration, gnupg: any GnuPGEngine) {
        self.gnupg = gnupg
        home = configuration.gnupgHome
        configured = configuration.mail.signingKey
    }

    /// The fingerprint to sign with: the configured one, else the only secret key in the home.
    func fingerprint() async throws -> String {
        let listed = try await gnupg.run(home: try prepareHome(), arguments: ["--with-colons", "--list-secret-keys"])
        let fingerprints = Self.primaryFingerprints(listed.stdout)
        if let configured {
            let wanted = configured.replacingOccurrences(of: " ", with: "").uppercased()
            guard fingerprints.contains(wanted) else {
                throw ConcordError(.unavailable, "CONCORD_SIGNING_KEY \(wanted) has no secret key in \(home)")
            }
            return wanted
        }
        guard !fingerprints.isEmpty else {
            throw ConcordError(.notFound, "the forum has no signing key: run `concord forum-key create`")
        }
        guard fingerprints.count == 1, let only = fingerprints.first else {
            throw ConcordError(
                .unavailable, "\(home) holds \(fingerprints.count) secret keys: set CONCORD_SIGNING_KEY")
        }
        return only
    }

    /// An armored detached signature of `data` by the forum's key (documents the forum publishes:
    /// a meeting's minutes), which `gpg --verify FILE.asc FILE` checks against the forum's public key.
    func detachSign(_ data: Data) async throws -> String {
        let signer = try await fingerprint()
        let signed = try await gnupg.run(
            home: try prepareHome(),
            arguments: ["--armor", "--local-user", signer, "--digest-algo", "SHA256", "--detach-sign"], input: data)
        guard signed.status == 0, signed.stdout.contains("BEGIN PGP SIGNATURE") else {
            throw ConcordError(.unavailable, "gpg could not sign: \(signed.stderr.split(separator: "\n").first ?? "")")
        }
        return signed.stdout
    }

    /// Creates a key for `name <email>` and returns its fingerprint.
    func create(name: String, email: String) async throws -> String {
        let home = try prepareHome()
        let generated = try await gnupg.run(
            home: home,
            arguments: [
                "--passphrase", "", "--pinentry-mode", "loopback", "--quick-gen-key", "\(name) <\(email)>",
                "ed25519", "sign,cert", "3y",
            ])
        guard generated.status == 0 else {
            throw ConcordError(.unavailable, "gpg could not create the forum key: \(generated.stderr.prefix(300))")
        }
        let listed = try await gnupg.run(home: home, arguments: ["--with-colons", "--list-secret-keys", "<\(email)>"])
        guard let fingerprint = Self.primaryFingerprints(listed.stdout).last else {
            throw ConcordError(.unavailable, "gpg created no key for \(email)")
        }
        let subkey = try await gnupg.run(
            home: home,
            arguments: [
                "--passphrase", "", "--pinentry-mode", "loopback", "--quick-add-key", fingerprint, "cv25519", "encr",
                "3y",
            ])
        guard subkey.status == 0 else {
            throw ConcordError(.unavailable, "gpg could not add the encryption subkey: \(subkey.stderr.prefix(300))")
        }
        return fingerprint
    }

    /// The forum's public key, ASCII-armoured, for members to import.
    func publicKey() async throws -> String {
        let fingerprint = try await fingerprint()
        return try await gnupg.run(home: home, arguments: ["--armor", "--export", fingerprint]).stdout
    }

    /// The home directory, created private if it is missing.
    private func prepareHome() throws -> String {
        try FileManager.default.createDirectory(
            atPath: home, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        return home
    }

    /// The fingerprints of primary keys in `--with-colons` output (the `fpr` right after `sec`).
    static func primaryFingerprints(_ colons: String) -> [String] {
        var result: [String] = []
        var afterPrimary = false
        for line in colons.split(separator: "\n") {
            let fields = line.split(separator: ":", omittingEmptySubsequences: false)
            if fields.first == "sec" || fields.first == "pub" {
                afterPrimary = true
            } else if fields.first == "fpr", afterPrimary, fields.count > 9 {
                result.append(String(fields[9]))
                afterPrimary = false
            } else if fields.first == "ssb" || fields.first == "sub" {
                afterPrimary = false
            }
        }
        return result
    }
}
