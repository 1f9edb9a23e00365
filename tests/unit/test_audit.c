/* test_audit.c — which answered requests the audit log keeps (core/audit.h audit_kind_of) and
 * their outcome: every write, login, refusal, personal-data read, grant and read of the log; no
 * plain successful read; and a request never answered is not recorded. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "core/audit.h"
#include "core/role.h"

static void test_kinds(void **state)
{
	(void)state;
	assert_int_equal(audit_kind_of("POST", 401, 0, 1, 0, 0), AUDIT_LOGIN);
	assert_int_equal(audit_kind_of("POST", 200, 0, 1, 0, 0), AUDIT_LOGIN);
	assert_int_equal(audit_kind_of("GET", 401, RIGHT_READ, 0, 0, 0), AUDIT_DENIED);
	assert_int_equal(audit_kind_of("POST", 403, RIGHT_GRANT, 0, 1, 0), AUDIT_DENIED);
	assert_int_equal(audit_kind_of("GET", 200, RIGHT_AUDIT, 0, 0, 0), AUDIT_READ);
	assert_int_equal(audit_kind_of("GET", 200, RIGHT_PII, 0, 0, 0), AUDIT_PII);
	assert_int_equal(audit_kind_of("GET", 200, RIGHT_READ, 0, 0, 1), AUDIT_PII); /* by reporter_phone */
	assert_int_equal(audit_kind_of("POST", 200, RIGHT_GRANT, 0, 1, 0), AUDIT_GRANT);
	assert_int_equal(audit_kind_of("POST", 201, RIGHT_PROBLEM_CREATE, 0, 0, 0), AUDIT_WRITE);
	assert_int_equal(audit_kind_of("POST", 400, RIGHT_PROBLEM_CREATE, 0, 0, 0), AUDIT_WRITE);
	assert_int_equal(audit_kind_of("GET", 200, RIGHT_READ, 0, 0, 0), -1);
	assert_int_equal(audit_kind_of("GET", 404, RIGHT_READ, 0, 0, 0), -1);
	assert_int_equal(audit_kind_of("POST", 0, 0, 1, 0, 0), -1); /* never answered */
}

static void test_outcomes(void **state)
{
	(void)state;
	assert_int_equal(audit_outcome_of(200, 0), AUDIT_OK);
	assert_int_equal(audit_outcome_of(201, 0), AUDIT_OK);
	assert_int_equal(audit_outcome_of(401, 0), AUDIT_REFUSED);
	assert_int_equal(audit_outcome_of(403, 0), AUDIT_REFUSED);
	assert_int_equal(audit_outcome_of(400, 0), AUDIT_FAILED);
	assert_int_equal(audit_outcome_of(503, 0), AUDIT_FAILED);
	assert_int_equal(audit_outcome_of(401, 1), AUDIT_FAILED); /* a wrong password */
	assert_int_equal(audit_outcome_of(200, 1), AUDIT_OK);
	assert_string_equal(audit_outcome_name(AUDIT_REFUSED), "denied");
	assert_string_equal(audit_kind_name(AUDIT_READ), "audit");
	assert_null(audit_kind_name(AUDIT_KIND__COUNT));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kinds),
		cmocka_unit_test(test_outcomes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
