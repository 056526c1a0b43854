/*
 * accesslog.h - one JSON line per request: time, method, path, route,
 * status, bytes, microseconds. Each line is a single write(2), so lines from
 * different threads never interleave (files opened O_APPEND; pipes get
 * atomic writes below PIPE_BUF).
 */
#ifndef MOTCUA_ACCESSLOG_H
#define MOTCUA_ACCESSLOG_H

#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>

typedef struct accesslog accesslog;

/* target: "-" for standard output, "off" (returns NULL, not an error), or a
 * file path. NULL with err set when the file cannot be opened. */
accesslog *accesslog_open(const char *target, char *err, size_t errlen);
void accesslog_close(accesslog *l);

/* l may be NULL (logging off). route may be NULL (no route matched).
 * complete is false when the reply was not delivered in full. */
void accesslog_write(accesslog *l, const char *method, const char *path, const char *route,
		     int status, size_t bytes, int64_t usec, bool complete);

#endif
