// `imeiflow token create --user NAME [--label L]`, `token list [--json]` and
// `token revoke ID`: the web API's bearer tokens. A token is shown once, when
// it is created; the database keeps only its hash. Creating and revoking are
// audited (who, which token, never the token itself).
#include <fmt/format.h>

#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli/command.h"
#include "cli/command_env.h"
#include "cli/number_option.h"
#include "cli/output.h"
#include "core/clock.h"
#include "core/time_text.h"
#include "store/token_repository.h"

namespace imeiflow::cli {
namespace {

struct TokenOptions {
  std::string user;
  std::string label;
  int64_t id = 0;
  bool json = false;
};

// Loads the configuration and opens the database it names.
Result<std::unique_ptr<store::Database>> OpenTokenDatabase(const GlobalOptions& global) {
  Result<Config> config = LoadCommandConfig(global);
  if (!config.ok()) return config.status();
  return OpenDatabase(global, *config);
}

int RunCreate(const GlobalOptions& global, const TokenOptions& opt) {
  Result<std::unique_ptr<store::Database>> db = OpenTokenDatabase(global);
  if (!db.ok()) return Fail("token create", db.status());
  Result<store::NewToken> token = store::TokenRepository(**db).Create(
      opt.user, opt.label, CommandActor(), SystemClock().NowMs());
  if (!token.ok()) return Fail("token create", token.status());
  // The token alone on standard output, so a script can capture it.
  fmt::print("{}\n", token->secret);
  fmt::print(stderr,
             "Token {} for {} created. It will not be shown again: store it now.\n"
             "Use it as the header `Authorization: Bearer <token>`.\n",
             token->id, opt.user);
  return kExitOk;
}

std::string TimeOrDash(const std::optional<int64_t>& ms) { return ms ? IsoUtc(*ms) : "-"; }

int RunList(const GlobalOptions& global, const TokenOptions& opt) {
  Result<std::unique_ptr<store::Database>> db = OpenTokenDatabase(global);
  if (!db.ok()) return Fail("token list", db.status());
  Result<std::vector<store::TokenInfo>> tokens = store::TokenRepository(**db).List();
  if (!tokens.ok()) return Fail("token list", tokens.status());
  if (opt.json) {
    auto time_or_null = [](const std::optional<int64_t>& ms) {
      return ms ? nlohmann::json(IsoUtc(*ms)) : nlohmann::json();
    };
    nlohmann::json list = nlohmann::json::array();
    for (const store::TokenInfo& t : *tokens) {
      list.push_back({{"id", t.id},
                      {"user", t.user_name},
                      {"label", t.label},
                      {"created_at", IsoUtc(t.created_at)},
                      {"last_used_at", time_or_null(t.last_used_at)},
                      {"revoked_at", time_or_null(t.revoked_at)}});
    }
    fmt::print("{}\n", JsonText(nlohmann::json{{"tokens", list}}));
    return kExitOk;
  }
  fmt::print("{:>5}  {:<16}  {:<20}  {:<20}  {:<20}  {}\n", "id", "user", "created", "last used",
             "revoked", "label");
  for (const store::TokenInfo& t : *tokens) {
    fmt::print("{:>5}  {:<16}  {:<20}  {:<20}  {:<20}  {}\n", t.id, Shown(t.user_name),
               IsoUtc(t.created_at), TimeOrDash(t.last_used_at), TimeOrDash(t.revoked_at),
               Shown(t.label));
  }
  return kExitOk;
}

int RunRevoke(const GlobalOptions& global, const TokenOptions& opt) {
  Result<std::unique_ptr<store::Database>> db = OpenTokenDatabase(global);
  if (!db.ok()) return Fail("token revoke", db.status());
  Status revoked =
      store::TokenRepository(**db).Revoke(opt.id, CommandActor(), SystemClock().NowMs());
  if (!revoked.ok()) return Fail("token revoke", revoked);
  fmt::print("token {} revoked\n", opt.id);
  return kExitOk;
}

}  // namespace

void AddTokenCommands(CLI::App& app, const GlobalOptions& global, CommandOutcome& outcome) {
  auto opt = std::make_shared<TokenOptions>();
  CLI::App* token = app.add_subcommand("token", "API bearer tokens: create, list, revoke");
  token->require_subcommand(1);
  CLI::App* create = token->add_subcommand("create", "Create a token for a user (shown once)");
  create->add_option("--user", opt->user, "the user the token acts as")->required();
  create->add_option("--label", opt->label, "what the token is for");
  create->callback([&global, &outcome, opt]() { outcome.exit_code = RunCreate(global, *opt); });
  CLI::App* list = token->add_subcommand("list", "Every token, without secrets");
  list->add_flag("--json", opt->json, "print one JSON object");
  list->callback([&global, &outcome, opt]() { outcome.exit_code = RunList(global, *opt); });
  CLI::App* revoke = token->add_subcommand("revoke", "Revoke a token");
  revoke->add_option("id", opt->id, "the token's id (see token list)")
      ->required()
      ->check(WholeNumber(1, INT64_MAX));
  revoke->callback([&global, &outcome, opt]() { outcome.exit_code = RunRevoke(global, *opt); });
}

}  // namespace imeiflow::cli
