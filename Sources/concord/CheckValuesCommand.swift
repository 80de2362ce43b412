import ArgumentParser
import ConcordServer
import Foundation

/// `concord check-values`: every stored TLP label and state is one Concord writes (after an
/// upgrade, a restore, or a hand edit of the database). Exits 1 naming each column that is not.
struct CheckValuesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-values",
        abstract: "Check that every stored TLP label and state is a valid one (exit 1 naming each that is not).")

    func run() async throws {
        let findings = try await ApplicationRunner.withApplication(schema: .requireCurrent) { app in
            try await StoredValues.check(on: app.db)
        }
        guard findings.isEmpty else {
            for finding in findings { FileHandle.standardError.write(Data("concord: \(finding)\n".utf8)) }
            throw ExitCode(1)
        }
        print("\(StoredValues.checkedColumns.count) columns checked: every TLP label and state is valid")
    }
}
