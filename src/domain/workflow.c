/* workflow.c - the transition table of workflow.h and its lookups. */
#include "domain/workflow.h"

#include <string.h>

#define A  WF_APPLICANT
#define D  WF_DESK
#define S  WF_SPECIALIST
#define L  WF_LEADER
#define F0 WF_FORM_NONE

/* One row per legal move; anything not here is refused. */
static const struct wf_transition table[] = {
	/* receiving at the one-stop desk */
	{WF_NEW, WF_RECEIVE, D, WF_RECEIVED, WF_FORM_01, true, WF_CLOCK_START},
	{WF_NEW, WF_REQUEST_SUPPLEMENT, D, WF_SUPPLEMENT, WF_FORM_02, true, WF_CLOCK_RESTART},
	{WF_NEW, WF_REFUSE, D, WF_REFUSED, WF_FORM_03, true, WF_CLOCK_END},
	{WF_SUPPLEMENT, WF_SUPPLEMENT_SUBMIT, A, WF_NEW, F0, false, WF_CLOCK_KEEP},
	/* processing in the agency */
	{WF_RECEIVED, WF_ASSIGN, L, WF_ASSIGNED, F0, false, WF_CLOCK_KEEP},
	{WF_ASSIGNED, WF_SUBMIT_APPROVAL, S, WF_PENDING_APPROVAL, F0, false, WF_CLOCK_KEEP},
	{WF_ASSIGNED, WF_REQUEST_SUPPLEMENT, S, WF_SUPPLEMENT, WF_FORM_02, true, WF_CLOCK_RESTART},
	{WF_PENDING_APPROVAL, WF_APPROVE, L, WF_DONE, F0, true, WF_CLOCK_END},
	{WF_PENDING_APPROVAL, WF_REWORK, L, WF_ASSIGNED, F0, false, WF_CLOCK_KEEP},
	{WF_ASSIGNED, WF_TRANSFER, L, WF_RECEIVED, F0, true, WF_CLOCK_KEEP},
	/* financial obligations stop the clock */
	{WF_RECEIVED, WF_FINANCIAL_REQUEST, D | S, WF_FINANCIAL, F0, true, WF_CLOCK_PAUSE},
	{WF_ASSIGNED, WF_FINANCIAL_REQUEST, S, WF_FINANCIAL, F0, true, WF_CLOCK_PAUSE},
	{WF_FINANCIAL, WF_FINANCIAL_DONE, D | S, WF_ASSIGNED, F0, false, WF_CLOCK_RESUME},
	/* late: an apology with a new date, once */
	{WF_RECEIVED, WF_APOLOGY, L, WF_RECEIVED, WF_FORM_04, true, WF_CLOCK_MOVE},
	{WF_ASSIGNED, WF_APOLOGY, L, WF_ASSIGNED, WF_FORM_04, true, WF_CLOCK_MOVE},
	{WF_PENDING_APPROVAL, WF_APOLOGY, L, WF_PENDING_APPROVAL, WF_FORM_04, true, WF_CLOCK_MOVE},
	/* stopping and withdrawal */
	{WF_RECEIVED, WF_STOP, L, WF_STOPPED, F0, true, WF_CLOCK_END},
	{WF_ASSIGNED, WF_STOP, L, WF_STOPPED, F0, true, WF_CLOCK_END},
	{WF_PENDING_APPROVAL, WF_STOP, L, WF_STOPPED, F0, true, WF_CLOCK_END},
	{WF_FINANCIAL, WF_STOP, L, WF_STOPPED, F0, true, WF_CLOCK_END},
	{WF_NEW, WF_WITHDRAW_REQUEST, A, WF_WITHDRAWAL, F0, false, WF_CLOCK_KEEP},
	{WF_RECEIVED, WF_WITHDRAW_REQUEST, A, WF_WITHDRAWAL, F0, false, WF_CLOCK_KEEP},
	{WF_ASSIGNED, WF_WITHDRAW_REQUEST, A, WF_WITHDRAWAL, F0, false, WF_CLOCK_KEEP},
	{WF_PENDING_APPROVAL, WF_WITHDRAW_REQUEST, A, WF_WITHDRAWAL, F0, false, WF_CLOCK_KEEP},
	{WF_SUPPLEMENT, WF_WITHDRAW_REQUEST, A, WF_WITHDRAWAL, F0, false, WF_CLOCK_KEEP},
	{WF_WITHDRAWAL, WF_WITHDRAW_ACCEPT, D | L, WF_STOPPED, F0, true, WF_CLOCK_END},
	/* handing the result back */
	{WF_DONE, WF_RETURN_RESULT, D, WF_RETURNED, F0, true, WF_CLOCK_KEEP},
};

static const char *const stage_names[WF_NSTAGES] = {
	"new",	     "received",   "refused", "assigned", "pending_approval", "supplement",
	"financial", "withdrawal", "stopped", "done",	  "returned",
};

static const int stage_codes[WF_NSTAGES] = {1, 2, 3, 4, 4, 5, 6, 7, 8, 9, 10};

static const char *const action_names[WF_NACTIONS] = {
	"receive",	    "request_supplement", "refuse",	    "supplement_submit",
	"assign",	    "submit_approval",	  "approve",	    "rework",
	"return_result",    "financial_request",  "financial_done", "stop",
	"withdraw_request", "withdraw_accept",	  "apology",	    "transfer",
};

int wf_status_code(enum wf_stage s)
{
	return s >= 0 && s < WF_NSTAGES ? stage_codes[s] : 0;
}

const char *wf_stage_name(enum wf_stage s)
{
	return s >= 0 && s < WF_NSTAGES ? stage_names[s] : "";
}

const char *wf_action_name(enum wf_action a)
{
	return a >= 0 && a < WF_NACTIONS ? action_names[a] : "";
}

int wf_stage_parse(const char *s)
{
	for (int i = 0; s && i < WF_NSTAGES; i++)
		if (strcmp(s, stage_names[i]) == 0)
			return i;
	return -1;
}

int wf_action_parse(const char *s)
{
	for (int i = 0; s && i < WF_NACTIONS; i++)
		if (strcmp(s, action_names[i]) == 0)
			return i;
	return -1;
}

const struct wf_transition *wf_find(enum wf_stage from, enum wf_action action)
{
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		if (table[i].from == from && table[i].action == action)
			return &table[i];
	return NULL;
}

const struct wf_transition *wf_check(enum wf_stage from, enum wf_action action, unsigned actor,
				     const char **why)
{
	const struct wf_transition *t = wf_find(from, action);
	if (!t) {
		*why = "workflow.not_now";
		return NULL;
	}
	if (!(t->actors & actor)) {
		*why = "workflow.not_yours";
		return NULL;
	}
	*why = NULL;
	return t;
}

int wf_allowed(enum wf_stage from, unsigned actor, enum wf_action *out, int max)
{
	int n = 0;
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]) && n < max; i++)
		if (table[i].from == from && (table[i].actors & actor))
			out[n++] = table[i].action;
	return n;
}

const struct wf_transition *wf_table(int *n)
{
	*n = (int)(sizeof(table) / sizeof(table[0]));
	return table;
}
