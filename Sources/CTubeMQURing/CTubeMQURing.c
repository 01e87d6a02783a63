// The only translation unit that sees <liburing.h>.
#include "CTubeMQURing.h"

#include <errno.h>
#include <liburing.h>
#include <stdlib.h>

struct tubemq_uring {
    struct io_uring ring;
    uint32_t entries;
};

int tubemq_uring_create(uint32_t entries, tubemq_uring **out) {
    if (out == NULL || entries == 0) {
        return -EINVAL;
    }
    *out = NULL;
    tubemq_uring *r = calloc(1, sizeof(*r));
    if (r == NULL) {
        return -ENOMEM;
    }
    int rc = io_uring_queue_init(entries, &r->ring, 0);
    if (rc < 0) {
        free(r);
        return rc;
    }
    r->entries = entries;
    *out = r;
    return 0;
}

void tubemq_uring_destroy(tubemq_uring *ring) {
    if (ring == NULL) {
        return;
    }
    io_uring_queue_exit(&ring->ring);
    free(ring);
}

uint32_t tubemq_uring_capacity(const tubemq_uring *ring) {
    return ring == NULL ? 0 : ring->entries;
}

int tubemq_uring_submit_chain(tubemq_uring *ring, tubemq_uring_op *ops, uint32_t count) {
    if (ring == NULL || (ops == NULL && count > 0) || count > ring->entries) {
        return -EINVAL;
    }
    if (count == 0) {
        return 0;
    }
    for (uint32_t i = 0; i < count; i++) {
        int kind = ops[i].kind & ~TUBEMQ_URING_OP_END_CHAIN;
        if (kind != TUBEMQ_URING_OP_WRITE && kind != TUBEMQ_URING_OP_FDATASYNC) {
            return -EINVAL;
        }
    }
    for (uint32_t i = 0; i < count; i++) {
        struct io_uring_sqe *sqe = io_uring_get_sqe(&ring->ring);
        if (sqe == NULL) {
            return -EBUSY;
        }
        tubemq_uring_op *op = &ops[i];
        op->result = -ECANCELED;
        int ends_chain = (op->kind & TUBEMQ_URING_OP_END_CHAIN) != 0;
        if ((op->kind & ~TUBEMQ_URING_OP_END_CHAIN) == TUBEMQ_URING_OP_WRITE) {
            io_uring_prep_write(sqe, op->fd, op->buffer, op->length, op->offset);
        } else {
            io_uring_prep_fsync(sqe, op->fd, IORING_FSYNC_DATASYNC);
        }
        io_uring_sqe_set_data64(sqe, (uint64_t)i);
        if (i + 1 < count && !ends_chain) {
            io_uring_sqe_set_flags(sqe, IOSQE_IO_LINK);
        }
    }
    int submitted;
    do {
        submitted = io_uring_submit_and_wait(&ring->ring, count);
    } while (submitted == -EINTR);
    if (submitted < 0) {
        return submitted;
    }
    for (uint32_t reaped = 0; reaped < count; reaped++) {
        struct io_uring_cqe *cqe = NULL;
        int rc;
        do {
            rc = io_uring_wait_cqe(&ring->ring, &cqe);
        } while (rc == -EINTR);
        if (rc < 0) {
            return rc;
        }
        uint64_t index = io_uring_cqe_get_data64(cqe);
        if (index < count) {
            ops[index].result = cqe->res;
        }
        io_uring_cqe_seen(&ring->ring, cqe);
    }
    return 0;
}
