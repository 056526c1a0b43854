/*
 * it_accounts.c - accounts on a real motcua with the demo loaded, on SQLite
 * and on PostgreSQL: registration and its errors, sign-in (a new token every
 * time), sign-out here and everywhere, idle and absolute expiry, CSRF,
 * throttling of failed sign-ins, API tokens, password reset by mail, closing
 * an account and its data export, officers from the command line and the
 * admin page, and the demo accounts file.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>
#include <jansson.h>

#include "harness.h"

static struct it_server srv;

#define BAD "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210"

static int group_setup(void **state)
{
	/* Many registrations from 127.0.0.1: it_signup tests the budget. */
	struct it_server_opts o = {.demo = true, .conf = "signup_limit = 0\n"};
	return it_server_start(&srv, &o) == 0 ? 0 : -1;
}

static int group_teardown(void **state)
{
	return it_server_finish(&srv);
}

/* ---- helpers ---- */

static void assert_contains(const char *body, const char *needle)
{
	if (!body || !strstr(body, needle))
		fail_msg("response does not contain \"%s\": %.400s", needle, body ? body : "");
}

static void assert_lacks(const char *body, const char *needle)
{
	if (body && strstr(body, needle))
		fail_msg("response contains \"%s\"", needle);
}

/* "k1=v1&k2=v2..." from NULL-terminated pairs, values url-encoded. */
static char *form_of(const char *const kv[])
{
	size_t cap = 64;
	for (int i = 0; kv[i]; i += 2)
		cap += strlen(kv[i]) + strlen(kv[i + 1]) * 3 + 2;
	char *out = malloc(cap);
	assert_non_null(out);
	size_t n = 0;
	for (int i = 0; kv[i]; i += 2) {
		char *v = it_urlencode(kv[i + 1]);
		n += (size_t)snprintf(out + n, cap - n, "%s%s=%s", i ? "&" : "", kv[i], v);
		free(v);
	}
	return out;
}

/* Cookie header for a session (may be NULL) with the anonymous CSRF
 * cookie, plus extra header lines. */
static const char *cookies(char *buf, size_t len, const char *session, const char *extra)
{
	snprintf(buf, len, "Cookie: csrf=" IT_CSRF "%s%s\r\n%s", session ? "; mc_session=" : "",
		 session ? session : "", extra ? extra : "");
	return buf;
}

static struct http_resp post(const char *path, const char *const kv[], const char *session,
			     const char *extra, int want)
{
	char h[1024], c[512];
	snprintf(h, sizeof(h), "Content-Type: application/x-www-form-urlencoded\r\n%s",
		 cookies(c, sizeof(c), session, extra));
	char *form = form_of(kv);
	struct http_resp r;
	int rc = http_fetch(srv.port, "POST", path, h, form, strlen(form), &r);
	free(form);
	assert_int_equal(rc, 0);
	if (r.status != want)
		fail_msg("POST %s: %d, wanted %d; body: %.600s", path, r.status, want, r.body);
	return r;
}

static struct http_resp get(const char *path, const char *session, int want)
{
	char c[512];
	struct http_resp r;
	assert_int_equal(http_fetch(srv.port, "GET", path, cookies(c, sizeof(c), session, NULL),
				    NULL, 0, &r),
			 0);
	if (r.status != want)
		fail_msg("GET %s: %d, wanted %d; body: %.300s", path, r.status, want, r.body);
	return r;
}

static struct http_resp api(const char *method, const char *path, const char *bearer,
			    const char *json, int want)
{
	char h[512];
	snprintf(h, sizeof(h), "Content-Type: application/json\r\n%s%s%s",
		 bearer ? "Authorization: Bearer " : "", bearer ? bearer : "",
		 bearer ? "\r\n" : "");
	struct http_resp r;
	assert_int_equal(http_fetch(srv.port, method, path, h, json, json ? strlen(json) : 0, &r),
			 0);
	if (r.status != want)
		fail_msg("%s %s: %d, wanted %d; body: %.400s", method, path, r.status, want,
			 r.body);
	return r;
}

/* True when the session token still opens /tai-khoan. */
static bool signed_in(const char *session)
{
	char c[512];
	struct http_resp r;
	assert_int_equal(http_fetch(srv.port, "GET", "/tai-khoan",
				    cookies(c, sizeof(c), session, NULL), NULL, 0, &r),
			 0);
	bool in = r.status == 200;
	if (!in && r.status != 303)
		fail_msg("GET /tai-khoan: %d", r.status);
	if (!in)
		assert_non_null(strstr(http_resp_header(&r, "Location"), "/dang-nhap?tiep="));
	http_resp_free(&r);
	return in;
}

/* Signs in through the page (from address addr); the new session token. */
static char *sign_in(const char *login, const char *password, const char *old_session,
		     const char *addr)
{
	char extra[128] = "";
	if (addr)
		snprintf(extra, sizeof(extra), "X-Real-IP: %s\r\n", addr);
	const char *kv[] = {"csrf", IT_CSRF, "login", login, "password", password, NULL};
	struct http_resp r = post("/dang-nhap", kv, old_session, extra, 303);
	char *tok = it_set_cookie(&r, "mc_session");
	assert_non_null(tok);
	assert_int_equal(strlen(tok), 64);
	http_resp_free(&r);
	return tok;
}

/* The CSRF token a signed-in page carries in its forms (malloc'd). */
static char *session_csrf(const char *session)
{
	struct http_resp r = get("/tai-khoan", session, 200);
	const char *p = strstr(r.body, "name=\"csrf\" value=\"");
	assert_non_null(p);
	p += strlen("name=\"csrf\" value=\"");
	char *out = strndup(p, 64);
	http_resp_free(&r);
	return out;
}

static long long count(const char *sql, const char *arg)
{
	long long n = it_db_count(srv.db_path, sql, arg);
	assert_true(n >= 0);
	return n;
}

