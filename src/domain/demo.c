/* demo.c - TSV seed files into the database, in one write. */
#include "domain/demo.h"

#include <fcntl.h>
#include <jansson.h>
#include <sys/stat.h>
#include <unistd.h>
#include <stdio.h>
#include <string.h>

#include "core/assets.h"
#include "domain/account.h"
#include "domain/catalogue.h"
#include "domain/catalogue_cache.h"
#include "http/router.h"

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

/* A catalogue asset: one procedure record per line, our JSON format. */
static mc_status put_catalogue_asset(db_conn *c, const char *file, struct load *l)
{
	const struct asset *as = asset_find(file);
	if (!as) {
		snprintf(l->err, l->errlen, "%s is missing from the build", file);
		return MC_INTERNAL;
	}
	const char *pos = as->data, *end = as->data + as->len;
	int line = 0;
	mc_status rc = MC_OK;
	while (rc == MC_OK && pos < end) {
		const char *nl = memchr(pos, '\n', (size_t)(end - pos));
		size_t len = nl ? (size_t)(nl - pos) : (size_t)(end - pos);
		line++;
		if (len > 0) {
			json_error_t je;
			json_t *j = json_loadb(pos, len, 0, &je);
			arena *a = arena_new(0);
			struct procedure_rec p;
			char err[256];
			if (!j || procedure_from_json(j, a, &p, err, sizeof(err)) < 0) {
				snprintf(l->err, l->errlen, "%s:%d: %s", file, line,
					 j ? err : je.text);
				rc = MC_INVALID;
			} else {
				rc = catalogue_put(c, &p, NULL);
				if (rc == MC_OK)
					l->counts->procedures++;
				else
					snprintf(l->err, l->errlen, "procedure %s: %s", p.code,
						 db_errmsg(c));
			}
			json_decref(j);
			arena_free(a);
		}
		pos += len + 1;
	}
	return rc;
}

/* The shipped catalogue: the national records, then the records made up for
 * the ministries they lack (docs/catalogue.md, "Generated records"). */
static mc_status put_catalogue(db_conn *c, struct load *l)
{
	static const char *const files[] = {
		"data/catalogue/procedures.jsonl",
		"data/catalogue/generated.jsonl",
	};
	mc_status rc = MC_OK;
	for (size_t i = 0; rc == MC_OK && i < sizeof(files) / sizeof(files[0]); i++)
		rc = put_catalogue_asset(c, files[i], l);
	return rc;
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
	mc_status rc = each_row(c, l->agencies_file, 13, put_agency, l);
	if (rc == MC_OK)
		rc = put_catalogue(c, l);
	int64_t assigned = 0;
	if (rc == MC_OK)
		rc = catalogue_assign_agencies(c, &assigned);
	if (rc != MC_OK && !l->err[0])
		snprintf(l->err, l->errlen, "%s", db_errmsg(c));
	l->counts->assigned = (int)assigned;
	db_result *r;
	if (rc == MC_OK && db_query(c, l->a, "SELECT COUNT(*) FROM field", DB_NOARGS, &r) == MC_OK)
		l->counts->fields = (int)db_int(r, 0, 0);
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
	mc_status rc = catalogue_cache_write(d, load_all, &l);
	arena_free(l.a);
	return rc;
}

/* ---- demo accounts ---- */

struct demo_person {
	const char *kind, *name, *id_number, *birth, *tax_code, *representative, *phone, *email;
};

static const struct demo_person people[] = {
	{"citizen", "Nguyễn Văn An", "037090001234", "05/09/1990", NULL, NULL, "0912345678",
	 "an.nguyen@demo.motcua.vn"},
	{"citizen", "Trần Thị Bình", "037195004321", "17/03/1995", NULL, NULL, "0987654321",
	 "binh.tran@demo.motcua.vn"},
	{"business", "Công ty TNHH Gốm sứ Hoa Lư", NULL, NULL, "2700123459", "Phạm Văn Cường",
	 "0369123456", "lienhe@gomsuhoalu.demo.motcua.vn"},
};

/* An agency code of the demo: the first one of level (in code order). */
static const char *first_agency(db *d, arena *a, const char *prefer, const char *level)
{
	db_conn *c = db_reader(d);
	db_result *r;
	if (!c)
		return NULL;
	if (prefer &&
	    db_query(c, a, "SELECT code FROM agency WHERE code = $1", DB_ARGS(DB_TEXT(prefer)),
		     &r) == MC_OK &&
	    db_nrows(r) == 1)
		return db_text(r, 0, 0);
	if (db_query(c, a, "SELECT code FROM agency WHERE level = $1 ORDER BY code LIMIT 1",
		     DB_ARGS(DB_TEXT(level)), &r) == MC_OK &&
	    db_nrows(r) == 1)
		return db_text(r, 0, 0);
	return NULL;
}

