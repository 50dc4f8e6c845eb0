import Foundation
import WarrenCore

#if canImport(Glibc)
import Glibc
#endif

/// A minimal HTTP/1.1 client over a Unix socket: one request per connection
/// (`Connection: close`), for the CLI's `--socket` and for tests.
public struct UnixHTTPClient: Sendable {
    public struct Response: Sendable {
        public var status: Int
        public var headers: [String: String]
        public var body: Data
        public var text: String { String(decoding: body, as: UTF8.self) }
    }

    public let socketPath: String
    public var timeout: Double

    public init(socketPath: String, timeout: Double = 30) {
        self.socketPath = socketPath
        self.timeout = timeout
    }

    public func send(_ method: String, _ target: String, body: Data? = nil, headers: [String: String] = [:]) throws -> Response {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw WarrenError.io(path: socketPath, operation: "socket", errno: errno) }
        defer { close(fd) }
        var tv = timeval(tv_sec: Int(timeout), tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        guard UnixSocket.connect(fd, path: socketPath) else {
            throw WarrenError.io(path: socketPath, operation: "connect to the Warren service (is `warren serve` running?)", errno: errno)
        }
        var head = "\(method) \(target) HTTP/1.1\r\nHost: warren\r\nConnection: close\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        if let body { head += "Content-Type: application/json\r\nContent-Length: \(body.count)\r\n" }
        head += "\r\n"
        var request = Data(head.utf8)
        if let body { request.append(body) }
        try request.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    throw WarrenError.io(path: socketPath, operation: "write", errno: errno)
                }
                offset += n
            }
        }
        var received = Data()
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = read(fd, &buffer, buffer.count)
            if n < 0 {
                if errno == EINTR { continue }
                throw WarrenError.io(path: socketPath, operation: "read", errno: errno)
            }
            if n == 0 { break }
            received.append(contentsOf: buffer[0..<n])
        }
        return try Self.parse(received, path: socketPath)
    }

    static func parse(_ data: Data, path: String) throws -> Response {
        guard let split = data.range(of: Data("\r\n\r\n".utf8)) else {
            throw WarrenError.io(path: path, operation: "read an HTTP answer", errno: EPROTO)
        }
        let head = String(decoding: data[data.startIndex..<split.lowerBound], as: UTF8.self)
        var lines = head.components(separatedBy: "\r\n")
        let statusLine = lines.removeFirst().split(separator: " ")
        guard statusLine.count >= 2, let status = Int(statusLine[1]) else {
            throw WarrenError.io(path: path, operation: "read an HTTP status line", errno: EPROTO)
        }
        var headers: [String: String] = [:]
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        var body = Data(data[split.upperBound...])
        if headers["transfer-encoding"]?.lowercased() == "chunked" {
            var decoded = Data()
            var rest = body
            while let lineEnd = rest.range(of: Data("\r\n".utf8)) {
                let sizeText = String(decoding: rest[rest.startIndex..<lineEnd.lowerBound], as: UTF8.self)
                guard let size = Int(sizeText.split(separator: ";").first ?? "", radix: 16), size > 0 else { break }
                let start = lineEnd.upperBound
                let end = rest.index(start, offsetBy: size, limitedBy: rest.endIndex) ?? rest.endIndex
                decoded.append(rest[start..<end])
                rest = Data(rest[min(rest.endIndex, end + 2)...])
            }
            body = decoded
        }
        return Response(status: status, headers: headers, body: body)
    }
}
