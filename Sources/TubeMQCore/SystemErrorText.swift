import Foundation
import NIOCore

/// The system's own words for an error from a system call, as an operator reads them in a message:
/// `Permission denied (errno 13)`, not NIO's `bind(descriptor:ptr:bytes:): …) (errno: 98)` or
/// Foundation's `Error Domain=NSCocoaErrorDomain Code=513 …` dump.
public enum SystemErrorText {
    /// `error`'s system reason when it carries an `errno` (NIO's `IOError`, a Foundation file error
    /// over a POSIX one, a POSIX error), else the error as it prints.
    public static func of(_ error: any Error) -> String {
        if let system = error as? IOError { return text(system.errnoCode) }
        let bridged = error as NSError
        if bridged.domain == NSPOSIXErrorDomain { return text(Int32(bridged.code)) }
        if let underlying = bridged.userInfo[NSUnderlyingErrorKey] as? NSError,
            underlying.domain == NSPOSIXErrorDomain
        {
            return text(Int32(underlying.code))
        }
        return "\(error)"
    }

    /// `strerror(code)` with the number.
    public static func text(_ code: Int32) -> String {
        "\(String(cString: strerror(code))) (errno \(code))"
    }
}
