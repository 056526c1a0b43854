/* demo.c - TSV seed files into the database, in one write. */
#include "domain/demo.h"

#include <stdio.h>
#include <string.h>

#include "core/assets.h"

struct load {
	const char *agencies_file;
	struct demo_counts *counts;
	char *err;
	size_t errlen;
	arena *a;
};

/* Splits the next line of a TSV asset into at most max columns (copies in
 * a); returns the number of columns, 0 at the end. */
static int next_row(arena *a, const char **pos, const char *end, char **cols, int max)
{
	while (*pos < end && **pos == '\n')
		(*pos)++;
	if (*pos >= end)
		return 0;
	const char *nl = memchr(*pos, '\n', (size_t)(end - *pos));
	if (!nl)
		nl = end;
	int n = 0;
	const char *s = *pos;
	while (n < max) {
		const char *tab = memchr(s, '\t', (size_t)(nl - s));
		const char *e = tab ? tab : nl;
		cols[n++] = arena_strndup(a, s, (size_t)(e - s));
		if (!tab)
			break;
		s = tab + 1;
	}
	*pos = nl;
	return n;
}

typedef mc_status (*row_fn)(db_conn *c, char **cols, int n, struct load *l);

static mc_status each_row(db_conn *c, const char *file, int want, row_fn fn, struct load *l)
{
	const struct asset *as = asset_find(file);
	if (!as) {
		snprintf(l->err, l->errlen, "%s is missing from the build", file);
		return MC_INTERNAL;
	}
	const char *pos = as->data, *end = as->data + as->len;
	char *cols[16];
	int line = 0, n;
	while ((n = next_row(l->a, &pos, end, cols, 16)) > 0) {
		if (++line == 1)
			continue; /* header */
		if (n < want) {
			snprintf(l->err, l->errlen, "%s:%d: expected %d columns, found %d", file,
				 line, want, n);
			return MC_INVALID;
		}
		mc_status rc = fn(c, cols, n, l);
		if (rc != MC_OK) {
			snprintf(l->err, l->errlen, "%s:%d: %s", file, line, db_errmsg(c));
			return rc;
		}
	}
	return MC_OK;
}

static mc_status put_field(db_conn *c, char **cols, int n, struct load *l)
{
	l->counts->fields++;
	return db_exec(c,
		       "INSERT INTO field (code, name_vi, name_en, sort) VALUES ($1, $2, '', $3)"
		       " ON CONFLICT (code) DO UPDATE SET name_vi = excluded.name_vi, sort = "
		       "excluded.sort",
		       DB_ARGS(DB_TEXT(cols[0]), DB_TEXT(cols[1]), DB_TEXT(cols[2])), NULL);
}

static mc_status put_procedure(db_conn *c, char **cols, int n, struct load *l)
{
	l->counts->procedures++;
	return db_exec(
		c,
		"INSERT INTO procedure (code, name, field_code, published) VALUES ($1, $2, $3, 1)"
		" ON CONFLICT (code) DO UPDATE SET name = excluded.name,"
		" field_code = excluded.field_code",
		DB_ARGS(DB_TEXT(cols[0]), DB_TEXT(cols[1]), DB_TEXT(cols[2])), NULL);
}

/* Agencies file: code, identifier, kind, level, parent_code, name, address,
 * phone, email, website, valid_from, valid_to, successor_code. Parents come
 * before their children in the file. */
static mc_status put_agency(db_conn *c, char **cols, int n, struct load *l)
{
	const char *v[13];
	for (int i = 0; i < 13; i++)
		v[i] = *cols[i] ? cols[i] : NULL;
	l->counts->agencies++;
	return db_exec(
		c,
		"INSERT INTO agency (code, identifier, kind, level, parent_code, name, address,"
		" phone, email, website, valid_from, valid_to, successor_code)"
		" VALUES ($1, $2, $3, $4, $5, $6, COALESCE($7, ''), COALESCE($8, ''),"
		" COALESCE($9, ''), COALESCE($10, ''), $11, $12, $13)"
		" ON CONFLICT (code) DO UPDATE SET identifier = excluded.identifier,"
		" kind = excluded.kind, level = excluded.level, parent_code = excluded.parent_code,"
		" name = excluded.name, address = excluded.address, phone = excluded.phone,"
		" email = excluded.email, website = excluded.website,"
		" valid_from = excluded.valid_from, valid_to = excluded.valid_to,"
		" successor_code = excluded.successor_code",
		DB_ARGS(DB_TEXT(v[0]), DB_TEXT(v[1]), DB_TEXT(v[2] ? v[2] : ""), DB_TEXT(v[3]),
			DB_TEXT(v[4]), DB_TEXT(v[5]), DB_TEXT(v[6]), DB_TEXT(v[7]), DB_TEXT(v[8]),
			DB_TEXT(v[9]), DB_TEXT(v[10]), DB_TEXT(v[11]), DB_TEXT(v[12])),
		NULL);
}

static mc_status load_all(db_conn *c, void *arg)
{
	struct load *l = arg;
	mc_status rc = each_row(c, "data/demo/fields.tsv", 3, put_field, l);
	if (rc == MC_OK)
		rc = each_row(c, "data/demo/procedures.tsv", 3, put_procedure, l);
	if (rc == MC_OK)
		rc = each_row(c, l->agencies_file, 13, put_agency, l);
	return rc;
}

mc_status demo_load(db *d, const char *shape, struct demo_counts *counts, char *err, size_t errlen)
{
	memset(counts, 0, sizeof(*counts));
	if (strcmp(shape, DEMO_SHAPE_2020) != 0 && strcmp(shape, DEMO_SHAPE_2025) != 0) {
		snprintf(err, errlen, "no demo shape '%s' (there are %s and %s)", shape,
			 DEMO_SHAPE_2020, DEMO_SHAPE_2025);
		return MC_INVALID;
	}
	char file[64];
	snprintf(file, sizeof(file), "data/agencies/ninhbinh_%s.tsv", shape);
	struct load l = {file, counts, err, errlen, arena_new(0)};
	mc_status rc = db_write(d, load_all, &l);
	arena_free(l.a);
	return rc;
}
