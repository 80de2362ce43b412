import Foundation
import Vapor

/// Where Concord's OpenPGP work is done: one GnuPG invocation in batch mode on one home
/// directory. The application runs the real `gpg` (`LiveGnuPG`, `CONCORD_GPG`); a test may set
/// another on `app.gnupg` to see what Concord asks of GnuPG, or to make it fail. Every key, signature
/// and encryption in Concord goes through here.
protocol GnuPGEngine: Sendable {
    /// Runs `gpg --homedir home --batch --no-tty --quiet arguments…` with `input` on its standard input.
    func run(home: String, arguments: [String], input: Data) async throws -> ProcessRunner.Output
}

extension GnuPGEngine {
    func run(home: String, arguments: [String]) async throws -> ProcessRunner.Output {
        try await run(home: home, arguments: arguments, input: Data())
    }
}

/// The `gpg` binary, through `ProcessRunner`.
struct LiveGnuPG: GnuPGEngine {
    let path: String

    func run(home: String, arguments: [String], input: Data) async throws -> ProcessRunner.Output {
        try await ProcessRunner.run(
            path, arguments: ["--homedir", home, "--batch", "--no-tty", "--quiet"] + arguments, input: input,
            environment: ["GNUPGHOME": home])
    }
}

extension Application {
    private struct GnuPGKey: StorageKey { typealias Value = any GnuPGEngine }

    /// The GnuPG Concord runs: the real `gpg` at `CONCORD_GPG` unless a test set another.
    var gnupg: any GnuPGEngine {
        get { storage[GnuPGKey.self] ?? LiveGnuPG(path: concord.gpgPath) }
        set { storage[GnuPGKey.self] = newValue }
    }
}
