// The dashboard `/`: today's figures (IMEIs ordered, completed, rejected,
// duplicates), money spent against the daily cap, running jobs with progress
// bars, the supplier's status (last call, error rate, in-flight limit) and
// whether the dispatcher runs. "Today" is the UTC day, as for spending.
// Handlers run on the server's worker threads with their own connection.
#pragma once

#include "web/http.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/money.h"
#include "core/status.h"
#include "store/dashboard_figures.h"
#include "web/web_context.h"

namespace imeiflow::web {

/// Registers GET / (every role).
void RegisterDashboardRoutes(Router& server, WebContext& web);

}  // namespace imeiflow::web
