/*
 * test_arena.c - the region allocator (core/arena.h): many small and large
 * allocations that never overlap and are all aligned to 16, zero-filling,
 * the string helpers, cleanups run newest first and exactly once, and the
 * abort on a calloc size that overflows.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/arena.h"

#define ALIGNED16(p) ((((uintptr_t)(p)) & 15u) == 0)

/* Fills every allocation with a byte pattern of its own, then checks that no
 * later allocation overwrote an earlier one. */
static void check_allocations(size_t block, const size_t *sizes, size_t n)
{
	arena *a = arena_new(block);
	unsigned char **ptrs = calloc(n, sizeof(*ptrs));
	assert_non_null(ptrs);
	size_t total = 0;
	for (size_t i = 0; i < n; i++) {
		ptrs[i] = arena_alloc(a, sizes[i]);
		assert_non_null(ptrs[i]);
		assert_true(ALIGNED16(ptrs[i]));
		memset(ptrs[i], (int)(i * 7 + 1) & 0xff, sizes[i]);
		total += sizes[i];
	}
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < sizes[i]; k++)
			assert_int_equal(ptrs[i][k], (i * 7 + 1) & 0xff);
	assert_true(arena_used(a) >= total);
	free(ptrs);
	arena_free(a);
}

static void test_many_small(void **state)
{
	(void)state;
	enum { N = 20000 };
	static size_t sizes[N];
	for (size_t i = 0; i < N; i++)
		sizes[i] = 1 + (i * 37) % 97; /* 1..97 bytes, odd sizes included */
	check_allocations(0, sizes, N);
	check_allocations(256, sizes, N); /* tiny blocks: a new block very often */
}

static void test_large_and_mixed(void **state)
{
	(void)state;
	/* Block of 1 KiB: anything above 256 bytes gets a block of its own;
	 * sizes around, at and far above the block size. */
	const size_t sizes[] = {3,    255,	256, 257, 1000, 1023, 1024,  1025, 5,
				4096, 1u << 20, 17,  8,	  300,	2,    70000, 1};
	check_allocations(1024, sizes, sizeof(sizes) / sizeof(sizes[0]));
	check_allocations(0, sizes, sizeof(sizes) / sizeof(sizes[0]));
}

static void test_strdup_null(void **state)
{
	(void)state;
	arena *a = arena_new(0);
	assert_null(arena_strdup(a, NULL));
	assert_string_equal(arena_strdup(a, "Ninh Bình"), "Ninh Bình");
	arena_free(a);
}

static void test_zero_size_and_used(void **state)
{
	(void)state;
	arena *a = arena_new(0);
	assert_int_equal(arena_used(a), 0);
	void *p = arena_alloc(a, 0);
	assert_non_null(p);
	assert_true(ALIGNED16(p));
	char *q = arena_alloc(a, 100);
	assert_true(arena_used(a) >= 100);
	size_t before = arena_used(a);
	arena_alloc(a, 50000);
	assert_true(arena_used(a) >= before + 50000);
	q[99] = 'x'; /* the 100 bytes are ours */
	arena_free(a);
}

static void test_zalloc_and_calloc_zero(void **state)
{
	(void)state;
	/* Dirty the heap first so that a zalloc that forgot to clear would
	 * likely see the old bytes again. */
	for (int round = 0; round < 4; round++) {
		arena *dirty = arena_new(4096);
		memset(arena_alloc(dirty, 1000), 0xAA, 1000);
		memset(arena_alloc(dirty, 8000), 0xAA, 8000);
		arena_free(dirty);

		arena *a = arena_new(4096);
		unsigned char *z = arena_zalloc(a, 1000);
		unsigned char *big = arena_zalloc(a, 8000);
		int64_t *c = arena_calloc(a, 100, sizeof(int64_t));
		for (size_t i = 0; i < 1000; i++)
			assert_int_equal(z[i], 0);
		for (size_t i = 0; i < 8000; i++)
			assert_int_equal(big[i], 0);
		for (size_t i = 0; i < 100; i++)
			assert_int_equal(c[i], 0);
		assert_true(ALIGNED16(c));
		assert_non_null(arena_calloc(a, 0, 8));
		assert_non_null(arena_calloc(a, 8, 0));
		arena_free(a);
	}
}

/* Runs fn in a child process and returns how the child ended. */
static int run_child(void (*fn)(void))
{
	fflush(NULL);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int devnull = open("/dev/null", O_WRONLY);
		if (devnull >= 0)
			dup2(devnull, 2); /* the "out of memory" line */
		fn();
		_exit(0);
	}
	int st = 0;
	assert_int_equal(waitpid(pid, &st, 0), pid);
	return st;
}

