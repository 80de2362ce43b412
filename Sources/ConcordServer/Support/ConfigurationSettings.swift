import Foundation

/// One environment variable Concord reads, declared once: `concord serve --help`, the README's
/// configuration table and the error a bad value gets are all made from it.
public struct ConfigurationSetting: Sendable, Equatable {
    /// The capability a setting belongs to, in the order the documentation lists them.
    public enum Group: String, Sendable, CaseIterable {
        case storage = "Storage"
        case accounts = "Accounts and sessions"
        case mail = "Mail and webhooks"
        case sharing = "Sharing"
        case work = "Background work"
        case sensors = "Sensor network"
        case drills = "Drills"
        case reports = "Annual report"
        case operations = "Operations"
    }

    public let name: String
    public let group: Group
    /// The value used when the variable is unset or empty, as a person reads it.
    public let defaultValue: String
    /// What the setting does.
    public let meaning: String
    /// What a value may be, as said in the error a bad value gets ("an integer from 4 to 31").
    public let accepts: String
}

extension ConcordConfiguration {
    /// Every variable, grouped by capability.
    public static let settings: [ConfigurationSetting] = [
        .init(
            name: "DATABASE_URL", group: .storage, defaultValue: "unset: SQLite in the data directory",
            meaning: "selects PostgreSQL", accepts: "a postgres:// or postgresql:// URL"),
        .init(
            name: "CONCORD_DATA_DIR", group: .storage, defaultValue: "./data",
            meaning: "SQLite file, GnuPG home, uploads and exports", accepts: "a directory"),
        .init(
            name: "CONCORD_SQLITE_BUSY_TIMEOUT", group: .storage, defaultValue: "5000",
            meaning: "milliseconds a SQLite write waits for another writer before it is answered 503 with Retry-After",
            accepts: "an integer from 1 to 600000"),
        .init(
            name: "CONCORD_ATTACHMENT_MAX_BYTES", group: .storage, defaultValue: "26214400 (25 MiB)",
            meaning: "the largest incident attachment, in bytes", accepts: "an integer from 1 to 2147483647"),
        .init(
            name: "CONCORD_BCRYPT_COST", group: .accounts, defaultValue: "12",
            meaning: "Bcrypt work factor for passwords", accepts: "an integer from 4 to 31"),
        .init(
            name: "CONCORD_LOCKOUT_THRESHOLD", group: .accounts, defaultValue: "5",
            meaning:
                "failed logins for one account (from anywhere) before its password logins wait 1, 2, 4, … seconds, at most 15 minutes; its owner is mailed and lifts the wait with the second factor; tokens and sessions never stop",
            accepts: "an integer from 1 to 100"),
        .init(
            name: "CONCORD_TRUSTED_PROXIES", group: .accounts, defaultValue: "none",
            meaning:
                "proxies (such as HAProxy) whose X-Forwarded-For names the client, for throttling and the audit log",
            accepts: "IP addresses or prefixes, separated by commas"),
        .init(
            name: "CONCORD_SECURE_COOKIES", group: .accounts,
            defaultValue:
                "1 when CONCORD_PUBLIC_URL is https:// on a host other than this machine (which also sends HSTS), else 0",
            meaning: "1: the session cookie only over HTTPS", accepts: "0 or 1"),
        .init(
            name: "CONCORD_SECRET_KEY", group: .accounts,
            defaultValue: "DATA/secret.key, created on first start (SQLite only; required on PostgreSQL)",
            meaning: "webhook secrets, mail links and cursors are derived from it; the same on every instance",
            accepts: "base64 of at least 32 random bytes"),
        .init(
            name: "CONCORD_PUBLIC_URL", group: .mail, defaultValue: "http://localhost:8080",
            meaning: "this server's address, for the links in mail", accepts: "an http:// or https:// URL"),
        .init(
            name: "CONCORD_MAIL_FROM", group: .mail, defaultValue: "Concord <concord@localhost>",
            meaning: "sender of notifications (use the forum key's address)", accepts: "a mail address"),
        .init(
            name: "CONCORD_SENDMAIL", group: .mail, defaultValue: "msmtp",
            meaning: "a sendmail-compatible command; msmtp gets the SMTP settings on its command line",
            accepts: "a command"),
        .init(
            name: "CONCORD_SMTP_HOST", group: .mail, defaultValue: "localhost", meaning: "the SMTP server",
            accepts: "a host name or address"),
        .init(
            name: "CONCORD_SMTP_PORT", group: .mail, defaultValue: "25", meaning: "its port",
            accepts: "an integer from 1 to 65535"),
        .init(
            name: "CONCORD_SMTP_TLS", group: .mail, defaultValue: "starttls",
            meaning: "how msmtp secures the connection",
            accepts: "on, starttls or off"),
        .init(
            name: "CONCORD_SMTP_USER", group: .mail, defaultValue: "none",
            meaning: "SMTP user name; msmtp reads the password from CONCORD_SMTP_PASSWORD", accepts: "a user name"),
        .init(
            name: "CONCORD_SIGNING_KEY", group: .mail, defaultValue: "the only secret key in DATA/gnupg",
            meaning: "fingerprint of the forum's OpenPGP key (`concord forum-key create` makes one)",
            accepts: "a fingerprint"),
        .init(
            name: "CONCORD_REQUIRE_ENCRYPTION", group: .mail, defaultValue: "0",
            meaning: "1: never mail a contact without a usable key; alert the secretariat instead", accepts: "0 or 1"),
        .init(
            name: "CONCORD_WEBHOOK_ALLOW_RANGES", group: .mail, defaultValue: "none",
            meaning:
                "non-public ranges (loopback, private, link-local) a team's webhook may point into; every other such address is refused at save and before each delivery",
            accepts: "IP addresses or prefixes, separated by commas"),
        .init(
            name: "CONCORD_WEBHOOK_ALLOW_HTTP", group: .mail, defaultValue: "0",
            meaning: "1: allow http:// webhook addresses (otherwise https only)", accepts: "0 or 1"),
        .init(
            name: "CONCORD_TLP_DEFAULT", group: .sharing, defaultValue: "amber",
            meaning: "TLP label for shared STIX objects that carry none, or reject to refuse them",
            accepts: "clear, green, amber, amber+strict, red or reject"),
        .init(
            name: "CONCORD_TAXII_ANONYMOUS", group: .sharing, defaultValue: "0",
            meaning: "1: anonymous TAXII clients read the forum collection's TLP:CLEAR objects", accepts: "0 or 1"),
        .init(
            name: "CONCORD_SCHEDULER_INTERVAL", group: .work, defaultValue: "30",
            meaning: "seconds between acknowledgement-deadline checks", accepts: "an integer from 1 to 86400"),
        .init(
            name: "CONCORD_OUTBOX_INTERVAL", group: .work, defaultValue: "5",
            meaning: "seconds between outbox polls (a commit wakes the outbox at once)",
            accepts: "an integer from 1 to 86400"),
        .init(
            name: "CONCORD_SURGE_INTERVAL", group: .sensors, defaultValue: "300",
            meaning: "seconds between surge checks of the sensor network", accepts: "an integer from 1 to 86400"),
        .init(
            name: "CONCORD_SURGE_FACTOR", group: .sensors, defaultValue: "3",
            meaning: "a surge has at least this many times the usual distinct sources",
            accepts: "a number above 1 and at most 1000"),
        .init(
            name: "CONCORD_SURGE_MIN_SOURCES", group: .sensors, defaultValue: "20",
            meaning: "and at least this many distinct sources", accepts: "an integer from 1 to 1000000"),
        .init(
            name: "CONCORD_SURGE_BAND_HOURS", group: .sensors, defaultValue: "6",
            meaning: "hours compared with the same hours of earlier days", accepts: "1, 2, 3, 4, 6, 8, 12 or 24"),
        .init(
            name: "CONCORD_SURGE_BASELINE_DAYS", group: .sensors, defaultValue: "28",
            meaning: "days of history the usual is taken from", accepts: "an integer from 7 to 366"),
        .init(
            name: "CONCORD_DRILL_CLOCK_SPEED", group: .drills, defaultValue: "1",
            meaning:
                "drills run this many times faster than the application's clock, from the server's start (to rehearse)",
            accepts: "a number from 1 to 10000"),
        .init(
            name: "CONCORD_DRILL_INTERVAL", group: .drills, defaultValue: "5",
            meaning: "seconds between the drill scheduler's runs", accepts: "an integer from 1 to 86400"),
        .init(
            name: "CONCORD_FORUM_NAME", group: .reports, defaultValue: "The forum",
            meaning: "the forum's name on the annual report's cover and pages", accepts: "a name"),
        .init(
            name: "CONCORD_CHROMIUM", group: .reports, defaultValue: "chromium",
            meaning: "the headless browser that prints the annual report to PDF", accepts: "a command"),
        .init(
            name: "CONCORD_GPG", group: .operations, defaultValue: "gpg", meaning: "the GnuPG binary",
            accepts: "a command"),
        .init(
            name: "CONCORD_METRICS_TOKEN", group: .operations,
            defaultValue: "none: /metrics answers only a server listening on loopback",
            meaning: "bearer token /metrics requires", accepts: "a token"),
        .init(
            name: "CONCORD_CLOCK_SPEED", group: .operations, defaultValue: "1",
            meaning:
                "tests and rehearsals only: the application's clock (deadlines, escalations, check windows, drills) runs this many times faster than the wall clock from CONCORD_CLOCK_ANCHOR",
            accepts: "a number from 1 to 10000"),
        .init(
            name: "CONCORD_CLOCK_ANCHOR", group: .operations, defaultValue: "the process's start",
            meaning:
                "the instant from which an accelerated clock (CONCORD_CLOCK_SPEED) runs faster; instances given the same anchor keep one clock",
            accepts: "an ISO 8601 UTC instant not after now, such as 2026-12-04T21:50:00Z"),
        .init(
            name: "CONCORD_LOG_FORMAT", group: .operations, defaultValue: "text",
            meaning: "json: one JSON object per log line (time, level, instance, request_id, message)",
            accepts: "text or json"),
        .init(
            name: "CONCORD_LOG_REQUESTS", group: .operations, defaultValue: "0",
            meaning:
                "1: log every request's method and path at info (capability links shortened); 0: at debug, so not shown",
            accepts: "0 or 1"),
    ]