static void db_exec_f(const char *fmt, ...)
{
	char sql[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(sql, sizeof(sql), fmt, ap);
	va_end(ap);
	assert_int_equal(it_db_exec(srv.db_path, sql), 0);
}

/* A fresh valid CCCD of a man born in 1990 (province 037). */
static const char *new_cccd(char out[13])
{
	static int n = 100;
	snprintf(out, 13, "037090%06d", n++);
	return out;
}

/* Registers Nguyễn Văn Thử through the page; the new session token. */
static char *register_citizen(const char *cccd, const char *email, const char *password)
{
	struct http_resp r;
	assert_int_equal(
		it_register_citizen(srv.port, NULL, "Nguyễn Văn Thử", cccd, email, password, &r),
		0);
	if (r.status != 303)
		fail_msg("POST /dang-ky: %d, wanted 303; body: %.600s", r.status, r.body);
	assert_string_equal(http_resp_header(&r, "Location"), "/tai-khoan?xong=dang-ky");
	char *tok = it_set_cookie(&r, "mc_session");
	assert_non_null(tok);
	http_resp_free(&r);
	return tok;
}

/* ---- demo accounts ---- */

static void test_demo_accounts_file_is_valid_and_every_password_signs_in(void **state)
{
	char path[PATH_MAX + 64];
	snprintf(path, sizeof(path), "%s/demo-accounts.tsv", srv.data);
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	char *text = it_read_file(path, NULL);
	assert_non_null(text);
	int lines = 0, citizens = 0, businesses = 0, desks = 0, specialists = 0, leaders = 0,
	    admins = 0, sysadmins = 0;
	char *save = NULL;
	for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *f[5] = {0};
		int n = 0;
		char *p = line;
		while (n < 5) {
			f[n++] = p;
			char *tab = strchr(p, '\t');
			if (!tab)
				break;
			*tab = '\0';
			p = tab + 1;
		}
		if (n != 4)
			fail_msg("line %d has %d columns", lines + 1, n);
		lines++;
		const char *role = f[2], *agency = f[3];
		citizens += !strcmp(role, "citizen");
		businesses += !strcmp(role, "business");
		desks += !strcmp(role, "desk");
		specialists += !strcmp(role, "specialist");
		leaders += !strcmp(role, "leader");
		admins += !strcmp(role, "agency-admin");
		sysadmins += !strcmp(role, "sysadmin");
		bool officer = strcmp(role, "citizen") && strcmp(role, "business");
		if (officer && strcmp(role, "sysadmin"))
			assert_int_equal(
				count("SELECT COUNT(*) FROM agency WHERE code = $1", agency), 1);
		char body[512];
		snprintf(body, sizeof(body), "{\"login\":\"%s\",\"password\":\"%s\"}", f[0], f[1]);
		struct http_resp r = api("POST", "/api/v1/tokens", NULL, body, 201);
		http_resp_free(&r);
	}
	free(text);
	assert_true(citizens >= 2 && businesses >= 1 && desks >= 2 && specialists >= 2 &&
		    leaders >= 2 && admins >= 1 && sysadmins == 1);
	assert_int_equal(lines, citizens + businesses + desks + specialists + leaders + admins +
					sysadmins);
}

/* ---- registration ---- */

static void test_register_every_error_beside_its_field_nothing_stored(void **state)
{
	long long before = count("SELECT COUNT(*) FROM account", NULL);
	const char *kv[] = {"csrf",  IT_CSRF,	  "kind",  "citizen",	  "full_name",
			    "",	     "id_number", "12345", "birth_date",  "31/02/1990",
			    "phone", "12345",	  "email", "khong-email", "address",
			    "",	     "password",  "abc",   NULL};
	struct http_resp r = post("/dang-ky", kv, NULL, NULL, 422);
	const char *fields[] = {"full_name", "id_number", "birth_date", "phone",
				"email",     "address",	  "password",	"consent"};
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		char id[64];
		snprintf(id, sizeof(id), "<p class=\"msg\" id=\"e-%s\">", fields[i]);
		assert_contains(r.body, id);
		snprintf(id, sizeof(id), "href=\"#f-%s\"", fields[i]);
		assert_contains(r.body, id);
	}
	assert_contains(r.body, "value=\"12345\""); /* what was typed stays */
	assert_lacks(r.body, "value=\"abc\"");	    /* never a password */
	http_resp_free(&r);
	assert_int_equal(count("SELECT COUNT(*) FROM account", NULL), before);

	/* A CCCD that does not match the year of birth, shown on its field. */
	const char *kv2[] = {"csrf",	   IT_CSRF,	     "kind",	  "citizen",
			     "full_name",  "Lê Văn Sai",     "id_number", "037095000001",
			     "birth_date", "01/01/1990",     "phone",	  "0912345678",
			     "email",	   "sai@vidu.vn",    "address",	  "Ninh Bình",
			     "password",   "HoaSen@Trang26", "consent",	  "1",
			     NULL};
	r = post("/dang-ky", kv2, NULL, NULL, 422);
	assert_contains(r.body, "id=\"e-id_number\"");
	assert_lacks(r.body, "id=\"e-birth_date\"");
	http_resp_free(&r);
	assert_int_equal(count("SELECT COUNT(*) FROM account", NULL), before);
}

static void test_register_citizen_then_duplicate_cccd_is_a_field_error(void **state)
{
	char cccd[13];
	new_cccd(cccd);
	char *tok = register_citizen(cccd, "trung1@vidu.vn", "HoaSen@Trang26");
	assert_true(signed_in(tok));
	char *cols[3] = {0};
	assert_int_equal(
		it_db_row(srv.db_path,
			  "SELECT gender, birth_date, consent_at FROM account WHERE login = $1",
			  cccd, cols, 3),
		1);
	assert_string_equal(cols[0], "male");
	assert_string_equal(cols[1], "1990-02-01");
	assert_non_null(cols[2]);
	for (int i = 0; i < 3; i++)
		free(cols[i]);
	const char *kv[] = {"csrf",	  IT_CSRF,	    "kind",	 "citizen",
			    "full_name",  "Người Khác",	    "id_number", cccd,
			    "birth_date", "01/02/1990",	    "phone",	 "0987654321",
			    "email",	  "trung2@vidu.vn", "address",	 "Ninh Bình",
			    "password",	  "HoaSen@Trang27", "consent",	 "1",
			    NULL};
	struct http_resp r = post("/dang-ky", kv, NULL, NULL, 422);
	assert_contains(r.body, "id=\"e-id_number\"");
	http_resp_free(&r);
	assert_int_equal(count("SELECT COUNT(*) FROM account WHERE id_number = $1", cccd), 1);
	free(tok);
}

