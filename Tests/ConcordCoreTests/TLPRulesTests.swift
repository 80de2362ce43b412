import Testing

@testable import ConcordCore

@Suite struct TLPRulesTests {
    let owner = TLPViewer(user: "alice", team: "jpcert", isForumMember: true)
    let recipient = TLPViewer(user: "bob", team: "krcert", isForumMember: true)
    let bystander = TLPViewer(user: "carol", team: "mycert", isForumMember: true)
    let anonymous = TLPViewer(user: nil, team: nil, isForumMember: false)

    @Test func everyLabelAgainstEveryViewer() {
        func audience(_ label: TLPLabel) -> TLPAudience {
            TLPAudience(
                label: label, ownerTeam: "jpcert", ownerUser: "alice", recipientTeams: ["krcert"],
                recipientUsers: ["bob"])
        }
        let expected: [TLPLabel: [Bool]] = [
            .clear: [true, true, true, true], .green: [true, true, true, false],
            .amber: [true, true, false, false], .amberStrict: [true, true, false, false],
            .red: [true, true, false, false],
        ]
        for label in TLPLabel.allCases {
            let got = [owner, recipient, bystander, anonymous].map { TLPRules.mayRead($0, audience(label)) }
            #expect(got == expected[label], "\(label)")
        }
        let redOtherMember = TLPViewer(user: "dave", team: "krcert", isForumMember: true)
        #expect(!TLPRules.mayRead(redOtherMember, audience(.red)), "RED names people, not their team")
        let authorsTeammate = TLPViewer(user: "erin", team: "jpcert", isForumMember: true)
        #expect(!TLPRules.mayRead(authorsTeammate, audience(.red)), "not even the author's teammates")
        #expect(TLPRules.mayRead(authorsTeammate, audience(.amberStrict)))
    }

    /// AMBER reaches the clients of the teams it was shared with: a national team's constituents.
    /// AMBER+STRICT and RED do not, nor does AMBER shared with somebody else's national team.
    @Test func amberReachesTheConstituentsOfANationalRecipient() {
        let constituentOfKrcert = TLPViewer(
            user: "frank", team: "kr-bank", isForumMember: true, nationalTeams: ["krcert"])
        let constituentOfJpcert = TLPViewer(
            user: "gina", team: "jp-isp", isForumMember: true, nationalTeams: ["jpcert"])
        let constituentElsewhere = TLPViewer(
            user: "hal", team: "my-bank", isForumMember: true, nationalTeams: ["mycert"])
        func audience(_ label: TLPLabel) -> TLPAudience {
            TLPAudience(
                label: label, ownerTeam: "jpcert", ownerUser: "alice", recipientTeams: ["krcert"],
                recipientUsers: ["bob"])
        }
        for viewer in [constituentOfKrcert, constituentOfJpcert] {
            #expect(TLPRules.mayRead(viewer, audience(.amber)))
            #expect(!TLPRules.mayRead(viewer, audience(.amberStrict)))
            #expect(!TLPRules.mayRead(viewer, audience(.red)))
        }
        #expect(!TLPRules.mayRead(constituentElsewhere, audience(.amber)))
        let anonymousClaimingOne = TLPViewer(user: nil, team: nil, isForumMember: false, nationalTeams: ["krcert"])
        #expect(!TLPRules.mayRead(anonymousClaimingOne, audience(.amber)))
    }

    @Test func parsesLabels() {
        #expect(TLPLabel(text: "amber+strict") == .amberStrict)
        #expect(TLPLabel(text: "TLP:WHITE") == .clear)
        #expect(TLPLabel(text: "purple") == nil)
        #expect(TLPLabel.green < TLPLabel.red)
    }
}
