/*
 * account.h - accounts (tài khoản) of citizens (công dân), businesses
 * (doanh nghiệp) and officers (cán bộ): registration with consent to the
 * processing of personal data (Decree 13/2023/NĐ-CP), sign-in with throttling
 * shared by every node, password changes and one-time reset links, API
 * tokens, the export of everything held about a person, closing an account,
 * and the officers an administrator manages.
 *
 * Passwords are argon2id (libsodium crypto_pwhash_str, t=2, 19 MiB: about
 * 34 ms), so every function that hashes or verifies one runs on a worker
 * thread or in the CLI, never on an HTTP I/O thread. This module knows no
 * HTTP: problems come back as (field, i18n key) pairs for the caller to show.
 */
#ifndef MOTCUA_ACCOUNT_H
#define MOTCUA_ACCOUNT_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/i18n.h"
#include "core/status.h"
#include "db/db.h"

#define ACCOUNT_PW_OPSLIMIT 2
#define ACCOUNT_PW_MEMLIMIT (19u * 1024 * 1024)
#define ACCOUNT_PW_LEN	    16 /* generated passwords, characters */

/* Failed sign-ins: per account, then per client address, in a window. */
#define THROTTLE_WINDOW	     (15 * 60)
#define THROTTLE_ACCOUNT_MAX 5
#define THROTTLE_ADDRESS_MAX 30
#define RESET_TTL	     (60 * 60)
#define RESET_MAILS	     3 /* reset links per account in a THROTTLE_WINDOW */
#define ACCOUNT_NAME_MAX     200
#define ACCOUNT_ADDRESS_MAX  300
#define ACCOUNT_LOGIN_MAX    64

struct account {
	const char *id, *login, *kind; /* kind: citizen, business, officer */
	unsigned roles;		       /* enum role bits (http/router.h) */
	const char *agency_code;       /* officers only */
	const char *full_name;	       /* a person's or the organisation's name */
	const char *id_number, *birth_date, *gender;
	const char *tax_code, *representative;
	const char *phone, *email, *address;
	const char *consent_at, *created_at, *closed_at; /* local time text */
};

/* What a citizen or business types to register. */
struct account_input {
	const char *kind; /* "citizen" or "business" */
	const char *full_name, *id_number, *birth_date, *tax_code, *representative;
	const char *phone, *email, *address, *password;
	bool consent;
};

/* One problem with one field: key is an i18n key whose {1} is the field's
 * label and {2} is arg (may be NULL). */
struct account_problem {
	const char *field, *key, *arg;
	struct account_problem *next;
};

/* The problem as a sentence in language l: the field's label is the
 * catalogue's "account.field.<field>". */
const char *account_problem_message(arena *a, enum lang l, const struct account_problem *p);

/* Appends a problem (in a) at the end of *list. */
void account_problem_add(arena *a, struct account_problem **list, const char *field,
			 const char *key, const char *arg);

/*
 * Checks every field of a registration and normalises in place (birth date
 * to YYYY-MM-DD, phone to its 10 digits). Returns true when there is
 * nothing to say; otherwise every problem is in *probs.
 */
bool account_validate(arena *a, struct account_input *in, struct account_problem **probs);

/*
 * Registers a citizen (login: the CCCD) or a business (login: the tax
 * code). MC_INVALID with *probs filled when a field is wrong or already
 * registered (nothing is stored then); *id_out gets the new account's id.
 */
mc_status account_register(db *d, arena *a, struct account_input *in,
			   struct account_problem **probs, const char **id_out);

/* Outcome of a sign-in attempt. */
enum auth_result { AUTH_OK, AUTH_WRONG, AUTH_LOCKED, AUTH_ERROR };

/*
 * Checks login (CCCD, tax code, officer username or email) and password,
 * with throttling per account and per address. AUTH_OK fills *out and
 * clears the account's failure count (and rehashes an old-parameter
 * password); AUTH_LOCKED sets *retry_after to the seconds left.
 */
enum auth_result account_authenticate(db *d, arena *a, const char *login, const char *password,
				      const char *address, struct account *out,
				      int64_t *retry_after);

/* An open or closed account by id; MC_NOT_FOUND when there is none. */
mc_status account_get(db *d, arena *a, const char *id, struct account *out);

/* argon2id string of pw (crypto_pwhash_STRBYTES bytes at most). */
mc_status account_hash_password(const char *pw, char *out, size_t outlen);

