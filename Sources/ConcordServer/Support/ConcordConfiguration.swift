import ConcordCore
import Foundation
import Vapor

/// Everything Concord reads from its environment, with defaults that work on a laptop.
/// `concord serve --help` prints `ConcordConfiguration.documentation`.
public struct ConcordConfiguration: Sendable {
    /// Where the data lives.
    public enum Database: Sendable, Equatable {
        /// SQLite in this file.
        case sqliteFile(String)
        /// SQLite in memory (tests).
        case sqliteMemory
        /// PostgreSQL at this URL.
        case postgres(String)

        /// The name `/api/v1/health` reports.
        public var kind: String {
            if case .postgres = self { return "postgresql" }
            return "sqlite"
        }
    }

    /// `CONCORD_DATA_DIR`: SQLite file, GnuPG home, uploads and exports.
    public var dataDirectory: String
    /// `DATABASE_URL`, or SQLite under the data directory.
    public var database: Database
    /// `CONCORD_GPG`: the GnuPG binary.
    public var gpgPath: String
    /// `CONCORD_METRICS_TOKEN`: when set, `/metrics` requires `Authorization: Bearer <it>`.
    public var metricsToken: String?
    /// `CONCORD_BCRYPT_COST`: work factor of password hashes.
    public var bcryptCost: Int
    /// `CONCORD_LOCKOUT_THRESHOLD`: failed logins before an account is locked for 15 minutes.
    public var lockoutThreshold: Int

    /// `CONCORD_SECURE_COOKIES`: mark the session cookie Secure (behind HTTPS).
    public var secureCookies: Bool = false
    /// `CONCORD_SCHEDULER_INTERVAL`: seconds between deadline checks.
    public var schedulerInterval = 30
    /// `CONCORD_OUTBOX_INTERVAL`: seconds between outbox deliveries.
    public var outboxInterval = 5
    /// `CONCORD_SURGE_INTERVAL`: seconds between the surge monitor's runs.
    public var surgeInterval = 300
    /// `CONCORD_SURGE_FACTOR`, `_MIN_SOURCES`, `_BAND_HOURS`, `_BASELINE_DAYS`: how surges are found.
    public var surge = SurgeScan()
    /// `CONCORD_ATTACHMENT_MAX_BYTES`: the largest file an incident takes.
    public var attachmentMaxBytes = 25 * 1024 * 1024
    /// `CONCORD_PUBLIC_URL`: where people reach this server; links in mail start with it.
    public var publicURL: String = "http://localhost:8080"
    /// How notifications leave: mail transport, signing key, webhooks.
    public var mail = MailSettings()
    /// `CONCORD_SECRET_KEY`: base64 of 32 bytes that webhook secrets and acknowledgement links are
    /// derived from; unset: `DATA/secret.key`, created on first start (mode 0600).
    public var secretKey: Data?
    /// `CONCORD_TLP_DEFAULT`: the label given to shared STIX objects that carry none; nil refuses them.
    public var sharingDefaultLabel: TLPLabel? = .amber
    /// `CONCORD_TAXII_ANONYMOUS`: anonymous TAXII clients may read TLP:CLEAR in the forum's collection.
    public var taxiiAnonymousReadsClear = false
    /// `CONCORD_DRILL_CLOCK_SPEED`: how many times faster than the wall clock drills run (rehearsing
    /// a scenario, and the end-to-end test); 1 for real drills.
    public var drillClockSpeed: Double = 1
    /// `CONCORD_DRILL_INTERVAL`: seconds between the drill scheduler's runs.
    public var drillInterval = 5
    /// `CONCORD_SQLITE_BUSY_TIMEOUT`: milliseconds a SQLite writer waits for another's lock before
    /// its request is answered 503 with `Retry-After`.
    public var sqliteBusyTimeoutMilliseconds = 5000