static void test_register_business_checks_the_tax_code(void **state)
{
	const char *bad[] = {
		"csrf",	       IT_CSRF,	     "kind",	       "business",	 "company_name",
		"Công ty Sai", "tax_code",   "2700123458",     "representative", "Ông Sai",
		"phone",       "0369123456", "email",	       "sai@cty.vn",	 "address",
		"Ninh Bình",   "password",   "HoaSen@Trang26", "consent",	 "1",
		NULL};
	struct http_resp r = post("/dang-ky", bad, NULL, NULL, 422);
	assert_contains(r.body, "id=\"e-tax_code\"");
	http_resp_free(&r);
	assert_int_equal(count("SELECT COUNT(*) FROM account WHERE tax_code = '2700123458'", NULL),
			 0);
	const char *good[] = {"csrf",
			      IT_CSRF,
			      "kind",
			      "business",
			      "company_name",
			      "Công ty Đúng",
			      "tax_code",
			      "0100109106",
			      "representative",
			      "Bà Đúng",
			      "phone",
			      "0369123457",
			      "email",
			      "dung@cty.vn",
			      "address",
			      "Ninh Bình",
			      "password",
			      "HoaSen@Trang26",
			      "consent",
			      "1",
			      NULL};
	r = post("/dang-ky", good, NULL, NULL, 303);
	http_resp_free(&r);
	assert_int_equal(count("SELECT COUNT(*) FROM account WHERE login = '0100109106' AND"
			       " kind = 'business' AND roles = 2",
			       NULL),
			 1);
}

static void test_api_register_lists_every_field_problem(void **state)
{
	struct http_resp r = api("POST", "/api/v1/accounts", NULL,
				 "{\"kind\":\"citizen\",\"full_name\":\"A\",\"id_number\":\"1\","
				 "\"birth_date\":\"1990-13-01\",\"phone\":\"1\",\"email\":\"x\","
				 "\"address\":\"\",\"password\":\"a\"}",
				 422);
	json_t *j = json_loads(r.body, 0, NULL);
	assert_non_null(j);
	json_t *fields = json_object_get(json_object_get(j, "error"), "fields");
	const char *want[] = {"id_number", "birth_date", "phone",  "email",
			      "address",   "password",	 "consent"};
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		if (!json_is_string(json_object_get(fields, want[i])))
			fail_msg("no problem for %s in %s", want[i], r.body);
	json_decref(j);
	http_resp_free(&r);
	char cccd[13], body[512];
	new_cccd(cccd);
	snprintf(body, sizeof(body),
		 "{\"kind\":\"citizen\",\"full_name\":\"Phạm Thị API\",\"id_number\":\"%s\","
		 "\"birth_date\":\"1990-02-01\",\"phone\":\"+84912000111\",\"email\":"
		 "\"api-%s@vidu.vn\",\"address\":\"Ninh Bình\",\"password\":\"HoaSen@Trang26\","
		 "\"consent\":true}",
		 cccd, cccd);
	r = api("POST", "/api/v1/accounts", NULL, body, 201);
	assert_contains(r.body, "\"phone\":\"0912000111\"");
	http_resp_free(&r);
	r = api("POST", "/api/v1/accounts", NULL, body, 422);
	assert_contains(r.body, "\"id_number\"");
	http_resp_free(&r);
}

/* ---- sign-in, sign-out, expiry ---- */

static void test_sign_in_issues_a_new_token_and_drops_the_one_brought(void **state)
{
	char cccd[13];
	new_cccd(cccd);
	free(register_citizen(cccd, "fix@vidu.vn", "HoaSen@Trang26"));
	struct http_resp r = get("/dang-nhap?tiep=/thu-tuc", NULL, 200);
	assert_contains(r.body, "name=\"tiep\" value=\"/thu-tuc\"");
	http_resp_free(&r);
	r = get("/dang-nhap?tiep=//evil.example/x", NULL, 200);
	assert_contains(r.body, "name=\"tiep\" value=\"/tai-khoan\"");
	http_resp_free(&r);

	char *first = sign_in(cccd, "HoaSen@Trang26", NULL, NULL);
	/* A token planted by someone else (or an older one) is never kept. */
	char *second = sign_in(cccd, "HoaSen@Trang26", first, NULL);
	assert_string_not_equal(first, second);
	assert_false(signed_in(first));
	assert_true(signed_in(second));
	char *third = sign_in("fix@vidu.vn", "HoaSen@Trang26", BAD, NULL); /* by email */
	assert_string_not_equal(third, BAD);
	assert_true(signed_in(third));

	const char *kv[] = {"csrf",	      IT_CSRF, "login",	   cccd, "password",
			    "HoaSen@Trang26", "tiep",  "/thu-tuc", NULL};
	r = post("/dang-nhap", kv, NULL, NULL, 303);
	assert_string_equal(http_resp_header(&r, "Location"), "/thu-tuc");
	http_resp_free(&r);
	free(first);
	free(second);
	free(third);
}

static void test_sign_out_ends_the_session_and_needs_csrf(void **state)
{
	char cccd[13];
	new_cccd(cccd);
	char *tok = register_citizen(cccd, "out@vidu.vn", "HoaSen@Trang26");
	char *csrf = session_csrf(tok);
	struct http_resp r = get("/tai-khoan", tok, 200);
	assert_contains(r.body, "action=\"/dang-xuat\"");
	assert_contains(r.body, "Nguyễn Văn Thử");
	http_resp_free(&r);
	const char *wrong[] = {"csrf", BAD, NULL};
	r = post("/dang-xuat", wrong, tok, NULL, 403);
	http_resp_free(&r);
	const char *none[] = {"x", "1", NULL};
	r = post("/dang-xuat", none, tok, NULL, 403);
	http_resp_free(&r);
	assert_true(signed_in(tok));
	const char *right[] = {"csrf", csrf, NULL};
	r = post("/dang-xuat", right, tok, NULL, 303);
	char *cleared = it_set_cookie(&r, "mc_session");
	assert_non_null(cleared);
	assert_string_equal(cleared, "");
	free(cleared);
	http_resp_free(&r);
	assert_false(signed_in(tok));
	assert_int_equal(count("SELECT COUNT(*) FROM session s JOIN account a ON a.id ="
			       " s.account_id WHERE a.login = $1",
			       cccd),
			 0);
	free(tok);
	free(csrf);
}

