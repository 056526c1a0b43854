/*
 * account.c - accounts, sign-in with shared throttling, passwords, reset
 * links, API tokens, personal-data export and officers (see account.h).
 * Hashing happens before db_write so the single writer never waits on
 * argon2id; uniqueness is checked inside the write, where it cannot race
 * on one node, and a unique-index violation from another node still comes
 * back as a field problem rather than a failure.
 */
#include "domain/account.h"

#include <ctype.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/log.h"
#include "domain/audit.h"
#include "domain/identity.h"
#include "domain/mail.h"
#include "domain/session.h"
#include "http/router.h"

#define COLS                                                                                       \
	"id, login, kind, roles, agency_code, full_name, id_number, birth_date, gender,"           \
	" tax_code, representative, phone, email, address, consent_at, created_at, closed_at,"     \
	" password_hash"
#define COL_HASH 17

void account_now_text(char out[20])
{
	time_t now = time(NULL) + 7 * 3600; /* Vietnam time, whatever the server's zone */
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(out, 20, "%Y-%m-%d %H:%M:%S", &tm);
}

const char *account_problem_message(arena *a, enum lang l, const struct account_problem *p)
{
	char key[80];
	snprintf(key, sizeof(key), "account.field.%s", p->field);
	const char *label = i18n_lookup(l, key);
	const char *args[2] = {label ? label : p->field, p->arg};
	return i18n_format(a, l, p->key, 2, args);
}

void account_problem_add(arena *a, struct account_problem **list, const char *field,
			 const char *key, const char *arg)
{
	struct account_problem *p = arena_calloc(a, 1, sizeof(*p));
	p->field = field;
	p->key = key;
	p->arg = arg;
	while (*list)
		list = &(*list)->next;
	*list = p;
}

static void row_to_account(const db_result *res, int row, struct account *o)
{
	memset(o, 0, sizeof(*o));
	o->id = db_text(res, row, 0);
	o->login = db_text(res, row, 1);
	o->kind = db_text(res, row, 2);
	o->roles = (unsigned)db_int(res, row, 3);
	o->agency_code = db_text(res, row, 4);
	o->full_name = db_text(res, row, 5);
	o->id_number = db_text(res, row, 6);
	o->birth_date = db_text(res, row, 7);
	o->gender = db_text(res, row, 8);
	o->tax_code = db_text(res, row, 9);
	o->representative = db_text(res, row, 10);
	o->phone = db_text(res, row, 11);
	o->email = db_text(res, row, 12);
	o->address = db_text(res, row, 13);
	o->consent_at = db_text(res, row, 14);
	o->created_at = db_text(res, row, 15);
	o->closed_at = db_text(res, row, 16);
}

mc_status account_hash_password(const char *pw, char *out, size_t outlen)
{
	if (outlen < crypto_pwhash_STRBYTES)
		return MC_INTERNAL;
	if (crypto_pwhash_str(out, pw, strlen(pw), ACCOUNT_PW_OPSLIMIT, ACCOUNT_PW_MEMLIMIT) != 0) {
		log_error("account: out of memory hashing a password");
		return MC_BUSY;
	}
	return MC_OK;
}

void account_random_password(char out[ACCOUNT_PW_LEN + 1])
{
	/* No 0/O, 1/l/I: the password is read off a screen or a sheet. */
	static const char alphabet[] = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
	bool letter, digit;
	do {
		letter = digit = false;
		for (int i = 0; i < ACCOUNT_PW_LEN; i++) {
			out[i] = alphabet[randombytes_uniform(sizeof(alphabet) - 1)];
			letter |= isalpha((unsigned char)out[i]) != 0;
			digit |= isdigit((unsigned char)out[i]) != 0;
		}
	} while (!letter || !digit);
	out[ACCOUNT_PW_LEN] = '\0';
}

static const char *new_id(arena *a)
{
	char t[SESSION_TOKEN_LEN + 1];
	session_new_token(t);
	return arena_strndup(a, t, 24);
}