    /// The environment variables and what they mean, for `--help` and the README.
    public static let documentation = """
        DATABASE_URL              postgres://user:pass@host:port/db selects PostgreSQL; unset: SQLite
        CONCORD_DATA_DIR          data directory: SQLite file, GnuPG home, uploads (default ./data)
        CONCORD_GPG               GnuPG binary (default gpg)
        CONCORD_METRICS_TOKEN     bearer token required by /metrics (default: none, open)
        CONCORD_BCRYPT_COST       Bcrypt work factor for passwords (default 12)
        CONCORD_LOCKOUT_THRESHOLD failed logins before a 15-minute lock-out (default 5)
        CONCORD_SECURE_COOKIES    1: session cookie only over HTTPS (set it behind TLS; default 0)
        CONCORD_SCHEDULER_INTERVAL seconds between acknowledgement-deadline checks (default 30)
        CONCORD_OUTBOX_INTERVAL   seconds between outbox deliveries (default 5)
        CONCORD_SURGE_INTERVAL    seconds between surge checks of the sensor network (default 300)
        CONCORD_SURGE_FACTOR      a surge has at least this many times the usual distinct sources (default 3)
        CONCORD_SURGE_MIN_SOURCES and at least this many distinct sources (default 20)
        CONCORD_SURGE_BAND_HOURS  hours compared with the same hours of earlier days: 1, 2, 3, 4, 6,
                                  8, 12 or 24 (default 6)
        CONCORD_SURGE_BASELINE_DAYS days of history the usual is taken from (default 28)
        CONCORD_ATTACHMENT_MAX_BYTES largest incident attachment in bytes (default 26214400, 25 MiB)
        CONCORD_PUBLIC_URL        this server's address, for links in mail (default http://localhost:8080)
        CONCORD_SECRET_KEY        base64 of 32 random bytes for webhook secrets and mail links
                                  (required on PostgreSQL: the same on every instance)
                                  (default: DATA/secret.key, created on first start)
        CONCORD_TLP_DEFAULT       TLP label for shared STIX objects that carry none: clear, green,
                                  amber, amber+strict, red, or reject to refuse them (default amber)
        CONCORD_TAXII_ANONYMOUS   1: anonymous TAXII clients read the forum collection's TLP:CLEAR
                                  objects (default 0: every TAXII request authenticates)
        CONCORD_DRILL_CLOCK_SPEED drills run this many times faster than the wall clock, from the
                                  server's start (default 1; more only to rehearse a scenario)
        CONCORD_DRILL_INTERVAL    seconds between the drill scheduler's runs (default 5)
        CONCORD_SQLITE_BUSY_TIMEOUT milliseconds a SQLite write waits for another writer before it is
                                  answered 503 with Retry-After (default 5000)
        CONCORD_LOG_FORMAT        text (default) or json: one JSON object per log line (time, level,
                                  instance, request_id, message), for log shippers
        CONCORD_MAIL_FROM         sender of notifications (default "Concord <concord@localhost>")
        CONCORD_SENDMAIL          sendmail-compatible command (default msmtp)
        CONCORD_SMTP_HOST         SMTP server msmtp delivers to (default localhost)
        CONCORD_SMTP_PORT         its port (default 25)
        CONCORD_SMTP_TLS          on, starttls or off (default starttls)
        CONCORD_SMTP_USER         SMTP user name; the password is read from CONCORD_SMTP_PASSWORD
        CONCORD_SIGNING_KEY       fingerprint of the forum's OpenPGP key in DATA/gnupg (default: the
                                  only secret key there; create one with `concord forum-key create`)
        CONCORD_REQUIRE_ENCRYPTION 1: never mail a contact without a usable key; alert the secretariat
        CONCORD_WEBHOOK_ALLOW_HTTP 1: allow http:// webhook addresses (default: https only)
        """

    /// Reads the process environment.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> Self {
        let dataDirectory = environment["CONCORD_DATA_DIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "./data"
        let database: Database
        if let url = environment["DATABASE_URL"], url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") {
            database = .postgres(url)
        } else {
            database = .sqliteFile((dataDirectory as NSString).appendingPathComponent("concord.sqlite"))
        }
        var configuration = ConcordConfiguration(
            dataDirectory: dataDirectory,
            database: database,
            gpgPath: environment["CONCORD_GPG"] ?? "gpg",
            metricsToken: environment["CONCORD_METRICS_TOKEN"].flatMap { $0.isEmpty ? nil : $0 },
            bcryptCost: environment["CONCORD_BCRYPT_COST"].flatMap(Int.init) ?? 12,
            lockoutThreshold: environment["CONCORD_LOCKOUT_THRESHOLD"].flatMap(Int.init) ?? 5)
        configuration.secureCookies = environment["CONCORD_SECURE_COOKIES"] == "1"
        if let url = environment["CONCORD_PUBLIC_URL"], !url.isEmpty { configuration.publicURL = url }
        if let seconds = environment["CONCORD_SCHEDULER_INTERVAL"].flatMap(Int.init), seconds > 0 {
            configuration.schedulerInterval = seconds
        }
        if let seconds = environment["CONCORD_OUTBOX_INTERVAL"].flatMap(Int.init), seconds > 0 {
            configuration.outboxInterval = seconds
        }
        if let seconds = environment["CONCORD_SURGE_INTERVAL"].flatMap(Int.init), seconds > 0 {
            configuration.surgeInterval = seconds
        }
        configuration.surge = Self.surgeScan(environment)
        if let milliseconds = environment["CONCORD_SQLITE_BUSY_TIMEOUT"].flatMap(Int.init), milliseconds > 0 {
            configuration.sqliteBusyTimeoutMilliseconds = milliseconds
        }
        if let limit = environment["CONCORD_ATTACHMENT_MAX_BYTES"].flatMap(Int.init), limit > 0 {
            configuration.attachmentMaxBytes = limit
        }
        // A key that is set but not base64 becomes empty, which `ServerSecret.load` refuses, rather
        // than silently falling back to another key.
        configuration.secretKey = environment["CONCORD_SECRET_KEY"].map { Data(base64Encoded: $0) ?? Data() }
        configuration.mail = MailSettings(environment: environment)
        configuration.taxiiAnonymousReadsClear = environment["CONCORD_TAXII_ANONYMOUS"] == "1"
        if let speed = environment["CONCORD_DRILL_CLOCK_SPEED"].flatMap(Double.init), speed >= 1, speed <= 10_000 {
            configuration.drillClockSpeed = speed
        }
        if let seconds = environment["CONCORD_DRILL_INTERVAL"].flatMap(Int.init), seconds > 0 {
            configuration.drillInterval = seconds
        }
        if let label = environment["CONCORD_TLP_DEFAULT"], !label.isEmpty {
            configuration.sharingDefaultLabel = label.lowercased() == "reject" ? nil : TLPLabel(text: label) ?? .amber
        }
        return configuration
    }

    /// Creates a configuration.
    public init(
        dataDirectory: String, database: Database, gpgPath: String = "gpg", metricsToken: String? = nil,
        bcryptCost: Int = 12, lockoutThreshold: Int = 5
    ) {
        self.dataDirectory = dataDirectory
        self.database = database
        self.gpgPath = gpgPath
        self.metricsToken = metricsToken
        self.bcryptCost = bcryptCost
        self.lockoutThreshold = lockoutThreshold
    }

    /// The surge settings from the environment; a value out of range keeps its default.
    static func surgeScan(_ environment: [String: String]) -> SurgeScan {
        var scan = SurgeScan()
        if let hours = environment["CONCORD_SURGE_BAND_HOURS"].flatMap(Int.init), hours > 0, 24 % hours == 0 {
            scan = SurgeScan(bandHours: hours, baselineDays: scan.baselineDays, detector: scan.detector)
        }
        if let days = environment["CONCORD_SURGE_BASELINE_DAYS"].flatMap(Int.init), (7...366).contains(days) {
            scan.baselineDays = days
        }
        if let factor = environment["CONCORD_SURGE_FACTOR"].flatMap(Double.init), factor > 1 {
            scan.detector.factor = factor
        }
        if let sources = environment["CONCORD_SURGE_MIN_SOURCES"].flatMap(Int.init), sources > 0 {
            scan.detector.minimumSources = sources
        }
        return scan
    }

    /// GnuPG's home under the data directory.
    public var gnupgHome: String { (dataDirectory as NSString).appendingPathComponent("gnupg") }
}

