/* signin.c - account and session rows for integration tests. */
#include "signin.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"

int it_db_exec_retry(const char *target, const char *sql)
{
	for (int i = 0; i < 100; i++) {
		if (it_db_exec(target, sql) == 0)
			return 0;
		usleep(50 * 1000);
	}
	return -1;
}

static void random_hex(char *out, size_t bytes)
{
	unsigned char raw[32];
	randombytes_buf(raw, bytes);
	sodium_bin2hex(out, bytes * 2 + 1, raw, bytes);
}

int it_account_create(const char *target, const char *login, const char *kind, unsigned roles,
		      const char *agency_code, char account_id[40])
{
	if (sodium_init() < 0)
		return -1;
	random_hex(account_id, 16);
	bool business = strcmp(kind, "business") == 0;
	/* Well-formed identity numbers: a CCCD of Ninh Bình (037) for a man
	 * born in 1990 (century digit 0, year 90) and six random digits; a
	 * tax code of nine random digits and its check digit (weights 31, 29,
	 * 23, 19, 17, 13, 7, 5, 3; check = 10 - sum mod 11, never 10). */
	char digits[13];
	if (business) {
		static const int w[9] = {31, 29, 23, 19, 17, 13, 7, 5, 3};
		int check;
		do {
			int sum = 0;
			for (int i = 0; i < 9; i++) {
				int d = (int)randombytes_uniform(10);
				if (i == 0 && d == 0)
					d = 1;
				digits[i] = (char)('0' + d);
				sum += w[i] * d;
			}
			check = 10 - sum % 11;
		} while (check == 10);
		digits[9] = (char)('0' + check);
		digits[10] = '\0';
	} else {
		memcpy(digits, "037090", 6);
		for (int i = 6; i < 12; i++)
			digits[i] = (char)('0' + randombytes_uniform(10));
		digits[12] = '\0';
	}
	char sql[2048];
	snprintf(sql, sizeof(sql),
		 "INSERT INTO account (id, login, kind, roles, agency_code, full_name, id_number,"
		 " birth_date, tax_code, phone, email, address, password_hash, created_at)"
		 " VALUES ('%s', '%s', '%s', %u, %s%s%s, 'Nguyễn Văn %s', %s%s%s, %s, %s%.10s%s,"
		 " '0912345678', '%s@example.vn', 'Số 1 đường Lê Lợi, phường Hoa Lư', 'x',"
		 " '2026-01-01 00:00:00')",
		 account_id, login, kind, roles, agency_code ? "'" : "",
		 agency_code ? agency_code : "NULL", agency_code ? "'" : "", login,
		 business ? "" : "'", business ? "NULL" : digits, business ? "" : "'",
		 business ? "NULL" : "'1990-09-05'", business ? "'" : "",
		 business ? digits : "NULL", business ? "'" : "", login);
	return it_db_exec_retry(target, sql);
}

int it_user_new(const char *target, const char *login, const char *kind, unsigned roles,
		const char *agency_code, const char *session, struct it_user *u)
{
	char id[40];
	if (it_account_create(target, login, kind, roles, agency_code, id) < 0)
		return -1;
	return it_signin(target, id, session, u);
}

int it_signin(const char *target, const char *account_id, const char *kind, struct it_user *u)
{
	if (sodium_init() < 0)
		return -1;
	memset(u, 0, sizeof(*u));
	snprintf(u->account_id, sizeof(u->account_id), "%s", account_id);
	random_hex(u->token, 32);
	bool web = strcmp(kind, "web") == 0;
	if (web)
		random_hex(u->csrf, 32);
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, (const unsigned char *)u->token, strlen(u->token));
	char hash[65];
	sodium_bin2hex(hash, sizeof(hash), h, sizeof(h));
	long now = (long)time(NULL);
	char sql[1024];
	snprintf(sql, sizeof(sql),
		 "INSERT INTO session (token_hash, account_id, kind, csrf, created_at, last_seen,"
		 " expires_at) VALUES ('%s', '%s', '%s', '%s', %ld, %ld, %ld)",
		 hash, account_id, kind, u->csrf, now, now, now + 6 * 3600);
	if (it_db_exec_retry(target, sql) < 0)
		return -1;
	/* The csrf cookie serves the double-submit check; the session keeps
	 * the same value for the check bound to the session. */
	if (web)
		snprintf(u->headers, sizeof(u->headers), "Cookie: mc_session=%s; csrf=%s\r\n",
			 u->token, u->csrf);
	else
		snprintf(u->headers, sizeof(u->headers), "Authorization: Bearer %s\r\n", u->token);
	return 0;
}
