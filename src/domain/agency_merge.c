/* agency_merge.c - merging agencies into a successor, in one write. */
#include "domain/agency_merge.h"

#include <jansson.h>
#include <string.h>
#include <time.h>

#include "core/format.h"
#include "core/log.h"
#include "domain/agency.h"
#include "domain/audit.h"
#include "domain/catalogue_cache.h"

/* Status codes of open dossiers (dossier.h: 1, 2, 4, 5, 6, 7). */
#define OPEN_STATUSES	  "(1, 2, 4, 5, 6, 7)"
#define FINISHED_STATUSES "(3, 8, 9, 10)"
#define MAX_TREE_DEPTH	  32

struct row {
	const char *code, *name, *level, *parent, *successor, *merged_at, *valid_to;
};

/* OLD level -> the levels of NEW it may merge into (agency_merge.h). */
static const struct {
	const char *from;
	const char *into[4];
} level_rules[] = {
	{"province", {"province"}},
	{"department", {"department"}},
	{"district", {"province", "department", "commune"}},
	{"commune", {"commune"}},
	{"unit", {"unit", "department"}},
};

static bool level_fits(const char *from, const char *into)
{
	for (size_t i = 0; i < sizeof(level_rules) / sizeof(level_rules[0]); i++) {
		if (strcmp(level_rules[i].from, from) != 0)
			continue;
		for (int j = 0; j < 4 && level_rules[i].into[j]; j++)
			if (strcmp(level_rules[i].into[j], into) == 0)
				return true;
	}
	return false;
}

/* Vietnam time (UTC+7): now as "YYYY-MM-DD HH:MM:SS", today and yesterday
 * as "YYYY-MM-DD". */
struct clock {
	char now[20], today[11], yesterday[11];
};

static void clock_read(struct clock *k)
{
	time_t t = time(NULL) + 7 * 3600, y = t - 86400;
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(k->now, sizeof(k->now), "%Y-%m-%d %H:%M:%S", &tm);
	strftime(k->today, sizeof(k->today), "%Y-%m-%d", &tm);
	gmtime_r(&y, &tm);
	strftime(k->yesterday, sizeof(k->yesterday), "%Y-%m-%d", &tm);
}

static mc_status get_row(db_conn *c, arena *a, const char *code, struct row *out)
{
	if (!agency_code_valid(code))
		return MC_NOT_FOUND;
	db_result *r;
	mc_status rc = db_query(c, a,
				"SELECT code, name, level, parent_code, successor_code, merged_at,"
				" valid_to FROM agency WHERE code = $1",
				DB_ARGS(DB_TEXT(code)), &r);
	if (rc != MC_OK) {
		log_error("agency merge: reading %s: %s", code, db_errmsg(c));
		return rc;
	}
	if (db_nrows(r) == 0)
		return MC_NOT_FOUND;
	*out = (struct row){db_text(r, 0, 0), db_text(r, 0, 1), db_text(r, 0, 2), db_text(r, 0, 3),
			    db_text(r, 0, 4), db_text(r, 0, 5), db_text(r, 0, 6)};
	return MC_OK;
}

/* "Name (code)" for messages. */
static const char *label(arena *a, const struct row *g)
{
	return arena_printf(a, "%s (%s)", g->name, g->code);
}

static mc_status refuse(struct agency_merge_plan *p, const char *key, const char *a1,
			const char *a2, const char *a3, const char *a4)
{
	p->problem = key;
	p->args[0] = a1;
	p->args[1] = a2;
	p->args[2] = a3;
	p->args[3] = a4;
	return MC_INVALID;
}

/* The name and code of the agency `code`, or the code alone. */
static const char *label_of(db_conn *c, arena *a, const char *code)
{
	struct row g;
	return get_row(c, a, code, &g) == MC_OK ? label(a, &g) : code;
}

/* True (in *above) when old is an ancestor of the agency whose parent is
 * parent. */
static mc_status is_above(db_conn *c, arena *a, const char *old, const char *parent, bool *above)
{
	*above = false;
	for (int depth = 0; parent && depth < MAX_TREE_DEPTH; depth++) {
		if (strcmp(parent, old) == 0) {
			*above = true;
			return MC_OK;
		}
		struct row g;
		mc_status rc = get_row(c, a, parent, &g);
		if (rc == MC_NOT_FOUND)
			return MC_OK;
		if (rc != MC_OK)
			return rc;
		parent = g.parent;
	}
	return MC_OK;
}

