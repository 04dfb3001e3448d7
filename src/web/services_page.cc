#include "web/services_page.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/ascii.h"
#include "engine/service_refresh.h"
#include "web/engine_monitor.h"
#include "web/format.h"
#include "web/page.h"

namespace imeiflow::web {
namespace {

// Who asked for the pending refresh and when, and why it still waits.
std::string PendingRefreshText(const engine::ServiceRefreshState& refresh,
                               const DispatcherStatus& dispatcher) {
  std::string text = fmt::format("Refresh requested at {} by {}", UtcText(refresh.requested_at_ms),
                                 refresh.requested_by);
  if (refresh.in_flight) return text + ": the supplier is being asked now.";
  switch (dispatcher.state) {
    case DispatcherState::kRunning:
      return text + ", waiting for the dispatcher.";
    case DispatcherState::kLockedElsewhere:
      return text +
             ", waiting for the dispatcher: it runs in another process, so the refresh waits"
             " until this process takes the dispatcher over.";
    default:
      return text + fmt::format(", waiting for the dispatcher, which is {}{}.",
                                DispatcherStateName(dispatcher.state),
                                dispatcher.note.empty() ? "" : " (" + dispatcher.note + ")");
  }
}

// Where the refreshes stand: pending, or how the last one ended ("" if none yet).
std::string RefreshStateText(const engine::ServiceRefreshState& refresh,
                             const DispatcherStatus& dispatcher) {
  if (refresh.pending) return PendingRefreshText(refresh, dispatcher);
  if (refresh.finished_at_ms == 0) return "";
  if (!refresh.error.empty()) {
    return fmt::format("The last refresh failed ({}): {}.", UtcText(refresh.finished_at_ms),
                       refresh.error);
  }
  std::string text =
      fmt::format("Last refreshed at {}: {} services", UtcText(refresh.finished_at_ms),
                  WithThousands(static_cast<int64_t>(refresh.stored)));
  if (refresh.left_out > 0) {
    text += fmt::format(", {} left out (price not a number)",
                        WithThousands(static_cast<int64_t>(refresh.left_out)));
  }
  return text + ".";
}

void ShowServices(PageRequest& page) {
  Result<std::vector<store::CachedService>> services = store::ServiceRepository(page.db).List();
  if (!services.ok()) return page.Fail(services.status());
  const std::string query = page.Field("q");
  TemplateData rows{TemplateData::type::list};
  int64_t shown = 0;
  int64_t fetched_at = 0;
  for (const store::CachedService& s : *services) {
    fetched_at = std::max(fetched_at, s.fetched_at);
    if (!ServiceMatches(s, query)) continue;
    TemplateData row;
    row.set("id", s.id);
    row.set("title", s.title);
    row.set("category", s.category);
    row.set("price", s.price.ToDisplay());
    row.set("delivery", s.delivery);
    rows.push_back(row);
    ++shown;
  }
  TemplateData data;
  data.set("services", rows);
  data.set("q", query);
  data.set("searching", !query.empty());
  data.set("shown", WithThousands(shown));
  data.set("total", WithThousands(static_cast<int64_t>(services->size())));
  data.set("has_services", shown > 0);
  if (fetched_at > 0) data.set("fetched", UtcText(fetched_at));
  engine::ServiceRefreshState refresh = page.web.engine.service_refresh().State();
  std::string refresh_text = RefreshStateText(refresh, page.web.engine.Dispatcher());
  if (!refresh_text.empty()) data.set("refresh_state", refresh_text);
  data.set("refresh_failed", !refresh.pending && !refresh.error.empty());
  data.set("can_refresh", Allows(page.session().role, Role::kOperator));
  data.set("csrf_token", page.session().csrf_token);
  page.Render("services", "Services", data);
}

// Records the request for the dispatcher thread: a request thread never waits
// on the supplier, and the call takes a slot of the dispatcher's limiter.
void Refresh(PageRequest& page) {
  if (!page.web.engine.service_refresh().Request(page.session().user_name, page.now_ms())) {
    return page.RedirectWithFlash(
        "/services", FlashKind::kOk,
        "A refresh is already waiting for the dispatcher; this page shows the services when done.");
  }
  page.RedirectWithFlash(
      "/services", FlashKind::kOk,
      "Refreshing the services from the supplier; this page shows them when done.");
}

}  // namespace

bool ServiceMatches(const store::CachedService& service, std::string_view query) {
  const std::string haystack =
      AsciiLower(service.id) + " " + AsciiLower(service.title) + " " + AsciiLower(service.category);
  const std::string words = AsciiLower(query);
  size_t start = 0;
  while (start < words.size()) {
    // A '+' typed in the box arrives decoded as '+': words are split on it too.
    size_t end = words.find_first_of(" +", start);
    if (end == std::string::npos) end = words.size();
    if (end > start && haystack.find(words.substr(start, end - start)) == std::string::npos) {
      return false;
    }
    start = end + 1;
  }
  return true;
}

void RegisterServicesPage(Router& server, WebContext& web) {
  RouteGet(server, web, "/services", Role::kViewer, ShowServices);
  RoutePost(server, web, "/services/refresh", Role::kOperator, Refresh);
}

}  // namespace imeiflow::web
