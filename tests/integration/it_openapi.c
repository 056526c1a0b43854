/*
 * it_openapi.c - real responses against docs/openapi.yaml: a demo server
 * answers every GET route under /api/v1 of the route table (public ones
 * signed out, the others as a citizen, a desk officer or the system admin,
 * with a returned and rated dossier in place), and each JSON body must
 * match the response schema the YAML gives for its status. The YAML is
 * turned into dereferenced JSON by Redocly CLI (tests/openapi); the check
 * covers the JSON Schema subset the YAML uses: type (one or a list), enum,
 * const, required, properties, additionalProperties, items, minimum,
 * maximum, minLength, maxLength, pattern (POSIX extended) and oneOf.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "domain/payverify.h"
#include "harness.h"
#include "signin.h"

#define CODE	"000.00.16.H43-261120-0777"
#define RECEIPT "BL261121-00007771"

static struct it_server srv;
static json_t *spec;
static char citizen[160], desk[160], admin[160];
static char procedure[64], citizen_id[40];

/* ---- the validator ---- */

static bool type_is(const char *t, json_t *v)
{
	if (strcmp(t, "object") == 0)
		return json_is_object(v);
	if (strcmp(t, "array") == 0)
		return json_is_array(v);
	if (strcmp(t, "string") == 0)
		return json_is_string(v);
	if (strcmp(t, "integer") == 0)
		return json_is_integer(v);
	if (strcmp(t, "number") == 0)
		return json_is_number(v);
	if (strcmp(t, "boolean") == 0)
		return json_is_boolean(v);
	if (strcmp(t, "null") == 0)
		return json_is_null(v);
	return false;
}

static bool type_ok(json_t *t, json_t *v)
{
	if (!t)
		return true;
	if (json_is_string(t))
		return type_is(json_string_value(t), v);
	size_t i;
	json_t *x;
	json_array_foreach(t, i, x) if (type_is(json_string_value(x), v)) return true;
	return false;
}

static int problem(char *err, size_t len, const char *where, const char *what)
{
	if (err && !*err)
		snprintf(err, len, "%.400s: %.80s", *where ? where : "/", what);
	return 1;
}

/* Problems found in v against schema s (0: valid); the first is in err. */
static int check(json_t *s, json_t *v, const char *where, char *err, size_t len)
{
	if (!json_is_object(s))
		return 0;
	if (!type_ok(json_object_get(s, "type"), v))
		return problem(err, len, where, "wrong type");
	json_t *e = json_object_get(s, "enum");
	if (e) {
		bool found = false;
		size_t i;
		json_t *x;
		json_array_foreach(e, i, x) found = found || json_equal(x, v);
		if (!found)
			return problem(err, len, where, "not in enum");
	}
	json_t *c = json_object_get(s, "const");
	if (c && !json_equal(c, v))
		return problem(err, len, where, "not the const value");
	json_t *one = json_object_get(s, "oneOf");
	if (one) {
		int matches = 0;
		size_t i;
		json_t *x;
		json_array_foreach(one, i, x) matches += check(x, v, where, NULL, 0) == 0;
		if (matches != 1)
			return problem(err, len, where, "not exactly one of oneOf");
	}
	if (json_is_number(v)) {
		json_t *lo = json_object_get(s, "minimum"), *hi = json_object_get(s, "maximum");
		if (lo && json_number_value(v) < json_number_value(lo))
			return problem(err, len, where, "below minimum");
		if (hi && json_number_value(v) > json_number_value(hi))
			return problem(err, len, where, "above maximum");
	}
	if (json_is_string(v)) {
		const char *str = json_string_value(v);
		size_t cps = 0;
		for (const char *p = str; *p; p++)
			cps += ((unsigned char)*p & 0xC0) != 0x80;
		json_t *lo = json_object_get(s, "minLength"), *hi = json_object_get(s, "maxLength");
		if ((lo && cps < (size_t)json_integer_value(lo)) ||
		    (hi && cps > (size_t)json_integer_value(hi)))
			return problem(err, len, where, "length out of bounds");
		const char *pat = json_string_value(json_object_get(s, "pattern"));
		regex_t re;
		if (pat && regcomp(&re, pat, REG_EXTENDED | REG_NOSUB) == 0) {
			int rc = regexec(&re, str, 0, NULL, 0);
			regfree(&re);
			if (rc != 0)
				return problem(err, len, where, "does not match pattern");
		}
	}
	int n = 0;
	char sub[512];
	if (json_is_object(v)) {
		size_t i;
		json_t *x;
		json_array_foreach(json_object_get(s, "required"), i, x)
		{
			if (!json_object_get(v, json_string_value(x))) {
				snprintf(sub, sizeof(sub), "%s/%s", where, json_string_value(x));
				n += problem(err, len, sub, "required but missing");
			}
		}
		json_t *props = json_object_get(s, "properties");
		json_t *extra = json_object_get(s, "additionalProperties");
		const char *k;
		json_object_foreach(v, k, x)
		{
			snprintf(sub, sizeof(sub), "%s/%s", where, k);
			json_t *ps = json_object_get(props, k);
			if (ps)
				n += check(ps, x, sub, err, len);
			else if (json_is_false(extra))
				n += problem(err, len, sub, "not allowed");
			else if (json_is_object(extra))
				n += check(extra, x, sub, err, len);
		}
	}
	if (json_is_array(v)) {
		size_t i;
		json_t *x;
		json_array_foreach(v, i, x)
		{
			snprintf(sub, sizeof(sub), "%s/%zu", where, i);
			n += check(json_object_get(s, "items"), x, sub, err, len);
		}
	}
	return n;
}

