/* Directory configuration: data, create, metadata, log and temporary
 * directories and the intermediate directory mode, before and after open. */
#include "env_common.h"
static void dirs(DB_ENV *e, const char *label)
{
	const char **dd = NULL, *s = NULL; int i;
	printf("%s:\n", label);
	R(e->get_data_dirs(e, &dd));
	if (dd == NULL) printf("  data_dirs NULL\n");
	else for (i = 0; dd[i] != NULL; i++) printf("  data_dir[%d] %s\n", i, dd[i]);
	s = (const char *)1; e->get_create_dir(e, &s); printf("  create_dir [%s]\n", s ? s : "NULL");
	s = (const char *)1; e->get_metadata_dir(e, &s); printf("  metadata_dir [%s]\n", s ? s : "NULL");
	s = (const char *)1; e->get_lg_dir(e, &s); printf("  lg_dir [%s]\n", s ? s : "NULL");
	s = (const char *)1; e->get_intermediate_dir_mode(e, &s); printf("  idm [%s]\n", s ? s : "NULL");
}
int main(void)
{
	DB_ENV *e; const char *s; int i;
	char longdir[300];

	/* Defaults. */
	e = mkenv();
	dirs(e, "defaults");
	s = (const char *)1; R(e->get_tmp_dir(e, &s)); printf("tmp_dir [%s]\n", s ? s : "NULL");
	e->close(e, 0);

	/* set_data_dir: the first becomes the create dir. */
	e = mkenv();
	R(e->set_create_dir(e, "a"));
	R(e->set_data_dir(e, "a"));
	R(e->set_data_dir(e, "b"));
	R(e->add_data_dir(e, "c"));
	R(e->add_data_dir(e, "a"));
	dirs(e, "set a b, add c a");
	R(e->set_create_dir(e, "c"));
	R(e->set_create_dir(e, "d"));
	R(e->set_create_dir(e, "A"));
	R(e->set_create_dir(e, ""));
	dirs(e, "create c");
	e->close(e, 0);

	/* add_data_dir first: no create dir. */
	e = mkenv();
	R(e->add_data_dir(e, "x"));
	R(e->set_data_dir(e, "y"));
	dirs(e, "add x, set y");
	R(e->set_data_dir(e, ""));
	dirs(e, "empty dir");
	e->close(e, 0);

	/* Many directories (libdb grows its array). */
	e = mkenv();
	for (i = 0; i < 45; i++) { char b[16]; snprintf(b, sizeof b, "d%02d", i); if (e->add_data_dir(e, b) != 0) printf("add %d failed\n", i); }
	{ const char **dd = NULL; e->get_data_dirs(e, &dd); for (i = 0; dd[i] != NULL; i++) ; printf("%d dirs, last %s\n", i, dd[i - 1]); }
	R(e->set_create_dir(e, "d44"));
	s = NULL; e->get_create_dir(e, &s); printf("create_dir [%s]\n", s ? s : "NULL");
	e->close(e, 0);

	/* Metadata dir: added to the data dirs when not there. */
	e = mkenv();
	R(e->set_metadata_dir(e, "meta"));
	dirs(e, "metadata meta");
	R(e->set_data_dir(e, "data"));
	R(e->set_metadata_dir(e, "data"));
	dirs(e, "metadata data");
	R(e->set_metadata_dir(e, "meta"));
	dirs(e, "metadata meta again");
	e->close(e, 0);

	/* Log and temporary dirs: replaced, any string. */
	e = mkenv();
	R(e->set_lg_dir(e, "logs"));
	R(e->set_lg_dir(e, "logs2"));
	R(e->set_tmp_dir(e, "tmpd"));
	R(e->set_tmp_dir(e, ""));
	s = NULL; e->get_lg_dir(e, &s); printf("lg_dir [%s]\n", s ? s : "NULL");
	s = NULL; e->get_tmp_dir(e, &s); printf("tmp_dir [%s]\n", s ? s : "NULL");
	memset(longdir, 'L', sizeof longdir - 1); longdir[sizeof longdir - 1] = 0;
	R(e->set_tmp_dir(e, longdir));
	s = NULL; e->get_tmp_dir(e, &s); printf("tmp_dir len %d\n", s ? (int)strlen(s) : -1);
	e->close(e, 0);

	/* Intermediate directory mode. */
	e = mkenv();
	{
		static const char *modes[] = { "rwxrwxrwx", "rwx------", "---------", "r--r--r--",
		    "--x--x--x", "rwxrwxrw", "rwxrwxrwxr", "wrxrwxrwx", "rwxrwxrwX", "", "rwx", "---------x",
		    "rw-rw----", NULL };
		for (i = 0; modes[i] != NULL; i++) {
			int r = e->set_intermediate_dir_mode(e, modes[i]);
			s = NULL; e->get_intermediate_dir_mode(e, &s);
			printf("idm(\"%s\") -> %d now [%s]\n", modes[i], r, s ? s : "NULL");
		}
	}
	e->close(e, 0);

	/* After open. */
	e = mkenv();
	R(e->set_data_dir(e, "d1"));
	R(e->add_data_dir(e, "d2"));
	R(e->set_lg_dir(e, "lg"));
	R(e->set_tmp_dir(e, "tmp1"));
	R(e->set_intermediate_dir_mode(e, "rwxr-x---"));
	R(e->open(e, NULL, DB_CREATE | DB_PRIVATE, 0));
	dirs(e, "opened");
	s = NULL; e->get_tmp_dir(e, &s); printf("tmp_dir [%s]\n", s ? s : "NULL");
	R(e->set_data_dir(e, "d3"));
	R(e->add_data_dir(e, "d3"));
	R(e->set_metadata_dir(e, "d1"));
	R(e->set_metadata_dir(e, "m"));
	R(e->set_create_dir(e, "d2"));
	R(e->set_create_dir(e, "d9"));
	R(e->set_lg_dir(e, "lg2"));
	R(e->set_tmp_dir(e, "tmp2"));
	R(e->set_intermediate_dir_mode(e, "rwxrwxrwx"));
	R(e->set_intermediate_dir_mode(e, "bad"));
	dirs(e, "after setters");
	s = NULL; e->get_tmp_dir(e, &s); printf("tmp_dir [%s]\n", s ? s : "NULL");
	e->close(e, 0);

	/* Open chooses a temporary directory only when none was set. */
	e = mkenv();
	R(e->open(e, NULL, DB_CREATE | DB_PRIVATE, 0));
	s = NULL; e->get_tmp_dir(e, &s); printf("default tmp_dir [%s]\n", s ? s : "NULL");
	e->close(e, 0);

	/* A create dir is checked at set time only: open with directories that
	 * do not exist. */
	e = mkenv();
	R(e->set_data_dir(e, "nonexistent"));
	R(e->set_metadata_dir(e, "alsomissing"));
	R(e->open(e, NULL, DB_CREATE | DB_PRIVATE | DB_INIT_MPOOL, 0));
	dirs(e, "opened mpool");
	e->close(e, 0);
	return 0;
}