static int put_line(int fd, arena *a, const char *login, const char *pw, const char *role,
		    const char *agency)
{
	const char *line =
		arena_printf(a, "%s\t%s\t%s\t%s\n", login, pw, role, agency ? agency : "");
	size_t n = strlen(line);
	return write(fd, line, n) == (ssize_t)n ? 0 : -1;
}

mc_status demo_accounts(db *d, const char *dir, int *count, char *err, size_t errlen)
{
	arena *a = arena_new(0);
	mc_status rc = MC_OK;
	*count = 0;
	const char *dept = first_agency(d, a, "so-tu-phap", "department");
	const char *commune = first_agency(d, a, NULL, "commune");
	char path[4096];
	snprintf(path, sizeof(path), "%s/demo-accounts.tsv", dir);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0 || fchmod(fd, 0600) < 0) {
		snprintf(err, errlen, "cannot write %s", path);
		rc = MC_INTERNAL;
		goto out;
	}
	if (!dept || !commune) {
		snprintf(err, errlen, "the demo agencies are not loaded");
		rc = MC_INVALID;
		goto out;
	}
	for (size_t i = 0; rc == MC_OK && i < sizeof(people) / sizeof(people[0]); i++) {
		const struct demo_person *p = &people[i];
		char pw[ACCOUNT_PW_LEN + 1];
		account_random_password(pw);
		struct account_input in = {
			p->kind,  p->name,     p->id_number,
			p->birth, p->tax_code, p->representative,
			p->phone, p->email,    "Thành phố Ninh Bình, tỉnh Ninh Bình",
			pw,	  true};
		struct account_problem *probs = NULL;
		const char *login = p->id_number ? p->id_number : p->tax_code;
		rc = account_register(d, a, &in, &probs, NULL);
		if (rc == MC_INVALID && probs && strcmp(probs->key, "account.err.taken") == 0)
			rc = account_set_password(d, login, pw);
		if (rc == MC_OK && put_line(fd, a, login, pw, p->kind, NULL) == 0)
			++*count;
		else if (rc == MC_OK)
			rc = MC_INTERNAL;
		else
			snprintf(err, errlen, "demo account %s: %s%s", login, mc_status_name(rc),
				 probs ? arena_printf(a, " (%s: %s)", probs->field, probs->key)
				       : "");
	}
	struct {
		const char *login, *name, *role, *agency;
	} officers[] = {
		{"motcua.stp", "Lê Thị Hoa", "desk", dept},
		{"chuyenvien.stp", "Đỗ Minh Khoa", "specialist", dept},
		{"lanhdao.stp", "Vũ Quốc Hùng", "leader", dept},
		{"quantri.stp", "Hoàng Thu Trang", "agency-admin", dept},
		{"motcua.xa", "Bùi Văn Lâm", "desk", commune},
		{"chuyenvien.xa", "Ngô Thị Mai", "specialist", commune},
		{"lanhdao.xa", "Đinh Công Nam", "leader", commune},
		{"quantri", "Quản trị hệ thống", "sysadmin", NULL},
	};
	for (size_t i = 0; rc == MC_OK && i < sizeof(officers) / sizeof(officers[0]); i++) {
		struct officer_input in = {officers[i].login,
					   officers[i].name,
					   NULL,
					   officers[i].agency,
					   account_role_parse(officers[i].role),
					   "demo"};
		char pw[ACCOUNT_PW_LEN + 1];
		struct account_problem *probs = NULL;
		rc = account_officer_create(d, a, &in, pw, &probs, NULL);
		if (rc == MC_INVALID && probs &&
		    strcmp(probs->key, "account.err.login_taken") == 0 && !probs->next)
			rc = account_set_password(d, in.login, pw);
		if (rc == MC_OK &&
		    put_line(fd, a, in.login, pw, officers[i].role, in.agency_code) == 0)
			++*count;
		else if (rc == MC_OK)
			rc = MC_INTERNAL;
		else
			snprintf(err, errlen, "demo officer %s: %s%s", in.login, mc_status_name(rc),
				 probs ? arena_printf(a, " (%s: %s)", probs->field, probs->key)
				       : "");
	}
out:
	if (fd >= 0 && close(fd) < 0 && rc == MC_OK) {
		snprintf(err, errlen, "cannot write %s", path);
		rc = MC_INTERNAL;
	}
	arena_free(a);
	return rc;
}
