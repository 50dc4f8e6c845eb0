import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Asks for a password on a terminal with echo off. The terminal is put in raw mode while
/// reading, so Ctrl-C cancels the prompt (``CryptoError/promptCancelled``) with the
/// terminal's settings restored, instead of killing the process with echo still off.
/// Backspace and Ctrl-U edit the line.
struct TerminalPrompt {
    let path: String
    static let lengthLimit = 4096

    init(path: String) throws {
        self.path = path
        // Fails at once (ENXIO) in cron or a service: there is no terminal to ask on.
        let fd = open(path, O_RDWR | O_NOCTTY | O_CLOEXEC)
        guard fd >= 0 else { throw WarrenError.crypto(.noPasswordSource) }
        defer { close(fd) }
        guard isatty(fd) == 1 else { throw WarrenError.crypto(.noPasswordSource) }
    }

    /// Writes `prompt`, reads one line without echo, writes a newline.
    func ask(_ prompt: String) throws -> [UInt8] {
        let fd = open(path, O_RDWR | O_NOCTTY | O_CLOEXEC)
        guard fd >= 0 else { throw WarrenError.crypto(.noPasswordSource) }
        defer { close(fd) }
        var saved = termios()
        guard tcgetattr(fd, &saved) == 0 else { throw WarrenError.crypto(.noPasswordSource) }
        var raw = saved
        raw.c_lflag &= ~tcflag_t(ECHO | ECHONL | ICANON | ISIG | IEXTEN)
        raw.c_iflag &= ~tcflag_t(ICRNL | INLCR | IXON)
        withUnsafeMutableBytes(of: &raw.c_cc) { cc in
            cc[Int(VMIN)] = 1
            cc[Int(VTIME)] = 0
        }
        guard tcsetattr(fd, TCSAFLUSH, &raw) == 0 else { throw WarrenError.crypto(.noPasswordSource) }
        defer {
            _ = tcsetattr(fd, TCSAFLUSH, &saved)
            write(fd, "\n", 1)
        }
        write(fd, prompt, prompt.utf8.count)

        var line: [UInt8] = []
        var byte: UInt8 = 0
        while true {
            let n = read(fd, &byte, 1)
            if n < 0 && errno == EINTR { continue }
            guard n == 1 else { throw WarrenError.crypto(.promptCancelled) }
            switch byte {
            case 0x0D, 0x0A:
                return line
            case 0x03, 0x1C:  // Ctrl-C, Ctrl-\
                throw WarrenError.crypto(.promptCancelled)
            case 0x04 where line.isEmpty:  // Ctrl-D on an empty line
                throw WarrenError.crypto(.promptCancelled)
            case 0x7F, 0x08:  // erase one UTF-8 character
                while let last = line.popLast(), last & 0xC0 == 0x80 {}
            case 0x15:  // Ctrl-U
                line.removeAll()
            case 0x00..<0x20:
                continue
            default:
                guard line.count < Self.lengthLimit else { continue }
                line.append(byte)
            }
        }
    }
}
