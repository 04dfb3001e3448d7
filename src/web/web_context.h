// WebContext: what every route of the web application shares: the
// configuration, the database (the server's one pool of per-thread
// connections, which the API and /metrics lease from too), the clock, the
// template renderer, the login throttle, the secrets shown once and the
// engine's reports.
// Route groups are free functions taking the Router (web/http.h) and this
// context (docs/WEB.md): `void RegisterXRoutes(Router&, WebContext&)`.
// Thread-safe: its members are either read-only after Create() or
// thread-safe themselves.
#pragma once

#include <atomic>
#include <memory>
#include <string>

#include "core/clock.h"
#include "core/config.h"
#include "core/status.h"
#include "store/session_repository.h"
#include "web/connection_pool.h"
#include "web/engine_monitor.h"
#include "web/login_throttle.h"
#include "web/password.h"
#include "web/renderer.h"
#include "web/session_flash.h"

namespace imeiflow::web {

/// Shared state of the web application.
class WebContext {
 public:
  /// A context for the database at `db_path`, with templates from the
  /// program; fails when a template does not parse or [web] is invalid.
  static Result<std::unique_ptr<WebContext>> Create(Config config, std::string db_path,
                                                    const Clock& clock);

  const Config config;                        ///< the whole configuration (read-only)
  const std::string db_path;                  ///< the database file
  const Clock& clock;                         ///< time for sessions, audit rows, pages
  const TemplateRenderer renderer;            ///< templates/*.mustache
  const store::SessionLimits session_limits;  ///< from web.session_idle_min / max_hours
  const std::string asset_version;            ///< a digest of the static files, for cache busting
  ConnectionPool connections;                 ///< per-request database connections
  LoginThrottle login_throttle;               ///< failed logins per user and address
  SecretFlash secret_flash;                   ///< new tokens' secrets, shown once per session
  EngineMonitor engine;                       ///< the engine threads' reports
  /// Set under TLS: cookies get the Secure flag.
  bool secure_cookies = false;
  /// Cost of new password hashes (admin pages); kMinimum only in tests.
  PasswordCost password_cost = PasswordCost::kInteractive;
  /// Set when the server is stopping: long-lived responses (SSE) must end.
  std::atomic<bool> stopping{false};

  /// Unix ms now.
  int64_t NowMs() const { return clock.NowMs(); }

 private:
  WebContext(Config config, std::string db_path, const Clock& clock, TemplateRenderer renderer);
};

}  // namespace imeiflow::web
