// The review page: items whose supplier call may have been applied, waiting
// for a person (store/review_repository.h), paged and grouped by job, with
// their reasons in plain words (the raw text behind a toggle) and the listed
// IMEIs to copy or download (to look them up on the supplier's panel).
// Viewers see the queue; operators and admins decide one item, a selection
// or a job's items with one of the three decisions ("submitted": the
// supplier has it, "resend": queue it again, "cancel": do not order it),
// each a POST form with the CSRF token that redirects back to the same page
// and filter. The repository audits every decision; the page flashes what
// changed.
// Handlers run on the server's worker threads with their own connection.
#pragma once

#include "web/http.h"

#include "web/web_context.h"

namespace imeiflow::web {

/// Items on one page of /review.
inline constexpr int64_t kReviewPageSize = 50;

/// Registers GET /review[?job=ID&page=N] and /review/imeis.txt[?job=ID]
/// (viewer+), and POST /review/decide (operator+; item_id once or more, or
/// job_id, with decision, back_page and back_job).
void RegisterReviewPage(Router& server, WebContext& web);

}  // namespace imeiflow::web
