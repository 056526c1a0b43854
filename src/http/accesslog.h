/*
 * accesslog.h - one JSON line per request: time, method, path, route,
 * status, bytes, microseconds. accesslog_write never waits for the file: it
 * appends the whole line to a memory buffer that a thread of the log's own
 * writes out (within 100 ms), so lines never interleave and an I/O thread is
 * never held up by a slow disk or a stalled pipe. If the file falls more than
 * a megabyte behind, lines are dropped and a line {"dropped":N} says so.
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
/* Writes what is buffered, then closes. */
void accesslog_close(accesslog *l);

/* Returns once every line written before the call is in the file (tests). */
void accesslog_flush(accesslog *l);

/* l may be NULL (logging off). route may be NULL (no route matched).
 * complete is false when the reply was not delivered in full. */
void accesslog_write(accesslog *l, const char *method, const char *path, const char *route,
		     int status, size_t bytes, int64_t usec, bool complete);

#endif
