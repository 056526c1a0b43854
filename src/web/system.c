/*
 * system.c - operational endpoints: /healthz for load balancers and
 * /metrics for Prometheus.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "web/web.h"

void web_healthz(http_req *r)
{
	static const char ok[] = "{\"status\":\"ok\"}\n";
	http_add_header(r, "Cache-Control", "no-store");
	http_reply(r, 200, "application/json; charset=utf-8", ok, sizeof(ok) - 1);
}

/* Domain gauges computed by the statistics job (stats.h), not per scrape:
 * one small read of stats_gauge. */
static void stats_gauges(http_req *r, buf *o)
{
	struct app *app = http_app(r);
	db_conn *c = db_reader(app->db);
	db_result *g;
	if (!c ||
	    db_query(c, r->a, "SELECT name, label, value FROM stats_gauge ORDER BY name, label",
		     DB_NOARGS, &g) != MC_OK)
		return;
	buf_puts(o, "# HELP motcua_dossiers_overdue_open Open dossiers past their due time, per "
		    "agency (as of the last statistics round).\n"
		    "# TYPE motcua_dossiers_overdue_open gauge\n");
	for (int i = 0; i < db_nrows(g); i++)
		if (strcmp(db_text(g, i, 0), "overdue_open") == 0)
			buf_printf(o, "motcua_dossiers_overdue_open{agency=\"%s\"} %lld\n",
				   db_text(g, i, 1), (long long)db_int(g, i, 2));
	buf_puts(o, "# HELP motcua_outbox_backlog Messages queued and not sent yet, per outbox.\n"
		    "# TYPE motcua_outbox_backlog gauge\n");
	for (int i = 0; i < db_nrows(g); i++)
		if (strcmp(db_text(g, i, 0), "outbox_backlog") == 0)
			buf_printf(o, "motcua_outbox_backlog{outbox=\"%s\"} %lld\n",
				   db_text(g, i, 1), (long long)db_int(g, i, 2));
}

void web_metrics(http_req *r)
{
	struct app *app = http_app(r);
	struct db_stats st;
	db_get_stats(app->db, &st);
	buf *o = &r->out;
	buf_reset(o);
	buf_printf(o, "# HELP motcua_up Whether motcua is serving.\n# TYPE motcua_up "
		      "gauge\nmotcua_up 1\n");
	buf_printf(o,
		   "# HELP motcua_start_time_seconds When this process started.\n"
		   "# TYPE motcua_start_time_seconds gauge\nmotcua_start_time_seconds %lld\n",
		   (long long)app->started);
	http_server_metrics(app->srv, o);
	buf_printf(o,
		   "# HELP motcua_db_writer_queue_depth Writes waiting for the writer thread.\n"
		   "# TYPE motcua_db_writer_queue_depth gauge\nmotcua_db_writer_queue_depth %u\n",
		   st.queue_depth);
	buf_printf(o,
		   "# HELP motcua_db_commits_total Group-commit transactions.\n"
		   "# TYPE motcua_db_commits_total counter\nmotcua_db_commits_total %llu\n",
		   (unsigned long long)st.commits);
	buf_printf(o,
		   "# HELP motcua_db_writes_total Writes committed or rolled back.\n"
		   "# TYPE motcua_db_writes_total counter\nmotcua_db_writes_total %llu\n"
		   "motcua_db_failed_writes_total %llu\n",
		   (unsigned long long)st.writes, (unsigned long long)st.failed_writes);
	static const char *const le[] = {"1", "3", "7", "15", "31", "63", "127", "+Inf"};
	buf_puts(o, "# HELP motcua_db_commit_batch_size Writes per group commit.\n"
		    "# TYPE motcua_db_commit_batch_size histogram\n");
	uint64_t cum = 0;
	for (int i = 0; i < 8; i++) {
		cum += st.batch_hist[i];
		buf_printf(o, "motcua_db_commit_batch_size_bucket{le=\"%s\"} %llu\n", le[i],
			   (unsigned long long)cum);
	}
	buf_printf(o, "motcua_db_commit_batch_size_count %llu\n", (unsigned long long)st.commits);
	buf_printf(o, "motcua_db_commit_batch_size_sum %llu\n", (unsigned long long)st.writes);
	stats_gauges(r, o);
	http_add_header(r, "Cache-Control", "no-store");
	http_reply_out(r, 200, "text/plain; version=0.0.4; charset=utf-8");
}
