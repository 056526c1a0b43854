/*
 * test_workq.c - the worker pool (core/workq.h): every job runs exactly once
 * across threads, a full queue refuses with -1 instead of growing, the depth
 * counts waiting jobs only, workq_free runs what is queued before it
 * joins, refusing new work meanwhile, and workers that poll before they
 * sleep lose no job however pushes and polls interleave.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/workq.h"

static void sleep_ms(int ms)
{
	struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
	nanosleep(&ts, NULL);
}

/* Waits up to 30 s for flag; false on timeout, so a broken pool fails the
 * test instead of hanging it. */
static bool wait_for(atomic_bool *flag)
{
	for (int i = 0; i < 30000; i++) {
		if (atomic_load(flag))
			return true;
		sleep_ms(1);
	}
	return false;
}

/* ---- every job exactly once ---- */

enum { NJOBS = 20000 };

struct counted {
	atomic_int runs;
	atomic_int *total;
};

static void count_job(void *arg)
{
	struct counted *c = arg;
	atomic_fetch_add(&c->runs, 1);
	atomic_fetch_add(c->total, 1);
}

static void run_all(unsigned nthreads, unsigned cap, unsigned spin_us)
{
	struct counted *jobs = calloc(NJOBS, sizeof(*jobs));
	assert_non_null(jobs);
	atomic_int total;
	atomic_init(&total, 0);
	workq *q = workq_new(nthreads, cap);
	assert_non_null(q);
	workq_set_spin(q, spin_us);
	for (int i = 0; i < NJOBS; i++) {
		atomic_init(&jobs[i].runs, 0);
		jobs[i].total = &total;
		while (workq_push(q, count_job, &jobs[i]) != 0)
			sched_yield(); /* full: let the workers catch up */
	}
	workq_free(q);
	assert_int_equal(atomic_load(&total), NJOBS);
	for (int i = 0; i < NJOBS; i++)
		assert_int_equal(atomic_load(&jobs[i].runs), 1);
	free(jobs);
}

static void test_every_job_once(void **state)
{
	(void)state;
	run_all(4, NJOBS, 0); /* room for everything */
	run_all(8, 4, 0);     /* a tiny queue, pushed to again and again */
	run_all(1, 1, 0);
	run_all(0, 0, 0); /* zeros still give a working pool */
}

/* ---- polling workers ---- */

struct pusher {
	workq *q;
	struct counted *jobs;
	int from, to;
	unsigned seed;
};

/* Pushes its share of the jobs with pauses of 0-300 µs: jobs arrive while
 * a worker polls, just as it stops polling, and while every worker sleeps. */
static void *push_slowly(void *p)
{
	struct pusher *u = p;
	for (int i = u->from; i < u->to; i++) {
		while (workq_push(u->q, count_job, &u->jobs[i]) != 0)
			sched_yield();
		struct timespec ts = {0, (long)(rand_r(&u->seed) % 300) * 1000L};
		nanosleep(&ts, NULL);
	}
	return NULL;
}

static void test_polling_loses_no_job(void **state)
{
	(void)state;
	run_all(4, NJOBS, 200); /* a burst: pollers and sleepers */
	run_all(1, 1, 50);

	enum { SLOW = 4000, PUSHERS = 4 };
	struct counted *jobs = calloc(SLOW, sizeof(*jobs));
	assert_non_null(jobs);
	atomic_int total;
	atomic_init(&total, 0);
	workq *q = workq_new(3, 64);
	workq_set_spin(q, 100);
	for (int i = 0; i < SLOW; i++) {
		atomic_init(&jobs[i].runs, 0);
		jobs[i].total = &total;
	}
	pthread_t th[PUSHERS];
	struct pusher u[PUSHERS];
	for (int k = 0; k < PUSHERS; k++) {
		u[k] = (struct pusher){q, jobs, k * SLOW / PUSHERS, (k + 1) * SLOW / PUSHERS,
				       (unsigned)k + 1};
		assert_int_equal(pthread_create(&th[k], NULL, push_slowly, &u[k]), 0);
	}
	for (int k = 0; k < PUSHERS; k++)
		pthread_join(th[k], NULL);
	/* Every job runs without workq_free's help: a job left in the ring
	 * with nobody woken would stay there. */
	for (int i = 0; i < 30000 && atomic_load(&total) < SLOW; i++)
		sleep_ms(1);
	assert_int_equal(atomic_load(&total), SLOW);
	assert_int_equal(workq_depth(q), 0);
	workq_free(q);
	for (int i = 0; i < SLOW; i++)
		assert_int_equal(atomic_load(&jobs[i].runs), 1);
	free(jobs);
}

