import Fluent
import Vapor

/// The one ordered list of migrations. Append only; never edit a migration that has landed.
enum ConcordMigrations {
    static let all: [any Migration] = [
        CreateEconomy(),  // the forum's economies
        CreateMembershipCategory(),  // categories and their rights, configured per forum
        CreateTeam(),  // member teams and their RFC 2350 profile
        CreateTeamStatusChange(),  // dated status history
        CreateConstituencyEntry(),  // what each team is responsible for (routing)
        CreateContact(),  // points of contact and OpenPGP keys
        CreateUser(),  // accounts
        CreateAPIToken(),  // hashed API tokens
        CreateAuditEntry(),  // append-only audit log
        SessionRecord.migration,  // web sessions (Fluent's own), so logins survive a restart
        UpdateAuditEntryMakeAppendOnly(),  // the database refuses to change or delete audit lines
        CreateIncident(),  // reported incidents
        CreateIncidentObservable(),  // their observables, normalised
        CreateIncidentRecipient(),  // people named on TLP:RED incidents
        CreateIncidentAssignment(),  // one row per responsible team, with its procedure state
        CreateIncidentTimelineEntry(),  // every step of an incident
        CreateTeamWebhook(),  // where teams want notifications POSTed
        CreateAcknowledgementLink(),  // one-time acknowledgement links, as token hashes
        CreateOutboxMessage(),  // the durable outbox of e-mail and webhook notifications
        CreateIncidentAttachment(),  // files attached to incidents (bytes on disk by SHA-256)
        CreateIncidentRead(),  // who opened which incident when (unread counts)
        UpdateIncidentTimelineAddKind(),  // comments apart from events
        CreateFeedTables(),  // bulk feed imports, their events and aggregation groups
        UpdateOutboxAddFeedGroup(),  // aggregated feed notifications name their group
        UpdateTeamAddAcknowledgementMinutes(),  // a team's own acknowledgement promise
        UpdateFeedEventsBinaryFingerprint(),  // feed fingerprints: 16 bytes, not 64 hex digits
        CreateSensorTables(),  // darknet sensors, their uploads and hourly aggregates
        CreateSurgeTables(),  // surge alerts and the bands judged
        CreateSharingTables(),  // the STIX store behind TAXII: collections, object versions, statuses
        CreateCorrelationTables(),  // the correlation index, the warninglist, feed events by source
        CreateDrillTables(),  // drill scenarios, drills, their participants, injects, deliveries and actions
        CreateCommCheckTables(),  // communication checks, their challenges and schedules
        UpdateTAXIIStatusesStoreDocument(),  // a TAXII status kept as the JSON it is served as
        CreateSTIXObjectsOwnerIndex(),  // what a team shared, newest first (the sharing page)
        CreateIncidentNumberCounter(),  // incident numbers from a counter row per year, not max + 1
        CreateIdempotencyKey(),  // answers kept for retried POSTs (Idempotency-Key)
        AddTAXIIStatusLease(),  // a pending TAXII status is held by the instance storing it
        CreateJobLease(),  // each periodic job runs on one instance at a time
        AddOutboxClaimToken(),  // a mark-sent must come from the worker holding the claim
        CreateCacheRevisions(),  // a counter per shared cache, so every instance sees a change
        CreateTAXIIEnvelopes(),  // a large TAXII envelope kept until stored, resumed after a crash
        CreateIncidentListIndexes(),  // the incident list's order, by assigned team and by named person
        CreateLoginThrottle(),  // failed logins per address, (address, account) and account: growing delays
        UpdateUserAddTOTPLastStep(),  // a second-factor code logs in once
        UpdateUserAddMustChangePassword(),  // a generated password is changed at its first login
        UpdateUserAddDisabledAt(),  // an administrator disables an account everywhere at once
        UpdateSensorHoursAddRevision(),  // which upload last wrote an hour: the dashboard recomputes only changed days
        UpdateAssignmentAddProcedureTimes(),  // when an assignment was notified, acknowledged, resolved (statistics)
        CreateReportingYears(),  // the annual report's reporting years, with their deadlines
        CreateReportSubmissions(),  // each member team's submission to a reporting year
        CreateReportReminders(),  // reminders sent before a submission's deadline, each once
        CreateTeamCategoryMappings(),  // a team's own incident categories mapped to RSIT
        UpdateReportingYearAddEditionCount(),  // the counter a year's report editions are numbered from
        CreateReportEditions(),  // the annual report's editions, kept whole as built
        UpdateIncidentAddDuplicateOf(),  // an incident merged into another counts as a report, not an incident
        CreateStatisticsDays(),  // the statistics summary's counted days
        CreateStatisticsCells(),  // the statistics summary's counts per day, label and taxonomy
        CreateStatisticsChanges(),  // writes the statistics summary has not counted yet
        CreateIncidentLabelIndex(),  // a year's incidents of one TLP label (RED, judged one by one) found at once
        CreateConstitutionVersions(),  // the forum's constitution, each version with the day it takes effect
        CreateOfficeTerms(),  // who held the forum's offices (chair, deputy chair, steering committee), when
        CreateGeneralMeetings(),  // general meetings: annual and extraordinary, with their agendas and counters
        CreateMeetingAttendances(),  // who was present at a meeting, or represented by whose proxy
        CreateMotions(),  // motions and amendments at a meeting, each with its quorum check and judgement
        CreateMotionVotes(),  // the named votes on motions, one per team
        CreateGovernanceVotes(),  // votes between meetings, each with its periods, roll and judgement
        CreateGovernanceBallots(),  // their named ballots, one per team and vote
        CreateGovernanceVoteReminders(),  // the reminders sent, one per vote and hour before the close
        CreateGovernanceVoteCounters(),  // the yearly numbers of votes and of their resolutions
        CreateElections(),  // elections at general meetings for the forum's offices
        CreateElectionCandidates(),  // their candidates, nominated and seconded
        CreateElectionParticipations(),  // which teams voted in an election (never how)
        CreateElectionBallots(),  // the secret ballots while an election is open: no team, time or order
        AddMeetingElectionCounter(),  // the meetings' election numbers
    ]
}
