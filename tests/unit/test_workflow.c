/*
 * test_workflow.c - the dossier state machine: every legal transition for
 * its actors, every other (stage, action, actor) refused with the right
 * reason, national codes, names round-trip, and the rules the law states.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "domain/workflow.h"

static const unsigned actors[] = {WF_APPLICANT, WF_DESK, WF_SPECIALIST, WF_LEADER};

/* Every (stage, action, actor): allowed exactly when a row says so. */
static void test_every_combination_is_decided_by_the_table(void **state)
{
	(void)state;
	int legal = 0;
	for (int s = 0; s < WF_NSTAGES; s++)
		for (int a = 0; a < WF_NACTIONS; a++)
			for (size_t k = 0; k < sizeof(actors) / sizeof(actors[0]); k++) {
				const char *why = NULL;
				const struct wf_transition *row = wf_find(s, a);
				const struct wf_transition *t = wf_check(s, a, actors[k], &why);
				if (row && (row->actors & actors[k])) {
					assert_ptr_equal(t, row);
					assert_null(why);
					legal++;
				} else {
					assert_null(t);
					assert_string_equal(why, row ? "workflow.not_yours"
								     : "workflow.not_now");
				}
			}
	assert_true(legal > 20);
}

static void test_the_legal_path_of_an_online_dossier(void **state)
{
	(void)state;
	struct {
		enum wf_action a;
		unsigned who;
		enum wf_stage to;
		int code;
	} path[] = {
		{WF_RECEIVE, WF_DESK, WF_RECEIVED, 2},
		{WF_ASSIGN, WF_LEADER, WF_ASSIGNED, 4},
		{WF_SUBMIT_APPROVAL, WF_SPECIALIST, WF_PENDING_APPROVAL, 4},
		{WF_REWORK, WF_LEADER, WF_ASSIGNED, 4},
		{WF_SUBMIT_APPROVAL, WF_SPECIALIST, WF_PENDING_APPROVAL, 4},
		{WF_APPROVE, WF_LEADER, WF_DONE, 9},
		{WF_RETURN_RESULT, WF_DESK, WF_RETURNED, 10},
	};
	enum wf_stage s = WF_NEW;
	assert_int_equal(wf_status_code(s), 1);
	for (size_t i = 0; i < sizeof(path) / sizeof(path[0]); i++) {
		const char *why;
		const struct wf_transition *t = wf_check(s, path[i].a, path[i].who, &why);
		assert_non_null(t);
		s = t->to;
		assert_int_equal(s, path[i].to);
		assert_int_equal(wf_status_code(s), path[i].code);
	}
}

static void test_forms_and_clock_follow_the_law(void **state)
{
	(void)state;
	const struct wf_transition *t = wf_find(WF_NEW, WF_RECEIVE);
	assert_int_equal(t->form, WF_FORM_01);
	assert_int_equal(t->clock, WF_CLOCK_START);
	t = wf_find(WF_NEW, WF_REQUEST_SUPPLEMENT);
	assert_int_equal(t->form, WF_FORM_02);
	assert_int_equal(t->clock, WF_CLOCK_RESTART); /* restarts once complete */
	assert_true(t->notify);
	assert_int_equal(wf_find(WF_NEW, WF_REFUSE)->form, WF_FORM_03);
	assert_int_equal(wf_find(WF_ASSIGNED, WF_APOLOGY)->form, WF_FORM_04);
	assert_int_equal(wf_find(WF_ASSIGNED, WF_FINANCIAL_REQUEST)->clock, WF_CLOCK_PAUSE);
	assert_int_equal(wf_find(WF_FINANCIAL, WF_FINANCIAL_DONE)->clock, WF_CLOCK_RESUME);
	/* Nothing leaves a finished dossier. */
	enum wf_action out[WF_NACTIONS];
	for (size_t k = 0; k < sizeof(actors) / sizeof(actors[0]); k++) {
		assert_int_equal(wf_allowed(WF_RETURNED, actors[k], out, WF_NACTIONS), 0);
		assert_int_equal(wf_allowed(WF_REFUSED, actors[k], out, WF_NACTIONS), 0);
		assert_int_equal(wf_allowed(WF_STOPPED, actors[k], out, WF_NACTIONS), 0);
	}
	/* An applicant may withdraw until the result is ready, not after. */
	assert_non_null(wf_find(WF_SUPPLEMENT, WF_WITHDRAW_REQUEST));
	assert_null(wf_find(WF_DONE, WF_WITHDRAW_REQUEST));
	/* Only the desk receives; an applicant cannot approve. */
	const char *why;
	assert_null(wf_check(WF_NEW, WF_RECEIVE, WF_LEADER, &why));
	assert_string_equal(why, "workflow.not_yours");
	assert_null(wf_check(WF_PENDING_APPROVAL, WF_APPROVE, WF_APPLICANT, &why));
}

static void test_names_round_trip_and_unknowns_are_refused(void **state)
{
	(void)state;
	for (int s = 0; s < WF_NSTAGES; s++)
		assert_int_equal(wf_stage_parse(wf_stage_name(s)), s);
	for (int a = 0; a < WF_NACTIONS; a++)
		assert_int_equal(wf_action_parse(wf_action_name(a)), a);
	assert_int_equal(wf_stage_parse("flying"), -1);
	assert_int_equal(wf_action_parse(NULL), -1);
	assert_int_equal(wf_status_code(WF_NSTAGES), 0);
	int n;
	const struct wf_transition *t = wf_table(&n);
	for (int i = 0; i < n; i++) /* no duplicate (from, action) rows */
		assert_ptr_equal(wf_find(t[i].from, t[i].action), &t[i]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_combination_is_decided_by_the_table),
		cmocka_unit_test(test_the_legal_path_of_an_online_dossier),
		cmocka_unit_test(test_forms_and_clock_follow_the_law),
		cmocka_unit_test(test_names_round_trip_and_unknowns_are_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
