/*
 * arena.c - bump allocator over a chain of blocks.
 *
 * Small allocations are carved from the current block; an allocation larger
 * than a quarter of the block size gets a block of its own, so big uploads or
 * pages do not waste the remainder of the current block.
 */
#include "core/arena.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_ALIGN 16u

struct block {
	struct block *next;
	size_t size;
	size_t used;
	_Alignas(16) unsigned char data[];
};

struct cleanup {
	struct cleanup *next;
	void (*fn)(void *);
	void *arg;
};

struct arena {
	struct block *head;
	struct cleanup *cleanups;
	size_t block_size;
	size_t used;
};

static void oom(void)
{
	fputs("motcua: out of memory\n", stderr);
	abort();
}

static struct block *block_new(size_t size)
{
	if (size > SIZE_MAX - sizeof(struct block))
		oom();
	struct block *b = malloc(sizeof(struct block) + size);
	if (!b)
		oom();
	b->next = NULL;
	b->size = size;
	b->used = 0;
	return b;
}

arena *arena_new(size_t block_size)
{
	arena *a = calloc(1, sizeof(*a));
	if (!a)
		oom();
	a->block_size = block_size ? block_size : 8192;
	a->head = block_new(a->block_size);
	return a;
}

void arena_free(arena *a)
{
	if (!a)
		return;
	/* Cleanups were pushed on a stack, so this runs them newest first. */
	for (struct cleanup *c = a->cleanups; c; c = c->next)
		c->fn(c->arg);
	struct block *b = a->head;
	while (b) {
		struct block *next = b->next;
		free(b);
		b = next;
	}
	free(a);
}

void *arena_alloc(arena *a, size_t n)
{
	size_t need = (n + (ARENA_ALIGN - 1)) & ~(size_t)(ARENA_ALIGN - 1);
	if (need < n)
		oom();
	a->used += n;
	if (need > a->block_size / 4) {
		/* Dedicated block, linked behind the head so the head keeps
		 * serving small allocations. */
		struct block *b = block_new(need);
		b->used = need;
		b->next = a->head->next;
		a->head->next = b;
		return b->data;
	}
	if (a->head->size - a->head->used < need) {
		struct block *b = block_new(a->block_size);
		b->next = a->head;
		a->head = b;
	}
	void *p = a->head->data + a->head->used;
	a->head->used += need;
	return p;
}

void *arena_zalloc(arena *a, size_t n)
{
	void *p = arena_alloc(a, n);
	memset(p, 0, n);
	return p;
}

void *arena_calloc(arena *a, size_t count, size_t size)
{
	if (size && count > SIZE_MAX / size)
		oom();
	return arena_zalloc(a, count * size);
}

char *arena_strndup(arena *a, const char *s, size_t n)
{
	size_t len = strnlen(s, n);
	char *p = arena_alloc(a, len + 1);
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

char *arena_strdup(arena *a, const char *s)
{
	if (!s)
		return NULL;
	return arena_strndup(a, s, strlen(s));
}

char *arena_vprintf(arena *a, const char *fmt, va_list ap)
{
	va_list cp;
	va_copy(cp, ap);
	int n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0)
		return arena_strdup(a, "");
	char *p = arena_alloc(a, (size_t)n + 1);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	return p;
}

char *arena_printf(arena *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *p = arena_vprintf(a, fmt, ap);
	va_end(ap);
	return p;
}

void arena_cleanup_add(arena *a, void (*fn)(void *), void *arg)
{
	struct cleanup *c = arena_alloc(a, sizeof(*c));
	c->fn = fn;
	c->arg = arg;
	c->next = a->cleanups;
	a->cleanups = c;
}

size_t arena_used(const arena *a)
{
	return a->used;
}
