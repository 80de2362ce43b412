import ArgumentParser
import ConcordServer
import Foundation

/// `concord recount-statistics`: counts the statistics summary again from the incidents, every
/// day of them, with a progress line. Concord keeps the summary itself; this is for incidents
/// written into the database by something else (a bulk load, a restore by hand).
struct RecountStatisticsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recount-statistics",
        abstract: "Count the statistics summary again from the incidents (after writing them outside Concord).")

    func run() async throws {
        let started = Date()
        let days = try await ApplicationRunner.withApplication(schema: .requireCurrent) { app in
            try await recountStatistics(app) { done, all in
                guard done == all || done % 30 == 0 else { return }
                FileHandle.standardError.write(Data("counted \(done) of \(all) days\n".utf8))
            }
        }
        print(String(format: "%d days counted in %.1f s", days, Date().timeIntervalSince(started)))
    }
}
