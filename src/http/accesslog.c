/*
 * accesslog.c - lines are formatted on the calling thread (an I/O thread)
 * and appended to a memory buffer; one "access-log" thread writes the buffer
 * out in large writes. A write(2) to a file can sleep for up to 200 ms when
 * the kernel throttles dirty pages, and one to a pipe for as long as its
 * reader is stalled: neither may stop an I/O thread. When the buffer is full
 * (the file cannot keep up) lines are dropped and counted, and the count is
 * written as a line of its own ({"dropped":N}) once there is room.
 */
#include "http/accesslog.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/html.h"

enum {
	ALOG_CAP = 1 << 20,	  /* bytes held per buffer (two buffers) */
	ALOG_PERIOD_MS = 100,	  /* the writer's wake-up period */
	ALOG_NUDGE = ALOG_CAP / 2 /* a fuller buffer wakes the writer at once */
};

struct accesslog {
	int fd;
	int owned;
	pthread_mutex_t mu;
	pthread_cond_t cv;   /* the writer sleeps here */
	pthread_cond_t done; /* signalled after each flush (accesslog_flush) */
	char *pending;	     /* lines not yet written, ALOG_CAP bytes */
	size_t len;
	unsigned long long dropped;
	unsigned long long flushes; /* completed flushes, for accesslog_flush */
	bool stopping;
	pthread_t thread;
};

static void write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return; /* nowhere to report it: the log is the report */
		p += w;
		n -= (size_t)w;
	}
}

static void *writer(void *p)
{
	accesslog *l = p;
	pthread_setname_np(pthread_self(), "access-log");
	char *out = malloc(ALOG_CAP);
	if (!out)
		abort();
	pthread_mutex_lock(&l->mu);
	for (;;) {
		if (!l->len && !l->dropped && !l->stopping) {
			struct timespec until;
			clock_gettime(CLOCK_REALTIME, &until);
			until.tv_nsec += ALOG_PERIOD_MS * 1000000L;
			if (until.tv_nsec >= 1000000000L) {
				until.tv_sec++;
				until.tv_nsec -= 1000000000L;
			}
			pthread_cond_timedwait(&l->cv, &l->mu, &until);
		}
		/* Swap buffers: the I/O threads go on appending meanwhile. */
		char *batch = l->pending;
		size_t n = l->len;
		unsigned long long dropped = l->dropped;
		l->pending = out;
		l->len = 0;
		l->dropped = 0;
		bool stop = l->stopping;
		pthread_mutex_unlock(&l->mu);
		write_all(l->fd, batch, n);
		if (dropped) {
			char line[64];
			int k = snprintf(line, sizeof(line), "{\"dropped\":%llu}\n", dropped);
			write_all(l->fd, line, (size_t)k);
		}
		out = batch;
		pthread_mutex_lock(&l->mu);
		l->flushes++;
		pthread_cond_broadcast(&l->done);
		if (stop && !l->len && !l->dropped)
			break;
	}
	pthread_mutex_unlock(&l->mu);
	free(out);
	return NULL;
}

accesslog *accesslog_open(const char *target, char *err, size_t errlen)
{
	if (strcmp(target, "off") == 0)
		return NULL;
	accesslog *l = calloc(1, sizeof(*l));
	if (!l)
		abort();
	if (strcmp(target, "-") == 0) {
		l->fd = STDOUT_FILENO;
	} else {
		l->fd = open(target, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
		if (l->fd < 0) {
			snprintf(err, errlen, "access log %s: %s", target, strerror(errno));
			free(l);
			return NULL;
		}
		l->owned = 1;
	}
	l->pending = malloc(ALOG_CAP);
	if (!l->pending)
		abort();
	pthread_mutex_init(&l->mu, NULL);
	pthread_cond_init(&l->cv, NULL);
	pthread_cond_init(&l->done, NULL);
	if (pthread_create(&l->thread, NULL, writer, l) != 0) {
		snprintf(err, errlen, "access log %s: cannot start its thread", target);
		if (l->owned)
			close(l->fd);
		free(l->pending);
		free(l);
		return NULL;
	}
	return l;
}

void accesslog_flush(accesslog *l)
{
	if (!l)
		return;
	pthread_mutex_lock(&l->mu);
	/* Two completed flushes: the one under way may have swapped before
	 * the last line came in. */
	unsigned long long target = l->flushes + 2;
	pthread_cond_signal(&l->cv);
	while (l->flushes < target) {
		pthread_cond_signal(&l->cv);
		pthread_cond_wait(&l->done, &l->mu);
	}
	pthread_mutex_unlock(&l->mu);
}

void accesslog_close(accesslog *l)
{
	if (!l)
		return;
	pthread_mutex_lock(&l->mu);
	l->stopping = true;
	pthread_cond_signal(&l->cv);
	pthread_mutex_unlock(&l->mu);
	pthread_join(l->thread, NULL); /* writes what is left */
	if (l->owned)
		close(l->fd);
	pthread_mutex_destroy(&l->mu);
	pthread_cond_destroy(&l->cv);
	pthread_cond_destroy(&l->done);
	free(l->pending);
	free(l);
}

void accesslog_write(accesslog *l, const char *method, const char *path, const char *route,
		     int status, size_t bytes, int64_t usec, bool complete)
{
	if (!l)
		return;
	struct timespec ts;
	struct tm tm;
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	buf b = BUF_INIT(4096);
	buf_printf(&b, "{\"time\":\"%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ\",\"method\":\"",
		   tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
		   ts.tv_nsec / 1000000);
	json_escape(&b, method, strlen(method));
	buf_puts(&b, "\",\"path\":\"");
	json_escape(&b, path, strnlen(path, 1024));
	buf_puts(&b, "\",\"route\":");
	if (route) {
		buf_putc(&b, '"');
		json_escape(&b, route, strlen(route));
		buf_putc(&b, '"');
	} else {
		buf_puts(&b, "null");
	}
	buf_printf(&b, ",\"status\":%d,\"bytes\":%zu,\"us\":%lld,\"complete\":%s}\n", status, bytes,
		   (long long)usec, complete ? "true" : "false");
	if (!b.overflow) {
		pthread_mutex_lock(&l->mu);
		if (l->len + b.len > ALOG_CAP) {
			l->dropped++;
		} else {
			memcpy(l->pending + l->len, b.data, b.len);
			l->len += b.len;
			if (l->len >= ALOG_NUDGE && l->len - b.len < ALOG_NUDGE)
				pthread_cond_signal(&l->cv);
		}
		pthread_mutex_unlock(&l->mu);
	}
	buf_release(&b);
}
