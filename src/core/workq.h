/*
 * workq.h - a fixed pool of worker threads with a bounded queue.
 *
 * The HTTP I/O threads hand slow work (database, hashing, rendering of large
 * documents) here and go back to serving sockets. A full queue refuses new
 * work instead of growing without bound, so overload turns into 503s rather
 * than memory growth and ever-longer waits.
 */
#ifndef MOTCUA_WORKQ_H
#define MOTCUA_WORKQ_H

typedef struct workq workq;

/* Starts nthreads workers; the queue holds at most max_queued jobs. */
workq *workq_new(unsigned nthreads, unsigned max_queued);

/* Queues fn(arg); returns 0, or -1 when the queue is full or stopping. */
int workq_push(workq *q, void (*fn)(void *), void *arg);

/* How long an idle worker polls for the next job before it sleeps (0, the
 * default: it sleeps at once). One worker polls at a time, yielding the CPU
 * to other runnable threads; a job arriving meanwhile starts without a
 * wake-up. */
void workq_set_spin(workq *q, unsigned usec);

/* Jobs waiting (not running). */
unsigned workq_depth(workq *q);

/* Runs every queued job, then joins and frees the workers. */
void workq_free(workq *q);

#endif
