/// Checks an indicator's pattern against the STIX 2.1 patterning grammar (§9): observation
/// expressions joined by AND, OR and FOLLOWEDBY, with WITHIN, REPEATS and START/STOP qualifiers;
/// comparison expressions over object paths with =, !=, <, >, <=, >=, IN, LIKE, MATCHES, ISSUBSET,
/// ISSUPERSET and EXISTS; string, integer, float, boolean, binary (`b'…'`), hex (`h'…'`) and
/// timestamp (`t'…'`) literals. Hand-written (a recursive-descent parser of the standard's ANTLR
/// grammar), as no mirrored Swift package reads STIX patterns; it answers where the pattern goes
/// wrong, by character offset.
public struct STIXPatternParser {
    /// Why a pattern is not valid, and where.
    public struct Failure: Error, Hashable, Sendable, CustomStringConvertible {
        public let offset: Int
        public let reason: String

        public var description: String { "\(reason) at character \(offset)" }
    }

    enum Token: Equatable {
        case word(String)
        case string(String)
        case number(String)
        case prefixed(Character, String)  // b'…', h'…', t'…'
        case symbol(String)
        case end
    }

    private var tokens: [(token: Token, offset: Int)] = []
    private var position = 0

    /// Nil when `pattern` is valid, else the first failure.
    public static func failure(in pattern: String) -> Failure? {
        do {
            var parser = STIXPatternParser()
            parser.tokens = try tokenize(pattern)
            try parser.observationExpressions()
            guard parser.current == .end else { throw parser.fail("unexpected \(parser.describe(parser.current))") }
            return nil
        } catch let failure as Failure {
            return failure
        } catch {
            return Failure(offset: 0, reason: "\(error)")
        }
    }

    // MARK: - Grammar

    private mutating func observationExpressions() throws {
        try observationOr()
        while accept(.word("FOLLOWEDBY")) { try observationOr() }
    }

    private mutating func observationOr() throws {
        try observationAnd()
        while accept(.word("OR")) { try observationAnd() }
    }

    private mutating func observationAnd() throws {
        try observation()
        while accept(.word("AND")) { try observation() }
    }

    private mutating func observation() throws {
        if accept(.symbol("[")) {
            try comparisonOr()
            try expect(.symbol("]"), "] to close the comparison")
        } else if accept(.symbol("(")) {
            try observationExpressions()
            try expect(.symbol(")"), ") to close the observation expression")
        } else {
            throw fail("expected [ or ( to start an observation expression, found \(describe(current))")
        }
        try qualifiers()
    }

    private mutating func qualifiers() throws {
        while true {
            if accept(.word("WITHIN")) {
                guard case .number(let value) = current, (Double(value) ?? 0) > 0 else {
                    throw fail("WITHIN takes a positive number of seconds")
                }
                advance()
                try expect(.word("SECONDS"), "SECONDS after WITHIN")
            } else if accept(.word("REPEATS")) {
                guard case .number(let value) = current, let count = Int(value), count > 0 else {
                    throw fail("REPEATS takes a positive integer")
                }
                advance()
                try expect(.word("TIMES"), "TIMES after REPEATS")
            } else if accept(.word("START")) {
                try timestampLiteral()
                try expect(.word("STOP"), "STOP after START")
                try timestampLiteral()
            } else {
                return
            }
        }
    }

    private mutating func timestampLiteral() throws {
        guard case .prefixed("t", let text) = current else { throw fail("expected a timestamp literal t'…'") }
        guard STIXTimestamp(text) != nil else { throw fail("t'\(text)' is not a STIX timestamp") }
        advance()
    }

    private mutating func comparisonOr() throws {
        try comparisonAnd()
        while accept(.word("OR")) { try comparisonAnd() }
    }

    private mutating func comparisonAnd() throws {
        try propertyTest()
        while accept(.word("AND")) { try propertyTest() }
    }

    private mutating func propertyTest() throws {
        if accept(.symbol("(")) {
            try comparisonOr()
            try expect(.symbol(")"), ") to close the comparison")
            return
        }
        if accept(.word("EXISTS")) {
            try objectPath()
            return
        }
        try objectPath()
        _ = accept(.word("NOT"))
        switch current {
        case .symbol(let symbol) where ["=", "!=", "<", ">", "<=", ">="].contains(symbol):
            advance()
            try primitiveLiteral()
        case .word("IN"):
            advance()
            try expect(.symbol("("), "( after IN")
            try primitiveLiteral()
            while accept(.symbol(",")) { try primitiveLiteral() }
            try expect(.symbol(")"), ") to close the IN list")
        case .word(let word) where ["LIKE", "MATCHES", "ISSUBSET", "ISSUPERSET"].contains(word):
            advance()
            guard case .string = current else { throw fail("\(word) takes a string literal") }
            advance()
        default:
            throw fail("expected a comparison operator, found \(describe(current))")
        }
    }

    /// `file:hashes.'SHA-256'`, `network-traffic:extensions.'http-request-ext'.request_header.'Host'`,
    /// `email-message:to_refs[*].value`.
    private mutating func objectPath() throws {
        guard case .word(let type) = current, STIXIdentifier.isTypeName(type) else {
            throw fail("expected an object type such as ipv4-addr, found \(describe(current))")
        }
        advance()
        try expect(.symbol(":"), ": after the object type")
        try pathComponent()
        while true {
            if accept(.symbol(".")) {
                try pathComponent()
            } else if accept(.symbol("[")) {
                if accept(.symbol("*")) {
                } else if case .number(let value) = current, Int(value) != nil {
                    advance()
                } else {
                    throw fail("a list index is an integer or *")
                }
                try expect(.symbol("]"), "] to close the list index")
            } else {
                return
            }
        }
    }

