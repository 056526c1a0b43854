/*
 * multipart.c - the streaming multipart/form-data parser (see multipart.h).
 *
 * The delimiter is "\r\n--" followed by the boundary; the body is treated as
 * if a "\r\n" came before its first byte, so the first boundary line
 * matches the same way as the others. RFC 2046 keeps CR out of boundaries,
 * so when a partial match fails the matched bytes are plain data and only a
 * new CR can start another match: no backtracking is needed.
 */
#include "http/multipart.h"

#include <string.h>
#include <strings.h>

static bool bchar(unsigned char c)
{
	/* RFC 2046 bcharsnospace, plus space inside the boundary */
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       strchr("'()+_,-./:=? ", c) != NULL;
}

/* Reads a parameter value (token or quoted-string) at *s into out; moves
 * *s past it. Returns -1 when it does not fit or a quote is not closed. */
static int param_value(const char **s, char *out, size_t outlen)
{
	const char *p = *s;
	size_t o = 0;
	if (*p == '"') {
		p++;
		while (*p && *p != '"') {
			if (*p == '\\' && p[1])
				p++;
			if (o + 1 >= outlen)
				return -1;
			out[o++] = *p++;
		}
		if (*p != '"')
			return -1;
		p++;
	} else {
		while (*p && *p != ';' && *p != ' ' && *p != '\t') {
			if (o + 1 >= outlen)
				return -1;
			out[o++] = *p++;
		}
	}
	out[o] = '\0';
	*s = p;
	return 0;
}

int mp_boundary(const char *ct, char *out, size_t outlen)
{
	if (!ct || strncasecmp(ct, "multipart/form-data", 19) != 0)
		return -1;
	const char *p = ct + 19;
	while (*p) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p != ';')
			return -1;
		p++;
		while (*p == ' ' || *p == '\t')
			p++;
		const char *name = p;
		while (*p && *p != '=' && *p != ';')
			p++;
		if (*p != '=')
			return -1;
		size_t nlen = (size_t)(p - name);
		p++;
		char val[MP_BOUNDARY_MAX + 2];
		if (param_value(&p, val, sizeof(val)) < 0)
			return -1;
		if (nlen == 8 && strncasecmp(name, "boundary", 8) == 0) {
			size_t len = strlen(val);
			if (len == 0 || len > MP_BOUNDARY_MAX || len + 1 > outlen ||
			    val[len - 1] == ' ')
				return -1;
			for (size_t i = 0; i < len; i++)
				if (!bchar((unsigned char)val[i]))
					return -1;
			memcpy(out, val, len + 1);
			return 0;
		}
	}
	return -1;
}

void mp_init(mp_parser *p, const char *boundary, const struct mp_callbacks *cb, void *ud)
{
	memset(p, 0, offsetof(mp_parser, hdr));
	p->cb = cb;
	p->ud = ud;
	size_t blen = strlen(boundary);
	if (blen > MP_BOUNDARY_MAX)
		blen = MP_BOUNDARY_MAX;
	memcpy(p->delim, "\r\n--", 4);
	memcpy(p->delim + 4, boundary, blen);
	p->dlen = 4 + blen;
	p->state = MP_PREAMBLE;
	p->match = 2; /* as if the body began with "\r\n" */
	p->hlen = 0;
	p->olen = 0;
	p->parts = 0;
	p->rc = 0;
}

static int fail(mp_parser *p, int rc)
{
	p->state = MP_ERROR;
	p->rc = rc;
	return rc;
}

static int flush(mp_parser *p)
{
	if (!p->olen)
		return 0;
	size_t n = p->olen;
	p->olen = 0;
	return p->cb->part_data ? p->cb->part_data(p->ud, p->out, n) : 0;
}

static int emit(mp_parser *p, const char *s, size_t n)
{
	while (n) {
		size_t room = MP_OUT_BUF - p->olen;
		size_t k = n < room ? n : room;
		memcpy(p->out + p->olen, s, k);
		p->olen += k;
		s += k;
		n -= k;
		if (p->olen == MP_OUT_BUF) {
			int rc = flush(p);
			if (rc)
				return rc;
		}
	}
	return 0;
}

/* Parses one part's header block (hdr[0..hlen), ending in an empty line)
 * and starts the part. */