static void test_sign_out_everywhere_ends_every_session_and_token(void **state)
{
	char cccd[13], body[256];
	new_cccd(cccd);
	char *a = register_citizen(cccd, "all@vidu.vn", "HoaSen@Trang26");
	char *b = sign_in(cccd, "HoaSen@Trang26", NULL, NULL);
	snprintf(body, sizeof(body), "{\"login\":\"%s\",\"password\":\"HoaSen@Trang26\"}", cccd);
	struct http_resp r = api("POST", "/api/v1/tokens", NULL, body, 201);
	json_t *j = json_loads(r.body, 0, NULL);
	char *bearer = strdup(json_string_value(json_object_get(j, "token")));
	json_decref(j);
	http_resp_free(&r);
	r = api("GET", "/api/v1/me", bearer, NULL, 200);
	http_resp_free(&r);
	char *csrf = session_csrf(b);
	const char *kv[] = {"csrf", csrf, NULL};
	r = post("/tai-khoan/dang-xuat-tat-ca", kv, b, NULL, 303);
	http_resp_free(&r);
	assert_false(signed_in(a));
	assert_false(signed_in(b));
	r = api("GET", "/api/v1/me", bearer, NULL, 401);
	http_resp_free(&r);
	free(a);
	free(b);
	free(bearer);
	free(csrf);
}

static void test_idle_and_absolute_expiry_sign_out(void **state)
{
	char cccd[13];
	new_cccd(cccd);
	char *tok = register_citizen(cccd, "idle@vidu.vn", "HoaSen@Trang26");
	assert_true(signed_in(tok));
	db_exec_f("UPDATE session SET last_seen = last_seen - 1860 WHERE account_id IN"
		  " (SELECT id FROM account WHERE login = '%s')",
		  cccd);
	assert_false(signed_in(tok));
	char *tok2 = sign_in(cccd, "HoaSen@Trang26", NULL, NULL);
	assert_true(signed_in(tok2));
	/* Active all along (last_seen fresh) but past its absolute end. */
	db_exec_f("UPDATE session SET expires_at = last_seen - 1 WHERE account_id IN"
		  " (SELECT id FROM account WHERE login = '%s')",
		  cccd);
	assert_false(signed_in(tok2));
	free(tok);
	free(tok2);
}

static void test_csrf_missing_or_wrong_is_403_and_nothing_changes(void **state)
{
	char cccd[13];
	new_cccd(cccd);
	char *tok = register_citizen(cccd, "csrf@vidu.vn", "HoaSen@Trang26");
	char *cols[1] = {0};
	assert_int_equal(it_db_row(srv.db_path,
				   "SELECT password_hash FROM account WHERE login = $1", cccd, cols,
				   1),
			 1);
	const char *none[] = {"current", "HoaSen@Trang26", "password", "CayTre#Xanh99", NULL};
	struct http_resp r = post("/tai-khoan/mat-khau", none, tok, NULL, 403);
	http_resp_free(&r);
	const char *wrong[] = {"csrf",		BAD, "current", "HoaSen@Trang26", "password",
			       "CayTre#Xanh99", NULL};
	r = post("/tai-khoan/mat-khau", wrong, tok, NULL, 403);
	http_resp_free(&r);
	const char *close[] = {"csrf", BAD, "close_password", "HoaSen@Trang26", NULL};
	r = post("/tai-khoan/dong", close, tok, NULL, 403);
	http_resp_free(&r);
	char *after[1] = {0};
	assert_int_equal(it_db_row(srv.db_path,
				   "SELECT password_hash FROM account WHERE login = $1 AND"
				   " closed_at IS NULL",
				   cccd, after, 1),
			 1);
	assert_string_equal(cols[0], after[0]);
	free(cols[0]);
	free(after[0]);
	/* With the session's token the change goes through. */
	char *csrf = session_csrf(tok);
	const char *ok[] = {"csrf",	     "",  "current", "HoaSen@Trang26", "password",
			    "CayTre#Xanh99", NULL};
	((const char **)ok)[1] = csrf;
	r = post("/tai-khoan/mat-khau", ok, tok, NULL, 303);
	http_resp_free(&r);
	assert_true(signed_in(tok)); /* this session stays */
	free(sign_in(cccd, "CayTre#Xanh99", NULL, NULL));
	free(tok);
	free(csrf);
}

/* ---- throttling ---- */

static void test_failed_sign_ins_lock_the_account_then_the_window_passes(void **state)
{
	char cccd[13], body[256];
	new_cccd(cccd);
	free(register_citizen(cccd, "lock@vidu.vn", "HoaSen@Trang26"));
	const char *kv[] = {"csrf", IT_CSRF, "login", cccd, "password", "sai-mat-khau1", NULL};
	const char *ip = "X-Real-IP: 10.20.0.1\r\n";
	for (int i = 0; i < 4; i++) {
		struct http_resp r = post("/dang-nhap", kv, NULL, ip, 401);
		assert_contains(r.body, "không đúng");
		http_resp_free(&r);
	}
	struct http_resp r = post("/dang-nhap", kv, NULL, ip, 429);
	assert_contains(r.body, "thử lại sau 15 phút");
	assert_non_null(http_resp_header(&r, "Retry-After"));
	http_resp_free(&r);
	/* The right password is refused while the lock lasts, from anywhere,
	 * in the browser and in the API. */
	const char *right[] = {"csrf", IT_CSRF, "login", cccd, "password", "HoaSen@Trang26", NULL};
	r = post("/dang-nhap", right, NULL, "X-Real-IP: 10.20.0.2\r\n", 429);
	http_resp_free(&r);
	snprintf(body, sizeof(body), "{\"login\":\"%s\",\"password\":\"HoaSen@Trang26\"}", cccd);
	r = api("POST", "/api/v1/tokens", NULL, body, 429);
	assert_non_null(http_resp_header(&r, "Retry-After"));
	http_resp_free(&r);
	/* Once the window has passed, it works, and the counter starts over. */
	db_exec_f(
		"UPDATE throttle SET window_start = window_start - 901 WHERE key LIKE 'login:%%'");
	free(sign_in(cccd, "HoaSen@Trang26", NULL, "10.20.0.3"));
	assert_int_equal(count("SELECT COUNT(*) FROM throttle t JOIN account a ON t.key ="
			       " 'login:' || a.id WHERE a.login = $1",
			       cccd),
			 0);
}

