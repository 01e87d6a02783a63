// C shim over liburing for swift-tubemq's storage engine.
//
// Only prefixed functions and opaque types are exposed here: <liburing.h> is included by the .c
// file alone, because in a public header it clashes with other C modules (NIO's among them).
#ifndef CTUBEMQ_URING_H
#define CTUBEMQ_URING_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// An io_uring instance. Not thread-safe: use it from one thread at a time.
typedef struct tubemq_uring tubemq_uring;

/// Operation kinds for `tubemq_uring_op.kind`.
enum {
    /// Write `length` bytes from `buffer` at `offset` of `fd`.
    TUBEMQ_URING_OP_WRITE = 1,
    /// `fdatasync(fd)`.
    TUBEMQ_URING_OP_FDATASYNC = 2,
    /// A flag ORed into `kind`: the operation ends its chain, so the next one starts a new chain
    /// that does not wait for this one (independent files are written and synced in parallel).
    TUBEMQ_URING_OP_END_CHAIN = 0x100,
};

/// One operation of a linked chain. `result` is filled in: bytes written, 0, or a negative errno
/// (`-ECANCELED` when an earlier link failed or was short).
typedef struct tubemq_uring_op {
    int32_t kind;
    int32_t fd;
    const void *buffer;
    uint32_t length;
    uint64_t offset;
    int32_t result;
} tubemq_uring_op;

/// Creates a ring with room for `entries` submissions. Returns 0, or a negative errno when
/// io_uring is unavailable (old kernel, seccomp, `io_uring_disabled`).
int tubemq_uring_create(uint32_t entries, tubemq_uring **out);

/// Tears the ring down. `ring` may be NULL.
void tubemq_uring_destroy(tubemq_uring *ring);

/// The number of operations one chain may hold.
uint32_t tubemq_uring_capacity(const tubemq_uring *ring);

/// Submits `count` operations as chains of linked SQEs and waits for every completion
/// (a flush is two chains: write data, fdatasync data | write index, fdatasync index).
///
/// Within a chain each operation runs only after the previous one succeeded in full; a failure
/// or short write cancels the rest of that chain. An operation whose kind carries
/// `TUBEMQ_URING_OP_END_CHAIN` ends its chain; without that flag all operations form one chain. Returns 0 when all completions were reaped (check each `result`), or a
/// negative errno when the chain could not be submitted or reaped; the ring must then be destroyed.
int tubemq_uring_submit_chain(tubemq_uring *ring, tubemq_uring_op *ops, uint32_t count);

#ifdef __cplusplus
}
#endif

#endif
