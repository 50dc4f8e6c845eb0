import Foundation
import Testing
@testable import WarrenCore

/// The prompt on a real pseudo-terminal: the test plays the operator at the master side,
/// waiting for each prompt before it types (no timing involved).
@Suite struct TerminalPromptTests {
    final class Terminal: @unchecked Sendable {
        let master: Int32
        let slavePath: String
        /// Kept open so the terminal never hangs up between the prompt's opens.
        let slave: Int32
        private var seen: [UInt8] = []

        init() {
            master = Self.libc.openpt(O_RDWR | O_NOCTTY)
            precondition(master >= 0 && Self.libc.grantpt(master) == 0 && Self.libc.unlockpt(master) == 0)
            slavePath = String(cString: Self.libc.ptsname(master)!)
            slave = open(slavePath, O_RDWR | O_NOCTTY)
            precondition(slave >= 0)
        }

        deinit {
            close(slave)
            close(master)
        }

        /// Reads what the prompt wrote until `text` has appeared; returns everything since the last call.
        @discardableResult
        func waitFor(_ text: String) -> String {
            let needle = Array(text.utf8)
            var byte: UInt8 = 0
            while !(seen.count >= needle.count && Array(seen.suffix(needle.count)) == needle) {
                guard read(master, &byte, 1) == 1 else { break }
                seen.append(byte)
            }
            defer { seen.removeAll() }
            return String(decoding: seen, as: UTF8.self)
        }

        func type(_ text: String) {
            _ = text.withCString { write(master, $0, strlen($0)) }
        }

        /// glibc's pty calls, which the Glibc module does not import (they need _XOPEN_SOURCE).
        struct PTY {
            typealias IntFn = @convention(c) (Int32) -> Int32
            typealias OpenFn = @convention(c) (Int32) -> Int32
            typealias NameFn = @convention(c) (Int32) -> UnsafeMutablePointer<CChar>?
            let openpt: OpenFn
            let grantpt: IntFn
            let unlockpt: IntFn
            let ptsname: NameFn
        }

        static let libc: PTY = {
            func symbol<T>(_ name: String, as: T.Type) -> T {
                guard let pointer = dlsym(UnsafeMutableRawPointer(bitPattern: 0), name) else { fatalError("no \(name) in libc") }
                return unsafeBitCast(pointer, to: T.self)
            }
            return PTY(openpt: symbol("posix_openpt", as: PTY.OpenFn.self), grantpt: symbol("grantpt", as: PTY.IntFn.self),
                       unlockpt: symbol("unlockpt", as: PTY.IntFn.self), ptsname: symbol("ptsname", as: PTY.NameFn.self))
        }()

        var echoOn: Bool {
            var t = termios()
            tcgetattr(slave, &t)
            return t.c_lflag & tcflag_t(ECHO) != 0
        }
    }

    /// Runs `read` on another thread while `operator` plays the terminal.
    func prompt(
        _ terminal: Terminal, confirmation: String? = nil, operator play: (Terminal) -> Void
    ) -> Result<Password, WarrenError> {
        final class Box: @unchecked Sendable { var result: Result<Password, WarrenError>? }
        let box = Box()
        let done = DispatchSemaphore(value: 0)
        let path = terminal.slavePath
        Thread.detachNewThread {
            do {
                box.result = .success(try PasswordSource.terminal(path: path).read(prompt: "password: ", confirmation: confirmation))
            } catch let error as WarrenError {
                box.result = .failure(error)
            } catch {
                fatalError("\(error)")
            }
            done.signal()
        }
        play(terminal)
        done.wait()
        return box.result!
    }

    @Test func typedPasswordIsNotEchoedAndTheTerminalIsRestored() {
        let terminal = Terminal()
        #expect(terminal.echoOn)
        let result = prompt(terminal) { t in
            t.waitFor("password: ")
            #expect(!t.echoOn)
            t.type("s3cr\u{7F}\u{7F}cret pass\r")
        }
        #expect(result == .success(Password("s3cret pass")))
        #expect(terminal.echoOn)
        // All the terminal showed after the prompt is the newline the prompt wrote itself.
        #expect(terminal.waitFor("\n") == "\r\n")
    }

    @Test func ctrlCCancelsAndRestoresEcho() {
        let terminal = Terminal()
        let result = prompt(terminal) { t in
            t.waitFor("password: ")
            t.type("half\u{03}")
        }
        #expect(result == .failure(.crypto(.promptCancelled)))
        #expect(terminal.echoOn)
    }

    @Test func aNewPasswordMustBeTypedTwiceAlike() {
        let terminal = Terminal()
        let differ = prompt(terminal, confirmation: "again: ") { t in
            t.waitFor("password: ")
            t.type("one\r")
            t.waitFor("again: ")
            t.type("two\r")
        }
        #expect(differ == .failure(.crypto(.passwordsDiffer)))
        let same = prompt(terminal, confirmation: "again: ") { t in
            t.waitFor("password: ")
            t.type("ünïcode\r")
            t.waitFor("again: ")
            t.type("ünïcode\r")
        }
        #expect(same == .success(Password("ünïcode")))
    }

    @Test func anEmptyLineIsRefused() {
        let terminal = Terminal()
        let result = prompt(terminal) { t in
            t.waitFor("password: ")
            t.type("\r")
        }
        #expect(result == .failure(.crypto(.emptyPassword(source: "the prompt"))))
    }

    @Test func noTerminalMeansNoPrompt() {
        #expect(throws: WarrenError.crypto(.noPasswordSource)) { try PasswordSource.terminal(path: "/dev/null").read() }
        #expect(throws: WarrenError.crypto(.noPasswordSource)) { try PasswordSource.terminal(path: "/nonexistent/tty").read() }
    }
}
