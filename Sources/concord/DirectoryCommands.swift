import ArgumentParser
import ConcordServer
import Foundation

/// `concord directory …`: the directory as a file, out and back in.
struct DirectoryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "directory", abstract: "Export or import the forum directory.",
        subcommands: [Export.self, Import.self])

    /// `concord directory export [--format json|csv] [--output FILE]`.
    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the whole directory (with private contacts and keys) as JSON or CSV.")

        @Option(help: "json (everything, re-importable) or csv (one row per team).") var format = "json"
        @Option(help: "Write to this file instead of standard output.") var output: String?

        func run() async throws {
            guard let chosen = DirectoryTransfer.Format(rawValue: format) else {
                throw ValidationError("--format must be json or csv")
            }
            let text = try await ApplicationRunner.withApplication { app in
                try await DirectoryTransfer.export(chosen, app: app)
            }
            if let output {
                try text.write(toFile: output, atomically: true, encoding: .utf8)
            } else {
                print(text)
            }
        }
    }

    /// `concord directory import FILE`.
    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Import a directory document (JSON) or the CSV export; nothing is written unless all of it is valid.")

        @Argument(help: "The file to import.") var file: String

        func run() async throws {
            guard let text = FileManager.default.contents(atPath: file).map({ String(decoding: $0, as: UTF8.self) })
            else {
                throw ValidationError("cannot read \(file)")
            }
            print(
                try await ApplicationRunner.withApplication { app in
                    try await DirectoryTransfer.importText(text, app: app)
                })
        }
    }
}
