import Fluent
import FluentPostgresDriver
import FluentSQL
import FluentSQLiteDriver
import Leaf
import LeafKit
import Vapor

/// Wires the application: database, migrations, middleware, services and routes. The one seam
/// that `concord` and the tests both call.
public func configure(_ app: Application, with configuration: ConcordConfiguration) async throws {
    app.concord = configuration
    try FileManager.default.createDirectory(atPath: configuration.dataDirectory, withIntermediateDirectories: true)
    app.serverSecret = try ServerSecret.load(configuration)
    switch configuration.database {
    case .sqliteFile(let path):
        app.databases.use(.sqlite(.file(path)), as: .sqlite)
    case .sqliteMemory:
        app.databases.use(.sqlite(.memory), as: .sqlite)
    case .postgres(let url):
        app.databases.use(try .postgres(url: url), as: .psql)
    }
    app.migrations.add(ConcordMigrations.all)
    // One line for the migrations (`concord serve` says how many it applied), not one per migration.
    app.fluent.migrationLogLevel = .debug
    app.sessions.use(.fluent)
    app.sessions.configuration.cookieName = "concord_session"
    app.sessions.configuration.cookieFactory = { [weak app] sessionID in
        .init(
            string: sessionID.string, expires: (app?.clock ?? SystemClock()).now().addingTimeInterval(12 * 3600),
            path: "/",
            isSecure: configuration.secureCookies, isHTTPOnly: true, sameSite: .lax)
    }
    app.passwords.use(.bcrypt(cost: configuration.bcryptCost))

    app.middleware = Middlewares()
    // Vapor's route logger writes method and path only: no query string (lookup values), no headers (tokens).
    app.middleware.use(RequestLoggingMiddleware(level: configuration.logRequests ? .info : .debug))
    app.middleware.use(MetricsMiddleware(registry: app.metricsRegistry))
    app.middleware.use(SecurityHeadersMiddleware())
    app.middleware.use(ProblemMiddleware())
    app.routingDirectory = RoutingDirectory()
    app.jobWakeups = JobWakeups()
    app.installBackgroundWork()
    app.databases.middleware.use(RevisionBumping<Team>(revision: .directory))
    app.databases.middleware.use(RevisionBumping<Contact>(revision: .directory))
    app.databases.middleware.use(RevisionBumping<ConstituencyEntry>(revision: .directory))
    app.databases.middleware.use(RevisionBumping<Economy>(revision: .directory))
    app.databases.middleware.use(RevisionBumping<OutboxMessage>(revision: .outbox, createsOnly: true))
    StatisticsChangeMarking.use(on: app.databases.middleware)
    if let anchor = configuration.clockAnchor, anchor > SystemClock().now() {
        throw ConfigurationError(
            variable: "CONCORD_CLOCK_ANCHOR", value: anchor.formatted(.iso8601),
            accepts: ConcordConfiguration.setting("CONCORD_CLOCK_ANCHOR").accepts)
    }
    if configuration.clockSpeed != 1 {
        app.clock = AcceleratedClock(
            base: SystemClock(), speed: configuration.clockSpeed, anchor: configuration.clockAnchor)
        app.logger.warning(
            "the application's clock runs \(configuration.clockSpeed) times faster than the wall clock (CONCORD_CLOCK_SPEED): for tests and rehearsals only"
        )
    }
    ControlCharacterGuard.install()
    // Vapor's client never follows a redirect (a public address could send it inward); webhooks use a
    // client of their own pinned to the checked address, which follows none either (WebhookSender).
    app.http.client.configuration.redirectConfiguration = .disallow
    app.drillClock = AcceleratedClock(
        base: app.clock, speed: configuration.drillClockSpeed, anchor: configuration.clockAnchor)
    app.views.use(.leaf)
    if let views = Bundle.module.url(forResource: "base", withExtension: "leaf", subdirectory: "Resources/Views")?
        .deletingLastPathComponent().path
    {
        // Templates ship in the bundle, so Concord renders the same from any working directory. The
        // bundle may sit under `.build/`, so hidden path components are allowed; the sandbox stays.
        app.leaf.sources = .singleSource(
            NIOLeafFiles(
                fileio: app.fileio, limits: [.toSandbox, .onlyLeafExtensions], sandboxDirectory: views,
                viewDirectory: views))
    }
    try routes(app)
    switch configuration.database {
    case .sqliteFile: try await SQLiteConnectionSetup.prepare(app, writeAheadLog: true)
    case .sqliteMemory: try await SQLiteConnectionSetup.prepare(app, writeAheadLog: false)
    case .postgres: break
    }
}
