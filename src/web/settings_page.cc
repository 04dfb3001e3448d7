#include "web/settings_page.h"

#include <fmt/format.h>

#include "core/role.h"
#include "web/format.h"
#include "web/page.h"

namespace imeiflow::web {
namespace {

constexpr std::string_view kSettings = "/settings";

// Where the cap in force comes from, in the shop's words.
std::string SourceText(const store::DailyCap& cap) {
  switch (cap.source) {
    case store::CapSource::kPage:
      return fmt::format("set on this page by {} at {}", cap.set_by, UtcText(cap.set_at));
    case store::CapSource::kConfig:
      return "from the configuration file (spending.daily_cap)";
    case store::CapSource::kNone:
      break;
  }
  return "no cap: neither this page nor the configuration file sets one";
}

// Renders the form; `typed` is what the field shows, `error` what is wrong with it.
void ShowForm(PageRequest& page, const std::string& typed, const std::string& error) {
  Result<store::DailyCap> cap = DailyCapInForce(page.db, page.web.config);
  if (!cap.ok()) return page.Fail(cap.status());
  TemplateData data;
  data.set("csrf_token", page.session().csrf_token);
  data.set("cap", store::DailyCapText(cap->cap));
  data.set("source", SourceText(*cap));
  data.set("daily_cap", typed);
  if (!error.empty()) data.set("error", error);
  page.Render("settings", "Settings", data, error.empty() ? 200 : 400);
}

void ShowSettings(PageRequest& page) {
  Result<store::DailyCap> cap = DailyCapInForce(page.db, page.web.config);
  if (!cap.ok()) return page.Fail(cap.status());
  ShowForm(page, cap->cap ? cap->cap->ToDecimal() : "", "");
}

void SaveSettings(PageRequest& page) {
  const std::string typed = page.Field("daily_cap");
  std::optional<Money> cap;
  if (!typed.empty()) {
    Result<Money> parsed = Money::Parse(typed);
    if (!parsed.ok()) {
      return ShowForm(page, typed, fmt::format("Daily cap: {}", parsed.status().message()));
    }
    cap = *parsed;
  }
  Result<std::optional<Money>> configured = page.web.config.spending.DailyCap();
  if (!configured.ok()) return page.Fail(configured.status());
  if (Status s = store::SettingsRepository(page.db).SetDailyCap(
          cap, *configured, page.session().user_name, page.now_ms());
      !s.ok()) {
    return page.Fail(s);
  }
  page.RedirectWithFlash(std::string(kSettings), FlashKind::kOk,
                         fmt::format("The daily cap is now {}.", store::DailyCapText(cap)));
}

}  // namespace

Result<store::DailyCap> DailyCapInForce(store::Database& db, const Config& config) {
  Result<std::optional<Money>> configured = config.spending.DailyCap();
  if (!configured.ok()) return configured.status();
  return store::SettingsRepository(db).DailyCapInForce(*configured);
}

void RegisterSettingsPage(Router& server, WebContext& web) {
  RouteGet(server, web, std::string(kSettings), Role::kAdmin, ShowSettings);
  RoutePost(server, web, std::string(kSettings), Role::kAdmin, SaveSettings);
}

}  // namespace imeiflow::web
