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

    /// The environment variables and what they mean, for `--help` and the README.
    public static let documentation = """
        DATABASE_URL              postgres://user:pass@host:port/db selects PostgreSQL; unset: SQLite
        CONCORD_DATA_DIR          data directory: SQLite file, GnuPG home, uploads (default ./data)
        CONCORD_GPG               GnuPG binary (default gpg)
        CONCORD_METRICS_TOKEN     bearer token required by /metrics (default: none, open)
        CONCORD_BCRYPT_COST       Bcrypt work factor for passwords (default 12)
        CONCORD_LOCKOUT_THRESHOLD failed logins before a 15-minute lock-out (default 5)
        CONCORD_SECURE_COOKIES    1: session cookie only over HTTPS (set it behind TLS; default 0)
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

    /// GnuPG's home under the data directory.
    public var gnupgHome: String { (dataDirectory as NSString).appendingPathComponent("gnupg") }
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