/* The schema of the JSON response of pattern's GET for status. */
static json_t *response_schema(const char *pattern, int status)
{
	char st[8];
	snprintf(st, sizeof(st), "%d", status);
	json_t *r = json_object_get(
		json_object_get(
			json_object_get(json_object_get(json_object_get(spec, "paths"), pattern),
					"get"),
			"responses"),
		st);
	return json_object_get(json_object_get(json_object_get(r, "content"), "application/json"),
			       "schema");
}

/* ---- setup ---- */

static int token_for(const char *tsv, const char *login, char out[160])
{
	char pw[128] = "";
	for (const char *line = tsv; line && *line;
	     line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
		size_t n = strlen(login);
		if (strncmp(line, login, n) == 0 && line[n] == '\t') {
			if (sscanf(line + n + 1, "%127[^\t]", pw) != 1)
				return -1;
			break;
		}
	}
	if (!*pw)
		return -1;
	json_t *j = json_pack("{s:s,s:s}", "login", login, "password", pw);
	char *body = json_dumps(j, 0);
	json_decref(j);
	struct http_resp r;
	int rc = http_fetch(srv.port, "POST", "/api/v1/tokens",
			    "Content-Type: application/json\r\n", body, strlen(body), &r);
	free(body);
	if (rc != 0)
		return -1;
	json_t *doc = json_loadb(r.body, r.body_len, 0, NULL);
	const char *tok = json_string_value(json_object_get(doc, "token"));
	snprintf(out, 160, "Authorization: Bearer %s\r\n", tok ? tok : "");
	rc = tok ? 0 : -1;
	if (rc)
		it_note("token for %s: %d %s", login, r.status, r.body);
	json_decref(doc);
	http_resp_free(&r);
	return rc;
}

static int load_spec(void)
{
	char out[PATH_MAX + 32];
	snprintf(out, sizeof(out), "%s/openapi.json", srv.root);
	const char *argv[] = {"tests/openapi/node_modules/.bin/redocly",
			      "bundle",
			      "--dereferenced",
			      "--ext",
			      "json",
			      "-o",
			      out,
			      "docs/openapi.yaml",
			      NULL};
	const char *env[] = {"REDOCLY_TELEMETRY=off", "REDOCLY_SUPPRESS_UPDATE_NOTICE=true", NULL};
	struct it_cmd c;
	if (it_run(&c, argv, env, 120000) != 0 || c.status != 0) {
		it_note("redocly bundle failed (scripts/deps.sh installs it): %s",
			c.err ? c.err : "");
		it_cmd_free(&c);
		return -1;
	}
	it_cmd_free(&c);
	json_error_t je;
	spec = json_load_file(out, 0, &je);
	if (!spec)
		it_note("%s: %s", out, je.text);
	return spec ? 0 : -1;
}

