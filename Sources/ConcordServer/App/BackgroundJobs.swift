import Vapor

/// Starts Concord's background work with the server: the deadline scheduler (every 30 seconds),
/// the outbox worker (every 5), the sensor network's surge monitor (every 300), the drill
/// scheduler (every 5, on the drill clock), the communication-check scheduler (every 60) and the
/// statistics summary's recount of changed days (every 60) and the votes between meetings'
/// scheduler (every 60).
/// Every job but the outbox worker (whose claims already share the work, and which a new message
/// wakes at once) runs on one instance at a time, by a lease in `job_leases`.
public func useBackgroundJobs(_ app: Application) {
    let holder = app.instanceName
    app.lifecycle.use(
        PeriodicJob(name: "deadline scheduler", interval: .seconds(app.concord.schedulerInterval), holder: holder) {
            app in
            try await DeadlineScheduler.runDue(at: app.clock.now(), on: app.db)
        })
    app.lifecycle.use(OutboxWorker.job(every: .seconds(app.concord.outboxInterval)))
    app.lifecycle.use(
        PeriodicJob(name: "surge monitor", interval: .seconds(app.concord.surgeInterval), holder: holder) { app in
            try await SurgeMonitor.runDue(at: app.clock.now(), scan: app.concord.surge, on: app.db)
        })
    app.lifecycle.use(
        PeriodicJob(name: "drill scheduler", interval: .seconds(app.concord.drillInterval), holder: holder) { app in
            try await DrillScheduler.runDue(at: app.drillClock.now(), mailedAt: app.clock.now(), on: app.db)
        })
    app.lifecycle.use(
        PeriodicJob(name: "communication-check scheduler", interval: .seconds(60), holder: holder) { app in
            try await CommCheckScheduler.runDue(at: app.clock.now(), app: app, on: app.db)
        })
    app.lifecycle.use(
        PeriodicJob(name: "abandoned TAXII envelopes", interval: .seconds(60), holder: holder) { app in
            _ = try await TAXIIEnvelopeJobs.recoverAbandoned(app: app)
        })
    app.lifecycle.use(
        PeriodicJob(name: "annual report reminders", interval: .seconds(3600), holder: holder) { app in
            try await SubmissionReminders.runDue(at: app.clock.now(), publicURL: app.concord.publicURL, on: app.db)
        })
    app.lifecycle.use(
        PeriodicJob(name: "statistics summary", interval: .seconds(60), holder: holder) { app in
            try await StatisticsSummaryRefresh.runDue(at: app.clock.now(), on: app.db)
        })
    app.lifecycle.use(
        PeriodicJob(name: "vote scheduler", interval: .seconds(60), holder: holder) { app in
            try await GovernanceVoteScheduler.runDue(
                at: app.clock.now(), publicURL: app.concord.publicURL, clock: app.clock, on: app.db)
        })
    app.lifecycle.use(
        PeriodicJob(name: "idempotency keys", interval: .seconds(3600), holder: holder) { app in
            try await IdempotencyStore.purge(before: app.clock.now(), on: app.db)
        })
}
