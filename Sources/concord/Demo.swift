import ArgumentParser
import ConcordServer
import Foundation

/// `concord demo`: loads the demonstration forum (idempotent).
struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Load the demonstration forum and print the admin's credentials.")

    func run() async throws {
        let (credentials, base) = try await ApplicationRunner.withApplication(creates: true) { app in
            (try await DemoLoader.load(app: app), app.concord.publicURL)
        }
        print(DemoPrinter.text(credentials, server: base))
    }
}

/// How the demo credentials are shown; `server` is where the hint's request goes.
enum DemoPrinter {
    static func text(_ credentials: DemoLoader.Credentials, server: String) -> String {
        var lines = [
            credentials.loaded
                ? "Loaded the demonstration forum (27 teams, 18 economies)."
                : "The demonstration forum was loaded already; new admin credentials:",
            "admin e-mail:     \(credentials.adminEmail)",
            "one-time password: \(credentials.adminPassword)",
            "API token:        \(credentials.adminToken)",
        ]
        if !credentials.handlerPasswords.isEmpty {
            lines.append("handlers (one per team, role handler):")
            for (email, password) in credentials.handlerPasswords.sorted(by: { $0.key < $1.key }) {
                lines.append("  \(email)  \(password)")
            }
        }
        if !credentials.sensorTokens.isEmpty {
            lines.append("sensors with five weeks of synthetic traffic (dashboard: /sensors/dashboard); upload tokens:")
            for (name, token) in credentials.sensorTokens.sorted(by: { $0.key < $1.key }) {
                lines.append("  \(name)  \(token)")
            }
        }
        lines += credentials.notes
        lines.append(
            "Try: curl -H 'Authorization: Bearer \(credentials.adminToken)' '\(server)/api/v1/lookup?ip=198.51.100.110'"
        )
        return lines.joined(separator: "\n")
    }
}
