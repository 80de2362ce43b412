import ConcordCore
import Foundation
import Vapor

/// A version of the constitution: its rules as data and in sentences.
public struct ConstitutionDTO: Content, Equatable {
    public let version: Int
    public let effectiveOn: String
    /// "founding", or the resolution that adopted it.
    public let adoptedBy: String
    public let adoptedAt: Date
    public let rules: Constitution
    /// The rules in sentences, as the web page prints them.
    public let text: [ConstitutionText.Section]

    init(_ adopted: Constitutions.Adopted) {
        version = adopted.row.version
        effectiveOn = adopted.row.effectiveOn
        adoptedBy = adopted.row.adoptedBy
        adoptedAt = adopted.row.adoptedAt
        rules = adopted.rules
        text = ConstitutionText.sections(adopted.rules)
    }
}

/// A line of the constitution's history.
public struct ConstitutionVersionDTO: Content, Equatable {
    public let version: Int
    public let effectiveOn: String
    public let adoptedBy: String
    public let adoptedAt: Date

    init(_ adopted: Constitutions.Adopted) {
        version = adopted.row.version
        effectiveOn = adopted.row.effectiveOn
        adoptedBy = adopted.row.adoptedBy
        adoptedAt = adopted.row.adoptedAt
    }
}

/// A team's term in an office.
public struct OfficeTermDTO: Content, Equatable {
    public let office: String
    /// "Chair", "Steering Committee (class 1)".
    public let officeName: String
    public let seatClass: Int?
    public let team: String
    public let teamName: String
    public let holder: String
    public let startsOn: String
    public let endsOn: String
    public let source: String

    init(_ term: OfficeTerm) {
        office = term.office
        officeName = Offices.name(term.office, seatClass: term.seatClass)
        seatClass = term.seatClass
        team = term.team.slug
        teamName = term.team.shortName
        holder = term.holder
        startsOn = term.startsOn
        endsOn = term.endsOn
        source = term.source
    }
}