/* What would move from old to into now. */
static mc_status count_item(db_conn *c, arena *a, const struct row *old, const char *into,
			    struct agency_merge_item *it)
{
	db_result *r;
	mc_status rc = db_query(
		c, a,
		"SELECT (SELECT COUNT(*) FROM procedure_agency WHERE agency_code = $1),"
		" (SELECT COUNT(*) FROM procedure_agency pa WHERE pa.agency_code = $1 AND NOT "
		"EXISTS"
		"  (SELECT 1 FROM procedure_agency q WHERE q.procedure_code = pa.procedure_code"
		"   AND q.agency_code = $2)),"
		" (SELECT COUNT(*) FROM account WHERE agency_code = $1 AND closed_at IS NULL),"
		" (SELECT COUNT(*) FROM dossier WHERE agency_code = $1 AND status IN " OPEN_STATUSES
		"),"
		" (SELECT COUNT(*) FROM dossier WHERE agency_code = $1 AND status = 0),"
		" (SELECT COUNT(*) FROM dossier WHERE agency_code = $1 AND status "
		"IN " FINISHED_STATUSES "),"
		" (SELECT COUNT(*) FROM agency WHERE parent_code = $1 AND merged_at IS NULL"
		"  AND code <> $2)",
		DB_ARGS(DB_TEXT(old->code), DB_TEXT(into)), &r);
	if (rc != MC_OK) {
		log_error("agency merge: counting %s: %s", old->code, db_errmsg(c));
		return rc;
	}
	it->code = old->code;
	it->name = old->name;
	it->level = old->level;
	it->procedures = db_int(r, 0, 0);
	it->new_procedures = db_int(r, 0, 1);
	it->officers = db_int(r, 0, 2);
	it->open_dossiers = db_int(r, 0, 3);
	it->drafts = db_int(r, 0, 4);
	it->finished_dossiers = db_int(r, 0, 5);
	it->subunits = db_int(r, 0, 6);
	return MC_OK;
}

/* Checks one OLD against NEW and the OLDs before it. */
static mc_status check_old(db_conn *c, arena *a, const struct row *into, const char *const *olds,
			   int i, struct row *old, struct agency_merge_plan *p)
{
	mc_status rc = get_row(c, a, olds[i], old);
	if (rc == MC_NOT_FOUND)
		return refuse(p, "merge.err.unknown", olds[i], NULL, NULL, NULL);
	if (rc != MC_OK)
		return rc;
	if (strcmp(old->code, into->code) == 0)
		return refuse(p, "merge.err.self", label(a, old), NULL, NULL, NULL);
	for (int j = 0; j < i; j++)
		if (strcmp(olds[j], olds[i]) == 0)
			return refuse(p, "merge.err.twice", label(a, old), NULL, NULL, NULL);
	if (old->merged_at)
		return refuse(p, "merge.err.already", label(a, old),
			      label_of(c, a, old->successor ? old->successor : ""),
			      format_datetime_vn(a, arena_strndup(a, old->merged_at, 10)), NULL);
	if (old->successor && strcmp(old->successor, into->code) != 0)
		return refuse(p, "merge.err.successor", label(a, old),
			      label_of(c, a, old->successor), NULL, NULL);
	if (!level_fits(old->level, into->level))
		return refuse(p, "merge.err.level", label(a, old), old->level, label(a, into),
			      into->level);
	bool above = false;
	if (strcmp(old->level, into->level) == 0) {
		rc = is_above(c, a, old->code, into->parent, &above);
		if (rc != MC_OK)
			return rc;
	}
	return above ? refuse(p, "merge.err.above", label(a, old), label(a, into), NULL, NULL)
		     : MC_OK;
}

/* Every check, then the counts, on connection c. */
static mc_status check(db_conn *c, arena *a, const struct clock *k, const char *into,
		       const char *const *olds, int nold, struct agency_merge_plan *p,
		       struct row **old_rows)
{
	struct row to;
	mc_status rc = get_row(c, a, into, &to);
	if (rc == MC_NOT_FOUND)
		return refuse(p, "merge.err.unknown", into ? into : "", NULL, NULL, NULL);
	if (rc != MC_OK)
		return rc;
	p->into = to.code;
	p->into_name = to.name;
	p->into_level = to.level;
	if (to.merged_at || to.successor)
		return refuse(p, "merge.err.into_merged", label(a, &to),
			      label_of(c, a, to.successor ? to.successor : ""), NULL, NULL);
	if (to.valid_to && strcmp(to.valid_to, k->today) < 0)
		return refuse(p, "merge.err.into_ended", label(a, &to),
			      format_datetime_vn(a, to.valid_to), NULL, NULL);
	if (nold < 1)
		return refuse(p, "merge.err.none", NULL, NULL, NULL, NULL);
	*old_rows = arena_calloc(a, (size_t)nold, sizeof(**old_rows));
	for (int i = 0; i < nold; i++) {
		rc = check_old(c, a, &to, olds, i, &(*old_rows)[i], p);
		if (rc != MC_OK)
			return rc;
	}
	p->n = nold;
	p->items = arena_calloc(a, (size_t)nold, sizeof(*p->items));
	for (int i = 0; i < nold; i++) {
		rc = count_item(c, a, &(*old_rows)[i], to.code, &p->items[i]);
		if (rc != MC_OK)
			return rc;
		const struct row *o = &(*old_rows)[i];
		p->items[i].subunits_to = strcmp(o->level, to.level) == 0 ? to.code : o->parent;
	}
	return MC_OK;
}

