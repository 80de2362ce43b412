import Foundation
import Testing
import Vapor
import VaporTesting

@testable import ConcordServer

/// What every page shares (issue 17 §4): a skip link to the main content, the menu entry of the
/// page marked `aria-current="page"`, and error pages that are pages too (viewport, skip link, a
/// way back to the form the user was on, never to another site).
@Suite struct WebLayoutTests {
    @Test func eachPageMarksItsOwnMenuEntryAndOnlyThat() async throws {
        try await withApp { app in
            _ = try await TestForum.seed(app)
            let session = try await WebSession.start(app, as: .handler)
            let pages = [
                ("/desk", "nav-desk"), ("/", "nav-directory"), ("/teams/singcert", "nav-directory"),
                ("/incidents", "nav-incidents"),
                ("/incidents/new", "nav-report"), ("/sharing", "nav-sharing"), ("/sensors/dashboard", "nav-sensors"),
                ("/drills", "nav-drills"), ("/account/password", "nav-account"), ("/account/tokens", "nav-account"),
            ]
            for (path, entry) in pages {
                let page = try await session.send(.GET, path, form: [:], app: app)
                let html = String(buffer: page.body)
                #expect(page.status == .ok, "\(path)")
                #expect(html.contains(##"<a class="skip" href="#main">"##) && html.contains(#"id="main""#), "\(path)")
                #expect(html.contains(#"name="viewport""#), "\(path)")
                let marked = Self.currentEntries(in: html)
                #expect(marked == [entry], "\(path) marks \(marked)")
            }
        }
    }

    @Test func theMenuSectionOfAPathIsItsLongestMenuPrefix() {
        #expect(WebViewer.section(ofPath: "/") == "directory")
        #expect(WebViewer.section(ofPath: "/desk") == "desk")
        #expect(WebViewer.section(ofPath: "/economies/SG") == "directory")
        #expect(WebViewer.section(ofPath: "/incidents/new") == "report")
        #expect(WebViewer.section(ofPath: "/incidents/INC-2026-000001") == "incidents")
        #expect(WebViewer.section(ofPath: "/sensors/tokyo-1") == "sensors")
        #expect(WebViewer.section(ofPath: "/drillsomething") == "")
        #expect(WebViewer.section(ofPath: "/login") == "")
    }

    @Test func anErrorPageIsAPageWithAWayBackToTheFormOnThisSiteOnly() async throws {
        try await withApp { app in
            _ = try await TestForum.seed(app)
            let session = try await WebSession.start(app, as: .handler)
            func missing(referer: String?) async throws -> String {
                var headers = HTTPHeaders()
                headers.cookie = ["concord_session": .init(string: session.cookie)]
                headers.replaceOrAdd(name: .host, value: "concord.test:8080")
                if let referer { headers.replaceOrAdd(name: .referer, value: referer) }
                let page = try await app.testing().send(.GET, "/incidents/INC-2026-999999", headers: headers)
                #expect(page.status == .notFound)
                #expect(page.headers.contentType?.subType == "html")
                return String(buffer: page.body)
            }
            let fromForm = try await missing(referer: "http://concord.test:8080/incidents?state=open&x=%3Cb%3E")
            #expect(fromForm.contains(#"name="viewport""#))
            #expect(fromForm.contains(##"<a class="skip" href="#main">"##))
            #expect(fromForm.contains(#"<a id="back" href="/incidents?state=open&amp;x=%3Cb%3E">"#), "\(fromForm)")
            let elsewhere = try await missing(referer: "https://evil.example/incidents")
            #expect(!elsewhere.contains(#"id="back""#) && !elsewhere.contains("evil.example"))
            let otherPort = try await missing(referer: "http://concord.test:9999/incidents")
            #expect(!otherPort.contains(#"id="back""#))
            let none = try await missing(referer: nil)
            #expect(!none.contains(#"id="back""#) && none.contains(#"<a href="/">The directory</a>"#))
        }
    }

    /// The ids of the menu links marked as the current page.
    static func currentEntries(in html: String) -> [String] {
        let pattern = #/<a id="(nav-[a-z]+)"[^>]*aria-current="page"/#
        return html.matches(of: pattern).map { String($0.output.1) }
    }
}
