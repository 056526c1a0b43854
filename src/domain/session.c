/* session.c - sessions and API tokens in the shared database. */
#include "domain/session.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "core/log.h"
#include "domain/audit.h"

void session_hash(const char *token, char out[SESSION_TOKEN_LEN + 1])
{
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, (const unsigned char *)token, strlen(token));
	sodium_bin2hex(out, SESSION_TOKEN_LEN + 1, h, sizeof(h));
}

void session_new_token(char out[SESSION_TOKEN_LEN + 1])
{
	unsigned char raw[32];
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2hex(out, SESSION_TOKEN_LEN + 1, raw, sizeof(raw));
}

mc_status session_insert(db_conn *c, const char *account_id, const char *kind, const char *label,
			 const char *address, long ttl, char token[SESSION_TOKEN_LEN + 1],
			 char csrf[SESSION_TOKEN_LEN + 1])
{
	char hash[SESSION_TOKEN_LEN + 1];
	session_new_token(token);
	session_hash(token, hash);
	if (strcmp(kind, "web") == 0)
		session_new_token(csrf);
	else
		csrf[0] = '\0';
	int64_t now = time(NULL);
	return db_exec(
		c,
		"INSERT INTO session (token_hash, account_id, kind, label, csrf, created_at,"
		" last_seen, expires_at, address) VALUES ($1, $2, $3, $4, $5, $6, $6, $7, $8)",
		DB_ARGS(DB_TEXT(hash), DB_TEXT(account_id), DB_TEXT(kind),
			DB_TEXT(label ? label : ""), DB_TEXT(csrf), DB_INT(now), DB_INT(now + ttl),
			DB_TEXT(address ? address : "")),
		NULL);
}

struct create_args {
	const char *account_id, *kind, *label, *address;
	long ttl;
	char *token, *csrf;
};

/* An audit entry about the account; data is consumed. */
static mc_status audit_session(db_conn *c, const char *account_id, const char *action, json_t *data)
{
	char subject[96];
	snprintf(subject, sizeof(subject), "account:%s", account_id);
	mc_status rc = audit_append(c, account_id, action, subject, data, NULL);
	json_decref(data);
	return rc;
}

/* A sign-in is the session it opens: the row and its "auth.login" entry
 * commit together, in the one write a sign-in always made. */
static mc_status create_fn(db_conn *c, void *p)
{
	struct create_args *a = p;
	mc_status rc = session_insert(c, a->account_id, a->kind, a->label, a->address, a->ttl,
				      a->token, a->csrf);
	if (rc != MC_OK)
		return rc;
	char hash[SESSION_TOKEN_LEN + 1];
	session_hash(a->token, hash);
	hash[16] = '\0'; /* the token's public id, as in the token list */
	bool web = strcmp(a->kind, "web") == 0;
	return audit_session(c, a->account_id, "auth.login",
			     json_pack("{s:s,s:s,s:s}", "address", a->address ? a->address : "",
				       "method", web ? "form" : "token", "session", hash));
}

mc_status session_create(db *d, const char *account_id, const char *kind, const char *label,
			 const char *address, long ttl, char token[SESSION_TOKEN_LEN + 1],
			 char csrf[SESSION_TOKEN_LEN + 1])
{
	struct create_args a = {account_id, kind, label, address, ttl, token, csrf};
	return db_write(d, create_fn, &a);
}

struct delete_args {
	const char *hash, *account_id, *keep;
};

/* Sign-out ("auth.logout", or "auth.token_revoke" for an API token) and
 * sign-out everywhere ("auth.logout_all"), each with its entry. Deleting a
 * session that is already gone writes nothing. */
static mc_status delete_fn(db_conn *c, void *p)
{
	struct delete_args *a = p;
	if (a->hash) {
		arena *ar = arena_new(0);
		db_result *r;
		mc_status rc = db_query(c, ar,
					"DELETE FROM session WHERE token_hash = $1"
					" RETURNING account_id, kind",
					DB_ARGS(DB_TEXT(a->hash)), &r);
		if (rc == MC_OK && db_nrows(r) == 1) {
			bool web = strcmp(db_text(r, 0, 1), "web") == 0;
			rc = audit_session(c, db_text(r, 0, 0),
					   web ? "auth.logout" : "auth.token_revoke",
					   json_pack("{s:s%}", "session", a->hash, (size_t)16));
		}
		arena_free(ar);
		return rc;
	}
	int64_t n = 0;
	mc_status rc =
		db_exec(c, "DELETE FROM session WHERE account_id = $1 AND token_hash <> $2",
			DB_ARGS(DB_TEXT(a->account_id), DB_TEXT(a->keep ? a->keep : "")), &n);
	if (rc == MC_OK)
		rc = audit_session(c, a->account_id, "auth.logout_all",
				   json_pack("{s:I}", "sessions_ended", (json_int_t)n));
	return rc;
}