mc_status agency_merge_check(db *d, arena *a, const char *into, const char *const *olds, int nold,
			     struct agency_merge_plan *out)
{
	memset(out, 0, sizeof(*out));
	db_conn *c = db_reader(d);
	if (!c)
		return MC_BUSY;
	struct clock k;
	clock_read(&k);
	struct row *rows;
	return check(c, a, &k, into, olds, nold, out, &rows);
}

/* ---- the write ---- */

struct merge_ctx {
	arena *a;
	const char *actor, *into;
	const char *const *olds;
	int nold;
	struct agency_merge_plan *plan;
	struct clock k;
};

static mc_status audit_item(db_conn *c, struct merge_ctx *m, const struct agency_merge_item *it)
{
	json_t *data = json_pack("{s:s,s:I,s:I,s:I}", "into", m->into, "procedures",
				 (json_int_t)it->procedures, "officers", (json_int_t)it->officers,
				 "open_dossiers", (json_int_t)it->open_dossiers);
	mc_status rc = audit_append(c, m->actor, "agency.merge",
				    arena_printf(m->a, "agency:%s", it->code), data, NULL);
	json_decref(data);
	return rc;
}

#define ARGS2(x, y)    DB_ARGS(DB_TEXT(x), DB_TEXT(y))
#define ARGS3(x, y, z) DB_ARGS(DB_TEXT(x), DB_TEXT(y), DB_TEXT(z))

/* The process control slip (form 05) of OLD's open dossiers: each current
 * holder row at OLD is closed at now and followed by a row at NEW with the
 * same holder, task and deadline. Runs before the dossiers move. */
static mc_status move_holders(db_conn *c, const char *old, const char *into, const char *now)
{
	mc_status rc = db_exec(
		c,
		"INSERT INTO dossier_holder (dossier_id, n, agency_code, account_id, task,"
		" from_at, due_at) SELECT h.dossier_id,"
		" (SELECT MAX(x.n) FROM dossier_holder x WHERE x.dossier_id = h.dossier_id) + 1,"
		" $2, h.account_id, h.task, $3, h.due_at FROM dossier_holder h"
		" JOIN dossier d ON d.id = h.dossier_id WHERE h.until_at IS NULL"
		" AND h.agency_code = $1 AND d.agency_code = $1 AND d.status IN " OPEN_STATUSES,
		ARGS3(old, into, now), NULL);
	if (rc == MC_OK)
		rc = db_exec(c,
			     "UPDATE dossier_holder SET until_at = $2 WHERE until_at IS NULL"
			     " AND agency_code = $1 AND dossier_id IN (SELECT id FROM dossier"
			     " WHERE agency_code = $1 AND status IN " OPEN_STATUSES ")",
			     ARGS2(old, now), NULL);
	return rc;
}

