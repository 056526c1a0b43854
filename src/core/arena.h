/*
 * arena.h - region allocator, one per request or per unit of work.
 *
 * Everything a request allocates comes from its arena and is released at once
 * when the request completes; handlers never call free(). Things that are not
 * memory (file descriptors, heap buffers handed to libraries) are released by
 * cleanups registered on the arena, run in reverse order of registration.
 *
 * An arena is not thread-safe: it belongs to one thread at a time (a request
 * moves from an I/O thread to a worker and back, never used by both at once).
 * Allocation failure aborts the process: an out-of-memory server cannot
 * answer anyway, and callers stay free of unreachable error paths.
 */
#ifndef MOTCUA_ARENA_H
#define MOTCUA_ARENA_H

#include <stdarg.h>
#include <stddef.h>

typedef struct arena arena;

/* Creates an arena whose blocks are at least block_size bytes (0: 8 KiB). */
arena *arena_new(size_t block_size);

/* Runs the cleanups in reverse order, then frees every block. NULL is fine. */
void arena_free(arena *a);

/* Returns n bytes aligned for any type; n == 0 returns a valid pointer. */
void *arena_alloc(arena *a, size_t n);

/* As arena_alloc, zero-filled. */
void *arena_zalloc(arena *a, size_t n);

/* Allocates an array of count elements of size bytes each, zero-filled;
 * aborts on multiplication overflow. */
void *arena_calloc(arena *a, size_t count, size_t size);

/* NUL-terminated copies (of NULL: NULL). strndup copies at most n bytes. */
char *arena_strdup(arena *a, const char *s);
char *arena_strndup(arena *a, const char *s, size_t n);

/* printf into the arena; the result is NUL-terminated. */
char *arena_printf(arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
char *arena_vprintf(arena *a, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));

/* Registers fn(arg) to run when the arena is freed. */
void arena_cleanup_add(arena *a, void (*fn)(void *), void *arg);

/* Bytes handed out so far (for metrics and tests). */
size_t arena_used(const arena *a);

#endif
