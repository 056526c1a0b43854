/* keys.c - the deployment's keys, read as another node would (harness.h). */
#include <stdbool.h>
#include <stdio.h>

#include "db/db.h"
#include "domain/payverify.h"
#include "harness.h"

bool it_payverify_load(const char *target)
{
	db *d;
	char err[512] = "";
	bool ok = db_open(target, &d, err, sizeof(err)) == MC_OK;
	if (ok) {
		ok = payverify_init(d, err, sizeof(err)) == 0;
		db_close(d);
	}
	if (!ok)
		fprintf(stderr, "# receipt verification key of %s: %s\n", target, err);
	return ok;
}
