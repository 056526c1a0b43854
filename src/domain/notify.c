/* notify.c - the applicant's notices, queued in the transition's write. */
#include "domain/notify.h"

#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "core/format.h"
#include "core/i18n.h"
#include "core/log.h"
#include "core/text.h"
#include "domain/mail.h"
#include "domain/message.h"

/* The channel of new short messages: 0 SMS, 1 Zalo (notify_set_channel). */
static atomic_int channel_zalo;

void notify_set_channel(const char *channel)
{
	atomic_store(&channel_zalo, channel && strcmp(channel, "zalo") == 0);
}

static const char *key(arena *a, const char *event, const char *part)
{
	const char *k = arena_printf(a, "notify.%s.%s", event, part);
	return i18n_lookup(LANG_VI, k) ? k : arena_printf(a, "notify.default.%s", part);
}

/* The short text on one line: runs of white space (the officer's note may
 * span lines) become one space; longer than NOTIFY_SMS_CHARS code points,
 * it is cut at a code point and ends with "…" (the email has it all). */
static const char *one_line(arena *a, const char *s)
{
	size_t n = strlen(s), chars = 0;
	char *out = arena_alloc(a, n + 4), *o = out;
	for (const char *p = s; *p; p++) {
		bool space = *p == ' ' || *p == '\t' || *p == '\n' || *p == '\r';
		if (space && (o == out || o[-1] == ' '))
			continue;
		bool lead = ((unsigned char)*p & 0xc0) != 0x80;
		if (lead && chars == NOTIFY_SMS_CHARS) {
			/* One code point less, and room for "…". */
			do
				o--;
			while (o > out && ((unsigned char)*o & 0xc0) == 0x80);
			while (o > out && o[-1] == ' ')
				o--;
			memcpy(o, "\xe2\x80\xa6", 3);
			o += 3;
			break;
		}
		*o++ = space ? ' ' : *p;
		chars += lead;
	}
	while (o > out && o[-1] == ' ')
		o--;
	*o = '\0';
	return out;
}

mc_status notify_transition(db_conn *c, arena *a, const struct notice *n)
{
	if (!n || !n->code || !*n->code || !n->event || !*n->event)
		return MC_INVALID;
	bool email = n->email && *n->email, phone = n->phone && *n->phone;
	if (!email && !phone)
		return MC_OK;
	const char *status = i18n_get(LANG_VI, arena_printf(a, "lookup.status.%d", n->status_to));
	const char *args[] = {
		n->code,
		n->procedure_name ? n->procedure_name : "",
		n->agency_name ? n->agency_name : "",
		n->name ? n->name : "",
		status,
		n->due_at ? format_datetime_vn(a, n->due_at) : "",
		n->note ? n->note : "",
		n->lookup_url ? n->lookup_url : "",
	};
	mc_status st = MC_OK;
	if (email) {
		const char *subject = i18n_format(a, LANG_VI, key(a, n->event, "subject"), 8, args);
		const char *body = i18n_format(a, LANG_VI, key(a, n->event, "body"), 8, args);
		if (!subject || !body)
			return MC_INTERNAL;
		st = mail_queue(c, n->email, subject, body);
		if (st == MC_INVALID) {
			/* A contact that no longer passes the checks (an old row,
			 * a desk entry) must not stop the officer's transition:
			 * the notice is skipped and the log says so. */
			log_warn("notify: %s: email address refused, no mail", n->code);
			st = MC_OK;
		}
	}
	if (st == MC_OK && phone) {
		const char *text = i18n_format(a, LANG_VI, key(a, n->event, "sms"), 8, args);
		if (!text)
			return MC_INTERNAL;
		st = message_queue(c, atomic_load(&channel_zalo) ? "zalo" : "sms", n->phone,
				   one_line(a, text));
		if (st == MC_INVALID) {
			log_warn("notify: %s: phone number refused, no text message", n->code);
			st = MC_OK;
		}
	}
	return st;
}
