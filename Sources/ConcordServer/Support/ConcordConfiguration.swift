import ConcordCore
import Foundation
import Vapor

/// Everything Concord reads from its environment, with defaults that work on a laptop.
/// Each variable is declared once in `ConcordConfiguration.settings`; `concord serve --help` prints
/// `ConcordConfiguration.documentation`, and a bad value stops start-up (`ConfigurationError`).
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
    /// `CONCORD_TRUSTED_PROXIES`: the proxies whose `X-Forwarded-For` names the client.
    public var trustedProxies: [IPPrefix] = []

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
    /// `CONCORD_FORUM_NAME`: the forum's name on the annual report.
    public var forumName = "The forum"
    /// `CONCORD_CHROMIUM`: the headless browser that prints the annual report to PDF.
    public var chromiumPath = "chromium"

    /// Whether `publicURL` is https:// on a host other than this machine: then cookies are
    /// `Secure` by default and every answer carries HSTS.
    public var servesHTTPSPublicly: Bool {
        guard let url = URL(string: publicURL), url.scheme?.lowercased() == "https", let host = url.host else {
            return false
        }
        return !LocalHost.isThisMachine(host)
    }
    /// How notifications leave: mail transport, signing key, webhooks.
    public var mail = MailSettings()
    /// `CONCORD_SECRET_KEY`: base64 of 32 bytes that webhook secrets and acknowledgement links are
    /// derived from; unset: `DATA/secret.key`, created on first start (mode 0600).
    public var secretKey: Data?
    /// `CONCORD_TLP_DEFAULT`: the label given to shared STIX objects that carry none; nil refuses them.
    public var sharingDefaultLabel: TLPLabel? = .amber
    /// `CONCORD_TAXII_ANONYMOUS`: anonymous TAXII clients may read TLP:CLEAR in the forum's collection.
    public var taxiiAnonymousReadsClear = false
    /// `CONCORD_LOG_REQUESTS`: log every request at info rather than debug.
    public var logRequests = false
    /// `CONCORD_DRILL_CLOCK_SPEED`: how many times faster than the wall clock drills run (rehearsing
    /// a scenario, and the end-to-end test); 1 for real drills.
    public var drillClockSpeed: Double = 1
    /// `CONCORD_CLOCK_SPEED`: how many times faster than the wall clock the application's clock runs
    /// from the server's start (the end-to-end tests' deadlines pass in seconds); 1 in production.
    public var clockSpeed: Double = 1
    /// `CONCORD_CLOCK_ANCHOR`: the instant from which the accelerated clock runs faster (nil: the
    /// start of the process), so that several instances keep one accelerated clock.
    public var clockAnchor: Date? = nil
    /// `CONCORD_DRILL_INTERVAL`: seconds between the drill scheduler's runs.
    public var drillInterval = 5
    /// `CONCORD_SQLITE_BUSY_TIMEOUT`: milliseconds a SQLite writer waits for another's lock before
    /// its request is answered 503 with `Retry-After`.
    public var sqliteBusyTimeoutMilliseconds = 5000

    /// Reads the process environment; a variable set to a value it does not accept throws
    /// `ConfigurationError`, naming the variable and what it accepts (`settings`).
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment)
        throws -> Self
    {
        let settings = EnvironmentSettings(environment: environment)
        let dataDirectory = settings.text("CONCORD_DATA_DIR") ?? "./data"
        let database: Database
        if let url = try settings.value(
            "DATABASE_URL",
            { url in
                url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") ? url : nil
            })
        {
            database = .postgres(url)
        } else {
            database = .sqliteFile((dataDirectory as NSString).appendingPathComponent("concord.sqlite"))
        }
        var configuration = ConcordConfiguration(
            dataDirectory: dataDirectory,
            database: database,
            gpgPath: settings.text("CONCORD_GPG") ?? "gpg",
            metricsToken: settings.text("CONCORD_METRICS_TOKEN"),
            bcryptCost: try settings.integer("CONCORD_BCRYPT_COST", in: 4...31) ?? 12,
            lockoutThreshold: try settings.integer("CONCORD_LOCKOUT_THRESHOLD", in: 1...100) ?? 5)
        let secureCookies = try settings.flag("CONCORD_SECURE_COOKIES")
        configuration.trustedProxies = try settings.prefixes("CONCORD_TRUSTED_PROXIES") ?? []
        if let url = try settings.value(
            "CONCORD_PUBLIC_URL",
            { url in
                (url.hasPrefix("http://") || url.hasPrefix("https://")) && URL(string: url)?.host != nil ? url : nil
            })
        {
            configuration.publicURL = url
        }
        if let name = settings.text("CONCORD_FORUM_NAME") { configuration.forumName = String(name.prefix(200)) }
        if let path = settings.text("CONCORD_CHROMIUM") { configuration.chromiumPath = path }
        // Secure cookies by default where the forum is served over HTTPS beyond this machine.
        configuration.secureCookies = secureCookies ?? configuration.servesHTTPSPublicly
        let seconds = 1...86_400
        if let value = try settings.integer("CONCORD_SCHEDULER_INTERVAL", in: seconds) {
            configuration.schedulerInterval = value
        }
        if let value = try settings.integer("CONCORD_OUTBOX_INTERVAL", in: seconds) {
            configuration.outboxInterval = value
        }
        if let value = try settings.integer("CONCORD_SURGE_INTERVAL", in: seconds) {
            configuration.surgeInterval = value
        }
        configuration.surge = try Self.surgeScan(settings)
        if let value = try settings.integer("CONCORD_SQLITE_BUSY_TIMEOUT", in: 1...600_000) {
            configuration.sqliteBusyTimeoutMilliseconds = value
        }
        if let value = try settings.integer("CONCORD_ATTACHMENT_MAX_BYTES", in: 1...Int(Int32.max)) {
            configuration.attachmentMaxBytes = value
        }
        // A key that is set but not base64 becomes empty, which `ServerSecret.load` refuses (naming
        // the variable, never printing the value), rather than silently falling back to another key.
        configuration.secretKey = settings.text("CONCORD_SECRET_KEY").map { Data(base64Encoded: $0) ?? Data() }
        configuration.mail = try MailSettings(settings: settings)
        configuration.taxiiAnonymousReadsClear = try settings.flag("CONCORD_TAXII_ANONYMOUS") ?? false
        configuration.logRequests = try settings.flag("CONCORD_LOG_REQUESTS") ?? false
        if let speed = try settings.number("CONCORD_DRILL_CLOCK_SPEED", where: { (1...10_000).contains($0) }) {
            configuration.drillClockSpeed = speed
        }
        if let speed = try settings.number("CONCORD_CLOCK_SPEED", where: { (1...10_000).contains($0) }) {
            configuration.clockSpeed = speed
        }
        configuration.clockAnchor = try settings.value("CONCORD_CLOCK_ANCHOR") { try? Date($0, strategy: .iso8601) }
        if let value = try settings.integer("CONCORD_DRILL_INTERVAL", in: seconds) {
            configuration.drillInterval = value
        }
        if let label = try settings.value(
            "CONCORD_TLP_DEFAULT",
            { text -> TLPLabel?? in
                text.lowercased() == "reject" ? .some(nil) : TLPLabel(text: text).map { .some($0) }
            })
        {
            configuration.sharingDefaultLabel = label
        }
        _ = try settings.choice("CONCORD_LOG_FORMAT", among: ["text", "json"])
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

    /// The surge settings from the environment.
    static func surgeScan(_ settings: EnvironmentSettings) throws -> SurgeScan {
        var scan = SurgeScan()
        if let hours = try settings.integer("CONCORD_SURGE_BAND_HOURS", in: 1...24), 24 % hours == 0 {
            scan = SurgeScan(bandHours: hours, baselineDays: scan.baselineDays, detector: scan.detector)
        } else if let hours = settings.text("CONCORD_SURGE_BAND_HOURS") {
            throw ConfigurationError(
                variable: "CONCORD_SURGE_BAND_HOURS", value: hours,
                accepts: setting("CONCORD_SURGE_BAND_HOURS").accepts)
        }
        if let days = try settings.integer("CONCORD_SURGE_BASELINE_DAYS", in: 7...366) {
            scan.baselineDays = days
        }
        if let factor = try settings.number("CONCORD_SURGE_FACTOR", where: { $0 > 1 && $0 <= 1000 }) {
            scan.detector.factor = factor
        }
        if let sources = try settings.integer("CONCORD_SURGE_MIN_SOURCES", in: 1...1_000_000) {
            scan.detector.minimumSources = sources
        }
        return scan
    }

    /// GnuPG's home under the data directory.
    public var gnupgHome: String { (dataDirectory as NSString).appendingPathComponent("gnupg") }
    /// GnuPG homes that each hold one team's public key, named by the key's SHA-256, for checking
    /// signatures on replies (`OpenPGPSignature.verifies`): built once per key, never trusted for more.
    public var verifyingKeysDirectory: String {
        (dataDirectory as NSString).appendingPathComponent("gnupg-verify")
    }
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
    /// `CONCORD_WEBHOOK_ALLOW_RANGES`: non-public ranges a webhook may point into nonetheless.
    public var webhookAllowedRanges: [IPPrefix] = []

    /// The defaults.
    public init() {}

    /// Reads the `CONCORD_MAIL_*`, `CONCORD_SMTP_*` and related variables.
    init(settings: EnvironmentSettings) throws {
        if let from = try settings.value("CONCORD_MAIL_FROM", { $0.contains("@") ? $0 : nil }) { self.from = from }
        if let command = settings.text("CONCORD_SENDMAIL") {
            sendmail = command.split(separator: " ").map(String.init)
        }
        if let host = settings.text("CONCORD_SMTP_HOST") { smtpHost = host }
        if let port = try settings.integer("CONCORD_SMTP_PORT", in: 1...65_535) { smtpPort = port }
        if let tls = try settings.choice("CONCORD_SMTP_TLS", among: ["on", "starttls", "off"]) { smtpTLS = tls }
        smtpUser = settings.text("CONCORD_SMTP_USER")
        signingKey = settings.text("CONCORD_SIGNING_KEY")
        requireEncryption = try settings.flag("CONCORD_REQUIRE_ENCRYPTION") ?? false
        allowPlainHTTPWebhooks = try settings.flag("CONCORD_WEBHOOK_ALLOW_HTTP") ?? false
        webhookAllowedRanges = try settings.prefixes("CONCORD_WEBHOOK_ALLOW_RANGES") ?? []
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
