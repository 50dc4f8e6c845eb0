import Hummingbird
import WarrenCore

// Core answers returned by handlers as they are, encoded by the context's encoder.
extension BackupSummary: ResponseEncodable {}
extension BackupDetail: ResponseEncodable {}
extension BackupDiff: ResponseEncodable {}
extension StoredPolicy: ResponseEncodable {}
extension Schedule: ResponseEncodable {}
