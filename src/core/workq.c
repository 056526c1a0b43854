/* workq.c - mutex and condition variable around a ring of jobs. */
#include "core/workq.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>

struct wjob {
	void (*fn)(void *);
	void *arg;
};

struct workq {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct wjob *ring;
	unsigned cap, head, count;
	bool stopping;
	unsigned nthreads;
	pthread_t *threads;
};

static void *worker(void *p)
{
	workq *q = p;
	pthread_setname_np(pthread_self(), "worker"); /* perf --sort comm, top -H */
	pthread_mutex_lock(&q->mu);
	for (;;) {
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
	pthread_cond_signal(&q->cv);
	pthread_mutex_unlock(&q->mu);
	return 0;
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