/* Moves everything of one OLD (counted in *it just before) to NEW. */
static mc_status move_one(db_conn *c, struct merge_ctx *m, const struct agency_merge_item *it)
{
	const char *old = it->code, *into = m->into, *now = m->k.now;
	mc_status rc =
		db_exec(c,
			"INSERT INTO procedure_agency (procedure_code, agency_code)"
			" SELECT procedure_code, $2 FROM procedure_agency WHERE agency_code = $1"
			" ON CONFLICT (procedure_code, agency_code) DO NOTHING",
			ARGS2(old, into), NULL);
	if (rc == MC_OK)
		rc = db_exec(c, "DELETE FROM procedure_agency WHERE agency_code = $1",
			     DB_ARGS(DB_TEXT(old)), NULL);
	if (rc == MC_OK)
		rc = db_exec(c,
			     "UPDATE account SET agency_code = $2 WHERE agency_code = $1"
			     " AND closed_at IS NULL",
			     ARGS2(old, into), NULL);
	if (rc == MC_OK)
		rc = move_holders(c, old, into, now);
	/* version + 1: an officer holding the old version must reload. */
	if (rc == MC_OK)
		rc = db_exec(c,
			     "UPDATE dossier SET agency_code = $2,"
			     " origin_agency_code = COALESCE(origin_agency_code, agency_code),"
			     " version = version + 1, updated_at = $3"
			     " WHERE agency_code = $1 AND status IN " OPEN_STATUSES,
			     ARGS3(old, into, now), NULL);
	if (rc == MC_OK)
		rc = db_exec(c,
			     "UPDATE dossier SET agency_code = $2, origin_agency_code = $2,"
			     " updated_at = $3 WHERE agency_code = $1 AND status = 0",
			     ARGS3(old, into, now), NULL);
	/* Sub-units: to their new parent, or to the top of the tree when OLD
	 * had no parent either. */
	if (rc == MC_OK && it->subunits)
		rc = db_exec(c,
			     "UPDATE agency SET parent_code = $2 WHERE parent_code = $1"
			     " AND merged_at IS NULL AND code <> $3",
			     ARGS3(old, it->subunits_to, it->subunits_to ? it->subunits_to : into),
			     NULL);
	int64_t changed = 0;
	if (rc == MC_OK)
		rc = db_exec(
			c,
			"UPDATE agency SET successor_code = $2, merged_at = $3,"
			" valid_to = CASE WHEN valid_to IS NULL OR valid_to > $4 THEN $4"
			" ELSE valid_to END WHERE code = $1 AND merged_at IS NULL",
			DB_ARGS(DB_TEXT(old), DB_TEXT(into), DB_TEXT(now), DB_TEXT(m->k.yesterday)),
			&changed);
	if (rc == MC_OK && changed != 1)
		rc = MC_CONFLICT;
	if (rc == MC_OK)
		rc = audit_item(c, m, it);
	if (rc != MC_OK)
		log_error("agency merge %s -> %s: %s", old, into, db_errmsg(c));
	return rc;
}

static mc_status merge_write(db_conn *c, void *arg)
{
	struct merge_ctx *m = arg;
	struct agency_merge_plan *p = m->plan;
	struct row *rows;
	mc_status rc = check(c, m->a, &m->k, m->into, m->olds, m->nold, p, &rows);
	json_t *from = json_array();
	int64_t procs = 0, officers = 0, open = 0;
	for (int i = 0; rc == MC_OK && i < p->n; i++) {
		/* Counted again right before the move: the OLDs before this
		 * one may have given NEW some of the same procedures. */
		struct agency_merge_item *it = &p->items[i];
		rc = count_item(c, m->a, &rows[i], p->into, it);
		if (rc == MC_OK)
			rc = move_one(c, m, it);
		json_array_append_new(from, json_string(it->code));
		procs += it->procedures;
		officers += it->officers;
		open += it->open_dossiers;
	}
	if (rc == MC_OK) {
		json_t *data = json_pack("{s:O,s:I,s:I,s:I}", "from", from, "procedures",
					 (json_int_t)procs, "officers", (json_int_t)officers,
					 "open_dossiers", (json_int_t)open);
		rc = audit_append(c, m->actor, "agency.merge",
				  arena_printf(m->a, "agency:%s", p->into), data, NULL);
		json_decref(data);
	}
	json_decref(from);
	if (rc == MC_OK)
		p->merged_at = arena_strdup(m->a, m->k.now);
	return rc;
}

mc_status agency_merge(db *d, arena *a, const char *actor, const char *into,
		       const char *const *olds, int nold, struct agency_merge_plan *out)
{
	memset(out, 0, sizeof(*out));
	struct merge_ctx m = {
		.a = a, .actor = actor, .into = into, .olds = olds, .nold = nold, .plan = out};
	clock_read(&m.k);
	return catalogue_cache_write(d, merge_write, &m); /* competent agencies change */
}

const char *agency_merge_problem(arena *a, enum lang l, const struct agency_merge_plan *p)
{
	if (!p->problem)
		return "";
	const char *args[4];
	for (int i = 0; i < 4; i++) {
		const char *v = p->args[i] ? p->args[i] : "";
		/* Levels are shown by their names. */
		if ((i == 1 || i == 3) && strcmp(p->problem, "merge.err.level") == 0)
			v = i18n_get(l, arena_printf(a, "merge.level.%s", v));
		args[i] = v;
	}
	return i18n_format(a, l, p->problem, 4, args);
}