static int group_setup(void **state)
{
	(void)state;
	struct it_server_opts o = {.demo = true};
	if (it_server_start(&srv, &o) != 0 || load_spec() != 0)
		return -1;
	char path[PATH_MAX + 64];
	snprintf(path, sizeof(path), "%s/demo-accounts.tsv", srv.data);
	char *tsv = it_read_file(path, NULL);
	if (!tsv)
		return -1;
	char cit_login[64] = "";
	const char *c = strstr(tsv, "\tcitizen");
	while (c && c > tsv && c[-1] != '\n')
		c--;
	if (c)
		sscanf(c, "%63[^\t]", cit_login);
	int rc = token_for(tsv, cit_login, citizen) | token_for(tsv, "motcua.stp", desk) |
		 token_for(tsv, "quantri", admin);
	free(tsv);
	char *cols[2] = {NULL, NULL};
	if (rc != 0 ||
	    it_db_row(srv.db_path, "SELECT id FROM account WHERE login = $1", cit_login, cols, 1) !=
		    1 ||
	    it_db_row(srv.db_path,
		      "SELECT procedure_code FROM procedure_agency WHERE agency_code = $1"
		      " ORDER BY procedure_code LIMIT 1",
		      "so-tu-phap", cols + 1, 1) != 1)
		return -1;
	snprintf(procedure, sizeof(procedure), "%s", cols[1]);
	/* A dossier of the citizen, returned (status 10) a day ago. */
	char sql[2048];
	snprintf(sql, sizeof(sql),
		 "INSERT INTO dossier (id, code, procedure_code, agency_code, account_id, status,"
		 " channel, applicant, created_at, updated_at, submitted_at, due_at, finished_at,"
		 " received_at, stage) VALUES ('00000000000000000000000000007771', '" CODE
		 "', '%s', 'so-tu-phap', '%s', 10, 2, '{\"name\": \"Nguyễn Văn Thử\"}',"
		 " '2026-11-20 09:00:00', '2026-11-27 10:00:00', '2026-11-20 09:00:00',"
		 " '2026-11-25 17:00:00', '2026-11-27 10:00:00', '2026-11-20 09:00:00',"
		 " 'returned');"
		 " INSERT INTO dossier_holder (dossier_id, n, agency_code, task, from_at,"
		 " until_at, due_at) VALUES ('00000000000000000000000000007771', 1,"
		 " 'so-tu-phap', 'received', '2026-11-20 09:00:00', '2026-11-27 10:00:00',"
		 " '2026-11-25 17:00:00');"
		 " INSERT INTO payment (id, dossier_id, source, amount, reference, paid_at,"
		 " recorded_at, recorded_by, receipt_no) VALUES ('p-7771',"
		 " '00000000000000000000000000007771', 'gateway', 50000, 'GW-7771',"
		 " '2026-11-21 09:00:00', '2026-11-21 09:00:01', 'gateway', '" RECEIPT "');",
		 cols[1], cols[0]);
	snprintf(citizen_id, sizeof(citizen_id), "%s", cols[0]);
	free(cols[0]);
	free(cols[1]);
	if (it_db_exec_retry(srv.db_path, sql) < 0)
		return -1;
	/* Rated, with a comment the agency answered. */
	const char *rate = "{\"time\": 2, \"contacts\": 1, \"attitude\": 2, \"online\": 2,"
			   " \"overall\": 2, \"comment\": \"Nhanh, đúng hẹn.\"}";
	const char *answer = "{\"answer\": \"Cảm ơn ông/bà.\"}";
	char hdr[256];
	struct http_resp r;
	snprintf(hdr, sizeof(hdr), "%sContent-Type: application/json\r\n", citizen);
	if (http_fetch(srv.port, "POST", "/api/v1/dossiers/" CODE "/rating", hdr, rate,
		       strlen(rate), &r) != 0)
		return -1;
	int st = r.status;
	http_resp_free(&r);
	snprintf(hdr, sizeof(hdr), "%sContent-Type: application/json\r\n", desk);
	if (st != 201 || http_fetch(srv.port, "POST", "/api/v1/dossiers/" CODE "/rating/answer",
				    hdr, answer, strlen(answer), &r) != 0)
		return -1;
	st = r.status;
	http_resp_free(&r);
	return st == 200 ? 0 : -1;
}

