import Foundation
import Testing

@testable import ConcordCore

/// What a communication check finds about a contact, and its figures.
@Suite struct ContactFindingsTests {
    let now = Date(timeIntervalSince1970: 1_796_263_200)

    func key(
        finding: String? = nil, expiresIn days: Double? = 365, ids: String? = "Duty <cert@sg.example>",
        stored: String? = "AA11", read: String? = "AA11"
    ) -> ContactFindings.Key {
        ContactFindings.Key(
            present: true, finding: finding, expiresAt: days.map { now.addingTimeInterval($0 * 86_400) }, userIDs: ids,
            directoryFingerprint: stored, keyFingerprint: read)
    }

    @Test func eachProblemIsNamed() {
        let none = ContactFindings.Key(
            present: false, finding: nil, expiresAt: nil, userIDs: nil, directoryFingerprint: nil, keyFingerprint: nil)
        #expect(ContactFindings.of(address: "cert@sg.example", key: none, now: now) == ["no OpenPGP key"])
        #expect(ContactFindings.of(address: "cert@sg.example", key: key(), now: now).isEmpty)
        #expect(ContactFindings.of(address: "CERT@sg.example", key: key(), now: now).isEmpty, "addresses ignore case")
        #expect(ContactFindings.of(address: "cert@sg.example", key: key(expiresIn: -1), now: now) == ["key expired"])
        #expect(
            ContactFindings.of(address: "cert@sg.example", key: key(expiresIn: 20), now: now)
                == ["key expires within 30 days"])
        #expect(
            ContactFindings.of(address: "cert@sg.example", key: key(finding: "revoked"), now: now) == ["key revoked"])
        #expect(
            ContactFindings.of(address: "cert@sg.example", key: key(read: "BB22"), now: now)
                == ["wrong fingerprint in the directory: the key is BB22"])
        #expect(
            ContactFindings.of(address: "duty@sg.example", key: key(), now: now)
                == ["the key's user ids do not name duty@sg.example"])
    }

    @Test func reachabilityCountsAnswersWithinTheWindow() {
        let outcomes = [
            ChallengeOutcome(team: "a", sent: now, answered: now.addingTimeInterval(60)),
            ChallengeOutcome(team: "a", sent: now, answered: nil),
            ChallengeOutcome(team: "b", sent: now, answered: now.addingTimeInterval(7200)),  // after the window
            ChallengeOutcome(team: "c", sent: now, answered: now.addingTimeInterval(600)),
        ]
        let figures = CommCheckFigures.of(outcomes, window: 3600)
        #expect(figures.challenges == 4 && figures.answered == 2 && figures.reachabilityPercent == 50)
        #expect(figures.teams == 3 && figures.reachableTeams == 2)
        #expect(figures.medianSecondsToAnswer == 60 && figures.p90SecondsToAnswer == 600)
    }
}
