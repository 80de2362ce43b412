import ArgumentParser
import ConcordServer

/// The `concord` command: the server and the tools users run.
@main
struct Concord: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "concord",
        abstract: "Concord: the operations platform of a forum of CSIRTs.",
        subcommands: [
            Serve.self, Migrate.self, Demo.self, UserCommand.self, TokenCommand.self, Lookup.self,
            DirectoryCommand.self, ForumKeyCommand.self, IncidentCommand.self, StatisticsCommand.self,
            ReportCommand.self, GovernanceCommand.self, FeedCommand.self,
            SensorCommand.self,
            DrillCommand.self, BackupCommand.self, RestoreCommand.self, CheckValuesCommand.self,
            RecountStatisticsCommand.self,
        ])

    /// Runs the command; a database error is printed as one line with its SQLSTATE (or SQLite's
    /// reason) and detail, never the driver's generic text or a stack.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asynchronous = command as? any AsyncParsableCommand {
                try await asynchronous.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: DatabaseErrorText.line(for: error).map(DatabaseFailure.init) ?? error)
        }
    }
}

/// A database error as the one line `concord` prints.
struct DatabaseFailure: Error, CustomStringConvertible {
    let description: String
}
