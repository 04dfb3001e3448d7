// `imeiflow user add NAME --role admin|operator|viewer [--password-stdin]`,
// `imeiflow user list [--json]` and `imeiflow user passwd NAME
// [--password-stdin]`: the web application's users. The password is asked
// for without echo on a terminal (twice), else read from standard input's
// first line with --password-stdin; it never appears in arguments, logs or
// errors. Every change is audited (actor "cli:<login name>").
#include <fmt/format.h>
#include <termios.h>
#include <unistd.h>

#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli/command.h"
#include "cli/command_env.h"
#include "cli/output.h"
#include "cli/time_text.h"
#include "core/clock.h"
#include "core/role.h"
#include "store/user_repository.h"
#include "web/password.h"

namespace imeiflow::cli {
namespace {

struct UserOptions {
  std::string name;
  std::string role;
  bool password_stdin = false;
  bool json = false;
};

std::string StripLineEnd(std::string line) {
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
  return line;
}

// Reads one line from the terminal with echo off.
Result<std::string> AskHidden(const std::string& prompt) {
  fmt::print(stderr, "{}", prompt);
  std::fflush(stderr);
  termios old_mode{};
  if (tcgetattr(STDIN_FILENO, &old_mode) != 0) {
    return Status::IoError("cannot read the terminal's settings");
  }
  termios quiet = old_mode;
  quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
  tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
  std::string line;
  bool got = static_cast<bool>(std::getline(std::cin, line));
  tcsetattr(STDIN_FILENO, TCSAFLUSH, &old_mode);
  fmt::print(stderr, "\n");
  if (!got) return Status::InvalidArgument("no password was typed");
  return StripLineEnd(line);
}

// The new password: standard input's first line, or asked twice on a terminal.
Result<std::string> ReadNewPassword(const UserOptions& opt) {
  if (opt.password_stdin) {
    std::string line;
    if (!std::getline(std::cin, line)) {
      return Status::InvalidArgument("--password-stdin: standard input is empty");
    }
    return StripLineEnd(line);
  }
  Result<std::string> first = AskHidden(fmt::format("Password for {}: ", opt.name));
  if (!first.ok()) return first;
  Result<std::string> again = AskHidden("Repeat it: ");
  if (!again.ok()) return again;
  if (*first != *again) return Status::InvalidArgument("the two passwords differ");
  return first;
}

// Without --password-stdin the password is typed, which needs a terminal.
bool CanReadPassword(const UserOptions& opt, std::string_view command) {
  if (opt.password_stdin || isatty(STDIN_FILENO)) return true;
  Fail(command, Status::InvalidArgument("standard input is not a terminal: pass "
                                        "--password-stdin and send the password on it"));
  return false;
}

int RunUserAdd(const GlobalOptions& global, const UserOptions& opt) {
  if (!CanReadPassword(opt, "user add")) return kExitUsage;
  std::optional<Role> role = ParseRole(opt.role);
  if (!role) {
    Fail("user add", Status::InvalidArgument(
                         fmt::format("--role: \"{}\" is not admin, operator or viewer", opt.role)));
    return kExitUsage;
  }
  if (std::string problem = store::UserNameProblem(opt.name); !problem.empty()) {
    Fail("user add", Status::InvalidArgument(problem));
    return kExitUsage;
  }
  Result<Config> config = LoadCommandConfig(global);
  if (!config.ok()) return Fail("user add", config.status());
  Result<std::unique_ptr<store::Database>> db = OpenDatabase(global, *config);
  if (!db.ok()) return Fail("user add", db.status());
  store::UserRepository users(**db);
  Result<std::optional<store::UserRecord>> existing = users.FindByName(opt.name);
  if (!existing.ok()) return Fail("user add", existing.status());
  if (existing->has_value()) {
    return Fail("user add", Status::InvalidArgument(
                                fmt::format("a user called \"{}\" already exists", opt.name)));
  }
  Result<std::string> password = ReadNewPassword(opt);
  if (!password.ok()) return Fail("user add", password.status());
  Result<std::string> hash = web::HashPassword(*password);
  if (!hash.ok()) return Fail("user add", hash.status());
  Result<int64_t> id = users.Add(opt.name, *role, *hash, CommandActor(), SystemClock().NowMs());
  if (!id.ok()) return Fail("user add", id.status());
  fmt::print("user {} added ({})\n", opt.name, RoleName(*role));
  return kExitOk;
}

int RunUserList(const GlobalOptions& global, const UserOptions& opt) {
  Result<Config> config = LoadCommandConfig(global);
  if (!config.ok()) return Fail("user list", config.status());
  Result<std::unique_ptr<store::Database>> db = OpenDatabase(global, *config);
  if (!db.ok()) return Fail("user list", db.status());
  Result<std::vector<store::UserRecord>> users = store::UserRepository(**db).List();
  if (!users.ok()) return Fail("user list", users.status());
  if (opt.json) {
    nlohmann::json out = nlohmann::json::array();
    for (const store::UserRecord& u : *users) {
      out.push_back({{"name", u.name},
                     {"role", RoleName(u.role)},
                     {"created_at", IsoUtc(u.created_at)},
                     {"disabled", u.disabled()}});
    }
    fmt::print("{}\n", JsonText(out, 2));
    return kExitOk;
  }
  if (users->empty()) {
    fmt::print("no users; add one with: imeiflow user add NAME --role admin\n");
    return kExitOk;
  }
  fmt::print("{:<24} {:<9} {:<21} {}\n", "NAME", "ROLE", "CREATED", "STATE");
  for (const store::UserRecord& u : *users) {
    fmt::print("{:<24} {:<9} {:<21} {}\n", u.name, RoleName(u.role), IsoUtc(u.created_at),
               u.disabled() ? "disabled" : "active");
  }
  return kExitOk;
}

int RunUserPasswd(const GlobalOptions& global, const UserOptions& opt) {
  if (!CanReadPassword(opt, "user passwd")) return kExitUsage;
  Result<Config> config = LoadCommandConfig(global);
  if (!config.ok()) return Fail("user passwd", config.status());
  Result<std::unique_ptr<store::Database>> db = OpenDatabase(global, *config);
  if (!db.ok()) return Fail("user passwd", db.status());
  store::UserRepository users(**db);
  Result<std::optional<store::UserRecord>> user = users.FindByName(opt.name);
  if (!user.ok()) return Fail("user passwd", user.status());
  if (!user->has_value()) {
    return Fail("user passwd", Status::NotFound(fmt::format("no user called \"{}\"", opt.name)));
  }
  Result<std::string> password = ReadNewPassword(opt);
  if (!password.ok()) return Fail("user passwd", password.status());
  Result<std::string> hash = web::HashPassword(*password);
  if (!hash.ok()) return Fail("user passwd", hash.status());
  Result<int64_t> ended = users.SetPassword(opt.name, *hash, CommandActor(), SystemClock().NowMs());
  if (!ended.ok()) return Fail("user passwd", ended.status());
  fmt::print("password of {} changed; {} open sessions ended\n", opt.name, *ended);
  return kExitOk;
}

}  // namespace

void AddUserCommands(CLI::App& app, const GlobalOptions& global, CommandOutcome& outcome) {
  auto opt = std::make_shared<UserOptions>();
  CLI::App* user = app.add_subcommand("user", "Users of the web application");
  user->require_subcommand(1);

  CLI::App* add = user->add_subcommand("add", "Add a user (the password is asked for)");
  add->add_option("NAME", opt->name, "login name")->required();
  add->add_option("--role", opt->role, "admin, operator or viewer")->required();
  add->add_flag("--password-stdin", opt->password_stdin,
                "read the password from standard input's first line");
  add->callback([&global, &outcome, opt]() { outcome.exit_code = RunUserAdd(global, *opt); });

  CLI::App* list = user->add_subcommand("list", "List the users");
  list->add_flag("--json", opt->json, "print JSON");
  list->callback([&global, &outcome, opt]() { outcome.exit_code = RunUserList(global, *opt); });

  CLI::App* passwd = user->add_subcommand("passwd", "Set a user's password (ends their sessions)");
  passwd->add_option("NAME", opt->name, "login name")->required();
  passwd->add_flag("--password-stdin", opt->password_stdin,
                   "read the password from standard input's first line");
  passwd->callback([&global, &outcome, opt]() { outcome.exit_code = RunUserPasswd(global, *opt); });
}

}  // namespace imeiflow::cli
