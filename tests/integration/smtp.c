/* smtp.c - aiosmtpd for integration tests (smtp.h). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"
#include "smtp.h"

/* Reads every message of a maildir and prints one JSON object a line. */
static const char reader_py[] =
	"import email.header, json, mailbox, sys\n"
	"for key, m in sorted(mailbox.Maildir(sys.argv[1], factory=None).items()):\n"
	"    subj = str(email.header.make_header(email.header.decode_header(m['Subject'])))\n"
	"    body = m.get_payload(decode=True).decode('utf-8').replace('\\r\\n', '\\n')\n"
	"    print(json.dumps({'subject': subj, 'body': body, 'to': m['To'],\n"
	"                      'from': m['From'], 'id': m['Message-ID'],\n"
	"                      'date': m['Date'], 'cte': m['Content-Transfer-Encoding'],\n"
	"                      'type': m['Content-Type']}, ensure_ascii=False))\n";

void it_sleep_ms(int ms)
{
	struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
	nanosleep(&ts, NULL);
}

bool it_port_open(unsigned short port)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0)
		return false;
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons(port)};
	sa.sin_addr.s_addr = htonl(0x7f000001);
	bool ok = connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0;
	close(fd);
	return ok;
}

int smtp_init(struct smtp *s)
{
	memset(s, 0, sizeof(*s));
	if (it_mkdtemp(s->dir) < 0)
		return -1;
	snprintf(s->maildir, sizeof(s->maildir), "%s/mail", s->dir);
	snprintf(s->script, sizeof(s->script), "%s/read.py", s->dir);
	s->port = it_free_port();
	return it_write_file(s->script, reader_py, false);
}

/* Starts aiosmtpd with its Mailbox handler writing into s->maildir. */
int smtp_start(struct smtp *s)
{
	char listen[32], log[PATH_MAX + 16];
	snprintf(listen, sizeof(listen), "127.0.0.1:%u", s->port);
	snprintf(log, sizeof(log), "%s/smtp.log", s->dir);
	s->pid = fork();
	if (s->pid < 0)
		return -1;
	if (s->pid == 0) {
		FILE *f = freopen(log, "a", stderr);
		(void)f;
		execl(PYTHON, PYTHON, "-m", "aiosmtpd", "-n", "-l", listen, "-c",
		      "aiosmtpd.handlers.Mailbox", s->maildir, (char *)NULL);
		_exit(127);
	}
	for (int i = 0; i < 600; i++) {
		if (it_port_open(s->port))
			return 0;
		it_sleep_ms(50);
	}
	fprintf(stderr, "aiosmtpd did not start on %s\n", listen);
	return -1;
}

void smtp_stop(struct smtp *s)
{
	if (s->pid > 0) {
		kill(s->pid, SIGTERM);
		waitpid(s->pid, NULL, 0);
		s->pid = 0;
	}
}

void smtp_free(struct smtp *s)
{
	smtp_stop(s);
	if (s->dir[0])
		it_rmtree(s->dir);
	s->dir[0] = '\0';
}

/* Files in maildir/new (aiosmtpd delivers there). */
int smtp_count(const struct smtp *s)
{
	char path[PATH_MAX + 32];
	snprintf(path, sizeof(path), "%s/new", s->maildir);
	DIR *d = opendir(path);
	if (!d)
		return 0;
	int n = 0;
	struct dirent *e;
	while ((e = readdir(d)))
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}

bool smtp_wait_count(const struct smtp *s, int want, int timeout_ms)
{
	for (int waited = 0; waited < timeout_ms; waited += 100) {
		if (smtp_count(s) >= want)
			return true;
		it_sleep_ms(100);
	}
	return smtp_count(s) >= want;
}

/* Every message delivered so far, decoded by Python: a JSON array. */
json_t *smtp_messages(const struct smtp *s)
{
	struct it_cmd r;
	const char *argv[] = {PYTHON, s->script, s->maildir, NULL};
	assert_int_equal(it_run(&r, argv, NULL, IT_TIMEOUT_MS), 0);
	if (r.status != 0)
		fail_msg("reading the maildir failed: %s", r.err);
	json_t *all = json_array();
	for (char *line = r.out; *line;) {
		char *nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		json_error_t je;
		json_t *m = json_loads(line, 0, &je);
		if (!m)
			fail_msg("bad line from the maildir reader: %s", line);
		json_array_append_new(all, m);
		if (!nl)
			break;
		line = nl + 1;
	}
	it_cmd_free(&r);
	return all;
}
