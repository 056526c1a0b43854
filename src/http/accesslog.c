/* accesslog.c - formats into a stack buffer and writes it in one call. */
#include "http/accesslog.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/html.h"

struct accesslog {
	int fd;
	int owned;
};

accesslog *accesslog_open(const char *target, char *err, size_t errlen)
{
	if (strcmp(target, "off") == 0)
		return NULL;
	accesslog *l = calloc(1, sizeof(*l));
	if (!l)
		abort();
	if (strcmp(target, "-") == 0) {
		l->fd = STDOUT_FILENO;
		return l;
	}
	l->fd = open(target, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
	if (l->fd < 0) {
		snprintf(err, errlen, "access log %s: %s", target, strerror(errno));
		free(l);
		return NULL;
	}
	l->owned = 1;
	return l;
}

void accesslog_close(accesslog *l)
{
	if (!l)
		return;
	if (l->owned)
		close(l->fd);
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
		ssize_t w = write(l->fd, b.data, b.len);
		(void)w;
	}
	buf_release(&b);
}