/* A random password of ACCOUNT_PW_LEN letters and digits (both present). */
void account_random_password(char out[ACCOUNT_PW_LEN + 1]);

/*
 * Changes a password after checking the current one; ends every other
 * session and token of the account except keep_hash (may be NULL).
 * MC_INVALID with *probs (fields "current", "password").
 */
mc_status account_change_password(db *d, arena *a, const char *id, const char *current,
				  const char *password, const char *keep_hash,
				  struct account_problem **probs);

/*
 * Closes an account after checking its password, in one write: sets
 * closed_at, erases the personal data (CCCD, tax code, birth date, gender,
 * representative, phone, email, address; the name becomes
 * ACCOUNT_CLOSED_NAME and the login "closed:<id>", so the same CCCD, tax
 * code and email can register again), ends every session and API token,
 * deletes unsubmitted drafts and reset links, and audits it
 * (account.close). Submitted dossiers and their history stay with the
 * applicant's data as submitted (record keeping of administrative
 * procedures outlives the account; docs/identity.md).
 */
#define ACCOUNT_CLOSED_NAME "(tài khoản đã đóng)"
mc_status account_close(db *d, arena *a, const char *id, const char *password,
			struct account_problem **probs);

/* Everything held about an account, for the person to download. */
mc_status account_export(db *d, arena *a, const char *id, json_t **out);

/*
 * Queues a one-time reset link for the open account with this email (no
 * error when there is none, so the answer never tells who is registered).
 * link_base is the portal origin ("https://dichvucong.example.vn"); the mail
 * is written in language l.
 */
mc_status account_reset_request(db *d, arena *a, enum lang l, const char *email,
				const char *link_base, const char *site_name);

/* Whether a reset token is live (unused and not expired). */
bool account_reset_valid(db *d, arena *a, const char *token);

/* Sets the password of the reset token's account, uses the token up and
 * ends every session. MC_NOT_FOUND for a dead token, MC_INVALID with *probs. */
mc_status account_reset_apply(db *d, arena *a, const char *token, const char *password,
			      struct account_problem **probs);

/* An API token as its owner sees it (never the token itself). */
struct api_token {
	const char *id; /* first 16 hex digits of the token's hash */
	const char *label;
	int64_t created_at, last_seen, expires_at;
	bool current;
};

/* The account's live API tokens, newest first; current_hash (may be NULL)
 * marks the one in use. */
mc_status account_tokens(db *d, arena *a, const char *account_id, const char *current_hash,
			 struct api_token **out, int *n);

/* Revokes the account's token or session whose hash starts with id;
 * MC_NOT_FOUND when it has none. */
mc_status account_token_revoke(db *d, const char *account_id, const char *id);

/* ---- officers ---- */

struct officer_input {
	const char *login, *full_name, *email, *agency_code;
	unsigned roles;
	const char *actor; /* who creates it, for the audit entry; NULL: "system" */
};

/* Role names of the CLI and the admin page: desk, specialist, leader,
 * agency-admin, sysadmin. 0 for an unknown name. */
unsigned account_role_parse(const char *name);
const char *account_role_name(unsigned role);

/*
 * Creates an officer with a generated password (written to password,
 * shown once). Checks the login shape, that the agency exists and that
 * every role but sysadmin comes with an agency. MC_INVALID with *probs
 * (fields "login", "full_name", "email", "agency", "role").
 */
mc_status account_officer_create(db *d, arena *a, const struct officer_input *in,
				 char password[ACCOUNT_PW_LEN + 1], struct account_problem **probs,
				 const char **id_out);

/* Sets the password of the account with this login (demo data, recovery
 * from the command line); ends its sessions. MC_NOT_FOUND without one. */
mc_status account_set_password(db *d, const char *login, const char *password);

/* Officers, of one agency or of all (agency NULL), by agency then login. */
mc_status account_officers(db *d, arena *a, const char *agency, struct account **out, int *n);

/* Disables (closed_at set, sessions ended) or enables an officer; only one
 * of agency (when not NULL). MC_NOT_FOUND otherwise. Audited as actor
 * (perm.officer_disable / perm.officer_enable). */
mc_status account_officer_set_enabled(db *d, const char *actor, const char *id, const char *agency,
				      bool enabled);

/* Local time text "YYYY-MM-DD HH:MM:SS" (Vietnam, UTC+7) into out. */
void account_now_text(char out[20]);

#endif