static int group_teardown(void **state)
{
	(void)state;
	json_decref(spec);
	int st = it_server_stop(&srv);
	if (st != 0)
		it_server_dump_log(&srv);
	it_server_free(&srv);
	return st == 0 ? 0 : -1;
}

/* ---- tests ---- */

/* The validator finds what is wrong (and passes what is right). */
static void test_validator(void **state)
{
	(void)state;
	json_t *s = json_loads(
		"{\"type\": \"object\", \"required\": [\"a\"], \"additionalProperties\": false,"
		" \"properties\": {\"a\": {\"type\": [\"integer\", \"null\"], \"minimum\": 1},"
		" \"b\": {\"type\": \"array\", \"items\": {\"enum\": [\"x\", \"y\"]}},"
		" \"c\": {\"type\": \"string\", \"pattern\": \"^[0-9]{2}$\", \"maxLength\": 2}}}",
		0, NULL);
	assert_non_null(s);
	static const struct {
		const char *doc;
		int ok;
	} cases[] = {
		{"{\"a\": 1, \"b\": [\"x\", \"y\"], \"c\": \"12\"}", 1},
		{"{\"a\": null}", 1},
		{"{\"b\": []}", 0},
		{"{\"a\": 0}", 0},
		{"{\"a\": \"1\"}", 0},
		{"{\"a\": 1, \"b\": [\"z\"]}", 0},
		{"{\"a\": 1, \"c\": \"1a\"}", 0},
		{"{\"a\": 1, \"d\": true}", 0},
		{"[]", 0},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		json_t *v = json_loads(cases[i].doc, 0, NULL);
		char err[256] = "";
		assert_non_null(v);
		if ((check(s, v, "", err, sizeof(err)) == 0) != cases[i].ok)
			fail_msg("%s: expected %s (%s)", cases[i].doc,
				 cases[i].ok ? "valid" : "invalid", err);
		json_decref(v);
	}
	json_decref(s);
}

/* Where each GET route is called, and as whom. */
struct sample {
	const char *pattern, *path, *as;
};

