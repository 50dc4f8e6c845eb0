/// The percent-encoding SigV4 asks for (AWS's `UriEncode`): every byte except the unreserved
/// `A-Z a-z 0-9 - . _ ~` becomes `%XX` (upper-case hex); `/` is kept in object key paths and
/// encoded in query names and values. The request's URL carries the same encoded path, so the
/// server sees exactly what was signed.
public enum AWSURIEncoding {
    /// Encodes a path, keeping `/` (an object key `a b/c$d` becomes `a%20b/c%24d`).
    public static func path(_ raw: String) -> String { encode(raw, keepSlash: true) }

    /// Encodes a query parameter name or value (`/` becomes `%2F`).
    public static func queryComponent(_ raw: String) -> String { encode(raw, keepSlash: false) }

    static func encode(_ raw: String, keepSlash: Bool) -> String {
        var out = ""
        out.reserveCapacity(raw.utf8.count)
        for byte in raw.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."),
                 UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            case UInt8(ascii: "/") where keepSlash:
                out.append("/")
            default:
                out.append("%")
                out.append(hexDigits[Int(byte >> 4)])
                out.append(hexDigits[Int(byte & 0x0f)])
            }
        }
        return out
    }

    private static let hexDigits: [Character] = Array("0123456789ABCDEF")
}
