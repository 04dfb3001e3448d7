// The review page: items whose supplier call may have been applied, waiting
// for a person (store/review_repository.h). Viewers see the queue; operators
// and admins decide each item with one of the three decisions ("submitted":
// the supplier has it, "resend": queue it again, "cancel": do not order it),
// each a POST form with the CSRF token. The repository audits every
// decision; the page flashes what changed.
// Handlers run on the server's worker threads with their own connection.
#pragma once

#include "web/http.h"

#include "web/web_context.h"

namespace imeiflow::web {

/// Items listed on /review (the oldest first).
inline constexpr int64_t kReviewItemsShown = 500;

/// Registers GET /review (viewer+) and POST /review/decide (operator+).
void RegisterReviewPage(Router& server, WebContext& web);

}  // namespace imeiflow::web
