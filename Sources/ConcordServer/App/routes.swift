import Vapor

/// Registers every route. `/api/v1` answers with bearer tokens.
func routes(_ app: Application) throws {
    let api = app.grouped(PathComponent(stringLiteral: "api"), "v1").grouped(BearerTokenAuthenticator())
    try api.register(collection: SystemController())
    app.get(.constant(Paths.metrics), use: SystemController().metrics)
    try api.register(collection: EconomyController())
    try api.register(collection: TeamController())
    try api.register(collection: CategoryController())
    try api.register(collection: ContactController())
    try api.register(collection: ConstituencyController())
    try api.register(collection: LookupController())
    try api.register(collection: DirectoryChecksController())
    try api.register(collection: AuditController())
    try api.register(collection: DirectoryExchangeController())
    try api.register(collection: IncidentController(attachmentLimit: app.concord.attachmentMaxBytes))
    try api.register(collection: FeedController())
    try api.register(collection: WebhookController())
    try api.register(collection: ForumKeyController())
    try api.register(collection: SensorController())
    try api.register(collection: SensorNetworkController())
    try api.register(collection: SharingController())
    try app.register(collection: TAXIIController())

    let web = app.grouped(app.sessions.middleware, WebSessionMiddleware(), CSRFMiddleware())
    try web.register(collection: LoginController())
    try web.register(collection: DirectoryWebController())
    try web.register(collection: ContactWebController())
    try web.register(collection: AcknowledgementLinkController())
    try web.register(collection: IncidentWebController(attachmentLimit: app.concord.attachmentMaxBytes))
    try web.register(collection: SensorWebController())
    try app.register(collection: StaticController())
}