/* ---- a job that holds its worker until told ---- */

struct blocker {
	atomic_bool started;
	atomic_bool release;
	atomic_bool finished;
};

static void block_job(void *arg)
{
	struct blocker *b = arg;
	atomic_store(&b->started, true);
	while (!atomic_load(&b->release))
		sleep_ms(1);
	atomic_store(&b->finished, true);
}

static void init_blocker(struct blocker *b)
{
	atomic_init(&b->started, false);
	atomic_init(&b->release, false);
	atomic_init(&b->finished, false);
}

static void flag_job(void *arg)
{
	atomic_fetch_add((atomic_int *)arg, 1);
}

static void test_full_queue_refuses(void **state)
{
	(void)state;
	workq *q = workq_new(1, 2);
	assert_int_equal(workq_depth(q), 0);
	struct blocker b;
	init_blocker(&b);
	assert_int_equal(workq_push(q, block_job, &b), 0);
	assert_true(wait_for(&b.started));   /* the only worker is busy */
	assert_int_equal(workq_depth(q), 0); /* running is not waiting */

	atomic_int ran;
	atomic_init(&ran, 0);
	assert_int_equal(workq_push(q, flag_job, &ran), 0);
	assert_int_equal(workq_depth(q), 1);
	assert_int_equal(workq_push(q, flag_job, &ran), 0);
	assert_int_equal(workq_depth(q), 2);
	assert_int_equal(workq_push(q, flag_job, &ran), -1);
	assert_int_equal(workq_push(q, flag_job, &ran), -1);
	assert_int_equal(workq_depth(q), 2);
	assert_int_equal(atomic_load(&ran), 0);

	atomic_store(&b.release, true);
	/* Once the queue drains it takes work again. */
	for (int i = 0; i < 30000 && workq_depth(q) > 0; i++)
		sleep_ms(1);
	assert_int_equal(workq_push(q, flag_job, &ran), 0);
	workq_free(q);
	assert_int_equal(atomic_load(&ran), 3); /* the two refused never ran */
	assert_true(atomic_load(&b.finished));
}

/* ---- workq_free drains the queue ---- */

struct free_ctx {
	workq *q;
	atomic_int ran;
	int push_rc; /* what a job got when pushing during shutdown */
};

static void *free_thread(void *arg)
{
	workq_free(arg);
	return NULL;
}

static void push_during_free_job(void *arg)
{
	struct free_ctx *c = arg;
	c->push_rc = workq_push(c->q, flag_job, &c->ran);
}

static void test_free_runs_queued_jobs(void **state)
{
	(void)state;
	enum { QUEUED = 50 };
	struct free_ctx ctx;
	atomic_init(&ctx.ran, 0);
	ctx.push_rc = 99;
	ctx.q = workq_new(1, 100000);
	struct blocker b;
	init_blocker(&b);
	assert_int_equal(workq_push(ctx.q, block_job, &b), 0);
	assert_true(wait_for(&b.started));
	for (int i = 0; i < QUEUED; i++)
		assert_int_equal(workq_push(ctx.q, flag_job, &ctx.ran), 0);
	assert_int_equal(workq_push(ctx.q, push_during_free_job, &ctx), 0);
	assert_int_equal(workq_depth(ctx.q), QUEUED + 1);

	/* Free from another thread; it cannot finish while the blocker holds
	 * the worker, so q stays valid until the blocker is released. Pushes
	 * succeed (and will run) until the pool is stopping. */
	pthread_t t;
	assert_int_equal(pthread_create(&t, NULL, free_thread, ctx.q), 0);
	int extra = 0;
	for (int i = 0; i < 30000; i++) {
		if (workq_push(ctx.q, flag_job, &ctx.ran) != 0)
			break;
		extra++;
		sleep_ms(1);
	}
	assert_true(extra < 30000); /* the pool did start stopping */
	atomic_store(&b.release, true);
	pthread_join(t, NULL);

	assert_true(atomic_load(&b.finished));
	assert_int_equal(atomic_load(&ctx.ran), QUEUED + extra);
	assert_int_equal(ctx.push_rc, -1); /* no new work once stopping */
}

static void test_free_idle_and_null(void **state)
{
	(void)state;
	workq_free(NULL);
	workq *q = workq_new(16, 8);
	assert_int_equal(workq_depth(q), 0);
	workq_free(q); /* workers asleep on an empty queue wake and leave */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_job_once),
		cmocka_unit_test(test_polling_loses_no_job),
		cmocka_unit_test(test_full_queue_refuses),
		cmocka_unit_test(test_free_runs_queued_jobs),
		cmocka_unit_test(test_free_idle_and_null),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
