import Foundation

/// Runs the `gpg` binary without a shell and without a terminal, feeding standard input and
/// collecting both outputs. Nothing that passes through is logged.
enum GnuPG {
    /// What one run produced.
    struct Output: Sendable {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    /// Runs `gpg --homedir home --batch --no-tty arguments…` off the event loop.
    static func run(_ path: String, home: String, arguments: [String], input: Data = Data()) async throws -> Output {
        try await Task.detached {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: try resolve(path))
            process.arguments = ["--homedir", home, "--batch", "--no-tty", "--quiet"] + arguments
            var environment = ProcessInfo.processInfo.environment
            environment["GNUPGHOME"] = home
            process.environment = environment
            let stdin = Pipe()
            let stdout = Pipe()
            let stderr = Pipe()
            process.standardInput = stdin
            process.standardOutput = stdout
            process.standardError = stderr
            try process.run()
            // Read both pipes while writing, so a large key cannot dead-lock on a full pipe buffer.
            async let out = Task.detached { stdout.fileHandleForReading.readDataToEndOfFile() }.value
            async let err = Task.detached { stderr.fileHandleForReading.readDataToEndOfFile() }.value
            try stdin.fileHandleForWriting.write(contentsOf: input)
            try stdin.fileHandleForWriting.close()
            let (outData, errData) = await (out, err)
            process.waitUntilExit()
            return Output(
                status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                stderr: String(decoding: errData, as: UTF8.self))
        }.value
    }

    /// Finds `name` on `PATH` unless it is already a path.
    static func resolve(_ name: String) throws -> String {
        if name.contains("/") { return name }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw ConcordError(.unavailable, "\(name) was not found on PATH; install GnuPG")
    }
}
