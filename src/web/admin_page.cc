#include "web/admin_page.h"

#include <fmt/format.h>

#include <charconv>

#include "core/role.h"
#include "store/audit_log.h"
#include "store/token_repository.h"
#include "store/user_repository.h"
#include "web/format.h"
#include "web/page.h"
#include "web/password.h"
#include "web/session_flash.h"

namespace imeiflow::web {
namespace {

constexpr std::string_view kAdmin = "/admin";
constexpr std::string_view kNewToken = "/admin/tokens/new";

TemplateData RoleOptions(Role selected) {
  TemplateData list{TemplateData::type::list};
  for (Role role : {Role::kViewer, Role::kOperator, Role::kAdmin}) {
    TemplateData option;
    option.set("value", std::string(RoleName(role)));
    option.set("selected", role == selected);
    list.push_back(option);
  }
  return list;
}

TemplateData UserRows(const std::vector<store::UserRecord>& users, const std::string& csrf) {
  TemplateData rows{TemplateData::type::list};
  for (const store::UserRecord& u : users) {
    TemplateData row;
    row.set("name", u.name);
    row.set("role", std::string(RoleName(u.role)));
    row.set("roles", RoleOptions(u.role));
    row.set("created", UtcText(u.created_at));
    row.set("disabled", u.disabled());
    if (u.disabled_at) row.set("disabled_at", UtcText(*u.disabled_at));
    row.set("csrf_token", csrf);
    rows.push_back(row);
  }
  return rows;
}

TemplateData TokenRows(const std::vector<store::TokenInfo>& tokens, const std::string& csrf,
                       int64_t now_ms) {
  TemplateData rows{TemplateData::type::list};
  for (const store::TokenInfo& t : tokens) {
    TemplateData row;
    row.set("id", std::to_string(t.id));
    row.set("user", t.user_name);
    row.set("label", t.label);
    row.set("created", UtcText(t.created_at));
    row.set("last_used", t.last_used_at ? AgoText(*t.last_used_at, now_ms) : "never");
    row.set("revoked", t.revoked_at.has_value());
    if (t.revoked_at) row.set("revoked_at", UtcText(*t.revoked_at));
    row.set("csrf_token", csrf);
    rows.push_back(row);
  }
  return rows;
}

Status SetAudit(PageRequest& page, TemplateData& data) {
  store::AuditLog audit(page.db);
  Result<int64_t> total = audit.Count();
  if (!total.ok()) return total.status();
  const int64_t number = ClampedPage(page.Field("audit_page"), *total, kAuditPageSize);
  Result<std::vector<store::AuditEntry>> entries =
      audit.List((number - 1) * kAuditPageSize, kAuditPageSize);
  if (!entries.ok()) return entries.status();
  TemplateData rows{TemplateData::type::list};
  for (const store::AuditEntry& e : *entries) {
    TemplateData row;
    row.set("at", UtcText(e.at));
    row.set("actor", e.actor);
    row.set("action", e.action);
    row.set("detail", e.detail);
    rows.push_back(row);
  }
  data.set("audit", rows);
  data.set("audit_total", WithThousands(*total));
  data.set("audit_page", std::to_string(number));
  if (number > 1) data.set("audit_prev", std::to_string(number - 1));
  if (number * kAuditPageSize < *total) data.set("audit_next", std::to_string(number + 1));
  return Status::Ok();
}

void ShowAdmin(PageRequest& page) {
  const std::string& csrf = page.session().csrf_token;
  Result<std::vector<store::UserRecord>> users = store::UserRepository(page.db).List();
  if (!users.ok()) return page.Fail(users.status());
  Result<std::vector<store::TokenInfo>> tokens = store::TokenRepository(page.db).List();
  if (!tokens.ok()) return page.Fail(tokens.status());
  TemplateData data;
  data.set("csrf_token", csrf);
  data.set("users", UserRows(*users, csrf));
  data.set("tokens", TokenRows(*tokens, csrf, page.now_ms()));
  data.set("has_tokens", !tokens->empty());
  data.set("roles", RoleOptions(Role::kViewer));
  TemplateData names{TemplateData::type::list};
  for (const store::UserRecord& u : *users) {
    if (!u.disabled()) names.push_back(TemplateData(u.name));
  }
  data.set("user_names", names);
  data.set("min_password", std::to_string(kMinPasswordLength));
  if (Status s = SetAudit(page, data); !s.ok()) return page.Fail(s);
  page.Render("admin", "Admin", data);
}

// Redirects back with the error of `status` (a refused change) as a flash.
void Refused(PageRequest& page, std::string_view what, const Status& status) {
  page.RedirectWithFlash(std::string(kAdmin), FlashKind::kError,
                         fmt::format("{}: {}", what, status.message()));
}

// Redirects back with `text` (the change the store made and audited) as the flash.
void Done(PageRequest& page, const std::string& text) {
  page.RedirectWithFlash(std::string(kAdmin), FlashKind::kOk, text + ".");
}

void AddUser(PageRequest& page) {
  const std::string name = page.Field("name");
  std::optional<Role> role = ParseRole(page.Field("role"));
  if (!role) return Refused(page, "User not added", Status::InvalidArgument("choose a role"));
  Result<std::string> hash = HashPassword(page.Field("password"), page.web.password_cost);
  if (!hash.ok()) return Refused(page, "User not added", hash.status());
  Result<int64_t> id = store::UserRepository(page.db).Add(name, *role, *hash,
                                                          page.session().user_name, page.now_ms());
  if (!id.ok()) return Refused(page, "User not added", id.status());
  Done(page, fmt::format("User {} added as {}", name, RoleName(*role)));
}

// Whether changing `name` away from an enabled admin would leave no admin.
Result<bool> IsLastAdmin(store::UserRepository& users, const std::string& name) {
  Result<std::optional<store::UserRecord>> user = users.FindByName(name);
  if (!user.ok()) return user.status();
  if (!user->has_value() || (*user)->role != Role::kAdmin || (*user)->disabled()) return false;
  Result<int64_t> admins = users.CountActiveAdmins();
  if (!admins.ok()) return admins.status();
  return *admins <= 1;
}

void ChangeRole(PageRequest& page) {
  const std::string name = page.Field("name");
  std::optional<Role> role = ParseRole(page.Field("role"));
  if (!role) return Refused(page, "Role not changed", Status::InvalidArgument("choose a role"));
  store::UserRepository users(page.db);
  Result<bool> last = IsLastAdmin(users, name);
  if (!last.ok()) return page.Fail(last.status());
  if (*last && *role != Role::kAdmin) {
    return Refused(page, "Role not changed", Status::PermissionDenied(name + " is the last admin"));
  }
  Status s = users.SetRole(name, *role, page.session().user_name, page.now_ms());
  if (!s.ok()) return Refused(page, "Role not changed", s);
  Done(page, fmt::format("User {} is now {}", name, RoleName(*role)));
}

void SetDisabled(PageRequest& page, bool disable) {
  const std::string name = page.Field("name");
  store::UserRepository users(page.db);
  if (disable) {
    Result<bool> last = IsLastAdmin(users, name);
    if (!last.ok()) return page.Fail(last.status());
    if (*last) {
      return Refused(page, "User not disabled",
                     Status::PermissionDenied(name + " is the last admin"));
    }
  }
  const std::string& actor = page.session().user_name;
  Status s = disable ? users.Disable(name, actor, page.now_ms())
                     : users.Enable(name, actor, page.now_ms());
  if (!s.ok()) return Refused(page, disable ? "User not disabled" : "User not enabled", s);
  Done(page,
       fmt::format("User {} {}", name, disable ? "disabled: their sessions end now" : "enabled"));
}

// Creates the token and redirects to the page that shows it (post/redirect/
// get): reloading that page must not create another token.
void CreateToken(PageRequest& page) {
  const std::string user = page.Field("user");
  const std::string label = page.Field("label");
  Result<store::NewToken> token =
      store::TokenRepository(page.db).Create(user, label, page.session().user_name, page.now_ms());
  if (!token.ok()) return Refused(page, "Token not created", token.status());
  page.web.secret_flash.Put(page.session().id_hash,
                            {{"id", std::to_string(token->id)},
                             {"user", user},
                             {"label", label},
                             {"secret", token->secret}},
                            page.now_ms());
  page.Redirect(std::string(kNewToken));
}

// Shows the token just created, once: the flash is taken as it is shown.
void ShowNewToken(PageRequest& page) {
  std::optional<FlashFields> token =
      page.web.secret_flash.Take(page.session().id_hash, page.now_ms());
  TemplateData data;
  data.set("shown", token.has_value());
  if (token) {
    for (const char* field : {"id", "user", "label", "secret"}) data.set(field, (*token)[field]);
  }
  page.Render("token_created", "New API token", data);
}

void RevokeToken(PageRequest& page) {
  std::optional<int64_t> id = PositiveNumber(page.Field("id"));
  if (!id) {
    return Refused(page, "Token not revoked", Status::InvalidArgument("no token id"));
  }
  Status s = store::TokenRepository(page.db).Revoke(*id, page.session().user_name, page.now_ms());
  if (!s.ok()) return Refused(page, "Token not revoked", s);
  page.RedirectWithFlash(std::string(kAdmin), FlashKind::kOk,
                         fmt::format("Token {} revoked: it no longer opens the API.", *id));
}

}  // namespace

void RegisterAdminPage(Router& server, WebContext& web) {
  RouteGet(server, web, "/admin", Role::kAdmin, ShowAdmin);
  RoutePost(server, web, "/admin/users", Role::kAdmin, AddUser);
  RoutePost(server, web, "/admin/users/role", Role::kAdmin, ChangeRole);
  RoutePost(server, web, "/admin/users/disable", Role::kAdmin,
            [](PageRequest& page) { SetDisabled(page, true); });
  RoutePost(server, web, "/admin/users/enable", Role::kAdmin,
            [](PageRequest& page) { SetDisabled(page, false); });
  RoutePost(server, web, "/admin/tokens", Role::kAdmin, CreateToken);
  RouteGet(server, web, std::string(kNewToken), Role::kAdmin, ShowNewToken);
  RoutePost(server, web, "/admin/tokens/revoke", Role::kAdmin, RevokeToken);
}

}  // namespace imeiflow::web