static void test_failed_sign_ins_from_one_address_lock_that_address(void **state)
{
	char cccd[13];
	new_cccd(cccd);
	free(register_citizen(cccd, "addr@vidu.vn", "HoaSen@Trang26"));
	const char *ip = "X-Real-IP: 10.30.0.1\r\n";
	for (int i = 0; i < 30; i++) {
		char login[32];
		snprintf(login, sizeof(login), "khong-co-%d", i);
		const char *kv[] = {"csrf", IT_CSRF, "login", login, "password", "x1234567", NULL};
		struct http_resp r = post("/dang-nhap", kv, NULL, ip, i < 29 ? 401 : 429);
		http_resp_free(&r);
	}
	const char *right[] = {"csrf", IT_CSRF, "login", cccd, "password", "HoaSen@Trang26", NULL};
	struct http_resp r = post("/dang-nhap", right, NULL, ip, 429);
	http_resp_free(&r);
	free(sign_in(cccd, "HoaSen@Trang26", NULL, "10.30.0.2")); /* another address is fine */
}

/* ---- API tokens ---- */

static void test_api_tokens_create_use_list_revoke(void **state)
{
	char cccd[13], body[256];
	new_cccd(cccd);
	free(register_citizen(cccd, "tok@vidu.vn", "HoaSen@Trang26"));
	snprintf(body, sizeof(body), "{\"login\":\"%s\",\"password\":\"sai-roi-1\"}", cccd);
	struct http_resp r = api("POST", "/api/v1/tokens", NULL, body, 401);
	http_resp_free(&r);
	r = api("POST", "/api/v1/tokens", NULL, "[1]", 400);
	http_resp_free(&r);
	snprintf(body, sizeof(body),
		 "{\"login\":\"%s\",\"password\":\"HoaSen@Trang26\",\"label\":\"điện thoại\"}",
		 cccd);
	char *tokens[2], *ids[2];
	for (int i = 0; i < 2; i++) {
		r = api("POST", "/api/v1/tokens", NULL, body, 201);
		json_t *j = json_loads(r.body, 0, NULL);
		tokens[i] = strdup(json_string_value(json_object_get(j, "token")));
		ids[i] = strdup(json_string_value(json_object_get(j, "id")));
		assert_int_equal(strlen(tokens[i]), 64);
		assert_int_equal(strlen(ids[i]), 16);
		assert_true(json_is_string(json_object_get(j, "expires_at")));
		json_decref(j);
		http_resp_free(&r);
	}
	r = api("GET", "/api/v1/me", tokens[0], NULL, 200);
	assert_contains(r.body, cccd);
	assert_lacks(r.body, "password");
	http_resp_free(&r);
	r = api("GET", "/api/v1/tokens", tokens[0], NULL, 200);
	assert_contains(r.body, ids[0]);
	assert_contains(r.body, ids[1]);
	assert_lacks(r.body, tokens[0]);
	assert_lacks(r.body, tokens[1]);
	http_resp_free(&r);
	char path[64];
	snprintf(path, sizeof(path), "/api/v1/tokens/%s", ids[1]);
	r = api("DELETE", path, tokens[0], NULL, 204);
	http_resp_free(&r);
	r = api("DELETE", path, tokens[0], NULL, 404);
	http_resp_free(&r);
	r = api("GET", "/api/v1/me", tokens[1], NULL, 401);
	http_resp_free(&r);
	r = api("DELETE", "/api/v1/tokens/current", tokens[0], NULL, 204);
	http_resp_free(&r);
	r = api("GET", "/api/v1/me", tokens[0], NULL, 401);
	http_resp_free(&r);
	r = api("GET", "/api/v1/me", "garbage", NULL, 401);
	http_resp_free(&r);
	r = api("GET", "/api/v1/me", BAD, NULL, 401);
	http_resp_free(&r);
	r = api("GET", "/api/v1/me", NULL, NULL, 401);
	http_resp_free(&r);
	for (int i = 0; i < 2; i++) {
		free(tokens[i]);
		free(ids[i]);
	}
}

/* ---- password reset ---- */

static char *reset_link_token(const char *email)
{
	char *cols[1] = {0};
	assert_int_equal(it_db_row(srv.db_path,
				   "SELECT body FROM mail_outbox WHERE to_addr = $1 ORDER BY"
				   " created_at DESC",
				   email, cols, 1),
			 1);
	/* The link is on the configured public_url, whatever Host the
	 * request carried. */
	const char *p = strstr(cols[0], "http://127.0.0.1:8080/dat-lai-mat-khau?t=");
	assert_non_null(p);
	p = strstr(p, "/dat-lai-mat-khau?t=");
	char *t = strndup(p + strlen("/dat-lai-mat-khau?t="), 64);
	free(cols[0]);
	return t;
}

