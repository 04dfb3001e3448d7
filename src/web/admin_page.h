// The admin page (admins only): users (add with a role and a password,
// change the role, disable and enable again), API tokens (create one for a
// user, its secret shown once on the result page; revoke), and the audit
// log, newest first, paged. Every change is a POST form with the CSRF token
// and is audited. The last enabled admin can be neither demoted nor
// disabled, so the application always keeps someone who can administer it.
// Handlers run on the server's worker threads with their own connection.
#pragma once

#include "web/http.h"

#include "web/web_context.h"

namespace imeiflow::web {

/// Audit rows per page of the admin page.
inline constexpr int64_t kAuditPageSize = 50;

/// Registers GET /admin and the POST /admin/... actions (admin only).
void RegisterAdminPage(Router& server, WebContext& web);

}  // namespace imeiflow::web
