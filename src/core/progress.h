/*
 * progress.h - progress of long command-line work (imports, exports,
 * backups, restores, migrations, generators) on a terminal.
 *
 * On a terminal the line redraws in place at most ten times a second; when
 * standard error is not a terminal (CI logs, cron mail) only the final
 * summary line is printed, so logs stay short.
 */
#ifndef MOTCUA_PROGRESS_H
#define MOTCUA_PROGRESS_H

#include <stdint.h>

struct progress {
	const char *label;
	int64_t total; /* 0 when unknown */
	int64_t done;
	int64_t last_draw_us;
	int64_t start_us;
	int tty;
};

void progress_start(struct progress *p, const char *label, int64_t total);
/* Adds n units of work done; redraws when it is time to. */
void progress_add(struct progress *p, int64_t n);
/* Ends the line with a summary: "label: N units in S s" plus note. */
void progress_done(struct progress *p, const char *unit, const char *note);

#endif
