import Glibc

/// The hardware-accelerated CRC-32 of Intel ISA-L, loaded at run time when present.
///
/// `crc32_gzip_refl(crc, buffer, length)` computes the same CRC-32 as zlib's `crc32` and Java's
/// `CRC32`, continuing from `crc` (0 for a fresh one). The library is opened with `dlopen` so that
/// the package builds and runs without it.
@usableFromInline
enum CRC32Accelerator {
    @usableFromInline
    typealias Function = @convention(c) (UInt32, UnsafePointer<UInt8>, UInt64) -> UInt32

    @usableFromInline
    static let function: Function? = {
        guard let handle = dlopen("libisal.so.2", RTLD_NOW | RTLD_LOCAL) else { return nil }
        guard let symbol = dlsym(handle, "crc32_gzip_refl") else {
            dlclose(handle)
            return nil
        }
        return unsafeBitCast(symbol, to: Function.self)
    }()
}
