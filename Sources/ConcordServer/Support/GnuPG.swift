import Foundation

/// Runs the `gpg` binary in batch mode on one home directory, through `ProcessRunner`.
enum GnuPG {
    typealias Output = ProcessRunner.Output

    /// Runs `gpg --homedir home --batch --no-tty --quiet arguments…`.
    static func run(_ path: String, home: String, arguments: [String], input: Data = Data()) async throws -> Output {
        try await ProcessRunner.run(
            path, arguments: ["--homedir", home, "--batch", "--no-tty", "--quiet"] + arguments, input: input,
            environment: ["GNUPGHOME": home])
    }
}