static int begin_part(mp_parser *p)
{
	char name[MP_NAME_MAX], filename[MP_NAME_MAX], ctype[256];
	bool have_name = false, have_file = false, have_type = false, disposition = false;
	if (memchr(p->hdr, '\0', p->hlen))
		return -1;
	p->hdr[p->hlen - 2] = '\0'; /* drop the final CRLF; lines end in CRLF */
	char *line = p->hdr;
	while (*line) {
		char *end = strstr(line, "\r\n");
		if (!end)
			return -1;
		*end = '\0';
		char *colon = strchr(line, ':');
		if (!colon || colon == line || line[0] == ' ' || line[0] == '\t')
			return -1; /* no name, or obsolete line folding */
		*colon = '\0';
		const char *v = colon + 1;
		while (*v == ' ' || *v == '\t')
			v++;
		if (strcasecmp(line, "Content-Disposition") == 0) {
			if (disposition || strncasecmp(v, "form-data", 9) != 0)
				return -1;
			disposition = true;
			v += 9;
			while (*v) {
				while (*v == ' ' || *v == '\t')
					v++;
				if (!*v)
					break;
				if (*v != ';')
					return -1;
				v++;
				while (*v == ' ' || *v == '\t')
					v++;
				const char *pn = v;
				while (*v && *v != '=' && *v != ';' && *v != ' ')
					v++;
				size_t pnlen = (size_t)(v - pn);
				while (*v == ' ' || *v == '\t')
					v++;
				if (*v != '=')
					return -1;
				v++;
				while (*v == ' ' || *v == '\t')
					v++;
				char val[MP_NAME_MAX];
				if (param_value(&v, val, sizeof(val)) < 0)
					return -1;
				if (pnlen == 4 && strncasecmp(pn, "name", 4) == 0) {
					if (have_name)
						return -1;
					memcpy(name, val, sizeof(val));
					have_name = true;
				} else if (pnlen == 8 && strncasecmp(pn, "filename", 8) == 0) {
					if (have_file)
						return -1;
					memcpy(filename, val, sizeof(val));
					have_file = true;
				}
			}
		} else if (strcasecmp(line, "Content-Type") == 0) {
			size_t len = strlen(v);
			if (have_type || len >= sizeof(ctype))
				return -1;
			memcpy(ctype, v, len + 1);
			have_type = true;
		}
		line = end + 2;
	}
	if (!disposition || !have_name)
		return -1;
	if (++p->parts > MP_PARTS_MAX)
		return -1;
	return p->cb->part_begin ? p->cb->part_begin(p->ud, name, have_file ? filename : NULL,
						     have_type ? ctype : NULL)
				 : 0;
}

int mp_feed(mp_parser *p, const char *data, size_t n)
{
	if (p->state == MP_ERROR)
		return p->rc;
	int rc = 0;
	size_t i = 0;
	while (i < n) {
		char c = data[i];
		switch (p->state) {
		case MP_PREAMBLE:
		case MP_BODY:
			if (p->match == 0 && p->state == MP_BODY) {
				/* Fast path: everything before the next CR is data. */
				const char *cr = memchr(data + i, '\r', n - i);
				size_t run = cr ? (size_t)(cr - (data + i)) : n - i;
				if (run) {
					if ((rc = emit(p, data + i, run)))
						return fail(p, rc);
					i += run;
					continue;
				}
			}
			if (c == p->delim[p->match]) {
				if (++p->match == p->dlen) {
					p->match = 0;
					if (p->state == MP_BODY) {
						if ((rc = flush(p)) ||
						    (p->cb->part_end &&
						     (rc = p->cb->part_end(p->ud))))
							return fail(p, rc);
					}
					p->state = MP_AFTER_DELIM;
				}
			} else {
				if (p->state == MP_BODY && (rc = emit(p, p->delim, p->match)))
					return fail(p, rc);
				p->match = c == '\r' ? 1 : 0;
				if (!p->match && p->state == MP_BODY && (rc = emit(p, &c, 1)))
					return fail(p, rc);
			}
			break;
		case MP_AFTER_DELIM:
			if (c == '-')
				p->state = MP_DASH2;
			else if (c == '\r')
				p->state = MP_PAD_LF;
			else if (c != ' ' && c != '\t')
				return fail(p, -1);
			break;
		case MP_DASH2:
			if (c != '-')
				return fail(p, -1);
			p->state = MP_DONE;
			break;
		case MP_PAD_LF:
			if (c != '\n')
				return fail(p, -1);
			p->state = MP_HEADERS;
			p->hlen = 0;
			break;
		case MP_HEADERS:
			if (p->hlen == MP_HEADERS_MAX)
				return fail(p, -1);
			p->hdr[p->hlen++] = c;
			if (c == '\n') {
				if (p->hlen == 2 && p->hdr[0] == '\r')
					return fail(p, -1); /* no Content-Disposition */
				if (p->hlen >= 4 &&
				    memcmp(p->hdr + p->hlen - 4, "\r\n\r\n", 4) == 0) {
					if ((rc = begin_part(p)))
						return fail(p, rc);
					p->state = MP_BODY;
					p->match = 0;
				}
			}
			break;
		case MP_DONE: return 0; /* the epilogue is ignored */
		case MP_ERROR: return p->rc;
		}
		i++;
	}
	if (p->state == MP_BODY && (rc = flush(p)))
		return fail(p, rc);
	return 0;
}

int mp_finish(mp_parser *p)
{
	if (p->state == MP_ERROR)
		return p->rc;
	return p->state == MP_DONE ? 0 : -1;
}
