#include "web/session.h"

#include <algorithm>

#include "web/crypto.h"

namespace imeiflow::web {
namespace {

// Touching on every request would make every page view a disk write, so a
// session's last-seen time is written at most once a minute. With a short
// idle limit it must be written more often, or a session in use would end
// one idle limit after login (issue 11, row 15): a tenth of the limit
// keeps the idle time counted from the last request within 10%.
constexpr int64_t kTouchAtMostEveryMs = 60'000;
constexpr int64_t kTouchFractionOfIdle = 10;

int64_t TouchEveryMs(const store::SessionLimits& limits) {
  return std::min(kTouchAtMostEveryMs, limits.idle_ms / kTouchFractionOfIdle);
}

}  // namespace

bool IsWellFormedId(std::string_view text) {
  return text.size() == 64 && text.find_first_not_of("0123456789abcdef") == std::string::npos;
}

Result<StartedSession> StartSession(store::Database& db, const store::UserRecord& user,
                                    std::string_view from, int64_t now_ms) {
  StartedSession started;
  started.cookie_id = RandomHexId();
  started.session = {Sha256Hex(started.cookie_id), user.id, user.name, user.role, RandomHexId()};
  store::NewSession stored{started.session.id_hash, user.id, user.name, started.session.csrf_token,
                           std::string(from)};
  if (Status s = store::SessionRepository(db).Create(stored, now_ms); !s.ok()) return s;
  return started;
}

Result<std::optional<Session>> LoadSession(store::Database& db, std::string_view cookie_id,
                                           const store::SessionLimits& limits, int64_t now_ms) {
  if (!IsWellFormedId(cookie_id)) return std::optional<Session>();
  store::SessionRepository sessions(db);
  Result<std::optional<store::SessionRecord>> found =
      sessions.FindValid(Sha256Hex(cookie_id), now_ms, limits);
  if (!found.ok()) return found.status();
  if (!found->has_value()) return std::optional<Session>();
  const store::SessionRecord& record = **found;
  if (now_ms - record.last_seen_at >= TouchEveryMs(limits)) {
    if (Status s = sessions.Touch(record.id_hash, now_ms); !s.ok()) return s;
  }
  return std::optional<Session>(
      Session{record.id_hash, record.user_id, record.user_name, record.role, record.csrf_token});
}

Status EndSession(store::Database& db, const Session& session, int64_t now_ms) {
  return store::SessionRepository(db).Revoke(session.id_hash, session.user_name, now_ms);
}

}  // namespace imeiflow::web
