/* assets.c - lookup in the generated table of embedded files. */
#include "core/assets.h"

#include <string.h>

const struct asset *asset_find(const char *name)
{
	for (const struct asset *a = motcua_assets; a->name; a++)
		if (strcmp(a->name, name) == 0)
			return a;
	return NULL;
}
