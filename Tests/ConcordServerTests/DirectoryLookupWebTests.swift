import ConcordTestTools
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import ConcordServer

/// The directory's search box answers an address, AS number or domain as `concord lookup` does
/// (issue 17 §1): each team with what matched and why, 24/7 contacts as links with their keys'
/// state, the fallback said as such, a refusal for a malformed value, and the report form it opens.
@Suite struct DirectoryLookupWebTests {
    /// SingCERT gets a published 24/7 phone, and its published e-mail an expired key.
    static func seedContacts(_ app: Application, _ forum: TestForum) async throws {
        let email = try #require(try await Contact.find(forum.singcertContactID, on: app.db))
        email.pgpFingerprint = "0123456789ABCDEF0123456789ABCDEF01234567"
        email.pgpExpiresAt = Date(timeIntervalSinceNow: -86_400)
        try await email.save(on: app.db)
        let phone = Contact()
        phone.$team.id = email.$team.id
        phone.kind = .phone247
        phone.value = "+65 6555 0100"
        phone.availability = .always
        phone.published = true
        phone.lastVerifiedOn = ISODate.string(Date())
        try await phone.create(on: app.db)
        try await app.routingDirectory.rebuild(on: app.db)
    }

    @Test func anAddressIsAnsweredWithReasonsContactsKeysAndAReportLink() async throws {
        try await withApp { app in
            let forum = try await TestForum.seed(app)
            try await Self.seedContacts(app, forum)
            let session = try await WebSession.start(app, as: .handler)
            let page = try await session.send(.GET, "/?q=198.51.100.115", form: [:], app: app)
            let html = String(buffer: page.body)
            #expect(page.status == .ok)
            #expect(html.contains("Who handles 198.51.100.115"))
            let nus = try #require(html.range(of: "198.51.100.115 in 198.51.100.112/29 of NUSCERT"))
            let sing = try #require(html.range(of: "198.51.100.115 in 198.51.100.96/27 of SingCERT"))
            #expect(nus.lowerBound < sing.lowerBound, "the most specific match first")
            #expect(html.contains("href=\"tel:+6565550100\">+65 6555 0100</a>"))
            #expect(html.contains("href=\"mailto:cert@sg.example\">cert@sg.example</a>"))
            #expect(html.contains("0123456789ABCDEF0123456789ABCDEF01234567, EXPIRED on"))
            #expect(html.contains("key tag warn"), "an expired key is marked")
            #expect(!html.contains("internal bridge"), "an unpublished contact stays off the answer")
            #expect(html.contains("href=\"/incidents/new?observables=198.51.100.115\""))
            #expect(!html.contains("id=\"lookup-fallback\""))

            let observer = try await WebSession.start(app, as: .observer)
            let seen = String(buffer: try await observer.send(.GET, "/?q=198.51.100.115", form: [:], app: app).body)
            #expect(
                seen.contains("Who handles 198.51.100.115") && !seen.contains("id=\"report-this\""),
                "an observer reads the answer but is not offered to report")
        }
    }

    @Test func nothingMatchingNamesTheFallbackAndWhy() async throws {
        try await withApp { app in
            let forum = try await TestForum.seed(app)
            _ = forum
            let session = try await WebSession.start(app, as: .handler)
            let triage = String(buffer: try await session.send(.GET, "/?q=nothing.zz", form: [:], app: app).body)
            #expect(triage.contains("id=\"lookup-fallback\""))
            #expect(triage.contains("/teams/jpcert-cc\">JPCERT/CC</a>"), "the secretariat takes what nothing matches")
            #expect(triage.contains("<span class=\"tag\">secretariat</span>"))
            let national = String(
                buffer: try await session.send(.GET, "/?q=192.0.2.1&economy=SG", form: [:], app: app).body)
            #expect(national.contains("id=\"lookup-fallback\"") && national.contains("national-team"))
            #expect(national.contains("observables=192.0.2.1&amp;economy=SG"), "the hint goes along to the report")
            let asn = String(buffer: try await session.send(.GET, "/?q=AS64500", form: [:], app: app).body)
            #expect(asn.contains("Who handles AS64500") && asn.contains("/teams/nuscert\">NUSCERT</a>"))
        }
    }

    @Test(arguments: ["300.1.1.1", "198.51.100.999", "198.51.100.1100", "2001:db8::zz", "AS0"])
    func aMalformedValueIsRefusedNotSearched(value: String) async throws {
        try await withApp { app in
            _ = try await TestForum.seed(app)
            let session = try await WebSession.start(app, as: .handler)
            let encoded = value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? value
            let page = try await session.send(.GET, "/?q=\(encoded)", form: [:], app: app)
            let html = String(buffer: page.body)
            #expect(page.status == .ok)
            #expect(html.contains("id=\"lookup-error\""))
            #expect(html.contains(value.contains(".") && !value.contains(":") ? "is not an IPv4 address" : "is not an"))
            #expect(!html.contains("Who handles") && !html.contains("team(s) match"))
        }
    }

    @Test func aNameIsSearchedAsBefore() async throws {
        try await withApp { app in
            _ = try await TestForum.seed(app)
            let session = try await WebSession.start(app, as: .handler)
            let html = String(buffer: try await session.send(.GET, "/?q=Sing", form: [:], app: app).body)
            #expect(!html.contains("Who handles") && !html.contains("lookup-error"))
            #expect(
                html.contains("2 team(s) match") && html.contains("/teams/singcert"),
                "SingCERT, and NUSCERT of Singapore")
        }
    }

    @Test func theReportLinkOpensTheFormFilledInAndRouted() async throws {
        try await withApp { app in
            _ = try await TestForum.seed(app)
            let session = try await WebSession.start(app, as: .handler)
            let form = String(
                buffer: try await session.send(.GET, "/incidents/new?observables=198.51.100.115", form: [:], app: app)
                    .body)
            #expect(form.contains(">198.51.100.115</textarea>"))
            #expect(form.contains("id=\"routing-preview\"") && form.contains("<strong>NUSCERT</strong>"))
            #expect(form.contains("id=\"report\""), "one click reports once a title and classification are given")
            let bad = String(
                buffer: try await session.send(.GET, "/incidents/new?observables=10.0.0.0%2F33", form: [:], app: app)
                    .body)
            #expect(bad.contains("id=\"form-errors\"") && !bad.contains("id=\"routing-preview\""))
            let empty = String(buffer: try await session.send(.GET, "/incidents/new", form: [:], app: app).body)
            #expect(!empty.contains("id=\"routing-preview\"") && !empty.contains("id=\"form-errors\""))
        }
    }
}
