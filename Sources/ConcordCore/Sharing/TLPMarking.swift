/// The TLP labels as STIX 2.1 markings: the OASIS TLP 2.0 marking-definition objects (the ids
/// every STIX tool shares) and, read only, the STIX 2.1 TLP 1.0 ones (WHITE is CLEAR). An object
/// carries exactly one; none or two different ones is a problem the caller reports or resolves
/// with its default.
public enum TLPMarking {
    /// The TLP 2.0 marking-definition id of each label.
    public static func id(of label: TLPLabel) -> String {
        switch label {
        case .clear: return "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487"
        case .green: return "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb"
        case .amber: return "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421"
        case .amberStrict: return "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003"
        case .red: return "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1"
        }
    }

    /// The label a marking-definition id stands for: TLP 2.0, or STIX 2.1's TLP 1.0 definitions.
    public static func label(ofMarking id: String) -> TLPLabel? {
        if let label = TLPLabel.allCases.first(where: { Self.id(of: $0) == id.lowercased() }) { return label }
        switch id.lowercased() {
        case "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9": return .clear  // TLP:WHITE
        case "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da": return .green
        case "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82": return .amber
        case "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed": return .red
        default: return nil
        }
    }

    /// What an object's `object_marking_refs` say about its TLP.
    public enum Reading: Equatable, Sendable {
        case label(TLPLabel)
        case missing
        /// Two or more different labels.
        case conflicting([TLPLabel])
    }

    /// The one TLP label among `markingRefs` (other markings, such as statements, are ignored).
    public static func read(_ markingRefs: [String]) -> Reading {
        let labels = Set(markingRefs.compactMap(label(ofMarking:)))
        if labels.isEmpty { return .missing }
        if labels.count > 1 { return .conflicting(labels.sorted()) }
        return .label(labels.first ?? .amber)
    }
}
