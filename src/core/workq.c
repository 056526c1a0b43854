/*
 * workq.c - mutex and condition variable around a ring of jobs. An idle
 * worker first polls the ring for a short while (one worker at a time,
 * yielding the CPU to any other runnable thread) before it sleeps: waking a
 * sleeping thread on an idle virtual CPU costs a halt and an interrupt
 * through the hypervisor, often more than the job itself
 * (docs/performance.md "Session 6: the lookup").
 */
#include "core/workq.h"

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <time.h>

struct wjob {
	void (*fn)(void *);
	void *arg;
};

struct workq {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct wjob *ring;
	unsigned cap, head;
	atomic_uint count; /* written under mu; read without it while polling */
	bool stopping;
	unsigned spinning; /* workers polling before they sleep (0 or 1) */
	long spin_ns;	   /* how long an idle worker polls; 0: it sleeps at once */
	unsigned nthreads;
	pthread_t *threads;
};

static long now_ns(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000000000L + t.tv_nsec;
}

/* Called with mu held and the ring empty: polls it for up to spin_ns
 * without the lock, unless another worker is polling already. workq_push
 * does not signal while a poller can take the job; the poller takes the
 * lock again before it decides to sleep, so no job is left unseen. */
static void poll_for_work(workq *q)
{
	if (q->spin_ns <= 0 || q->spinning || q->stopping)
		return;
	q->spinning++;
	long until = now_ns() + q->spin_ns;
	pthread_mutex_unlock(&q->mu);
	while (!atomic_load_explicit(&q->count, memory_order_relaxed) && now_ns() < until)
		sched_yield(); /* polls, but lets any runnable thread have the CPU */
	pthread_mutex_lock(&q->mu);
	q->spinning--;
}

static void *worker(void *p)
{
	workq *q = p;
	pthread_setname_np(pthread_self(), "worker"); /* perf --sort comm, top -H */
	pthread_mutex_lock(&q->mu);
	for (;;) {
		if (!q->count)
			poll_for_work(q);
		while (!q->count && !q->stopping)
			pthread_cond_wait(&q->cv, &q->mu);
		if (!q->count)
			break;
		struct wjob j = q->ring[q->head];
		q->head = (q->head + 1) % q->cap;
		q->count--;
		pthread_mutex_unlock(&q->mu);
		j.fn(j.arg);
		pthread_mutex_lock(&q->mu);
	}
	pthread_mutex_unlock(&q->mu);
	return NULL;
}

workq *workq_new(unsigned nthreads, unsigned max_queued)
{
	workq *q = calloc(1, sizeof(*q));
	if (!q)
		abort();
	q->cap = max_queued ? max_queued : 1;
	q->ring = calloc(q->cap, sizeof(*q->ring));
	q->threads = calloc(nthreads ? nthreads : 1, sizeof(pthread_t));
	if (!q->ring || !q->threads)
		abort();
	pthread_mutex_init(&q->mu, NULL);
	pthread_cond_init(&q->cv, NULL);
	for (unsigned i = 0; i < (nthreads ? nthreads : 1); i++) {
		if (pthread_create(&q->threads[i], NULL, worker, q) != 0)
			break;
		q->nthreads++;
	}
	if (!q->nthreads)
		abort();
	return q;
}

int workq_push(workq *q, void (*fn)(void *), void *arg)
{
	pthread_mutex_lock(&q->mu);
	if (q->stopping || q->count == q->cap) {
		pthread_mutex_unlock(&q->mu);
		return -1;
	}
	q->ring[(q->head + q->count) % q->cap] = (struct wjob){fn, arg};
	q->count++;
	if (q->count > q->spinning) /* else the poller takes it */
		pthread_cond_signal(&q->cv);
	pthread_mutex_unlock(&q->mu);
	return 0;
}

void workq_set_spin(workq *q, unsigned usec)
{
	pthread_mutex_lock(&q->mu);
	q->spin_ns = (long)usec * 1000L;
	pthread_mutex_unlock(&q->mu);
}

unsigned workq_depth(workq *q)
{
	pthread_mutex_lock(&q->mu);
	unsigned n = q->count;
	pthread_mutex_unlock(&q->mu);
	return n;
}

void workq_free(workq *q)
{
	if (!q)
		return;
	pthread_mutex_lock(&q->mu);
	q->stopping = true;
	pthread_cond_broadcast(&q->cv);
	pthread_mutex_unlock(&q->mu);
	for (unsigned i = 0; i < q->nthreads; i++)
		pthread_join(q->threads[i], NULL);
	pthread_mutex_destroy(&q->mu);
	pthread_cond_destroy(&q->cv);
	free(q->ring);
	free(q->threads);
	free(q);
}
