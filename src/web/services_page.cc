#include "web/services_page.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "engine/service_cache.h"
#include "upstream/supplier_connection.h"
#include "web/format.h"
#include "web/page.h"

namespace imeiflow::web {
namespace {

std::string Lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
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
  data.set("shown", WithThousands(shown));
  data.set("total", WithThousands(static_cast<int64_t>(services->size())));
  data.set("has_services", shown > 0);
  if (fetched_at > 0) data.set("fetched", UtcText(fetched_at));
  data.set("can_refresh", Allows(page.session().role, Role::kOperator));
  data.set("csrf_token", page.session().csrf_token);
  page.Render("services", "Services", data);
}

void Refresh(PageRequest& page) {
  Result<std::unique_ptr<upstream::SupplierConnection>> supplier =
      upstream::SupplierConnection::Open(page.web.config);
  if (!supplier.ok()) {
    return page.RedirectWithFlash(
        "/services", FlashKind::kError,
        "Services not refreshed: " + std::string(supplier.status().message()));
  }
  store::ServiceRepository cache(page.db);
  std::vector<std::string> warnings;
  Result<size_t> stored =
      engine::RefreshServiceCache((*supplier)->provider(), cache, page.now_ms(), &warnings);
  if (!stored.ok()) {
    return page.RedirectWithFlash(
        "/services", FlashKind::kError,
        "Services not refreshed: " + std::string(stored.status().message()));
  }
  std::string text = fmt::format("Services refreshed: {} cached", WithThousands(*stored));
  if (!warnings.empty()) {
    text += fmt::format(", {} left out (price not a number)",
                        WithThousands(static_cast<int64_t>(warnings.size())));
  }
  if (Status s = page.Audit("services_refresh", text); !s.ok()) return page.Fail(s);
  page.RedirectWithFlash("/services", warnings.empty() ? FlashKind::kOk : FlashKind::kWarning,
                         text + ".");
}

}  // namespace

bool ServiceMatches(const store::CachedService& service, std::string_view query) {
  const std::string haystack =
      Lower(service.id) + " " + Lower(service.title) + " " + Lower(service.category);
  const std::string words = Lower(query);
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
