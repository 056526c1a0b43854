/*
 * dvcqg.h - reads one procedure record as crawled from the national
 * public-service portal (Cổng Dịch vụ công quốc gia, dichvucong.gov.vn) into
 * a struct procedure_rec.
 *
 * The crawl flattened the portal's tables into run-together text ("Hình thức
 * nộpThời gianPhí, lệ phíMô tảTrực tuyến3 Ngày làm việcMiễn phí..."), so the
 * methods, documents, legal basis and results are recovered by parsing, and
 * every extracted piece is checked against the page's raw_text. Whatever the
 * parser cannot read with confidence is reported, section by section, in a
 * struct dvcqg_report; it never invents a value to fill a gap (an unknown
 * fee amount stays -1, an unknown unit stays unknown). It must never read
 * outside the strings jansson hands it, whatever the input.
 */
#ifndef MOTCUA_DVCQG_H
#define MOTCUA_DVCQG_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/arena.h"
#include "domain/procedure.h"

/* The parts of a record a problem can be in. */
enum dvcqg_section {
	DVCQG_IDENTITY,	  /* code, name, decision, field, kind */
	DVCQG_LEVELS,	  /* cap_thuc_hien */
	DVCQG_STEPS,	  /* trinh_tu_thuc_hien */
	DVCQG_METHODS,	  /* cach_thuc_thuc_hien */
	DVCQG_DOCUMENTS,  /* thanh_phan_ho_so */
	DVCQG_LEGAL,	  /* can_cu_phap_ly */
	DVCQG_RESULTS,	  /* ket_qua_xu_ly */
	DVCQG_CONDITIONS, /* yeu_cau_dieu_kien */
	DVCQG_OTHER,	  /* applicants, agencies, address, raw_text */
	DVCQG_NSECTIONS
};

struct dvcqg_problem {
	enum dvcqg_section section;
	const char *message; /* "methods: could not read a time limit in '...'" */
};

#define DVCQG_MAX_PROBLEMS 32 /* messages kept per record; counts go on */

struct dvcqg_report {
	unsigned counts[DVCQG_NSECTIONS]; /* problems per section */
	struct dvcqg_problem problems[DVCQG_MAX_PROBLEMS];
	size_t nproblems;	  /* messages kept, at most DVCQG_MAX_PROBLEMS */
	bool rejected;		  /* the record is not usable at all (see dvcqg_parse) */
	bool name_prefix_dropped; /* "Thủ tục " was taken off the display name */
};

/* Empties a report. */
void dvcqg_report_init(struct dvcqg_report *rep);

/* Total problems over all sections. */
unsigned dvcqg_report_total(const struct dvcqg_report *rep);

/* "identity", "levels", "steps", "methods", "documents", "legal_basis",
 * "results", "conditions", "other". */
const char *dvcqg_section_name(enum dvcqg_section s);

/*
 * Parses one national record (a JSON object with the portal's Vietnamese
 * field names, see ../shared/data/README.md) into *out, allocating every
 * string in a; initialises rep first. Returns 0 when *out is a valid record
 * (procedure_from_json would accept its JSON), possibly with problems listed
 * in rep; returns -1 with rep->rejected set when the record cannot be used:
 * not an object, no valid code or name, no known level, or a crawl mismatch
 * (the page's own "Mã thủ tục" names a different procedure, so every field
 * belongs to another procedure).
 */
int dvcqg_parse(const json_t *record, arena *a, struct procedure_rec *out,
		struct dvcqg_report *rep);

#endif
