import ArgumentParser

/// The `concord` command: the server and the tools users run.
@main
struct Concord: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "concord",
        abstract: "Concord: the operations platform of a forum of CSIRTs.",
        subcommands: [
            Serve.self, Migrate.self, Demo.self, UserCommand.self, TokenCommand.self, Lookup.self,
            DirectoryCommand.self, ForumKeyCommand.self, IncidentCommand.self, FeedCommand.self, SensorCommand.self,
            DrillCommand.self,
        ])
}