static void test_get_responses_match(void **state)
{
	(void)state;
	char proc_path[128];
	snprintf(proc_path, sizeof(proc_path), "/api/v1/procedures/%s", procedure);
	/* The verification code the public status shows, looked up again. */
	char audit_path[128] = "/api/v1/audit/none";
	struct http_resp st;
	assert_int_equal(
		http_fetch(srv.port, "GET", "/api/v1/dossiers/" CODE "/status", "", NULL, 0, &st),
		0);
	json_t *sj = json_loadb(st.body, st.body_len, 0, NULL);
	const char *h = json_string_value(json_object_get(sj, "audit_hash"));
	assert_non_null(h);
	snprintf(audit_path, sizeof(audit_path), "/api/v1/audit/%s", h);
	json_decref(sj);
	http_resp_free(&st);
	/* A receipt's public verification, with the tag of the server's key. */
	char verify_path[256], tag[PAYVERIFY_TAG_LEN + 1];
	assert_true(it_payverify_load(srv.db_path));
	payverify_tag(CODE, RECEIPT, tag);
	snprintf(verify_path, sizeof(verify_path),
		 "/api/v1/receipts/verify?code=" CODE "&receipt_no=" RECEIPT "&tag=%s", tag);
	const struct sample samples[] = {
		{"/api/v1/health", "/api/v1/health", ""},
		{"/api/v1/agencies", "/api/v1/agencies", ""},
		{"/api/v1/agencies/{code}", "/api/v1/agencies/so-tu-phap", ""},
		{"/api/v1/fields", "/api/v1/fields", ""},
		{"/api/v1/procedures", "/api/v1/procedures?q=khai+sinh", ""},
		{"/api/v1/procedures/{code}", proc_path, ""},
		{"/api/v1/dossiers/{code}/status", "/api/v1/dossiers/" CODE "/status", ""},
		{"/api/v1/tokens", "/api/v1/tokens", citizen},
		{"/api/v1/me", "/api/v1/me", citizen},
		{"/api/v1/me/data", "/api/v1/me/data", citizen},
		{"/api/v1/officers", "/api/v1/officers", admin},
		{"/api/v1/dossiers", "/api/v1/dossiers", citizen},
		{"/api/v1/dossiers/{code}", "/api/v1/dossiers/" CODE, citizen},
		{"/api/v1/dossiers/{code}/rating", "/api/v1/dossiers/" CODE "/rating", citizen},
		{"/api/v1/officer/queues", "/api/v1/officer/queues", desk},
		{"/api/v1/officer/dossiers", "/api/v1/officer/dossiers?queue=new", desk},
		{"/api/v1/officer/dossiers/{code}", "/api/v1/officer/dossiers/" CODE, desk},
		{"/api/v1/sync/dossiers", "/api/v1/sync/dossiers?limit=50", admin},
		{"/api/v1/calendar/{year}", "/api/v1/calendar/2026", ""},
		{"/api/v1/audit/{hash}", audit_path, ""},
		{"/api/v1/officer/dossiers/{code}/forms/{file}",
		 "/api/v1/officer/dossiers/" CODE "/forms/05.pdf", desk},
		{"/api/v1/dossiers/{code}/payment", "/api/v1/dossiers/" CODE "/payment", citizen},
		{"/api/v1/stats", "/api/v1/stats", ""},
		{"/api/v1/receipts/verify", verify_path, ""},
	};
	const size_t ns = sizeof(samples) / sizeof(samples[0]);
	int failures = 0, checked = 0;
	for (size_t i = 0; i < motcua_nroutes; i++) {
		const struct route *rt = &motcua_routes[i];
		if (strcmp(rt->method, "GET") != 0 || strncmp(rt->pattern, "/api/v1/", 8) != 0)
			continue;
		const struct sample *x = NULL;
		for (size_t k = 0; k < ns && !x; k++)
			if (strcmp(samples[k].pattern, rt->pattern) == 0)
				x = &samples[k];
		if (!x) {
			it_note("GET %s: no sample call in it_openapi.c", rt->pattern);
			failures++;
			continue;
		}
		struct http_resp r;
		assert_int_equal(http_fetch(srv.port, "GET", x->path, x->as, NULL, 0, &r), 0);
		if (strstr(x->path, ".pdf")) {
			/* a PDF, not JSON: the answer and its first bytes */
			if (r.status != 200 || r.body_len < 5 || memcmp(r.body, "%PDF-", 5) != 0) {
				it_note("GET %s: status %d, not a PDF", x->path, r.status);
				failures++;
			}
			checked++;
			http_resp_free(&r);
			continue;
		}
		json_t *schema = response_schema(rt->pattern, r.status);
		json_t *doc = json_loadb(r.body, r.body_len, 0, NULL);
		char err[512] = "";
		if (r.status != 200)
			it_note("GET %s: status %d (%.200s)", x->path, r.status, r.body);
		else if (!schema)
			it_note("GET %s: no JSON schema for 200 in the YAML", rt->pattern);
		else if (!doc)
			it_note("GET %s: the body is not JSON", x->path);
		else if (check(schema, doc, "", err, sizeof(err)) != 0)
			it_note("GET %s: %s", x->path, err);
		if (r.status != 200 || !schema || !doc || *err)
			failures++;
		checked++;
		json_decref(doc);
		http_resp_free(&r);
	}
	it_note("%d GET routes checked against their schema", checked);
	assert_true(checked >= 10);
	assert_int_equal(failures, 0);
}

/* Error bodies follow the Error schema too. */
static void test_error_shape(void **state)
{
	(void)state;
	struct http_resp r;
	assert_int_equal(http_fetch(srv.port, "GET", "/api/v1/agencies/khong-co", "", NULL, 0, &r),
			 0);
	assert_int_equal(r.status, 404);
	json_t *schema = json_object_get(
		json_object_get(json_object_get(spec, "components"), "schemas"), "Error");
	json_t *doc = json_loadb(r.body, r.body_len, 0, NULL);
	char err[256] = "";
	assert_non_null(schema);
	assert_non_null(doc);
	if (check(schema, doc, "", err, sizeof(err)) != 0)
		fail_msg("%s", err);
	json_decref(doc);
	http_resp_free(&r);
}