static void calloc_overflow(void)
{
	arena *a = arena_new(0);
	volatile size_t count = SIZE_MAX / 2;
	arena_calloc(a, count, 4);
}

static void alloc_overflow(void)
{
	arena *a = arena_new(0);
	volatile size_t n = SIZE_MAX - 3;
	arena_alloc(a, n);
}

static void test_overflow_aborts(void **state)
{
	(void)state;
	int st = run_child(calloc_overflow);
	assert_true(WIFSIGNALED(st));
	assert_int_equal(WTERMSIG(st), SIGABRT);
	st = run_child(alloc_overflow);
	assert_true(WIFSIGNALED(st));
	assert_int_equal(WTERMSIG(st), SIGABRT);
}

static void test_strings(void **state)
{
	(void)state;
	arena *a = arena_new(64);
	const char *src = "Hồ sơ trực tuyến";
	char *d = arena_strdup(a, src);
	assert_string_equal(d, src);
	assert_ptr_not_equal(d, src);
	assert_string_equal(arena_strdup(a, ""), "");

	assert_string_equal(arena_strndup(a, "hello", 3), "hel");
	assert_string_equal(arena_strndup(a, "hello", 5), "hello");
	assert_string_equal(arena_strndup(a, "hello", 100), "hello");
	assert_string_equal(arena_strndup(a, "hello", 0), "");
	/* strndup reads no further than n: a buffer without a terminator. */
	char raw[4] = {'a', 'b', 'c', 'd'};
	char *r = arena_strndup(a, raw, sizeof(raw));
	assert_int_equal(strlen(r), 4);
	assert_memory_equal(r, "abcd", 5);

	assert_string_equal(arena_printf(a, "%s-%d-%05.1f", "mã", 42, 3.14159), "mã-42-003.1");
	assert_string_equal(arena_printf(a, "%s", ""), "");
	/* Longer than the block, so it needs a dedicated block. */
	char *big = arena_printf(a, "<%*d>", 10000, 7);
	assert_int_equal(strlen(big), 10002);
	assert_int_equal(big[0], '<');
	assert_int_equal(big[10000], '7');
	assert_int_equal(big[10001], '>');
	assert_int_equal(big[9999], ' ');
	arena_free(a);
}

struct trace {
	char order[16];
	int n;
};

static struct trace cleanup_log;

static void note_a(void *arg)
{
	(void)arg;
	cleanup_log.order[cleanup_log.n++] = 'a';
}

static void note_arg(void *arg)
{
	cleanup_log.order[cleanup_log.n++] = *(const char *)arg;
}

static void test_cleanups_reverse_once(void **state)
{
	(void)state;
	memset(&cleanup_log, 0, sizeof(cleanup_log));
	static const char b = 'b', c = 'c', d = 'd';
	arena *a = arena_new(128);
	arena_cleanup_add(a, note_a, NULL);
	arena_cleanup_add(a, note_arg, (void *)&b);
	/* Allocations between registrations, across several blocks. */
	for (int i = 0; i < 50; i++)
		arena_alloc(a, 100);
	arena_cleanup_add(a, note_arg, (void *)&c);
	arena_alloc(a, 100000);
	arena_cleanup_add(a, note_arg, (void *)&d);
	assert_int_equal(cleanup_log.n, 0); /* nothing runs before the free */
	arena_free(a);
	assert_int_equal(cleanup_log.n, 4);
	assert_string_equal(cleanup_log.order, "dcba");
}

static void test_cleanup_frees_heap(void **state)
{
	(void)state;
	/* The intended use: a heap block owned by the arena. Under ASan a
	 * cleanup that did not run shows up as a leak. */
	arena *a = arena_new(0);
	char *heap = malloc(64);
	assert_non_null(heap);
	arena_cleanup_add(a, free, heap);
	arena_free(a);
}

static void test_free_null(void **state)
{
	(void)state;
	arena_free(NULL);
	arena *a = arena_new(0);
	arena_free(a); /* an arena never used */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_many_small),
		cmocka_unit_test(test_large_and_mixed),
		cmocka_unit_test(test_strdup_null),
		cmocka_unit_test(test_zero_size_and_used),
		cmocka_unit_test(test_zalloc_and_calloc_zero),
		cmocka_unit_test(test_overflow_aborts),
		cmocka_unit_test(test_strings),
		cmocka_unit_test(test_cleanups_reverse_once),
		cmocka_unit_test(test_cleanup_frees_heap),
		cmocka_unit_test(test_free_null),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
