import Foundation
import Testing

@testable import ConcordServer

/// The configuration refuses a bad value with one line naming the variable and what it accepts,
/// and its documentation (`--help`, the README's table) comes from the same declarations.
@Suite struct ConfigurationTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    private func read(_ environment: [String: String]) throws -> ConcordConfiguration {
        try ConcordConfiguration.fromEnvironment(environment.merging(["CONCORD_DATA_DIR": "/tmp/x"]) { a, _ in a })
    }

    @Test(arguments: [
        ("CONCORD_BCRYPT_COST", "abc", "an integer from 4 to 31"),
        ("CONCORD_BCRYPT_COST", "40", "an integer from 4 to 31"),
        ("CONCORD_TLP_DEFAULT", "purple", "clear, green, amber, amber+strict, red or reject"),
        ("CONCORD_SECURE_COOKIES", "yes", "0 or 1"),
        ("CONCORD_SMTP_PORT", "70000", "an integer from 1 to 65535"),
        ("CONCORD_SMTP_TLS", "maybe", "on, starttls or off"),
        ("CONCORD_SURGE_BAND_HOURS", "5", "1, 2, 3, 4, 6, 8, 12 or 24"),
        ("CONCORD_SURGE_FACTOR", "1", "a number above 1 and at most 1000"),
        ("CONCORD_DRILL_CLOCK_SPEED", "0.5", "a number from 1 to 10000"),
        ("CONCORD_CLOCK_SPEED", "fast", "a number from 1 to 10000"),
        ("CONCORD_CLOCK_ANCHOR", "yesterday", "an ISO 8601 UTC instant not after now, such as 2026-12-04T21:50:00Z"),
        ("CONCORD_OUTBOX_INTERVAL", "0", "an integer from 1 to 86400"),
        ("CONCORD_PUBLIC_URL", "concord.example", "an http:// or https:// URL"),
        ("DATABASE_URL", "mysql://db/concord", "a postgres:// or postgresql:// URL"),
        ("CONCORD_LOG_FORMAT", "xml", "text or json"),
    ])
    func aBadValueIsRefusedNamingTheVariableAndWhatItAccepts(variable: String, value: String, accepts: String) {
        let error = #expect(throws: ConfigurationError.self) { try read([variable: value]) }
        #expect(error?.description == "\(variable) is \"\(value)\": it must be \(accepts)")
    }

    @Test func goodValuesAreReadAndUnsetOnesKeepTheirDefaults() throws {
        let defaults = try read([:])
        #expect(defaults.bcryptCost == 12 && defaults.sharingDefaultLabel == .amber && defaults.mail.smtpPort == 25)
        let set = try read([
            "CONCORD_BCRYPT_COST": "4", "CONCORD_TLP_DEFAULT": "reject", "CONCORD_SMTP_TLS": "OFF",
            "CONCORD_SURGE_BAND_HOURS": "8", "CONCORD_DRILL_CLOCK_SPEED": "60", "CONCORD_SECURE_COOKIES": "1",
            "DATABASE_URL": "postgresql://concord@db/concord", "CONCORD_BCRYPT_COST_UNRELATED": "x",
            "CONCORD_CLOCK_SPEED": "30", "CONCORD_CLOCK_ANCHOR": "2026-12-04T21:50:00Z",
        ])
        #expect(defaults.clockAnchor == nil)
        #expect(set.clockAnchor == Date(timeIntervalSince1970: 1_796_421_000))
        #expect(defaults.clockSpeed == 1)
        #expect(set.clockSpeed == 30)
        #expect(set.bcryptCost == 4)
        #expect(set.sharingDefaultLabel == nil)
        #expect(set.mail.smtpTLS == "off")
        #expect(set.surge.bandHours == 8)
        #expect(set.drillClockSpeed == 60)
        #expect(set.secureCookies)
        #expect(set.database == .postgres("postgresql://concord@db/concord"))
    }

    @Test func aSecretIsNeverPrintedInTheError() {
        let settings = EnvironmentSettings(environment: ["CONCORD_METRICS_TOKEN": "s3cret"])
        let error = #expect(throws: ConfigurationError.self) {
            try settings.value("CONCORD_METRICS_TOKEN") { _ -> Int? in nil }
        }
        #expect(error?.value == nil)
        #expect(error?.description == "CONCORD_METRICS_TOKEN is not valid: it must be a token")
    }

    @Test func theHelpAndTheREADMEListEveryDeclaredVariable() throws {
        let names = ConcordConfiguration.settings.map(\.name)
        #expect(Set(names).count == names.count, "a variable is declared twice")
        for name in names { #expect(ConcordConfiguration.documentation.contains("  \(name)\n")) }
        let readme = try String(contentsOf: Self.repository.appendingPathComponent("README.md"), encoding: .utf8)
        #expect(
            readme.contains(ConcordConfiguration.markdownTable + "\n"),
            "README's configuration table differs from ConcordConfiguration.markdownTable:\n\(ConcordConfiguration.markdownTable)"
        )
    }
}