/* `motcua export dossiers`: the same rows as JSON lines, then nothing new
 * after the cursor it printed; a foreign cursor is a usage error. */
static void test_export_cli(void **state)
{
	(void)state;
	const char *env[] = {srv.db_env[0] ? srv.db_env : NULL, NULL};
	const char *all[] = {it_bin(), "export", "dossiers", "--data", srv.data, NULL};
	struct it_cmd c;
	assert_int_equal(it_run(&c, all, env, 60000), 0);
	assert_int_equal(c.status, 0);
	assert_non_null(strstr(c.out, "\"code\":\"" CODE "\""));
	assert_non_null(strstr(c.out, "\"status\":10"));
	const char *next = strstr(c.err, "next cursor: ");
	assert_non_null(next);
	char cursor[32] = "";
	assert_int_equal(sscanf(next + 13, "%31s", cursor), 1);
	it_cmd_free(&c);
	const char *since[] = {it_bin(), "export", "dossiers", "--since",
			       cursor,	 "--data", srv.data,   NULL};
	assert_int_equal(it_run(&c, since, env, 60000), 0);
	assert_int_equal(c.status, 0);
	assert_string_equal(c.out, "");
	it_cmd_free(&c);
	const char *bad[] = {it_bin(), "export", "dossiers", "--since",
			     "zz",     "--data", srv.data,   NULL};
	assert_int_equal(it_run(&c, bad, env, 60000), 0);
	assert_int_equal(c.status, 2);
	it_cmd_free(&c);
}

/* The page block: the rating and the agency's answer on /ho-so/{code};
 * the form for a returned dossier not yet rated, which a web session posts
 * (CSRF) once. */
static void test_page_block(void **state)
{
	(void)state;
	struct http_resp r;
	assert_int_equal(http_fetch(srv.port, "GET", "/ho-so/" CODE, citizen, NULL, 0, &r), 0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "id=\"rating-title\""));
	assert_non_null(strstr(r.body, "Cảm ơn ông/bà."));
	assert_null(strstr(r.body, "action=\"/ho-so/" CODE "/danh-gia\""));
	http_resp_free(&r);
	char sql[1024];
	snprintf(sql, sizeof(sql),
		 "INSERT INTO dossier (id, code, procedure_code, agency_code, account_id, status,"
		 " channel, created_at, updated_at, submitted_at, stage) VALUES"
		 " ('00000000000000000000000000007772', '000.00.16.H43-261120-0778', '%s',"
		 " 'so-tu-phap', '%s', 10, 2, '2026-11-20 09:00:00', '2026-11-27 10:00:00',"
		 " '2026-11-20 09:00:00', 'returned');",
		 procedure, citizen_id);
	assert_int_equal(it_db_exec_retry(srv.db_path, sql), 0);
	struct it_user u;
	assert_int_equal(it_signin(srv.db_path, citizen_id, "web", &u), 0);
	assert_int_equal(http_fetch(srv.port, "GET", "/ho-so/000.00.16.H43-261120-0778", u.headers,
				    NULL, 0, &r),
			 0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "action=\"/ho-so/000.00.16.H43-261120-0778/danh-gia\""));
	http_resp_free(&r);
	char form[256], hdr[512];
	snprintf(form, sizeof(form),
		 "csrf=%s&time=2&contacts=2&attitude=1&online=2&overall=2&comment=T%%E1%%BB%%91t",
		 u.csrf);
	snprintf(hdr, sizeof(hdr), "%sContent-Type: application/x-www-form-urlencoded\r\n",
		 u.headers);
	for (int i = 0; i < 2; i++) {
		assert_int_equal(http_fetch(srv.port, "POST",
					    "/ho-so/000.00.16.H43-261120-0778/danh-gia", hdr, form,
					    strlen(form), &r),
				 0);
		assert_int_equal(r.status, i == 0 ? 303 : 409);
		http_resp_free(&r);
	}
	assert_int_equal(it_db_count(srv.db_path,
				     "SELECT COUNT(*) FROM rating WHERE dossier_id = $1",
				     "00000000000000000000000000007772"),
			 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_validator),   cmocka_unit_test(test_get_responses_match),
		cmocka_unit_test(test_error_shape), cmocka_unit_test(test_export_cli),
		cmocka_unit_test(test_page_block),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
