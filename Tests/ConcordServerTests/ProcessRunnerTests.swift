import Foundation
import Testing

@testable import ConcordServer

/// Programs run without a shell, with their input fed and both outputs collected together, and
/// are ended when they run past their time limit.
@Suite struct ProcessRunnerTests {
    @Test func aLargeInputComesBackWhole() async throws {
        let text = String(repeating: "0123456789abcdef\n", count: 65_536)  // 1 MiB, past any pipe buffer
        let output = try await ProcessRunner.run("cat", arguments: [], input: Data(text.utf8))
        #expect(output.status == 0)
        #expect(output.stdout == text)
    }

    /// A program that exits without reading its input (msmtp refused by its server) ends as a
    /// failed run, many times over, and never brings the server down (a pipe's unwritten end made
    /// swift-subprocess trap: its issue #367).
    @Test func aProgramThatLeavesItsInputUnreadEndsCleanly() async throws {
        let input = Data(String(repeating: "a line of a mail to send\n", count: 50_000).utf8)
        let outputs = try await withThrowingTaskGroup(of: ProcessRunner.Output.self) { group in
            for _ in 0..<40 {
                group.addTask { try await ProcessRunner.run("sh", arguments: ["-c", "exit 75"], input: input) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(outputs.count == 40 && outputs.allSatisfy { $0.status == 75 })
        let head = try await ProcessRunner.run("head", arguments: ["-n", "1"], input: input)
        #expect(head.status == 0 && head.stdout == "a line of a mail to send\n")
    }

    @Test func bothOutputsTheStatusAndTheEnvironmentArePassed() async throws {
        let output = try await ProcessRunner.run(
            "sh", arguments: ["-c", "printf %s \"$CONCORD_PROBE\"; echo refused >&2; exit 3"],
            environment: ["CONCORD_PROBE": "sent"])
        #expect(output.status == 3)
        #expect(output.stdout == "sent")
        #expect(output.stderr == "refused\n")
    }

    @Test func aProgramPastItsTimeLimitIsEndedAndReadsAsFailed() async throws {
        let output = try await ProcessRunner.run("sleep", arguments: ["30"], timeLimit: .milliseconds(200))
        #expect(output.status == 128 + SIGTERM)
        #expect(output.stderr.contains("ran past its time limit"))
    }

    @Test func aProgramNotOnThePathIsAClearError() async throws {
        let error = await #expect(throws: ConcordError.self) {
            try await ProcessRunner.run("concord-no-such-tool", arguments: [])
        }
        #expect(error?.detail.contains("was not found on PATH") == true)
    }
}
