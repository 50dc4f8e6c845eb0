/// Random bytes from the kernel (`getrandom(2)`, through Swift's system generator).
enum SecureRandom {
    static func bytes(_ count: Int) -> [UInt8] {
        var rng = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &rng) }
    }
}
