/*
 * mail_fallback.h - queues a mail in mail_outbox until src/domain/mail.h
 * (written in parallel) is merged; then mail_queue_local is the real
 * mail_queue and the lead can switch the call in account.c.
 */
#ifndef MOTCUA_MAIL_FALLBACK_H
#define MOTCUA_MAIL_FALLBACK_H

#include "core/status.h"
#include "db/db.h"

#if __has_include("domain/mail.h")
#include "domain/mail.h"
#define mail_queue_local mail_queue
#else
/* Inside a db_write closure: one row in mail_outbox for the mail job. */
mc_status mail_queue_local(db_conn *c, const char *to, const char *subject, const char *body);
#endif

#endif
