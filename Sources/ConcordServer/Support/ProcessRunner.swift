import Foundation
import Subprocess
import SystemPackage

/// Runs a program without a shell, feeding standard input and collecting both outputs, and ends it
/// (SIGTERM, then SIGKILL) when it runs past its time limit. Nothing that passes through is logged.
///
/// Built on swift-subprocess, whose pipes are read and written with non-blocking I/O: a run holds
/// no thread of the cooperative pool while it waits (the earlier `Process` and `readDataToEndOfFile`
/// inside `Task.detached` held one of this machine's two for each call), so a burst of mail to
/// sign and encrypt cannot stall the request threads.
enum ProcessRunner {
    /// What one run produced.
    struct Output: Sendable {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    /// The most either output may hold; a program writing more is an error, not a memory spike.
    static let outputLimit = 64 << 20

    /// Runs `executable` (a path, or a name looked up on `PATH`) with `arguments`.
    static func run(
        _ executable: String, arguments: [String], input: Data = Data(), environment: [String: String] = [:],
        timeLimit: Duration = .seconds(120)
    ) async throws -> Output {
        let path = try resolve(executable)
        var changes: [Subprocess.Environment.Key: String?] = [:]
        for (name, value) in environment {
            guard let key = Subprocess.Environment.Key(rawValue: name) else { continue }
            changes[key] = value
        }
        let settings = (changes, arguments, input)
        return try await withThrowingTaskGroup(of: Output?.self) { group in
            group.addTask {
                let (changes, arguments, input) = settings
                // Standard input comes from an unnamed file, never a pipe: a program that exits
                // before reading it all (msmtp refused by its server) would leave Subprocess's
                // writing end open, which it traps on (swift-subprocess issue #367).
                let result = try await Subprocess.run(
                    .path(FilePath(path)), arguments: Arguments(arguments),
                    environment: .inherit.updating(changes),
                    input: .fileDescriptor(try inputFile(input), closeAfterSpawningProcess: true),
                    output: .data(limit: outputLimit), error: .data(limit: outputLimit))
                let status: Int32
                switch result.terminationStatus {
                case .exited(let code): status = code
                case .signaled(let signal): status = 128 + signal
                }
                return Output(
                    status: status, stdout: String(decoding: result.standardOutput, as: UTF8.self),
                    stderr: String(decoding: result.standardError, as: UTF8.self))
            }
            group.addTask {
                try await Task.sleep(for: timeLimit)
                return nil
            }
            // The first to finish wins; cancelling the run ends the program (Subprocess's teardown).
            guard let first = try await group.next(), let output = first else {
                group.cancelAll()
                // As a program ended by SIGTERM: callers see a failed run, as before.
                return Output(
                    status: 128 + SIGTERM, stdout: "",
                    stderr: "\((path as NSString).lastPathComponent) ran past its time limit of \(timeLimit)")
            }
            group.cancelAll()
            return output
        }
    }

    /// `data` in a file of its own, already unlinked (so nothing is left behind, whatever happens
    /// to the run) and readable by this process alone, positioned at its start.
    static func inputFile(_ data: Data) throws -> FileDescriptor {
        var template = Array((FileManager.default.temporaryDirectory.path + "/concord-input-XXXXXX").utf8CString)
        let raw = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard raw >= 0 else { throw ConcordError(.unavailable, "no temporary file for a program's input") }
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        let file = FileDescriptor(rawValue: raw)
        do {
            _ = try data.withUnsafeBytes { try file.writeAll($0) }
            _ = try file.seek(offset: 0, from: .start)
        } catch {
            try? file.close()
            throw ConcordError(.unavailable, "could not write a program's input: \(error)")
        }
        return file
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
