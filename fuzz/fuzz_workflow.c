/*
 * fuzz_workflow.c - libFuzzer target for the transition table's inputs
 * (domain/workflow.c): wf_check, wf_find, wf_allowed, wf_stage_parse,
 * wf_action_parse and the name and status-code lookups, with stages,
 * actions and actors that are arbitrary integers (as a corrupt row or a
 * forged form field would give) and names that are arbitrary bytes.
 *
 * Input layout: the first 16 bytes are four little-endian 32-bit numbers:
 * the stage, the action, the actor bits and the room given to wf_allowed
 * (taken modulo WF_NACTIONS + 2, so the short and exact cases come up). The
 * rest is text split at newlines: line 1 a stage name, line 2 an action
 * name; when both name something known they are checked too.
 *
 * Besides crashes the target checks the table's invariants: every row's
 * stages, action, form and actors are in range and no (from, action) pair
 * is listed twice; a transition returned matches from and action, is a row
 * of the table and includes the actor, and why is NULL; a refusal says
 * "workflow.not_now" exactly when the table has no such move and
 * "workflow.not_yours" when it has one for others; wf_allowed returns, in
 * table order, exactly the actions wf_check accepts (a prefix when the room
 * is short); names and parsing round-trip and an unknown name parses to -1.
 *
 *   FUZZ_TARGETS=workflow scripts/fuzz.sh 120
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "domain/workflow.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond))                                                                       \
			abort();                                                                   \
	} while (0)

#define ALL_ACTORS (WF_APPLICANT | WF_DESK | WF_SPECIALIST | WF_LEADER)

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* The table's own shape, which every answer below relies on. */
static void check_table(void)
{
	int n = -1;
	const struct wf_transition *t = wf_table(&n);
	CHECK(t && n > 0);
	for (int i = 0; i < n; i++) {
		CHECK((int)t[i].from >= 0 && t[i].from < WF_NSTAGES);
		CHECK((int)t[i].to >= 0 && t[i].to < WF_NSTAGES);
		CHECK((int)t[i].action >= 0 && t[i].action < WF_NACTIONS);
		CHECK((int)t[i].form >= WF_FORM_NONE && t[i].form <= WF_FORM_04);
		CHECK(t[i].actors != 0 && (t[i].actors & ~(unsigned)ALL_ACTORS) == 0);
		for (int k = 0; k < i; k++)
			CHECK(t[k].from != t[i].from || t[k].action != t[i].action);
	}
	for (int s = 0; s < WF_NSTAGES; s++) {
		int code = wf_status_code((enum wf_stage)s);
		CHECK(code >= 1 && code <= 10);
		CHECK(wf_stage_parse(wf_stage_name((enum wf_stage)s)) == s);
	}
	for (int a = 0; a < WF_NACTIONS; a++)
		CHECK(wf_action_parse(wf_action_name((enum wf_action)a)) == a);
}

/* The row of the table for (from, action), found by a plain scan. */
static const struct wf_transition *ref_find(int from, int action)
{
	int n;
	const struct wf_transition *t = wf_table(&n);
	for (int i = 0; i < n; i++)
		if ((int)t[i].from == from && (int)t[i].action == action)
			return &t[i];
	return NULL;
}

static void check_move(int from, int action, unsigned actor)
{
	const char *why = "unset";
	const struct wf_transition *t =
		wf_check((enum wf_stage)from, (enum wf_action)action, actor, &why);
	const struct wf_transition *ref = ref_find(from, action);
	CHECK(wf_find((enum wf_stage)from, (enum wf_action)action) == ref);
	if (t) {
		int n;
		const struct wf_transition *table = wf_table(&n);
		CHECK(t >= table && t < table + n);
		CHECK((int)t->from == from && (int)t->action == action);
		CHECK((t->actors & actor) != 0);
		CHECK(why == NULL);
		CHECK(t == ref);
	} else if (!ref) {
		CHECK(why && strcmp(why, "workflow.not_now") == 0);
	} else {
		CHECK((ref->actors & actor) == 0);
		CHECK(why && strcmp(why, "workflow.not_yours") == 0);
	}
}

static void check_allowed(int from, unsigned actor, int room)
{
	enum wf_action out[WF_NACTIONS + 2];
	CHECK(room >= 0 && room <= WF_NACTIONS + 1);
	int n = wf_allowed((enum wf_stage)from, actor, out, room);
	CHECK(n >= 0 && n <= room);
	/* Exactly the accepted actions, in table order, cut at room. */
	int rows, k = 0;
	const struct wf_transition *t = wf_table(&rows);
	for (int i = 0; i < rows; i++) {
		if ((int)t[i].from != from || !(t[i].actors & actor))
			continue;
		if (k < n)
			CHECK(out[k] == t[i].action);
		k++;
	}
	CHECK(n == (k < room ? k : room));
	for (int i = 0; i < n; i++) {
		const char *why;
		CHECK(wf_check((enum wf_stage)from, out[i], actor, &why) != NULL);
		for (int j = 0; j < i; j++)
			CHECK(out[j] != out[i]);
	}
}

static void check_names(const char *stage, const char *action)
{
	int s = wf_stage_parse(stage), a = wf_action_parse(action);
	CHECK(s >= -1 && s < WF_NSTAGES);
	CHECK(a >= -1 && a < WF_NACTIONS);
	if (s >= 0)
		CHECK(strcmp(wf_stage_name((enum wf_stage)s), stage) == 0);
	else
		for (int i = 0; i < WF_NSTAGES; i++)
			CHECK(strcmp(wf_stage_name((enum wf_stage)i), stage) != 0);
	if (a >= 0)
		CHECK(strcmp(wf_action_name((enum wf_action)a), action) == 0);
	else
		for (int i = 0; i < WF_NACTIONS; i++)
			CHECK(strcmp(wf_action_name((enum wf_action)i), action) != 0);
	if (s >= 0 && a >= 0) {
		for (unsigned actor = 0; actor <= ALL_ACTORS; actor++)
			check_move(s, a, actor);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool table_checked;
	if (!table_checked) {
		check_table();
		table_checked = true;
	}
	if (size < 16 || size > 4096)
		return 0;
	int from = (int)le32(data), action = (int)le32(data + 4);
	unsigned actor = le32(data + 8);
	int room = (int)(le32(data + 12) % (WF_NACTIONS + 2));
	check_move(from, action, actor);
	check_allowed(from, actor, room);
	/* The names and codes of any number: empty or 0 when out of range. */
	const char *sn = wf_stage_name((enum wf_stage)from);
	const char *an = wf_action_name((enum wf_action)action);
	CHECK(sn && an);
	int code = wf_status_code((enum wf_stage)from);
	bool stage_known = from >= 0 && from < WF_NSTAGES;
	CHECK(stage_known ? code >= 1 && code <= 10 : code == 0);
	CHECK(stage_known == (*sn != '\0'));
	CHECK((action >= 0 && action < WF_NACTIONS) == (*an != '\0'));

	char *text = malloc(size - 16 + 1);
	if (!text)
		return 0;
	memcpy(text, data + 16, size - 16);
	text[size - 16] = '\0';
	char *nl = strchr(text, '\n');
	const char *action_name = "";
	if (nl) {
		*nl = '\0';
		action_name = nl + 1;
		char *end = strchr(nl + 1, '\n');
		if (end)
			*end = '\0';
	}
	check_names(text, action_name);
	free(text);
	return 0;
}