static void test_password_reset_link_works_once_and_ends_sessions(void **state)
{
	char cccd[13];
	new_cccd(cccd);
	char *old = register_citizen(cccd, "quen@vidu.vn", "HoaSen@Trang26");
	const char *known[] = {"csrf", IT_CSRF, "email", "Quen@vidu.vn", NULL};
	struct http_resp r1 = post("/quen-mat-khau", known, NULL, NULL, 200);
	const char *unknown[] = {"csrf", IT_CSRF, "email", "nobody@vidu.vn", NULL};
	struct http_resp r2 = post("/quen-mat-khau", unknown, NULL, NULL, 200);
	assert_string_equal(strstr(r1.body, "<main"), strstr(r2.body, "<main"));
	http_resp_free(&r1);
	http_resp_free(&r2);
	assert_int_equal(
		count("SELECT COUNT(*) FROM mail_outbox WHERE to_addr = $1", "nobody@vidu.vn"), 0);
	char *t = reset_link_token("quen@vidu.vn");
	char path[128];
	snprintf(path, sizeof(path), "/dat-lai-mat-khau?t=%s", t);
	struct http_resp r = get(path, NULL, 200);
	assert_contains(r.body, "name=\"t\"");
	http_resp_free(&r);
	const char *weak[] = {"csrf", IT_CSRF, "t", t, "password", "123", NULL};
	r = post("/dat-lai-mat-khau", weak, NULL, NULL, 422);
	assert_contains(r.body, "id=\"e-password\"");
	http_resp_free(&r);
	const char *kv[] = {"csrf", IT_CSRF, "t", t, "password", "DongLua!Vang77", NULL};
	r = post("/dat-lai-mat-khau", kv, NULL, NULL, 200);
	http_resp_free(&r);
	assert_false(signed_in(old));
	r = post("/dat-lai-mat-khau", kv, NULL, NULL, 404); /* once only */
	http_resp_free(&r);
	r = get(path, NULL, 404);
	http_resp_free(&r);
	free(sign_in(cccd, "DongLua!Vang77", NULL, "10.40.0.1"));
	const char *oldpw[] = {"csrf", IT_CSRF, "login", cccd, "password", "HoaSen@Trang26", NULL};
	r = post("/dang-nhap", oldpw, NULL, "X-Real-IP: 10.40.0.1\r\n", 401);
	http_resp_free(&r);
	/* An expired link is dead too. */
	db_exec_f("DELETE FROM mail_outbox WHERE to_addr = 'quen@vidu.vn'");
	r1 = post("/quen-mat-khau", known, NULL, NULL, 200);
	http_resp_free(&r1);
	char *t2 = reset_link_token("quen@vidu.vn");
	db_exec_f("UPDATE password_reset SET expires_at = expires_at - 3601");
	const char *kv2[] = {"csrf", IT_CSRF, "t", t2, "password", "NuiNon*Nuoc88", NULL};
	r = post("/dat-lai-mat-khau", kv2, NULL, NULL, 404);
	http_resp_free(&r);
	free(t);
	free(t2);
	free(old);
}

static void test_reset_mails_are_capped_per_account(void **state)
{
	char cccd[13];
	new_cccd(cccd);
	free(register_citizen(cccd, "nhieu@vidu.vn", "HoaSen@Trang26"));
	const char *kv[] = {"csrf", IT_CSRF, "email", "nhieu@vidu.vn", NULL};
	for (int i = 0; i < 5; i++) {
		struct http_resp r = post("/quen-mat-khau", kv, NULL, NULL, 200);
		http_resp_free(&r);
	}
	assert_int_equal(
		count("SELECT COUNT(*) FROM mail_outbox WHERE to_addr = $1", "nhieu@vidu.vn"), 3);
}

/* ---- my data, closing ---- */

/* After closing (Decree 13/2023): the row keeps only its id, kind and
 * times; no session, token, draft or reset link is left; the submitted
 * dossier keeps the applicant's data as submitted; the entry is audited;
 * the same CCCD and email register again. */
static void closed_account_is_erased(const char *id, const char *cccd, const char *email)
{
	assert_int_equal(count("SELECT COUNT(*) FROM account WHERE id = $1 AND closed_at IS NOT"
			       " NULL AND login = 'closed:' || id AND full_name = '(tài khoản đã"
			       " đóng)' AND id_number IS NULL AND birth_date IS NULL AND gender IS"
			       " NULL AND tax_code IS NULL AND phone = '' AND email = '' AND"
			       " address = '' AND password_hash = '!'",
			       id),
			 1);
	assert_int_equal(
		count("SELECT COUNT(*) FROM account WHERE login = $1 OR id_number = $1", cccd), 0);
	assert_int_equal(count("SELECT COUNT(*) FROM session WHERE account_id = $1", id), 0);
	assert_int_equal(count("SELECT COUNT(*) FROM password_reset WHERE account_id = $1", id), 0);
	assert_int_equal(
		count("SELECT COUNT(*) FROM dossier WHERE account_id = $1 AND status = 0", id), 0);
	assert_int_equal(count("SELECT COUNT(*) FROM dossier WHERE account_id = $1 AND status = 1"
			       " AND applicant LIKE '%Nguyễn Văn Thử%'",
			       id),
			 1);
	char subject[96];
	snprintf(subject, sizeof(subject), "account:%s", id);
	assert_int_equal(count("SELECT COUNT(*) FROM audit_log WHERE subject = $1 AND action ="
			       " 'account.close' AND data LIKE '%personal_data_erased%'",
			       subject),
			 1);
	char *again = register_citizen(cccd, email, "HoaSen@Trang26");
	assert_true(signed_in(again));
	free(again);
}

/* A draft and a submitted dossier of account id (rows as the form writes them). */
static void add_draft_and_dossier(const char *id)
{
	char *pa[2] = {NULL, NULL};
	assert_int_equal(it_db_row(srv.db_path,
				   "SELECT procedure_code, agency_code FROM procedure_agency"
				   " ORDER BY procedure_code LIMIT 1",
				   NULL, pa, 2),
			 1);
	for (int st = 0; st < 2; st++)
		db_exec_f("INSERT INTO dossier (id, code, procedure_code, agency_code, account_id,"
			  " status, applicant, created_at, updated_at) VALUES ('%s-%d', %s, '%s',"
			  " '%s', '%s', %d, '{\"name\":\"Nguyễn Văn Thử\"}', '2026-11-29 08:00:00',"
			  " '2026-11-29 08:00:00')",
			  id, st, st ? "'000.00.16.H43-261129-9999'" : "NULL", pa[0], pa[1], id,
			  st);
	free(pa[0]);
	free(pa[1]);
}

