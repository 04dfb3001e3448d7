// Session: a logged-in user as the web pages see them, and the three things
// done with sessions: start one at login (a fresh random id for the cookie,
// its SHA-256 and a CSRF token in the database), load the one a cookie names
// (touching it, so idle time counts from the last request, but at most once
// a minute or a tenth of the idle limit, so reads do not all become
// writes), and end one at logout. The absolute limit counts from login.
// Functions are thread-safe given one Database per thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/role.h"
#include "core/status.h"
#include "store/database.h"
#include "store/session_repository.h"
#include "store/user_repository.h"

namespace imeiflow::web {

/// The session cookie's name (the DOM contract in docs/WEB.md relies on it).
inline constexpr std::string_view kSessionCookie = "imeiflow_session";

/// A valid session.
struct Session {
  std::string id_hash;        ///< SHA-256 hex of the cookie's id (the database key)
  int64_t user_id = 0;        ///< the user
  std::string user_name;      ///< the user's name
  Role role = Role::kViewer;  ///< the user's role now
  std::string csrf_token;     ///< every state-changing form must carry it
};

/// A session just started: the id goes into the cookie, once.
struct StartedSession {
  std::string cookie_id;  ///< 64 hex digits; never stored
  Session session;        ///< as stored
};

/// Whether `text` looks like a cookie id (64 lowercase hex digits).
bool IsWellFormedId(std::string_view text);

/// Starts a session for `user` at `now_ms`, logging in from `from` (an
/// address, for the audit row the store writes with it).
Result<StartedSession> StartSession(store::Database& db, const store::UserRecord& user,
                                    std::string_view from, int64_t now_ms);

/// The valid session whose cookie id is `cookie_id`, if any: touched when
/// last seen over a minute (or a tenth of `limits.idle_ms`) ago.
Result<std::optional<Session>> LoadSession(store::Database& db, std::string_view cookie_id,
                                           const store::SessionLimits& limits, int64_t now_ms);

/// Revokes `session` at `now_ms` (audited as its user's logout).
Status EndSession(store::Database& db, const Session& session, int64_t now_ms);

}  // namespace imeiflow::web
