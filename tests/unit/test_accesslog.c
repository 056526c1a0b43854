/*
 * test_accesslog.c - the access log (http/accesslog.h): whole JSON lines
 * from many threads, each thread's lines in order, everything in the file
 * after accesslog_flush and after accesslog_close; and a log whose reader
 * is stalled (a FIFO nobody reads) neither blocks the writing thread nor
 * loses count: every line is either in the output or counted in a
 * {"dropped":N} line.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "http/accesslog.h"

/* Lines are ~125-150 bytes: 4 x 1,500 of them (< 0.9 MB) always fit in
 * the log's 1 MiB buffer, so none may be dropped however late the log's
 * thread runs; 4 x 6,000 (~3 MB) cannot all wait in a stalled pipe (64 KiB),
 * the batch stuck in write(2) and the buffer (1 MiB each). */
enum { THREADS = 4, FITS = 1500, TOO_MANY = 6000 };

struct writer_arg {
	accesslog *l;
	int id, lines;
};

static void *write_lines(void *p)
{
	struct writer_arg *w = p;
	for (int i = 0; i < w->lines; i++) {
		char path[64];
		snprintf(path, sizeof(path), "/t%d/%d", w->id, i);
		accesslog_write(w->l, "GET", path, "/t/{n}", 200, (size_t)i, i, true);
	}
	return NULL;
}

/* Checks every line of text: a JSON object, and for each thread the
 * numbers in its paths count up from 0 without a gap. Returns the number
 * of request lines; *dropped gets the sum of the {"dropped":N} lines. */
static int check_lines(char *text, long long *dropped, bool gapless)
{
	int next[THREADS] = {0};
	int lines = 0;
	*dropped = 0;
	for (char *line = text, *nl; *line; line = nl + 1) {
		nl = strchr(line, '\n');
		assert_non_null(nl); /* no partial line */
		*nl = '\0';
		json_t *o = json_loads(line, 0, NULL);
		if (!o)
			fail_msg("not JSON: %s", line);
		json_t *d = json_object_get(o, "dropped");
		if (d) {
			assert_true(json_integer_value(d) > 0);
			*dropped += json_integer_value(d);
			json_decref(o);
			continue;
		}
		int t, n;
		assert_int_equal(
			sscanf(json_string_value(json_object_get(o, "path")), "/t%d/%d", &t, &n),
			2);
		assert_true(t >= 0 && t < THREADS);
		if (gapless)
			assert_int_equal(n, next[t]);
		else
			assert_true(n >= next[t]); /* in order, maybe with a gap */
		next[t] = n + 1;
		assert_int_equal(json_integer_value(json_object_get(o, "us")), n);
		lines++;
		json_decref(o);
	}
	return lines;
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	char *text = NULL;
	size_t cap = 0, len = 0, n;
	char chunk[65536];
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		if (len + n + 1 > cap) {
			cap = (len + n + 1) * 2;
			text = realloc(text, cap);
			assert_non_null(text);
		}
		memcpy(text + len, chunk, n);
		len += n;
	}
	fclose(f);
	if (!text)
		text = calloc(1, 1);
	text[len] = '\0';
	return text;
}

static void run_writers(accesslog *l, int lines)
{
	pthread_t th[THREADS];
	struct writer_arg args[THREADS];
	for (int i = 0; i < THREADS; i++) {
		args[i] = (struct writer_arg){l, i, lines};
		assert_int_equal(pthread_create(&th[i], NULL, write_lines, &args[i]), 0);
	}
	for (int i = 0; i < THREADS; i++)
		pthread_join(th[i], NULL);
}

static void test_threads_whole_lines_in_order(void **state)
{
	(void)state;
	char path[] = "/tmp/motcua-test-alog-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	char err[256];
	accesslog *l = accesslog_open(path, err, sizeof(err));
	assert_non_null(l);
	run_writers(l, FITS);

	/* After a flush every line is there, before the log is closed. */
	accesslog_flush(l);
	char *text = slurp(path);
	long long dropped;
	assert_int_equal(check_lines(text, &dropped, true), THREADS * FITS);
	assert_int_equal(dropped, 0);
	free(text);

	/* Lines written just before closing are not lost. */
	accesslog_write(l, "GET", "/t0/1500", NULL, 404, 0, FITS, false);
	accesslog_close(l);
	text = slurp(path);
	assert_int_equal(check_lines(text, &dropped, true), THREADS * FITS + 1);
	free(text);
	unlink(path);
}

struct drain_arg {
	int fd;
	char *out;
	size_t len, cap;
};

static void *drain(void *p)
{
	struct drain_arg *d = p;
	char chunk[65536];
	ssize_t n;
	while ((n = read(d->fd, chunk, sizeof(chunk))) > 0) {
		if (d->len + (size_t)n + 1 > d->cap) {
			d->cap = (d->len + (size_t)n + 1) * 2;
			d->out = realloc(d->out, d->cap);
			assert_non_null(d->out);
		}
		memcpy(d->out + d->len, chunk, (size_t)n);
		d->len += (size_t)n;
	}
	return NULL;
}

static void test_stalled_reader_drops_and_counts(void **state)
{
	(void)state;
	char dir[] = "/tmp/motcua-test-alog-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char fifo[64];
	snprintf(fifo, sizeof(fifo), "%s/fifo", dir);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	/* The reader end first (non-blocking open), then the log opens the
	 * writer end; nobody reads until every line has been written. */
	int rd = open(fifo, O_RDONLY | O_NONBLOCK);
	assert_true(rd >= 0);
	char err[256];
	accesslog *l = accesslog_open(fifo, err, sizeof(err));
	assert_non_null(l);
	/* More than the pipe and the log's buffers hold. This returns although nobody reads: the
	 * writing threads are never held up by the reader. */
	run_writers(l, TOO_MANY);

	fcntl(rd, F_SETFL, 0); /* blocking reads from now on */
	struct drain_arg d = {.fd = rd};
	pthread_t th;
	assert_int_equal(pthread_create(&th, NULL, drain, &d), 0);
	accesslog_close(l); /* writes the rest and the count, then EOF */
	pthread_join(th, NULL);
	close(rd);
	if (!d.out)
		d.out = calloc(1, 1);
	d.out[d.len] = '\0';

	long long dropped;
	int lines = check_lines(d.out, &dropped, false);
	assert_true(dropped > 0);
	assert_int_equal(lines + dropped, THREADS * TOO_MANY);
	free(d.out);
	unlink(fifo);
	rmdir(dir);
}

static void test_off_and_bad_target(void **state)
{
	(void)state;
	char err[256] = "";
	assert_null(accesslog_open("off", err, sizeof(err)));
	assert_string_equal(err, "");
	/* NULL (logging off) is accepted everywhere. */
	accesslog_write(NULL, "GET", "/", NULL, 200, 0, 0, true);
	accesslog_flush(NULL);
	accesslog_close(NULL);
	assert_null(accesslog_open("/nonexistent-dir/access.log", err, sizeof(err)));
	assert_non_null(strstr(err, "/nonexistent-dir/access.log"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_threads_whole_lines_in_order),
		cmocka_unit_test(test_stalled_reader_drops_and_counts),
		cmocka_unit_test(test_off_and_bad_target),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