static void test_data_export_and_closing_the_account(void **state)
{
	char cccd[13];
	new_cccd(cccd);
	char *tok = register_citizen(cccd, "dong@vidu.vn", "HoaSen@Trang26");
	struct http_resp r = get("/tai-khoan/du-lieu", tok, 200);
	assert_contains(http_resp_header(&r, "Content-Disposition"), "attachment");
	json_t *j = json_loads(r.body, 0, NULL);
	assert_non_null(j);
	assert_string_equal(
		json_string_value(json_object_get(json_object_get(j, "account"), "login")), cccd);
	assert_true(json_array_size(json_object_get(j, "sessions")) >= 1);
	assert_true(json_is_array(json_object_get(j, "dossiers")));
	char *id = strdup(json_string_value(json_object_get(json_object_get(j, "account"), "id")));
	assert_lacks(r.body, "argon2");
	assert_lacks(r.body, "password_hash");
	json_decref(j);
	http_resp_free(&r);
	add_draft_and_dossier(id);
	const char *forgot[] = {"csrf", IT_CSRF, "email", "dong@vidu.vn", NULL};
	r = post("/quen-mat-khau", forgot, NULL, NULL, 200);
	http_resp_free(&r);
	assert_int_equal(count("SELECT COUNT(*) FROM password_reset WHERE account_id = $1", id), 1);
	char *csrf = session_csrf(tok);
	const char *wrong[] = {"csrf", csrf, "close_password", "sai-mat-khau", NULL};
	r = post("/tai-khoan/dong", wrong, tok, NULL, 422);
	assert_contains(r.body, "id=\"e-close_password\"");
	http_resp_free(&r);
	assert_true(signed_in(tok));
	const char *right[] = {"csrf", csrf, "close_password", "HoaSen@Trang26", NULL};
	r = post("/tai-khoan/dong", right, tok, NULL, 200);
	http_resp_free(&r);
	assert_false(signed_in(tok));
	const char *kv[] = {"csrf", IT_CSRF, "login", cccd, "password", "HoaSen@Trang26", NULL};
	r = post("/dang-nhap", kv, NULL, "X-Real-IP: 10.50.0.1\r\n", 401);
	http_resp_free(&r);
	free(tok);
	free(csrf);
	closed_account_is_erased(id, cccd, "dong@vidu.vn");
	free(id);
}

/* ---- officers ---- */

static int run_cli(struct it_cmd *c, const char *const argv[])
{
	const char *env[] = {srv.db_env[0] ? srv.db_env : NULL, NULL};
	return it_run(c, argv, env, IT_START_MS);
}

static char *password_from(const char *out)
{
	const char *p = strstr(out, "password: ");
	assert_non_null(p);
	p += strlen("password: ");
	return strndup(p, strcspn(p, "\n"));
}

static void test_user_add_on_the_command_line(void **state)
{
	struct it_cmd c;
	const char *add[] = {it_bin(),		 "user",    "add",	  "--data",
			     srv.data,		 "--login", "cli.motcua", "--name",
			     "Cán bộ Dòng lệnh", "--role",  "desk",	  "--agency",
			     "so-tu-phap",	 NULL};
	assert_int_equal(run_cli(&c, add), 0);
	if (c.status != 0)
		fail_msg("user add: %d %s", c.status, c.err);
	char *pw = password_from(c.out);
	assert_int_equal(strlen(pw), 16);
	it_cmd_free(&c);
	char body[256];
	snprintf(body, sizeof(body), "{\"login\":\"cli.motcua\",\"password\":\"%s\"}", pw);
	struct http_resp r = api("POST", "/api/v1/tokens", NULL, body, 201);
	http_resp_free(&r);
	free(pw);
	assert_int_equal(run_cli(&c, add), 0); /* the same login again */
	assert_int_equal(c.status, 1);
	assert_non_null(strstr(c.err, "--login"));
	it_cmd_free(&c);
	const char *no_agency[] = {it_bin(), "user",   "add",	   "--data", srv.data, "--login",
				   "cli.b",  "--name", "Cán bộ B", "--role", "leader", NULL};
	assert_int_equal(run_cli(&c, no_agency), 0);
	assert_int_equal(c.status, 1);
	assert_non_null(strstr(c.err, "--agency"));
	it_cmd_free(&c);
	const char *bad_agency[] = {it_bin(),  "user",	   "add",      "--data",   srv.data,
				    "--login", "cli.c",	   "--name",   "Cán bộ C", "--role",
				    "leader",  "--agency", "khong-co", NULL};
	assert_int_equal(run_cli(&c, bad_agency), 0);
	assert_int_equal(c.status, 1);
	assert_non_null(strstr(c.err, "no agency"));
	it_cmd_free(&c);
	const char *bad_role[] = {it_bin(), "user",   "add",	  "--data", srv.data, "--login",
				  "cli.d",  "--name", "Cán bộ D", "--role", "boss",   NULL};
	assert_int_equal(run_cli(&c, bad_role), 0);
	assert_int_equal(c.status, 2);
	it_cmd_free(&c);
	assert_int_equal(count("SELECT COUNT(*) FROM account WHERE login IN ('cli.b', 'cli.c',"
			       " 'cli.d')",
			       NULL),
			 0);
	const char *list[] = {it_bin(), "user", "list", "--data", srv.data, NULL};
	assert_int_equal(run_cli(&c, list), 0);
	assert_int_equal(c.status, 0);
	assert_non_null(strstr(c.out, "cli.motcua\tdesk\tso-tu-phap\tactive"));
	it_cmd_free(&c);
}

/* The password of a demo account from DIR/demo-accounts.tsv (malloc'd). */
static char *demo_password(const char *login)
{
	char path[PATH_MAX + 64];
	snprintf(path, sizeof(path), "%s/demo-accounts.tsv", srv.data);
	char *text = it_read_file(path, NULL);
	assert_non_null(text);
	char needle[80];
	snprintf(needle, sizeof(needle), "\n%s\t", login);
	const char *p = strstr(text, needle);
	assert_non_null(p);
	p += strlen(needle);
	char *pw = strndup(p, strcspn(p, "\t"));
	free(text);
	return pw;
}

