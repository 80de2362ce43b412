import Foundation

/// Runs a program without a shell, feeding standard input and collecting both outputs off the
/// event loop, and kills it when it runs past its time limit. Nothing that passes through is logged.
enum ProcessRunner {
    /// What one run produced.
    struct Output: Sendable {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    /// Runs `executable` (a path, or a name looked up on `PATH`) with `arguments`.
    static func run(
        _ executable: String, arguments: [String], input: Data = Data(), environment: [String: String] = [:],
        timeLimit: Duration = .seconds(120)
    ) async throws -> Output {
        let path = try resolve(executable)
        return try await Task.detached {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: path)
            process.arguments = arguments
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
            let stdin = Pipe()
            let stdout = Pipe()
            let stderr = Pipe()
            process.standardInput = stdin
            process.standardOutput = stdout
            process.standardError = stderr
            try process.run()
            let watchdog = Task {
                try await Task.sleep(for: timeLimit)
                if process.isRunning { process.terminate() }
            }
            // Read both pipes while writing, so a large input cannot dead-lock on a full pipe buffer.
            async let out = Task.detached { stdout.fileHandleForReading.readDataToEndOfFile() }.value
            async let err = Task.detached { stderr.fileHandleForReading.readDataToEndOfFile() }.value
            try? stdin.fileHandleForWriting.write(contentsOf: input)
            try? stdin.fileHandleForWriting.close()
            let (outData, errData) = await (out, err)
            process.waitUntilExit()
            watchdog.cancel()
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
        throw ConcordError(.unavailable, "\(name) was not found on PATH; install it or configure its path")
    }
}
