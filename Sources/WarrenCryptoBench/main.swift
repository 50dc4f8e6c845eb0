// Micro benchmark of Warren's encryption primitives, run by `Tools/bench crypto`.
// Not a product: it exercises WarrenCore's envelope, digester and key ring on real files
// the way ingest and verify would (one read pass, whole files up to 32 MiB, 4 MiB pieces
// beyond), single-threaded, and prints one `key=value` line per measurement.
//
//   WarrenCryptoBench MODE [DIR] < NUL-separated file list
//     sha256        plain SHA-256 (what an unencrypted ingest computes)
//     digest        SHA-256 + HMAC-SHA256 keyed id in one pass
//     seal-aes      digest + AES-256-GCM envelope (output discarded): encrypted ingest's CPU work
//     seal-chacha   digest + ChaCha20-Poly1305 envelope
//     aead-aes      AES-256-GCM envelope alone
//     aead-chacha   ChaCha20-Poly1305 envelope alone
//     seal-sha-id   SHA-256 + AES-256-GCM, the id being HMAC(id key, SHA-256) instead of
//                   HMAC(id key, content): the alternative that saves the second hash pass
//     seal-to DIR   seal-aes, writing each envelope to DIR (for open-from)
//     open-from DIR open every envelope in DIR, digest the plaintext and check its keyed id
//     open-sha DIR  open every envelope in DIR and SHA-256 the plaintext (what `verify --full`
//                   and restore need: the envelope already authenticates the id)
//   WarrenCryptoBench unlock N R P RUNS    seconds per KeyRing.open (median of RUNS)
//   WarrenCryptoBench stream MIB           seal then open MIB MiB in 4 MiB pieces; peak RSS
import Crypto
import Foundation
import WarrenCore

#if canImport(Glibc)
import Glibc
#endif

/// The master key: with a DIR, the one in DIR/.keys (created by seal-to, opened by
/// open-from, so that the two processes agree); otherwise a fresh one.
func masterKey(_ directory: String?) -> MasterKey {
    guard let directory else { return MasterKey.generate() }
    let keys = KeyDirectory(path: directory + "/.keys")
    let password = Password("benchmark password")
    let cheap = ScryptParameters(n: 1 << 10, r: 8, p: 1)
    do {
        if try keys.names().isEmpty { return try KeyRing.create(in: keys, password: password, parameters: cheap).master }
        return try KeyRing.open(keys, password: password).master
    } catch {
        fail("\(error)")
    }
}
nonisolated(unsafe) let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: (32 << 20) + 1, alignment: 4096)

func now() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

/// CPU seconds (user + system) this process has used: unlike wall time, hardly affected by
/// other processes competing for the cores.
func cpu() -> Double {
    var usage = rusage()
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("WarrenCryptoBench: \(message)\n".utf8))
    exit(2)
}

func readList() -> [String] {
    let data = FileHandle.standardInput.readDataToEndOfFile()
    return data.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
}

/// Reads `path` as ingest does and hands each piece to `body`.
func eachPiece(of path: String, _ body: (UnsafeRawBufferPointer) -> Void) -> Int {
    let fd = open(path, O_RDONLY)
    guard fd >= 0 else { fail("\(path): \(String(cString: strerror(errno)))") }
    defer { close(fd) }
    var st = stat()
    fstat(fd, &st)
    let piece = st.st_size <= 32 << 20 ? 32 << 20 : 4 << 20
    var total = 0
    while true {
        var got = 0
        while got < piece {
            let n = read(fd, buffer.baseAddress! + got, piece - got)
            if n <= 0 { break }
            got += n
        }
        if got == 0 { break }
        body(UnsafeRawBufferPointer(rebasing: buffer[0..<got]))
        total += got
        if got < piece { break }
    }
    return total
}

func report(_ mode: String, bytes: Int, files: Int, seconds: Double, cpuSeconds: Double) {
    print(String(format: "mode=%@ files=%d bytes=%d seconds=%.3f cpu_seconds=%.3f mb_per_cpu_s=%.0f",
                 mode, files, bytes, seconds, cpuSeconds, Double(bytes) / cpuSeconds / 1e6))
}

