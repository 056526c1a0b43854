/* progress.c - a redrawn status line on a terminal, a summary elsewhere. */
#include "core/progress.h"

#include <stdio.h>
#include <time.h>
#include <unistd.h>

static int64_t now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static void draw(struct progress *p)
{
	if (p->total > 0)
		fprintf(stderr, "\r%s: %lld/%lld (%d%%)", p->label, (long long)p->done,
			(long long)p->total, (int)(p->done * 100 / p->total));
	else
		fprintf(stderr, "\r%s: %lld", p->label, (long long)p->done);
	fflush(stderr);
}

void progress_start(struct progress *p, const char *label, int64_t total)
{
	p->label = label;
	p->total = total;
	p->done = 0;
	p->tty = isatty(STDERR_FILENO);
	p->start_us = p->last_draw_us = now_us();
	if (p->tty)
		draw(p);
}

void progress_add(struct progress *p, int64_t n)
{
	p->done += n;
	if (!p->tty)
		return;
	int64_t t = now_us();
	if (t - p->last_draw_us >= 100000) {
		p->last_draw_us = t;
		draw(p);
	}
}

void progress_done(struct progress *p, const char *unit, const char *note)
{
	double secs = (double)(now_us() - p->start_us) / 1e6;
	fprintf(stderr, "%s%s: %lld %s in %.2f s%s%s\n", p->tty ? "\r\033[K" : "", p->label,
		(long long)p->done, unit, secs, note && *note ? ", " : "", note ? note : "");
}
