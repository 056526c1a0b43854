/*
 * workflow.h - the legal state machine of a dossier (hồ sơ) in the one-stop
 * back office, as one table (Decree 61/2018/NĐ-CP art. 17-20, replaced from
 * 2025-07-01 by Decree 118/2025/NĐ-CP; forms of Circular 01/2018/TT-VPCP).
 *
 * A dossier's place in the process is a stage; each stage shows as one of
 * the national portal's status codes 1-10, several stages sharing code 4
 * (processing: with the leader to assign, with a specialist, waiting for
 * approval). Each row of the table says: from which stage, by which
 * action, who may take it, to which stage, which form is issued, whether the
 * applicant is told, and what happens to the clock.
 *
 * This module is pure: it decides, the dossier module applies (in one
 * write, with the audit entry and the outbox row).
 */
#ifndef MOTCUA_WORKFLOW_H
#define MOTCUA_WORKFLOW_H

#include <stdbool.h>

enum wf_stage {
	WF_NEW,		     /* 1 submitted online, waiting at the desk */
	WF_RECEIVED,	     /* 2 received (form 01), waiting for the leader to assign */
	WF_REFUSED,	     /* 3 not received (form 03) */
	WF_ASSIGNED,	     /* 4 with a specialist for appraisal */
	WF_PENDING_APPROVAL, /* 4 appraised, waiting for the leader */
	WF_SUPPLEMENT,	     /* 5 supplement requested (form 02) */
	WF_FINANCIAL,	     /* 6 waiting for a financial obligation */
	WF_WITHDRAWAL,	     /* 7 the applicant asked to withdraw */
	WF_STOPPED,	     /* 8 stopped (also: withdrawal accepted) */
	WF_DONE,	     /* 9 result ready, to be returned */
	WF_RETURNED,	     /* 10 result returned */
	WF_NSTAGES
};

enum wf_action {
	WF_RECEIVE,	       /* tiếp nhận: form 01, due date set */
	WF_REQUEST_SUPPLEMENT, /* yêu cầu bổ sung: form 02, one notice listing everything */
	WF_REFUSE,	       /* từ chối: form 03 with reasons */
	WF_SUPPLEMENT_SUBMIT,  /* the applicant sends what was missing */
	WF_ASSIGN,	       /* phân công: the leader picks a specialist */
	WF_SUBMIT_APPROVAL,    /* trình phê duyệt after appraisal */
	WF_APPROVE,	       /* phê duyệt: the result is ready */
	WF_REWORK,	       /* trả lại để xử lý lại */
	WF_RETURN_RESULT,      /* trả kết quả: online, at the desk, by post */
	WF_FINANCIAL_REQUEST, /* yêu cầu thực hiện nghĩa vụ tài chính: the clock stops */
	WF_FINANCIAL_DONE,    /* the obligation is met: the clock runs again */
	WF_STOP,	      /* dừng xử lý */
	WF_WITHDRAW_REQUEST,  /* the applicant asks to withdraw */
	WF_WITHDRAW_ACCEPT,   /* the agency accepts: processing stops */
	WF_APOLOGY,	      /* form 04: apology and a new date, once, a working day ahead */
	WF_TRANSFER,	      /* liên thông: on to the next agency with its share of time */
	WF_NACTIONS
};

/* Who may act (bits, like the route roles of src/http/router.h). */
enum wf_actor {
	WF_APPLICANT = 1u << 0,	 /* the citizen or business who filed */
	WF_DESK = 1u << 1,	 /* one-stop desk officer */
	WF_SPECIALIST = 1u << 2, /* the assigned specialist */
	WF_LEADER = 1u << 3,	 /* the agency's leader */
};

enum wf_form { WF_FORM_NONE = 0, WF_FORM_01 = 1, WF_FORM_02, WF_FORM_03, WF_FORM_04 };

/* What an action does to the time limit. */
enum wf_clock {
	WF_CLOCK_KEEP,	  /* runs on */
	WF_CLOCK_START,	  /* set from the receipt: N working days */
	WF_CLOCK_PAUSE,	  /* stops (financial obligation) */
	WF_CLOCK_RESUME,  /* runs again, shifted by the paused time */
	WF_CLOCK_RESTART, /* cleared: starts from zero once the dossier is complete */
	WF_CLOCK_MOVE,	  /* a new date (apology), allowed once */
	WF_CLOCK_END,	  /* finished: the end time is recorded */
};

struct wf_transition {
	enum wf_stage from;
	enum wf_action action;
	unsigned actors; /* enum wf_actor bits */
	enum wf_stage to;
	enum wf_form form;
	bool notify; /* the applicant is told (outbox) */
	enum wf_clock clock;
};

/* The national status code (1-10) of a stage. */
int wf_status_code(enum wf_stage s);

/* Stable names for storage, URLs and logs ("received", "request_supplement"),
 * and back (-1 when unknown). */
const char *wf_stage_name(enum wf_stage s);
const char *wf_action_name(enum wf_action a);
int wf_stage_parse(const char *s);
int wf_action_parse(const char *s);

/*
 * The transition for action from stage, or NULL when the law has none.
 * wf_check also checks the actor: it returns the transition, or NULL with
 * *why set to an i18n key saying why not ("workflow.not_now" when the action
 * does not exist in this stage, "workflow.not_yours" when it exists but not
 * for this actor).
 */
const struct wf_transition *wf_find(enum wf_stage from, enum wf_action action);
const struct wf_transition *wf_check(enum wf_stage from, enum wf_action action, unsigned actor,
				     const char **why);

/* The actions actor may take now, in table order; returns how many were
 * written to out (at most max). */
int wf_allowed(enum wf_stage from, unsigned actor, enum wf_action *out, int max);

/* The whole table, for documentation and tests. */
const struct wf_transition *wf_table(int *n);

#endif
