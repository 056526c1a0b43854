/*
 * html.h - output escaping, in one place (see STYLE.md).
 *
 * Every byte of user or database text that reaches a page goes through one of
 * these. Templates call html_escape for {{var}}; handlers building URLs call
 * url_escape for query values. None of them validates UTF-8: input is
 * validated where it enters (forms, imports), not here.
 */
#ifndef MOTCUA_HTML_H
#define MOTCUA_HTML_H

#include "core/buf.h"

/* Escapes & < > " ' for text and attribute values alike. */
int html_escape(buf *out, const char *s, size_t n);

/* Percent-encodes everything except unreserved characters (RFC 3986). */
int url_escape(buf *out, const char *s, size_t n);

/* Escapes for a JSON string body (without the surrounding quotes). */
int json_escape(buf *out, const char *s, size_t n);

#endif