/// How Concord sends mail and webhooks.
public struct MailSettings: Sendable {
    /// `CONCORD_MAIL_FROM`.
    public var from = "Concord <concord@localhost>"
    /// `CONCORD_SENDMAIL`: the command and its own arguments, split on white space.
    public var sendmail = ["msmtp"]
    /// `CONCORD_SMTP_HOST`, `_PORT`, `_TLS`, `_USER`: given to msmtp on its command line.
    public var smtpHost = "localhost"
    public var smtpPort = 25
    public var smtpTLS = "starttls"
    public var smtpUser: String?
    /// `CONCORD_SIGNING_KEY`: the forum key's fingerprint; nil: the only secret key in the home.
    public var signingKey: String?
    /// `CONCORD_REQUIRE_ENCRYPTION`.
    public var requireEncryption = false
    /// `CONCORD_WEBHOOK_ALLOW_HTTP`.
    public var allowPlainHTTPWebhooks = false

    /// The defaults.
    public init() {}

    /// Reads the `CONCORD_MAIL_*`, `CONCORD_SMTP_*` and related variables.
    public init(environment: [String: String]) {
        func value(_ name: String) -> String? { environment[name].flatMap { $0.isEmpty ? nil : $0 } }
        if let from = value("CONCORD_MAIL_FROM") { self.from = from }
        if let command = value("CONCORD_SENDMAIL") { sendmail = command.split(separator: " ").map(String.init) }
        if let host = value("CONCORD_SMTP_HOST") { smtpHost = host }
        if let port = value("CONCORD_SMTP_PORT").flatMap(Int.init) { smtpPort = port }
        if let tls = value("CONCORD_SMTP_TLS") { smtpTLS = tls }
        smtpUser = value("CONCORD_SMTP_USER")
        signingKey = value("CONCORD_SIGNING_KEY")
        requireEncryption = value("CONCORD_REQUIRE_ENCRYPTION") == "1"
        allowPlainHTTPWebhooks = value("CONCORD_WEBHOOK_ALLOW_HTTP") == "1"
    }

    /// The bare address of `from` (`concord@forum.example`).
    public var fromAddress: String {
        guard let open = from.lastIndex(of: "<"), let close = from.lastIndex(of: ">"), open < close else {
            return from.trimmingCharacters(in: .whitespaces)
        }
        return String(from[from.index(after: open)..<close])
    }
}

extension Application {
    private struct ConfigurationKey: StorageKey { typealias Value = ConcordConfiguration }

    /// The configuration `configure` was called with.
    public var concord: ConcordConfiguration {
        get {
            guard let value = storage[ConfigurationKey.self] else {
                fatalError("configure(_:with:) has not run: ConcordConfiguration is missing")
            }
            return value
        }
        set { storage[ConfigurationKey.self] = newValue }
    }
}
