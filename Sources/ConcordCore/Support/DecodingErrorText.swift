/// A JSON decoding error in one line a person can act on: the path and what is wrong there
/// (`generalMeeting.quorum: at-least 3/2 is not a share between 0 and all`), not the error's dump.
public enum DecodingErrorText {
    public static func line(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return "not JSON" }
        switch error {
        case .keyNotFound(let key, let context):
            return "\((context.codingPath + [key]).map(\.stringValue).joined(separator: ".")) is missing"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            return path.isEmpty ? "not JSON" : "\(path): a value of the wrong type"
        case .dataCorrupted(let context):
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            return path.isEmpty ? "not JSON" : "\(path): \(context.debugDescription)"
        @unknown default: return "not JSON"
        }
    }
}