func runFiles(_ mode: String, _ directory: String?) {
    let master = masterKey(directory)
    let files = mode.hasPrefix("open-") ? [] : readList()
    var bytes = 0
    let idKey = master.objectIDKey
    let start = now()
    let startCPU = cpu()
    switch mode {
    case "sha256", "digest":
        for path in files {
            var digester = ContentDigester(idKey: mode == "digest" ? idKey : nil)
            bytes += eachPiece(of: path) { digester.update($0) }
            _ = digester.finalize()
        }
    case "seal-sha-id":
        let cipher = master.cipher()
        for path in files {
            var digester = ContentDigester(idKey: nil)
            let sealer = cipher.encryptor(kind: .file)
            var sink = 0
            bytes += eachPiece(of: path) { piece in
                digester.update(piece)
                try! sealer.update(piece) { sink &+= $0.count }
            }
            let id = idKey.id(of: digester.finalize().sha256)
            try! sealer.finish(name: id) { sink &+= $0.count }
        }
    case "seal-aes", "seal-chacha", "aead-aes", "aead-chacha", "seal-to":
        let algorithm: SealingAlgorithm = mode.hasSuffix("chacha") ? .chaCha20Poly1305 : .aes256GCM
        let cipher = master.cipher(algorithm: algorithm)
        let hashing = !mode.hasPrefix("aead")
        for path in files {
            var digester = ContentDigester(idKey: idKey)
            let sealer = cipher.encryptor(kind: .file)
            var out: Int32 = -1
            var sink = 0
            let write: (UnsafeRawBufferPointer) -> Void = { part in
                if out >= 0 { _ = Glibc.write(out, part.baseAddress, part.count) } else { sink &+= part.count }
            }
            if mode == "seal-to" {
                out = open("\(directory!)/.partial", O_WRONLY | O_CREAT | O_TRUNC, 0o600)
            }
            bytes += eachPiece(of: path) { piece in
                if hashing { digester.update(piece) }
                try! sealer.update(piece, output: write)
            }
            let id = digester.finalize().keyedID!
            try! sealer.finish(name: id, output: write)
            if out >= 0 {
                close(out)
                rename("\(directory!)/.partial", "\(directory!)/\(ContentDigest.hex(id))")
            }
        }
    case "open-from", "open-sha":
        let checkID = mode == "open-from"
        let names = try! FileManager.default.contentsOfDirectory(atPath: directory!).filter { !$0.hasPrefix(".") }
        for name in names {
            let id = (0..<32).map { i in UInt8(name.dropFirst(2 * i).prefix(2), radix: 16)! }
            let reader = master.cipher().decryptor(kind: .file, name: id)
            var digester = ContentDigester(idKey: checkID ? idKey : nil)
            bytes += eachPiece(of: "\(directory!)/\(name)") { piece in
                do { try reader.update(piece) { digester.update($0) } } catch { fail("\(name): \(error)") }
            }
            do { try reader.finish { digester.update($0) } } catch { fail("\(name): \(error)") }
            let digest = digester.finalize()
            if checkID && digest.keyedID! != id { fail("\(name): keyed id mismatch") }
        }
        report(mode, bytes: bytes, files: names.count, seconds: now() - start, cpuSeconds: cpu() - startCPU)
        return
    default:
        fail("unknown mode \(mode)")
    }
    report(mode, bytes: bytes, files: files.count, seconds: now() - start, cpuSeconds: cpu() - startCPU)
}

func unlock(n: Int, r: Int, p: Int, runs: Int) {
    let dir = NSTemporaryDirectory() + "warren-crypto-bench-\(getpid())"
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let keys = KeyDirectory(path: dir)
    let parameters = ScryptParameters(n: n, r: r, p: p)
    do {
        _ = try KeyRing.create(in: keys, password: Password("benchmark password"), parameters: parameters)
        var times: [Double] = []
        var cpus: [Double] = []
        for _ in 0..<runs {
            let t0 = now(), c0 = cpu()
            _ = try KeyRing.open(keys, password: Password("benchmark password"))
            times.append(now() - t0)
            cpus.append(cpu() - c0)
        }
        times.sort()
        cpus.sort()
        print(String(format: "mode=unlock n=%d r=%d p=%d memory_mib=%d median_s=%.3f max_s=%.3f median_cpu_s=%.3f runs=%d",
                     n, r, p, parameters.memoryBytes >> 20, times[times.count / 2], times.last!, cpus[cpus.count / 2], runs))
    } catch {
        fail("\(error)")
    }
}

func stream(mib: Int) {
    let cipher = MasterKey.generate().cipher()
    let piece = UnsafeMutableRawBufferPointer.allocate(byteCount: 4 << 20, alignment: 4096)
    for i in 0..<piece.count { piece[i] = UInt8(truncatingIfNeeded: i &* 2654435761 >> 13) }
    let sealer = cipher.encryptor(kind: .file)
    let path = NSTemporaryDirectory() + "warren-crypto-bench-\(getpid()).sealed"
    let out = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    defer { unlink(path) }
    let t0 = now()
    for _ in 0..<(mib / 4) { try! sealer.update(UnsafeRawBufferPointer(piece)) { _ = write(out, $0.baseAddress, $0.count) } }
    try! sealer.finish(name: [1]) { _ = write(out, $0.baseAddress, $0.count) }
    close(out)
    let t1 = now()
    let reader = cipher.decryptor(kind: .file, name: [1])
    var plain = 0
    _ = eachPiece(of: path) { part in try! reader.update(part) { plain += $0.count } }
    try! reader.finish { plain += $0.count }
    let t2 = now()
    guard plain == mib << 20 else { fail("stream: \(plain) bytes back") }
    var usage = rusage()
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
    print(String(format: "mode=stream mib=%d seal_s=%.3f open_s=%.3f max_rss_mib=%.1f", mib, t1 - t0, t2 - t1, Double(usage.ru_maxrss) / 1024))
}

let args = CommandLine.arguments
guard args.count >= 2 else { fail("usage: see the comment at the top of main.swift") }
switch args[1] {
case "unlock":
    guard args.count == 6, let n = Int(args[2]), let r = Int(args[3]), let p = Int(args[4]), let runs = Int(args[5]) else { fail("unlock N R P RUNS") }
    unlock(n: n, r: r, p: p, runs: runs)
case "stream":
    guard args.count == 3, let mib = Int(args[2]) else { fail("stream MIB") }
    stream(mib: mib)
default:
    runFiles(args[1], args.count > 2 ? args[2] : nil)
}