static void test_admin_page_scoped_to_the_agency_admin(void **state)
{
	char *pw = demo_password("quantri.stp");
	char *admin = sign_in("quantri.stp", pw, NULL, "10.60.0.1");
	free(pw);
	struct http_resp r = get("/quan-tri/tai-khoan", admin, 200);
	assert_contains(r.body, "motcua.stp");
	assert_lacks(r.body, "motcua.xa");
	http_resp_free(&r);
	char *csrf = session_csrf(admin);
	long long before = count("SELECT COUNT(*) FROM account", NULL);
	const char *other[] = {"csrf", csrf,   "login",	 "xa.moi",     "full_name", "Cán bộ Xã",
			       "role", "desk", "agency", "ubnd-13285", NULL};
	r = post("/quan-tri/tai-khoan", other, admin, NULL, 403);
	http_resp_free(&r);
	const char *sys[] = {"csrf",	 csrf,	 "login",    "tu.phong", "full_name",
			     "Tự phong", "role", "sysadmin", NULL};
	r = post("/quan-tri/tai-khoan", sys, admin, NULL, 403);
	http_resp_free(&r);
	assert_int_equal(count("SELECT COUNT(*) FROM account", NULL), before);
	const char *bad[] = {"csrf", csrf, "login", "X", "full_name", "", "role", "desk", NULL};
	r = post("/quan-tri/tai-khoan", bad, admin, NULL, 422);
	assert_contains(r.body, "id=\"e-login\"");
	assert_contains(r.body, "id=\"e-full_name\"");
	http_resp_free(&r);
	const char *mine[] = {"csrf",	    csrf,   "login",	  "stp.moi", "full_name",
			      "Cán bộ Mới", "role", "specialist", NULL};
	r = post("/quan-tri/tai-khoan", mine, admin, NULL, 201);
	const char *p = strstr(r.body, "<span class=\"secret\">");
	assert_non_null(p);
	p += strlen("<span class=\"secret\">");
	char *newpw = strndup(p, strcspn(p, "<"));
	http_resp_free(&r);
	assert_int_equal(count("SELECT COUNT(*) FROM account WHERE login = 'stp.moi' AND"
			       " agency_code = 'so-tu-phap' AND roles = 8",
			       NULL),
			 1);
	char *officer = sign_in("stp.moi", newpw, NULL, "10.60.0.2");
	char *cols[1] = {0};
	assert_int_equal(it_db_row(srv.db_path, "SELECT id FROM account WHERE login = $1",
				   "stp.moi", cols, 1),
			 1);
	char path[128];
	snprintf(path, sizeof(path), "/quan-tri/tai-khoan/%s/trang-thai", cols[0]);
	const char *disable[] = {"csrf", csrf, "enabled", "0", NULL};
	r = post(path, disable, admin, NULL, 303);
	http_resp_free(&r);
	assert_false(signed_in(officer));
	const char *kv[] = {"csrf", IT_CSRF, "login", "stp.moi", "password", newpw, NULL};
	r = post("/dang-nhap", kv, NULL, "X-Real-IP: 10.60.0.3\r\n", 401);
	http_resp_free(&r);
	const char *enable[] = {"csrf", csrf, "enabled", "1", NULL};
	r = post(path, enable, admin, NULL, 303);
	http_resp_free(&r);
	free(sign_in("stp.moi", newpw, NULL, "10.60.0.4"));
	/* Officers of other agencies are out of reach. */
	char *xa[1] = {0};
	assert_int_equal(it_db_row(srv.db_path, "SELECT id FROM account WHERE login = $1",
				   "motcua.xa", xa, 1),
			 1);
	snprintf(path, sizeof(path), "/quan-tri/tai-khoan/%s/trang-thai", xa[0]);
	r = post(path, disable, admin, NULL, 404);
	http_resp_free(&r);
	/* The system admin sees every agency; a citizen sees nothing. */
	pw = demo_password("quantri");
	char *sysadmin = sign_in("quantri", pw, NULL, "10.60.0.5");
	free(pw);
	r = get("/quan-tri/tai-khoan", sysadmin, 200);
	assert_contains(r.body, "motcua.xa");
	assert_contains(r.body, "motcua.stp");
	http_resp_free(&r);
	char cccd[13];
	new_cccd(cccd);
	char *citizen = register_citizen(cccd, "dan@vidu.vn", "HoaSen@Trang26");
	r = get("/quan-tri/tai-khoan", citizen, 403);
	http_resp_free(&r);
	r = get("/quan-tri/tai-khoan", NULL, 303);
	http_resp_free(&r);
	free(citizen);
	free(sysadmin);
	free(xa[0]);
	free(cols[0]);
	free(officer);
	free(newpw);
	free(csrf);
	free(admin);
}

static void test_header_shows_who_is_signed_in(void **state)
{
	struct http_resp r = get("/thu-tuc", NULL, 200);
	assert_contains(r.body, "href=\"/dang-nhap\"");
	assert_contains(r.body, "href=\"/dang-ky\"");
	assert_lacks(r.body, "action=\"/dang-xuat\"");
	http_resp_free(&r);
	char cccd[13];
	new_cccd(cccd);
	char *tok = register_citizen(cccd, "dau@vidu.vn", "HoaSen@Trang26");
	r = get("/thu-tuc", tok, 200);
	assert_contains(r.body, "<span class=\"me\">Nguyễn Văn Thử</span>");
	assert_contains(r.body, "href=\"/ho-so-cua-toi\"");
	assert_contains(r.body, "action=\"/dang-xuat\"");
	http_resp_free(&r);
	/* The feedback form keeps working for someone signed in. */
	r = get("/gop-y", tok, 200);
	http_resp_free(&r);
	const char *kv[] = {
		"csrf",	   IT_CSRF,	"name", "Nguyễn Văn Thử",      "contact", "0912345678",
		"subject", "Góp ý thử", "body", "Nội dung góp ý thử.", NULL};
	r = post("/gop-y", kv, tok, NULL, 303);
	http_resp_free(&r);
	free(tok);
}

int main(void)
{
	it_bin();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_demo_accounts_file_is_valid_and_every_password_signs_in),
		cmocka_unit_test(test_register_every_error_beside_its_field_nothing_stored),
		cmocka_unit_test(test_register_citizen_then_duplicate_cccd_is_a_field_error),
		cmocka_unit_test(test_register_business_checks_the_tax_code),
		cmocka_unit_test(test_api_register_lists_every_field_problem),
		cmocka_unit_test(test_sign_in_issues_a_new_token_and_drops_the_one_brought),
		cmocka_unit_test(test_sign_out_ends_the_session_and_needs_csrf),
		cmocka_unit_test(test_sign_out_everywhere_ends_every_session_and_token),
		cmocka_unit_test(test_idle_and_absolute_expiry_sign_out),
		cmocka_unit_test(test_csrf_missing_or_wrong_is_403_and_nothing_changes),
		cmocka_unit_test(test_failed_sign_ins_lock_the_account_then_the_window_passes),
		cmocka_unit_test(test_failed_sign_ins_from_one_address_lock_that_address),
		cmocka_unit_test(test_api_tokens_create_use_list_revoke),
		cmocka_unit_test(test_password_reset_link_works_once_and_ends_sessions),
		cmocka_unit_test(test_reset_mails_are_capped_per_account),
		cmocka_unit_test(test_data_export_and_closing_the_account),
		cmocka_unit_test(test_user_add_on_the_command_line),
		cmocka_unit_test(test_admin_page_scoped_to_the_agency_admin),
		cmocka_unit_test(test_header_shows_who_is_signed_in),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
