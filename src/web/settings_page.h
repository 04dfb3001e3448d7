// The settings page (admins only): the daily spending cap. The cap set here
// is stored in the database (store::SettingsRepository) and overrides
// spending.daily_cap of the configuration file; an empty amount means no cap.
// The running dispatcher reads the cap in force at every claim, so a change
// applies without a restart. Each change is audited ("settings.daily_cap",
// from -> to); post/redirect/get, and a bad amount shows the form again with
// what was typed and an error naming the field. Handlers run on the server's
// worker threads with their own connection.
#pragma once

#include "web/http.h"

#include "core/config.h"
#include "store/database.h"
#include "store/settings_repository.h"
#include "web/web_context.h"

namespace imeiflow::web {

/// The daily cap in force: the settings page's, else spending.daily_cap of
/// `config`.
Result<store::DailyCap> DailyCapInForce(store::Database& db, const Config& config);

/// Registers GET /settings and POST /settings (admin only).
void RegisterSettingsPage(Router& server, WebContext& web);

}  // namespace imeiflow::web
