import ConcordCore
import Testing

/// A submission's states: a team edits until it submits, the secretariat accepts or returns, a
/// returned one is edited again; declared figures stand beside measured ones, each difference
/// said in which direction.
@Suite struct SubmissionStateTests {
    @Test func everyTransitionIsTheOneTheProcedureAllows() {
        typealias State = SubmissionState
        let allowed: [State.Action: [State: State]] = [
            .save: [.notStarted: .draft, .draft: .draft, .returned: .draft],
            .submit: [.notStarted: .submitted, .draft: .submitted, .returned: .submitted],
            .accept: [.submitted: .accepted],
            .return: [.submitted: .returned, .accepted: .returned],
        ]
        for action in State.Action.allCases {
            for state in State.allCases {
                #expect(state.after(action) == allowed[action]?[state], "\(action) from \(state)")
            }
            #expect(Set(State.starts(of: action)) == Set(allowed[action]?.keys.map { $0 } ?? []))
        }
        #expect(State.allCases.filter(\.isHandedIn) == [.submitted, .accepted])
    }

    @Test func statesParseStrictlyAndReadAsPeopleSayThem() {
        #expect(SubmissionState(rawValue: "not-started") == .notStarted)
        #expect(SubmissionState(rawValue: "Submitted") == nil && SubmissionState(rawValue: "done") == nil)
        #expect(SubmissionState.notStarted.description == "not started")
    }

    @Test func declaredAndMeasuredAreComparedNeverAdded() {
        let declared = CountTable(
            categories: ["fraud", "malicious-code"],
            counts: [[3] + Array(repeating: 0, count: 11), [1] + Array(repeating: 0, count: 11)])
        let compared = DeclaredAndMeasured(
            declared: declared, measured: ["fraud": 3, "malicious-code": 4, "vulnerable": 2])
        #expect(compared.rows.map(\.category) == ["fraud", "malicious-code", "vulnerable"])
        #expect(compared.rows.map(\.flag) == [.same, .measuredMore, .measuredMore])
        #expect(compared.rows[1].difference == -3)
        #expect(compared.total == .init(category: "total", declared: 4, measured: 9))
        #expect(compared.differing.count == 2)
        let more = DeclaredAndMeasured(declared: declared, measured: [:])
        #expect(more.rows.allSatisfy { $0.flag == .declaredMore } && more.total.difference == 4)
    }
}

/// Figures a database counts in aggregate equal the ones counted case by case.
@Suite struct AggregatedFiguresTests {
    @Test func aHistogramGivesTheSameDurationsAsEveryCase() {
        var rng = SplitMix64(seed: 7)
        for round in 0..<200 {
            let seconds = (0..<Int(rng.next() % 60)).map { _ in Int(rng.next() % 5000) - 10 }
            let open = Int(rng.next() % 5)
            let split = seconds.count / 2
            let histogram = Dictionary(seconds.prefix(split).map { ($0, 1) }, uniquingKeysWith: +)
            let whole = DurationFigures(seconds: seconds, open: open)
            let parts = DurationFigures(histogram: histogram, seconds: Array(seconds.dropFirst(split)), open: open)
            #expect(whole == parts, "round \(round): \(seconds)")
        }
    }

    @Test func countersAndTablesAdd() {
        var one = IncidentCounters()
        one.reports = 3
        one.crossBorder = 1
        var two = IncidentCounters()
        two.reports = 2
        two.incidents = 2
        let sum = one + two
        #expect(sum.reports == 5 && sum.incidents == 2 && sum.crossBorder == 1 && sum.casesCoordinated == 0)
        let zeros = Array(repeating: 0, count: 12)
        var march = zeros
        march[2] = 4
        let table =
            CountTable(categories: ["fraud"], counts: [march])
            + CountTable(categories: ["other", "fraud"], counts: [march, march])
        #expect(table.categories == ["fraud", "other"] && table.total(of: "fraud") == 8 && table.total == 12)
    }
}