    private mutating func pathComponent() throws {
        switch current {
        case .word(let name) where name.first.map { $0.isLetter || $0 == "_" } == true:
            advance()
        case .string:
            advance()
        default:
            throw fail("expected a property name, found \(describe(current))")
        }
    }

    private mutating func primitiveLiteral() throws {
        switch current {
        case .string, .number, .word("true"), .word("false"):
            advance()
        case .prefixed("t", _):
            try timestampLiteral()
        case .prefixed("h", let text):
            guard text.count % 2 == 0, text.allSatisfy(\.isHexDigit) else {
                throw fail("h'…' takes pairs of hex digits")
            }
            advance()
        case .prefixed("b", let text):
            guard text.count % 4 == 0, text.allSatisfy({ $0.isLetter || $0.isNumber || "+/=".contains($0) }) else {
                throw fail("b'…' takes base64")
            }
            advance()
        default:
            throw fail("expected a literal, found \(describe(current))")
        }
    }

    // MARK: - Tokens

    private var current: Token { tokens[min(position, tokens.count - 1)].token }

    private mutating func advance() { position += 1 }

    private mutating func accept(_ token: Token) -> Bool {
        guard current == token else { return false }
        advance()
        return true
    }

    private mutating func expect(_ token: Token, _ what: String) throws {
        guard accept(token) else { throw fail("expected \(what), found \(describe(current))") }
    }

    private func fail(_ reason: String) -> Failure {
        Failure(offset: tokens[min(position, tokens.count - 1)].offset, reason: reason)
    }

    private func describe(_ token: Token) -> String {
        switch token {
        case .word(let word): return "'\(word)'"
        case .string(let text): return "the string '\(text)'"
        case .number(let number): return number
        case .prefixed(let prefix, let text): return "\(prefix)'\(text)'"
        case .symbol(let symbol): return "'\(symbol)'"
        case .end: return "the end"
        }
    }

    /// The pattern's tokens, read by Unicode scalar (offsets count scalars): reading it as
    /// `Character`s, which must find grapheme boundaries, made tokenizing the slow part of
    /// checking an envelope of indicators.
    static func tokenize(_ pattern: String) throws -> [(token: Token, offset: Int)] {
        let scalars = Array(pattern.unicodeScalars)
        var tokens: [(token: Token, offset: Int)] = []
        var index = 0
        func text(_ range: Range<Int>) -> String {
            var result = ""
            result.unicodeScalars.append(contentsOf: scalars[range])
            return result
        }
        // ASCII first: Unicode property lookups cost more than the rest of tokenizing.
        func isDigit(_ scalar: Unicode.Scalar) -> Bool {
            scalar.isASCII ? (48...57).contains(scalar.value) : scalar.properties.numericType != nil
        }
        func isLetter(_ scalar: Unicode.Scalar) -> Bool {
            scalar.isASCII
                ? (65...90).contains(scalar.value) || (97...122).contains(scalar.value)
                : scalar.properties.isAlphabetic
        }
        func isSpace(_ scalar: Unicode.Scalar) -> Bool {
            scalar.isASCII ? scalar == " " || (9...13).contains(scalar.value) : scalar.properties.isWhitespace
        }
        func quoted(from start: Int) throws -> (String, Int) {
            var text = ""
            var cursor = start
            while cursor < scalars.count {
                let scalar = scalars[cursor]
                if scalar == "\\" {
                    guard cursor + 1 < scalars.count, scalars[cursor + 1] == "'" || scalars[cursor + 1] == "\\" else {
                        throw Failure(offset: cursor, reason: "only \\' and \\\\ may be escaped in a string")
                    }
                    text.unicodeScalars.append(scalars[cursor + 1])
                    cursor += 2
                } else if scalar == "'" {
                    return (text, cursor + 1)
                } else {
                    text.unicodeScalars.append(scalar)
                    cursor += 1
                }
            }
            throw Failure(offset: start - 1, reason: "the string is not closed")
        }
        while index < scalars.count {
            let scalar = scalars[index]
            let start = index
            let next = index + 1 < scalars.count ? scalars[index + 1] : nil
            if isSpace(scalar) {
                index += 1
            } else if scalar == "'" {
                let (text, end) = try quoted(from: index + 1)
                tokens.append((.string(text), start))
                index = end
            } else if scalar == "b" || scalar == "h" || scalar == "t", next == "'" {
                let (text, end) = try quoted(from: index + 2)
                tokens.append((.prefixed(Character(scalar), text), start))
                index = end
            } else if isDigit(scalar) || ((scalar == "-" || scalar == "+") && next.map(isDigit) == true) {
                index += 1
                while index < scalars.count, isDigit(scalars[index]) || scalars[index] == "." { index += 1 }
                tokens.append((.number(text(start..<index)), start))
            } else if isLetter(scalar) || scalar == "_" {
                while index < scalars.count,
                    isLetter(scalars[index]) || isDigit(scalars[index]) || scalars[index] == "_"
                        || scalars[index] == "-"
                {
                    index += 1
                }
                tokens.append((.word(text(start..<index)), start))
            } else if scalar == "!" || scalar == "<" || scalar == ">", next == "=" {
                tokens.append((.symbol(text(index..<index + 2)), start))
                index += 2
            } else if "[]():.,=<>*".unicodeScalars.contains(scalar) {
                tokens.append((.symbol(String(scalar)), start))
                index += 1
            } else {
                throw Failure(offset: index, reason: "unexpected character \(scalar)")
            }
        }
        tokens.append((.end, scalars.count))
        return tokens
    }
}