static const char *lower_ascii(arena *a, const char *s)
{
	char *c = arena_strdup(a, s);
	for (char *p = c; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return c;
}

/* ---- registration ---- */

static bool required(arena *a, struct account_problem **probs, const char *field, const char *v,
		     size_t max)
{
	if (!v || !*v) {
		account_problem_add(a, probs, field, "error.field_required", NULL);
		return false;
	}
	if (strlen(v) > max) {
		account_problem_add(a, probs, field, "error.field_too_long",
				    arena_printf(a, "%zu", max));
		return false;
	}
	return true;
}

bool account_validate(arena *a, struct account_input *in, struct account_problem **probs)
{
	const char *why;
	bool citizen = in->kind && strcmp(in->kind, "citizen") == 0;
	bool business = in->kind && strcmp(in->kind, "business") == 0;
	if (!citizen && !business) {
		account_problem_add(a, probs, "kind", "error.field_choice", "citizen, business");
		return false;
	}
	required(a, probs, "full_name", in->full_name, ACCOUNT_NAME_MAX);
	if (citizen) {
		char iso[11];
		bool date_ok = false;
		if (required(a, probs, "birth_date", in->birth_date, 10)) {
			if (!id_date_parse(in->birth_date, iso)) {
				account_problem_add(a, probs, "birth_date", "account.err.date",
						    NULL);
			} else if (!id_birth_date_valid(iso, &why)) {
				account_problem_add(a, probs, "birth_date", why, NULL);
			} else {
				in->birth_date = arena_strdup(a, iso);
				date_ok = true;
			}
		}
		if (required(a, probs, "id_number", in->id_number, 12) &&
		    !id_cccd_valid(in->id_number, date_ok ? in->birth_date : NULL, &why))
			account_problem_add(a, probs, "id_number", why, NULL);
		in->tax_code = in->representative = NULL;
	} else {
		if (required(a, probs, "tax_code", in->tax_code, 14) &&
		    !id_tax_code_valid(in->tax_code, &why))
			account_problem_add(a, probs, "tax_code", why, NULL);
		required(a, probs, "representative", in->representative, ACCOUNT_NAME_MAX);
		in->id_number = in->birth_date = NULL;
	}
	char phone[16];
	if (required(a, probs, "phone", in->phone, 20)) {
		if (!id_phone_valid(in->phone, phone, &why))
			account_problem_add(a, probs, "phone", why, NULL);
		else
			in->phone = arena_strdup(a, phone);
	}
	if (required(a, probs, "email", in->email, 254)) {
		if (!id_email_valid(in->email, &why))
			account_problem_add(a, probs, "email", why, NULL);
		else
			in->email = lower_ascii(a, in->email);
	}
	required(a, probs, "address", in->address, ACCOUNT_ADDRESS_MAX);
	if (required(a, probs, "password", in->password, 128) &&
	    !id_password_ok(in->password, citizen ? in->id_number : in->tax_code, in->full_name,
			    &why))
		account_problem_add(a, probs, "password", why, NULL);
	if (!in->consent)
		account_problem_add(a, probs, "consent", "account.err.consent", NULL);
	return *probs == NULL;
}

struct register_args {
	arena *a;
	const struct account_input *in;
	const char *id, *hash, *gender;
	struct account_problem **probs;
};

static bool taken(db_conn *c, arena *a, const char *sql, const char *v)
{
	db_result *res;
	return db_query(c, a, sql, DB_ARGS(DB_TEXT(v)), &res) == MC_OK && db_nrows(res) > 0;
}

static mc_status register_fn(db_conn *c, void *p)
{
	struct register_args *r = p;
	const struct account_input *in = r->in;
	bool citizen = strcmp(in->kind, "citizen") == 0;
	const char *login = citizen ? in->id_number : in->tax_code;
	if (taken(c, r->a, "SELECT 1 FROM account WHERE login = $1", login) ||
	    (citizen && taken(c, r->a, "SELECT 1 FROM account WHERE id_number = $1", login)) ||
	    (!citizen && taken(c, r->a, "SELECT 1 FROM account WHERE tax_code = $1", login)))
		account_problem_add(r->a, r->probs, citizen ? "id_number" : "tax_code",
				    "account.err.taken", NULL);
	if (taken(c, r->a, "SELECT 1 FROM account WHERE email = $1 AND closed_at IS NULL",
		  in->email))
		account_problem_add(r->a, r->probs, "email", "account.err.email_taken", NULL);
	if (*r->probs)
		return MC_INVALID;
	char now[20];
	account_now_text(now);
	mc_status rc = db_exec(
		c,
		"INSERT INTO account (id, login, kind, roles, full_name, id_number, birth_date,"
		" gender, tax_code, representative, phone, email, address, password_hash,"
		" consent_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11,"
		" $12, $13, $14, $15, $15)",
		DB_ARGS(DB_TEXT(r->id), DB_TEXT(login), DB_TEXT(in->kind),
			DB_INT(citizen ? ROLE_CITIZEN : ROLE_BUSINESS), DB_TEXT(in->full_name),
			DB_TEXT(in->id_number), DB_TEXT(in->birth_date), DB_TEXT(r->gender),
			DB_TEXT(in->tax_code), DB_TEXT(in->representative), DB_TEXT(in->phone),
			DB_TEXT(in->email), DB_TEXT(in->address), DB_TEXT(r->hash), DB_TEXT(now)),
		NULL);
	if (rc == MC_CONFLICT) {
		/* Another node registered the same number a moment ago. */
		account_problem_add(r->a, r->probs, citizen ? "id_number" : "tax_code",
				    "account.err.taken", NULL);
		return MC_INVALID;
	}
	return rc;
}

mc_status account_register(db *d, arena *a, struct account_input *in,
			   struct account_problem **probs, const char **id_out)
{
	if (!account_validate(a, in, probs))
		return MC_INVALID;
	char hash[crypto_pwhash_STRBYTES];
	mc_status rc = account_hash_password(in->password, hash, sizeof(hash));
	if (rc != MC_OK)
		return rc;
	const char *gender = NULL;
	if (strcmp(in->kind, "citizen") == 0)
		gender = id_cccd_gender(in->id_number) == 1 ? "female" : "male";
	struct register_args r = {a, in, new_id(a), hash, gender, probs};
	rc = db_write(d, register_fn, &r);
	if (rc == MC_OK && id_out)
		*id_out = r.id;
	return rc;
}

/* ---- sign-in and throttling ---- */

static const char *dummy_hash;
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;
static char dummy_buf[crypto_pwhash_STRBYTES];

static void make_dummy(void)
{
	char pw[ACCOUNT_PW_LEN + 1];
	account_random_password(pw);
	if (account_hash_password(pw, dummy_buf, sizeof(dummy_buf)) == MC_OK)
		dummy_hash = dummy_buf;
}

/* Seconds until key's lock ends, 0 when it is not locked. */
static int64_t locked_for(db_conn *c, arena *a, const char *key, int64_t max, int64_t now)
{
	db_result *res;
	if (db_query(c, a, "SELECT window_start, count FROM throttle WHERE key = $1",
		     DB_ARGS(DB_TEXT(key)), &res) != MC_OK ||
	    db_nrows(res) == 0)
		return 0;
	int64_t end = db_int(res, 0, 0) + THROTTLE_WINDOW;
	return db_int(res, 0, 1) >= max && now < end ? end - now : 0;
}

struct fail_args {
	const char *acct_key, *addr_key;
	int64_t now;
	int64_t acct_count, addr_count;
	arena *a;
	const char *account_id, *login, *address; /* account_id NULL: no such login */
};

/* Text for an audit entry's data: at most max bytes of valid UTF-8 (a login
 * someone typed may be anything), else a placeholder. */
static json_t *audit_text(const char *s, size_t max)
{
	size_t n = s ? strlen(s) : 0;
	json_t *j = json_stringn(s ? s : "", n > max ? max : n);
	return j ? j : json_string("(not UTF-8)");
}

/* One more failure under key; the failure that reaches max starts the lock
 * window afresh, so a lock always lasts THROTTLE_WINDOW. */
static mc_status bump(db_conn *c, arena *a, const char *key, int64_t max, int64_t now,
		      int64_t *count)
{
	db_result *res;
	mc_status rc = db_query(
		c, a,
		"INSERT INTO throttle (key, window_start, count) VALUES ($1, $2, 1)"
		" ON CONFLICT (key) DO UPDATE SET"
		" count = CASE WHEN throttle.window_start + $3 <= $2 THEN 1"
		" ELSE throttle.count + 1 END,"
		" window_start = CASE WHEN throttle.window_start + $3 <= $2 THEN $2"
		" WHEN throttle.count + 1 >= $4 THEN $2 ELSE throttle.window_start END"
		" RETURNING count",
		DB_ARGS(DB_TEXT(key), DB_INT(now), DB_INT(THROTTLE_WINDOW), DB_INT(max)), &res);
	*count = rc == MC_OK && db_nrows(res) ? db_int(res, 0, 0) : 0;
	return rc;
}

static mc_status fail_fn(db_conn *c, void *p)
{
	struct fail_args *f = p;
	mc_status rc = MC_OK;
	/* Now and then, forget counters whose window ended long ago, so
	 * guessed logins do not pile up rows. */
	if (randombytes_uniform(64) == 0)
		rc = db_exec(c, "DELETE FROM throttle WHERE window_start < $1",
			     DB_ARGS(DB_INT(f->now - 2 * THROTTLE_WINDOW)), NULL);
	if (rc == MC_OK)
		rc = bump(c, f->a, f->acct_key, THROTTLE_ACCOUNT_MAX, f->now, &f->acct_count);
	if (rc == MC_OK)
		rc = bump(c, f->a, f->addr_key, THROTTLE_ADDRESS_MAX, f->now, &f->addr_count);
	if (rc != MC_OK)
		return rc;
	/* Only failures that count toward the throttle get here: once a login
	 * or an address is locked, further attempts are refused before any
	 * write, so a flood adds at most the throttle's allowance to the log. */
	json_t *data = json_pack("{s:o,s:o}", "login", audit_text(f->login, ACCOUNT_LOGIN_MAX),
				 "address", audit_text(f->address, ACCOUNT_ADDRESS_MAX));
	rc = audit_append(c, "anonymous", "auth.login_failed",
			  f->account_id ? arena_printf(f->a, "account:%s", f->account_id)
					: "account:unknown",
			  data, NULL);
	json_decref(data);
	return rc;
}

struct success_args {
	const char *acct_key, *id, *rehash;
};

static mc_status success_fn(db_conn *c, void *p)
{
	struct success_args *s = p;
	mc_status rc = db_exec(c, "DELETE FROM throttle WHERE key = $1",
			       DB_ARGS(DB_TEXT(s->acct_key)), NULL);
	if (rc == MC_OK && s->rehash)
		rc = db_exec(c, "UPDATE account SET password_hash = $1 WHERE id = $2",
			     DB_ARGS(DB_TEXT(s->rehash), DB_TEXT(s->id)), NULL);
	return rc;
}

enum auth_result account_authenticate(db *d, arena *a, const char *login, const char *password,
				      const char *address, struct account *out,
				      int64_t *retry_after)
{
	pthread_once(&dummy_once, make_dummy);
	*retry_after = 0;
	if (!login || !*login || !password || strlen(login) > 254 || strlen(password) > 1024)
		return AUTH_WRONG;
	db_conn *c = db_reader(d);
	if (!c)
		return AUTH_ERROR;
	const char *ident = strchr(login, '@') ? lower_ascii(a, login) : login;
	db_result *res;
	if (db_query(c, a,
		     "SELECT " COLS " FROM account WHERE (login = $1 OR (email = $1 AND"
		     " email <> '')) AND closed_at IS NULL ORDER BY login = $1 DESC LIMIT 1",
		     DB_ARGS(DB_TEXT(ident)), &res) != MC_OK)
		return AUTH_ERROR;
	bool found = db_nrows(res) == 1;
	const char *acct_key = found ? arena_printf(a, "login:%s", db_text(res, 0, 0))
				     : arena_printf(a, "login?%s", ident);
	const char *addr_key = arena_printf(a, "addr:%s", address ? address : "");
	int64_t now = time(NULL);
	int64_t wait = locked_for(c, a, acct_key, THROTTLE_ACCOUNT_MAX, now);
	int64_t wait2 = locked_for(c, a, addr_key, THROTTLE_ADDRESS_MAX, now);
	if (wait || wait2) {
		*retry_after = wait > wait2 ? wait : wait2;
		return AUTH_LOCKED;
	}
	const char *hash = found ? db_text(res, 0, COL_HASH) : dummy_hash;
	/* An unknown login costs the same hash as a known one. */
	bool ok = hash && crypto_pwhash_str_verify(hash, password, strlen(password)) == 0 && found;
	if (!ok) {
		struct fail_args f = {
			acct_key, addr_key, now, 0, 0, a, found ? db_text(res, 0, 0) : NULL,
			login,	  address};
		if (db_write(d, fail_fn, &f) != MC_OK)
			return AUTH_ERROR;
		if (f.acct_count >= THROTTLE_ACCOUNT_MAX || f.addr_count >= THROTTLE_ADDRESS_MAX) {
			*retry_after = THROTTLE_WINDOW;
			return AUTH_LOCKED;
		}
		return AUTH_WRONG;
	}
	row_to_account(res, 0, out);
	struct success_args s = {acct_key, out->id, NULL};
	char rehash[crypto_pwhash_STRBYTES];
	if (crypto_pwhash_str_needs_rehash(hash, ACCOUNT_PW_OPSLIMIT, ACCOUNT_PW_MEMLIMIT) != 0 &&
	    account_hash_password(password, rehash, sizeof(rehash)) == MC_OK)
		s.rehash = rehash;
	return db_write(d, success_fn, &s) == MC_OK ? AUTH_OK : AUTH_ERROR;
}

mc_status account_get(db *d, arena *a, const char *id, struct account *out)
{
	db_conn *c = db_reader(d);
	db_result *res;
	if (!c)
		return MC_BUSY;
	mc_status rc = db_query(c, a, "SELECT " COLS " FROM account WHERE id = $1",
				DB_ARGS(DB_TEXT(id)), &res);
	if (rc != MC_OK)
		return rc;
	if (db_nrows(res) != 1)
		return MC_NOT_FOUND;
	row_to_account(res, 0, out);
	return MC_OK;
}

/* The stored hash of an open account and whether pw matches it. */
static mc_status check_password(db *d, arena *a, const char *id, const char *pw,
				struct account *acc, bool *match)
{
	db_conn *c = db_reader(d);
	db_result *res;
	*match = false;
	if (!c)
		return MC_BUSY;
	mc_status rc = db_query(c, a,
				"SELECT " COLS " FROM account WHERE id = $1 AND"
				" closed_at IS NULL",
				DB_ARGS(DB_TEXT(id)), &res);
	if (rc != MC_OK)
		return rc;
	if (db_nrows(res) != 1)
		return MC_NOT_FOUND;
	row_to_account(res, 0, acc);
	*match = pw && crypto_pwhash_str_verify(db_text(res, 0, COL_HASH), pw, strlen(pw)) == 0;
	return MC_OK;
}

struct password_args {
	const char *id, *hash, *keep, *reset_hash;
	int64_t now;
	bool close;
	const char *action; /* the audit entry: auth.password_change, ... */
};

/* Appends an entry about account id (subject "account:<id>"); data is
 * consumed. */
static mc_status audit_account(db_conn *c, const char *actor, const char *action, const char *id,
			       json_t *data)
{
	char subject[96];
	snprintf(subject, sizeof(subject), "account:%s", id);
	mc_status rc = audit_append(c, actor ? actor : "system", action, subject, data, NULL);
	json_decref(data);
	return rc;
}

/*
 * Closing (Decree 13/2023/NĐ-CP, art. 16: erasure when the purpose has
 * ended): the row stays so that dossiers, events and audit entries keep
 * pointing at it, but every personal field goes. The login becomes
 * "closed:<id>" and the name ACCOUNT_CLOSED_NAME, so the CCCD, tax code
 * and email are free to register again; the password hash can match no
 * password; unsubmitted drafts (not records of any procedure) and pending
 * reset links are deleted. Submitted dossiers keep the applicant's data
 * as submitted: they are the administrative record.
 */
static mc_status erase_fn(db_conn *c, const char *id, int64_t *drafts)
{
	char now[20];
	account_now_text(now);
	mc_status rc = db_exec(
		c,
		"UPDATE account SET closed_at = $1, login = 'closed:' || id, full_name = $3,"
		" id_number = NULL, birth_date = NULL, gender = NULL, tax_code = NULL,"
		" representative = NULL, phone = '', email = '', address = '',"
		" password_hash = '!' WHERE id = $2",
		DB_ARGS(DB_TEXT(now), DB_TEXT(id), DB_TEXT(ACCOUNT_CLOSED_NAME)), NULL);
	if (rc == MC_OK)
		rc = db_exec(c, "DELETE FROM password_reset WHERE account_id = $1",
			     DB_ARGS(DB_TEXT(id)), NULL);
	if (rc == MC_OK)
		rc = db_exec(c,
			     "DELETE FROM dossier_file WHERE dossier_id IN (SELECT id FROM dossier"
			     " WHERE account_id = $1 AND status = 0)",
			     DB_ARGS(DB_TEXT(id)), NULL);
	if (rc == MC_OK)
		rc = db_exec(c, "DELETE FROM dossier WHERE account_id = $1 AND status = 0",
			     DB_ARGS(DB_TEXT(id)), drafts);
	return rc;
}

static mc_status password_fn(db_conn *c, void *p)
{
	struct password_args *w = p;
	mc_status rc = MC_OK;
	if (w->reset_hash) {
		int64_t n = 0;
		rc = db_exec(c,
			     "UPDATE password_reset SET used_at = $1 WHERE token_hash = $2"
			     " AND used_at IS NULL AND expires_at > $1",
			     DB_ARGS(DB_INT(w->now), DB_TEXT(w->reset_hash)), &n);
		if (rc == MC_OK && n != 1)
			return MC_NOT_FOUND; /* used by a request a moment ago */
	}
	if (rc == MC_OK && w->hash)
		rc = db_exec(c, "UPDATE account SET password_hash = $1 WHERE id = $2",
			     DB_ARGS(DB_TEXT(w->hash), DB_TEXT(w->id)), NULL);
	int64_t drafts = 0;
	if (rc == MC_OK && w->close)
		rc = erase_fn(c, w->id, &drafts);
	int64_t ended = 0;
	if (rc == MC_OK)
		rc = db_exec(c, "DELETE FROM session WHERE account_id = $1 AND token_hash <> $2",
			     DB_ARGS(DB_TEXT(w->id), DB_TEXT(w->keep ? w->keep : "")), &ended);
	if (rc == MC_OK)
		rc = audit_account(
			c, w->id, w->action, w->id,
			w->close ? json_pack("{s:I,s:b,s:I}", "sessions_ended", (json_int_t)ended,
					     "personal_data_erased", 1, "drafts_deleted",
					     (json_int_t)drafts)
				 : json_pack("{s:I}", "sessions_ended", (json_int_t)ended));
	return rc;
}

mc_status account_change_password(db *d, arena *a, const char *id, const char *current,
				  const char *password, const char *keep_hash,
				  struct account_problem **probs)
{
	struct account acc;
	bool match;
	mc_status rc = check_password(d, a, id, current, &acc, &match);
	if (rc != MC_OK)
		return rc;
	const char *why;
	if (!match)
		account_problem_add(a, probs, "current", "account.err.password_wrong", NULL);
	if (!password || !*password)
		account_problem_add(a, probs, "password", "error.field_required", NULL);
	else if (!id_password_ok(password, acc.login, acc.full_name, &why))
		account_problem_add(a, probs, "password", why, NULL);
	if (*probs)
		return MC_INVALID;
	char hash[crypto_pwhash_STRBYTES];
	if ((rc = account_hash_password(password, hash, sizeof(hash))) != MC_OK)
		return rc;
	struct password_args w = {
		id, hash, keep_hash, NULL, time(NULL), false, "auth.password_change"};
	return db_write(d, password_fn, &w);
}

mc_status account_close(db *d, arena *a, const char *id, const char *password,
			struct account_problem **probs)
{
	struct account acc;
	bool match;
	mc_status rc = check_password(d, a, id, password, &acc, &match);
	if (rc != MC_OK)
		return rc;
	if (!match) {
		account_problem_add(a, probs, "password", "account.err.password_wrong", NULL);
		return MC_INVALID;
	}
	struct password_args w = {id, NULL, NULL, NULL, time(NULL), true, "account.close"};
	return db_write(d, password_fn, &w);
}

/* ---- personal data ---- */

/* Rows of a query as an array of objects named by cols (integers where
 * the column is numeric text is not guessed: ints lists them). */
static json_t *rows_json(db_conn *c, arena *a, const char *sql, const char *arg,
			 const char *const *cols, int ncols, unsigned ints)
{
	db_result *res;
	json_t *arr = json_array();
	if (db_query(c, a, sql, DB_ARGS(DB_TEXT(arg)), &res) != MC_OK) {
		json_decref(arr);
		return NULL;
	}
	for (int i = 0; i < db_nrows(res); i++) {
		json_t *o = json_object();
		for (int k = 0; k < ncols; k++) {
			json_t *v = db_isnull(res, i, k) ? json_null()
				    : (ints & (1u << k)) ? json_integer(db_int(res, i, k))
							 : json_string(db_text(res, i, k));
			json_object_set_new(o, cols[k], v ? v : json_null());
		}
		json_array_append_new(arr, o);
	}
	return arr;
}

mc_status account_export(db *d, arena *a, const char *id, json_t **out)
{
	db_conn *c = db_reader(d);
	if (!c)
		return MC_BUSY;
	static const char *const acols[] = {"id",	  "login",	    "kind",
					    "roles",	  "agency_code",    "full_name",
					    "id_number",  "birth_date",	    "gender",
					    "tax_code",	  "representative", "phone",
					    "email",	  "address",	    "consent_at",
					    "created_at", "closed_at"};
	static const char *const scols[] = {"kind",	 "label",      "created_at",
					    "last_seen", "expires_at", "address"};
	static const char *const dcols[] = {
		"id",	      "code",	    "procedure_code", "agency_code",	"status",
		"channel",    "applicant",  "return_method",  "return_address", "notes",
		"created_at", "updated_at", "submitted_at",   "due_at",		"finished_at"};
	static const char *const ecols[] = {"dossier_id",  "n",		"at",  "action",
					    "status_from", "status_to", "note"};
	static const char *const fcols[] = {"dossier_id", "slot", "name",
					    "size",	  "mime", "uploaded_at"};
	static const char *const mcols[] = {"subject", "created_at", "sent_at"};
	json_t *acc = rows_json(c, a,
				"SELECT id, login, kind, roles, agency_code, full_name, id_number,"
				" birth_date, gender, tax_code, representative, phone, email,"
				" address, consent_at, created_at, closed_at FROM account"
				" WHERE id = $1",
				id, acols, 17, 1u << 3);
	if (!acc || json_array_size(acc) != 1) {
		json_decref(acc);
		return acc ? MC_NOT_FOUND : MC_BUSY;
	}
	const char *email = json_string_value(json_object_get(json_array_get(acc, 0), "email"));
	json_t *doc = json_pack(
		"{s:s,s:O,s:o*,s:o*,s:o*,s:o*,s:o*}", "generated_by", "motcua", "account",
		json_array_get(acc, 0), "sessions",
		rows_json(c, a,
			  "SELECT kind, label, created_at, last_seen, expires_at, address"
			  " FROM session WHERE account_id = $1 ORDER BY created_at",
			  id, scols, 6, (1u << 2) | (1u << 3) | (1u << 4)),
		"dossiers",
		rows_json(c, a,
			  "SELECT id, code, procedure_code, agency_code, status, channel,"
			  " applicant, return_method, return_address, notes, created_at,"
			  " updated_at, submitted_at, due_at, finished_at FROM dossier"
			  " WHERE account_id = $1 ORDER BY created_at",
			  id, dcols, 15, (1u << 4) | (1u << 5)),
		"dossier_events",
		rows_json(c, a,
			  "SELECT e.dossier_id, e.n, e.at, e.action, e.status_from, e.status_to,"
			  " e.note FROM dossier_event e JOIN dossier d ON d.id = e.dossier_id"
			  " WHERE d.account_id = $1 ORDER BY e.dossier_id, e.n",
			  id, ecols, 7, (1u << 1) | (1u << 4) | (1u << 5)),
		"dossier_files",
		rows_json(c, a,
			  "SELECT f.dossier_id, f.slot, f.name, f.size, f.mime, f.uploaded_at"
			  " FROM dossier_file f JOIN dossier d ON d.id = f.dossier_id"
			  " WHERE d.account_id = $1 ORDER BY f.dossier_id, f.slot",
			  id, fcols, 6, (1u << 1) | (1u << 3)),
		"mail",
		rows_json(c, a,
			  "SELECT subject, created_at, sent_at FROM mail_outbox WHERE"
			  " to_addr = $1 AND to_addr <> '' ORDER BY created_at",
			  email ? email : "", mcols, 3, 7u));
	json_decref(acc);
	if (!doc)
		return MC_BUSY;
	/* The dossier's applicant snapshot is JSON text: embed it as JSON. */
	size_t i;
	json_t *dossier;
	json_array_foreach(json_object_get(doc, "dossiers"), i, dossier)
	{
		const char *txt = json_string_value(json_object_get(dossier, "applicant"));
		json_t *j = txt ? json_loads(txt, 0, NULL) : NULL;
		if (j)
			json_object_set_new(dossier, "applicant", j);
	}
	*out = doc;
	return MC_OK;
}

/* ---- password reset ---- */

struct reset_args {
	const char *account_id, *email, *hash, *subject, *body;
	int64_t expires;
	arena *a;
};

static mc_status reset_fn(db_conn *c, void *p)
{
	struct reset_args *w = p;
	/* At most RESET_MAILS links per account and window: nobody can
	 * flood a mailbox through the form (the answer stays the same). */
	int64_t sent = 0;
	mc_status rc = bump(c, w->a, arena_printf(w->a, "reset:%s", w->account_id), RESET_MAILS,
			    w->expires - RESET_TTL, &sent);
	if (rc != MC_OK || sent > RESET_MAILS)
		return rc;
	rc = db_exec(c,
		     "INSERT INTO password_reset (token_hash, account_id, expires_at)"
		     " VALUES ($1, $2, $3)",
		     DB_ARGS(DB_TEXT(w->hash), DB_TEXT(w->account_id), DB_INT(w->expires)), NULL);
	if (rc == MC_OK)
		rc = mail_queue(c, w->email, w->subject, w->body);
	return rc;
}

mc_status account_reset_request(db *d, arena *a, enum lang l, const char *email,
				const char *link_base, const char *site_name)
{
	db_conn *c = db_reader(d);
	db_result *res;
	if (!c)
		return MC_BUSY;
	if (!email || !id_email_valid(email, NULL))
		return MC_OK;
	mc_status rc = db_query(c, a,
				"SELECT id, full_name FROM account WHERE email = $1 AND"
				" closed_at IS NULL",
				DB_ARGS(DB_TEXT(lower_ascii(a, email))), &res);
	if (rc != MC_OK || db_nrows(res) == 0)
		return rc;
	char token[SESSION_TOKEN_LEN + 1], hash[SESSION_TOKEN_LEN + 1];
	session_new_token(token);
	session_hash(token, hash);
	struct reset_args w = {
		db_text(res, 0, 0),
		lower_ascii(a, email),
		hash,
		i18n_format(a, l, "account.mail_subject", 1, (const char *const[]){site_name}),
		i18n_format(a, l, "account.mail_body", 3,
			    (const char *const[]){
				    db_text(res, 0, 1), site_name,
				    arena_printf(a, "%s/dat-lai-mat-khau?t=%s", link_base, token)}),
		time(NULL) + RESET_TTL,
		a};
	return db_write(d, reset_fn, &w);
}

static bool token_hex(const char *t)
{
	if (!t || strlen(t) != SESSION_TOKEN_LEN)
		return false;
	for (const char *p = t; *p; p++)
		if (!isxdigit((unsigned char)*p) || isupper((unsigned char)*p))
			return false;
	return true;
}

/* The account of a live reset token, or NULL. */
static const char *reset_account(db *d, arena *a, const char *token, struct account *acc)
{
	if (!token_hex(token))
		return NULL;
	char hash[SESSION_TOKEN_LEN + 1];
	session_hash(token, hash);
	db_conn *c = db_reader(d);
	db_result *res;
	if (!c ||
	    db_query(c, a,
		     "SELECT account_id FROM password_reset WHERE token_hash = $1 AND"
		     " used_at IS NULL AND expires_at > $2",
		     DB_ARGS(DB_TEXT(hash), DB_INT(time(NULL))), &res) != MC_OK ||
	    db_nrows(res) != 1)
		return NULL;
	if (account_get(d, a, db_text(res, 0, 0), acc) != MC_OK || acc->closed_at)
		return NULL;
	return arena_strdup(a, hash);
}

bool account_reset_valid(db *d, arena *a, const char *token)
{
	struct account acc;
	return reset_account(d, a, token, &acc) != NULL;
}

mc_status account_reset_apply(db *d, arena *a, const char *token, const char *password,
			      struct account_problem **probs)
{
	struct account acc;
	const char *hash = reset_account(d, a, token, &acc);
	if (!hash)
		return MC_NOT_FOUND;
	const char *why;
	if (!password || !*password) {
		account_problem_add(a, probs, "password", "error.field_required", NULL);
		return MC_INVALID;
	}
	if (!id_password_ok(password, acc.login, acc.full_name, &why)) {
		account_problem_add(a, probs, "password", why, NULL);
		return MC_INVALID;
	}
	char pw[crypto_pwhash_STRBYTES];
	mc_status rc = account_hash_password(password, pw, sizeof(pw));
	if (rc != MC_OK)
		return rc;
	struct password_args w = {acc.id, pw, NULL, hash, time(NULL), false, "auth.password_reset"};
	return db_write(d, password_fn, &w);
}

/* ---- API tokens ---- */

mc_status account_tokens(db *d, arena *a, const char *account_id, const char *current_hash,
			 struct api_token **out, int *n)
{
	db_conn *c = db_reader(d);
	db_result *res;
	if (!c)
		return MC_BUSY;
	mc_status rc =
		db_query(c, a,
			 "SELECT token_hash, label, created_at, last_seen, expires_at FROM"
			 " session WHERE account_id = $1 AND kind = 'api' AND expires_at > $2"
			 " ORDER BY created_at DESC, token_hash",
			 DB_ARGS(DB_TEXT(account_id), DB_INT(time(NULL))), &res);
	if (rc != MC_OK)
		return rc;
	*n = db_nrows(res);
	*out = arena_calloc(a, (size_t)*n + 1, sizeof(**out));
	for (int i = 0; i < *n; i++) {
		struct api_token *t = &(*out)[i];
		t->id = arena_strndup(a, db_text(res, i, 0), 16);
		t->label = db_text(res, i, 1);
		t->created_at = db_int(res, i, 2);
		t->last_seen = db_int(res, i, 3);
		t->expires_at = db_int(res, i, 4);
		t->current = current_hash && strcmp(current_hash, db_text(res, i, 0)) == 0;
	}
	return MC_OK;
}

struct revoke_args {
	const char *account_id, *prefix;
};

static mc_status revoke_fn(db_conn *c, void *p)
{
	struct revoke_args *w = p;
	int64_t n = 0;
	/* Prefix match in portable SQL: the hash is in [prefix, prefix + "g"). */
	char hi[24];
	snprintf(hi, sizeof(hi), "%sg", w->prefix);
	mc_status rc =
		db_exec(c,
			"DELETE FROM session WHERE account_id = $1 AND kind = 'api' AND"
			" token_hash >= $2 AND token_hash < $3",
			DB_ARGS(DB_TEXT(w->account_id), DB_TEXT(w->prefix), DB_TEXT(hi)), &n);
	if (rc == MC_OK && n == 0)
		return MC_NOT_FOUND;
	if (rc == MC_OK)
		rc = audit_account(c, w->account_id, "auth.token_revoke", w->account_id,
				   json_pack("{s:s}", "token", w->prefix));
	return rc;
}

mc_status account_token_revoke(db *d, const char *account_id, const char *id)
{
	if (!id || strlen(id) != 16)
		return MC_NOT_FOUND;
	for (const char *p = id; *p; p++)
		if (!isxdigit((unsigned char)*p) || isupper((unsigned char)*p))
			return MC_NOT_FOUND;
	struct revoke_args w = {account_id, id};
	return db_write(d, revoke_fn, &w);
}

/* ---- officers ---- */

static const struct {
	const char *name;
	unsigned role;
} roles[] = {
	{"desk", ROLE_DESK},	     {"specialist", ROLE_SPECIALIST},
	{"leader", ROLE_LEADER},     {"agency-admin", ROLE_AGENCY_ADMIN},
	{"sysadmin", ROLE_SYSADMIN}, {"citizen", ROLE_CITIZEN},
	{"business", ROLE_BUSINESS},
};

unsigned account_role_parse(const char *name)
{
	for (size_t i = 0; i < 5; i++) /* officer roles only */
		if (name && strcmp(roles[i].name, name) == 0)
			return roles[i].role;
	return 0;
}

const char *account_role_name(unsigned role)
{
	for (size_t i = 0; i < sizeof(roles) / sizeof(roles[0]); i++)
		if (role & roles[i].role)
			return roles[i].name;
	return "";
}

static bool login_shaped(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	if (n < 3 || n > ACCOUNT_LOGIN_MAX || !islower((unsigned char)s[0]))
		return false;
	for (const char *p = s; *p; p++)
		if (!islower((unsigned char)*p) && !isdigit((unsigned char)*p) &&
		    !strchr("._-", *p))
			return false;
	return true;
}

/* Role bits as their names, for audit entries. */
static json_t *roles_json(unsigned bits)
{
	json_t *a = json_array();
	for (size_t i = 0; i < sizeof(roles) / sizeof(roles[0]); i++)
		if (bits & roles[i].role)
			json_array_append_new(a, json_string(roles[i].name));
	return a;
}

struct officer_args {
	arena *a;
	const struct officer_input *in;
	const char *id, *hash;
	struct account_problem **probs;
};

static mc_status officer_fn(db_conn *c, void *p)
{
	struct officer_args *w = p;
	const struct officer_input *in = w->in;
	if (in->agency_code &&
	    !taken(c, w->a, "SELECT 1 FROM agency WHERE code = $1", in->agency_code))
		account_problem_add(w->a, w->probs, "agency", "account.err.agency_unknown", NULL);
	if (taken(c, w->a, "SELECT 1 FROM account WHERE login = $1", in->login))
		account_problem_add(w->a, w->probs, "login", "account.err.login_taken", NULL);
	if (in->email &&
	    taken(c, w->a, "SELECT 1 FROM account WHERE email = $1 AND closed_at IS NULL",
		  in->email))
		account_problem_add(w->a, w->probs, "email", "account.err.email_taken", NULL);
	if (*w->probs)
		return MC_INVALID;
	char now[20];
	account_now_text(now);
	mc_status rc = db_exec(
		c,
		"INSERT INTO account (id, login, kind, roles, agency_code, full_name, email,"
		" password_hash, created_at) VALUES ($1, $2, 'officer', $3, $4, $5, $6, $7, $8)",
		DB_ARGS(DB_TEXT(w->id), DB_TEXT(in->login), DB_INT(in->roles),
			DB_TEXT(in->agency_code), DB_TEXT(in->full_name),
			DB_TEXT(in->email ? in->email : ""), DB_TEXT(w->hash), DB_TEXT(now)),
		NULL);
	if (rc == MC_CONFLICT) {
		account_problem_add(w->a, w->probs, "login", "account.err.login_taken", NULL);
		return MC_INVALID;
	}
	if (rc == MC_OK)
		rc = audit_account(c, in->actor, "perm.officer_create", w->id,
				   json_pack("{s:s,s:o,s:s?}", "login", in->login, "roles",
					     roles_json(in->roles), "agency", in->agency_code));
	return rc;
}

mc_status account_officer_create(db *d, arena *a, const struct officer_input *in,
				 char password[ACCOUNT_PW_LEN + 1], struct account_problem **probs,
				 const char **id_out)
{
	const char *why;
	if (!login_shaped(in->login))
		account_problem_add(a, probs, "login", "account.err.login_shape", NULL);
	required(a, probs, "full_name", in->full_name, ACCOUNT_NAME_MAX);
	if (in->email && *in->email && !id_email_valid(in->email, &why))
		account_problem_add(a, probs, "email", why, NULL);
	unsigned officer =
		ROLE_DESK | ROLE_SPECIALIST | ROLE_LEADER | ROLE_AGENCY_ADMIN | ROLE_SYSADMIN;
	if (!in->roles || (in->roles & ~officer))
		account_problem_add(a, probs, "role", "account.err.role", NULL);
	else if ((in->roles & ~ROLE_SYSADMIN) && (!in->agency_code || !*in->agency_code))
		account_problem_add(a, probs, "agency", "account.err.agency_needed", NULL);
	if (*probs)
		return MC_INVALID;
	struct officer_input norm = *in;
	if (norm.agency_code && !*norm.agency_code)
		norm.agency_code = NULL;
	norm.email = in->email && *in->email ? lower_ascii(a, in->email) : NULL;
	account_random_password(password);
	char hash[crypto_pwhash_STRBYTES];
	mc_status rc = account_hash_password(password, hash, sizeof(hash));
	if (rc != MC_OK)
		return rc;
	struct officer_args w = {a, &norm, new_id(a), hash, probs};
	rc = db_write(d, officer_fn, &w);
	if (rc == MC_OK && id_out)
		*id_out = w.id;
	return rc;
}

mc_status account_officers(db *d, arena *a, const char *agency, struct account **out, int *n)
{
	db_conn *c = db_reader(d);
	db_result *res;
	if (!c)
		return MC_BUSY;
	mc_status rc = db_query(c, a,
				"SELECT " COLS " FROM account WHERE kind = 'officer' AND"
				" (CAST($1 AS TEXT) IS NULL OR agency_code = $1)"
				" ORDER BY COALESCE(agency_code, ''), login",
				DB_ARGS(DB_TEXT(agency)), &res);
	if (rc != MC_OK)
		return rc;
	*n = db_nrows(res);
	*out = arena_calloc(a, (size_t)*n + 1, sizeof(**out));
	for (int i = 0; i < *n; i++)
		row_to_account(res, i, &(*out)[i]);
	return MC_OK;
}

struct enable_args {
	const char *actor, *id, *agency;
	bool enabled;
};

static mc_status enable_fn(db_conn *c, void *p)
{
	struct enable_args *w = p;
	char now[20];
	account_now_text(now);
	int64_t n = 0;
	mc_status rc = db_exec(
		c,
		"UPDATE account SET closed_at = $1 WHERE id = $2 AND kind = 'officer'"
		" AND (CAST($3 AS TEXT) IS NULL OR agency_code = $3)",
		DB_ARGS(w->enabled ? DB_NULLARG : DB_TEXT(now), DB_TEXT(w->id), DB_TEXT(w->agency)),
		&n);
	if (rc == MC_OK && n == 0)
		return MC_NOT_FOUND;
	if (rc == MC_OK && !w->enabled)
		rc = db_exec(c, "DELETE FROM session WHERE account_id = $1",
			     DB_ARGS(DB_TEXT(w->id)), NULL);
	if (rc == MC_OK)
		rc = audit_account(c, w->actor,
				   w->enabled ? "perm.officer_enable" : "perm.officer_disable",
				   w->id, json_pack("{s:s?}", "agency_scope", w->agency));
	return rc;
}

mc_status account_officer_set_enabled(db *d, const char *actor, const char *id, const char *agency,
				      bool enabled)
{
	struct enable_args w = {actor, id, agency, enabled};
	return db_write(d, enable_fn, &w);
}

struct setpw_args {
	const char *login, *hash;
	arena *a;
};

static mc_status setpw_fn(db_conn *c, void *p)
{
	struct setpw_args *w = p;
	int64_t n = 0;
	mc_status rc = db_exec(c, "UPDATE account SET password_hash = $1 WHERE login = $2",
			       DB_ARGS(DB_TEXT(w->hash), DB_TEXT(w->login)), &n);
	if (rc == MC_OK && n == 0)
		return MC_NOT_FOUND;
	db_result *res;
	if (rc == MC_OK)
		rc = db_query(c, w->a, "SELECT id FROM account WHERE login = $1",
			      DB_ARGS(DB_TEXT(w->login)), &res);
	if (rc == MC_OK && db_nrows(res) == 1)
		rc = audit_account(c, "system", "auth.password_set", db_text(res, 0, 0), NULL);
	if (rc == MC_OK)
		rc = db_exec(c,
			     "DELETE FROM session WHERE account_id IN (SELECT id FROM account"
			     " WHERE login = $1)",
			     DB_ARGS(DB_TEXT(w->login)), NULL);
	return rc;
}

mc_status account_set_password(db *d, const char *login, const char *password)
{
	char hash[crypto_pwhash_STRBYTES];
	mc_status rc = account_hash_password(password, hash, sizeof(hash));
	if (rc != MC_OK)
		return rc;
	arena *a = arena_new(0);
	struct setpw_args w = {login, hash, a};
	rc = db_write(d, setpw_fn, &w);
	arena_free(a);
	return rc;
}