    /// The setting named `name` (every name the configuration reads is declared).
    static func setting(_ name: String) -> ConfigurationSetting {
        guard let setting = settings.first(where: { $0.name == name }) else {
            preconditionFailure("\(name) is read but not declared in ConcordConfiguration.settings")
        }
        return setting
    }

    /// The variables for `concord serve --help`, grouped.
    public static var documentation: String {
        ConfigurationSetting.Group.allCases.map { group in
            let lines = settings.filter { $0.group == group }.map { setting in
                "  \(setting.name)\n      \(setting.meaning)\n      \(setting.accepts); default \(setting.defaultValue)"
            }
            return "\(group.rawValue):\n" + lines.joined(separator: "\n")
        }.joined(separator: "\n")
    }

    /// The README's configuration table (a test keeps the README equal to it).
    public static var markdownTable: String {
        var lines = ["| variable | default | accepts | meaning |", "|---|---|---|---|"]
        for group in ConfigurationSetting.Group.allCases {
            lines.append("| **\(group.rawValue)** | | | |")
            for setting in settings where setting.group == group {
                lines.append(
                    "| `\(setting.name)` | \(setting.defaultValue) | \(setting.accepts) | \(setting.meaning) |")
            }
        }
        return lines.joined(separator: "\n")
    }
}