mc_status session_delete(db *d, const char *token)
{
	char hash[SESSION_TOKEN_LEN + 1];
	session_hash(token, hash);
	struct delete_args a = {hash, NULL, NULL};
	return db_write(d, delete_fn, &a);
}

mc_status session_delete_all(db *d, const char *account_id, const char *keep_hash)
{
	struct delete_args a = {NULL, account_id, keep_hash};
	return db_write(d, delete_fn, &a);
}

static bool token_shaped(const char *t)
{
	if (strlen(t) != SESSION_TOKEN_LEN)
		return false;
	for (const char *p = t; *p; p++)
		if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
			return false;
	return true;
}

/* The bearer token, when the request carries an Authorization header. */
static const char *bearer(http_req *r)
{
	const char *h = http_header(r, "Authorization");
	if (!h || strncasecmp(h, "Bearer ", 7) != 0)
		return NULL;
	h += 7;
	while (*h == ' ')
		h++;
	return h;
}

const char *session_token(http_req *r)
{
	const char *b = bearer(r);
	return b ? b : http_cookie(r, SESSION_COOKIE);
}

struct touch_args {
	const char *hash;
	int64_t now;
};

static mc_status touch_fn(db_conn *c, void *p)
{
	struct touch_args *a = p;
	return db_exec(c, "UPDATE session SET last_seen = $1 WHERE token_hash = $2",
		       DB_ARGS(DB_INT(a->now), DB_TEXT(a->hash)), NULL);
}

static void forget_cookie(http_req *r)
{
	http_set_cookie(r, SESSION_COOKIE, "", 0);
}

void session_resolve(http_req *r)
{
	struct app *app = http_app(r);
	const char *tok = bearer(r);
	bool api = tok != NULL;
	if (!api)
		tok = http_cookie(r, SESSION_COOKIE);
	if (!tok || !*tok)
		return;
	if (!token_shaped(tok)) {
		if (api) {
			http_add_header(r, "WWW-Authenticate", "Bearer error=\"invalid_token\"");
			http_reply_error(r, 401, http_msg(r, "error.unauthorized"));
		} else {
			forget_cookie(r);
		}
		return;
	}
	char hash[SESSION_TOKEN_LEN + 1];
	session_hash(tok, hash);
	db_conn *c = db_reader(app->db);
	db_result *res;
	if (!c ||
	    db_query(c, r->a,
		     "SELECT s.account_id, s.kind, s.csrf, s.last_seen, s.expires_at, a.login,"
		     " a.full_name, a.kind, a.roles, a.agency_code FROM session s"
		     " JOIN account a ON a.id = s.account_id"
		     " WHERE s.token_hash = $1 AND a.closed_at IS NULL",
		     DB_ARGS(DB_TEXT(hash)), &res) != MC_OK) {
		http_reply_status(r, MC_BUSY);
		return;
	}
	int64_t now = time(NULL);
	bool ok = db_nrows(res) == 1 && strcmp(db_text(res, 0, 1), api ? "api" : "web") == 0 &&
		  now < db_int(res, 0, 4) && (api || now - db_int(res, 0, 3) < SESSION_IDLE);
	if (!ok) {
		if (api) {
			http_add_header(r, "WWW-Authenticate", "Bearer error=\"invalid_token\"");
			http_reply_error(r, 401, http_msg(r, "error.unauthorized"));
		} else {
			forget_cookie(r);
		}
		return;
	}
	if (now - db_int(res, 0, 3) >= SESSION_TOUCH) {
		struct touch_args t = {hash, now};
		if (db_write(app->db, touch_fn, &t) != MC_OK)
			log_warn("session: cannot refresh last_seen");
	}
	struct principal *p = arena_calloc(r->a, 1, sizeof(*p));
	p->account_id = db_text(res, 0, 0);
	p->csrf = db_text(res, 0, 2);
	p->login = db_text(res, 0, 5);
	p->name = db_text(res, 0, 6);
	p->kind = db_text(res, 0, 7);
	p->roles = (unsigned)db_int(res, 0, 8);
	p->agency_code = db_text(res, 0, 9);
	p->api = api;
	r->user = p;
}
