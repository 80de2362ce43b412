import Fluent
import FluentPostgresDriver
import FluentSQLiteDriver
import Leaf
import Vapor

/// Wires the application: database, migrations, middleware, services and routes. The one seam
/// that `concord` and the tests both call.
public func configure(_ app: Application, with configuration: ConcordConfiguration) async throws {
    app.concord = configuration
    try FileManager.default.createDirectory(atPath: configuration.dataDirectory, withIntermediateDirectories: true)
    switch configuration.database {
    case .sqliteFile(let path):
        app.databases.use(.sqlite(.file(path)), as: .sqlite)
    case .sqliteMemory:
        app.databases.use(.sqlite(.memory), as: .sqlite)
    case .postgres(let url):
        app.databases.use(try .postgres(url: url), as: .psql)
    }
    app.migrations.add(ConcordMigrations.all)
    app.passwords.use(.bcrypt(cost: configuration.bcryptCost))

    app.middleware = Middlewares()
    app.middleware.use(MetricsMiddleware(registry: app.metricsRegistry))
    app.middleware.use(SecurityHeadersMiddleware())
    app.middleware.use(ProblemMiddleware())
    app.routingDirectory = RoutingDirectory()
    app.views.use(.leaf)
    try routes(app)
}
