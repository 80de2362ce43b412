import ArgumentParser
import ConcordCore
import Foundation

/// `concord drill …`: drills and their scenarios.
struct DrillCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "drill", abstract: "Drills: check scenario files.", subcommands: [Validate.self])

    /// `concord drill validate FILE`: every problem with its line, or a one-line summary.
    struct Validate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check a scenario file (YAML or JSON); print every problem with its line, or a summary.",
            discussion: "The format is documented in docs/drill-scenarios.md. Exits 1 when the file has problems.")

        @Argument(help: "The scenario file; attachments are looked for beside it.") var file: String

        func run() throws {
            let url = URL(fileURLWithPath: file)
            guard let data = FileManager.default.contents(atPath: file) else { throw fail("cannot read \(file)") }
            guard let text = String(data: data, encoding: .utf8) else { throw fail("\(file) is not UTF-8 text") }
            let folder = url.deletingLastPathComponent()
            let result = ScenarioReader.read(text) { name in
                FileManager.default.fileExists(atPath: folder.appendingPathComponent(name).path)
            }
            switch result {
            case .success(let scenario):
                print("valid: \(scenario.summary)")
            case .failure(let failure):
                for problem in failure.problems {
                    FileHandle.standardError.write(Data("\(file):\(problem)\n".utf8))
                }
                FileHandle.standardError.write(
                    Data("\(failure.problems.count) problem\(failure.problems.count == 1 ? "" : "s") in \(file)\n".utf8)
                )
                throw ExitCode(1)
            }
        }

        private func fail(_ message: String) -> ExitCode {
            FileHandle.standardError.write(Data("concord drill validate: \(message)\n".utf8))
            return ExitCode(1)
        }
    }
}
