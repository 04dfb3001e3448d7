// `imeiflow serve [--listen HOST:PORT] [--demo [--demo-dir DIR]]`: the web
// application, the dispatcher and the status syncer in one process. With
// --demo [--demo-cap AMOUNT] [--keep], against a simulated supplier with a
// fresh (or, --keep, the last demo's) database and a demo admin (cli/demo.h).
// The web server runs httplib's worker threads; the dispatcher runs on its own
// thread with its own database connection, taking the database's dispatcher
// lock (while another process holds it, pages are still served and the
// dashboard says so; the lock is tried again every few seconds).
// SIGINT/SIGTERM: stop accepting connections, stop claiming new supplier
// calls, let calls in flight finish within dispatch.grace_s, exit 0.
// Under systemd (Type=notify) it says READY=1 once the listener is bound and
// the dispatcher started, STOPPING=1 when a stop was asked for.
#include <fmt/format.h>
#include <malloc.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <thread>

#include "cli/command.h"
#include "cli/command_env.h"
#include "cli/demo.h"
#include "cli/dispatch_session.h"
#include "cli/stop_signal.h"
#include "core/clock.h"
#include "core/service_notifier.h"
#include "store/backup.h"
#include "store/backup_schedule.h"
#include "store/dispatcher_lock.h"
#include "store/user_repository.h"
#include "web/server.h"
#include "web/web_context.h"

namespace imeiflow::cli {
namespace {

// How often a dispatcher that cannot run tries again.
constexpr auto kLockRetry = std::chrono::seconds(5);
constexpr auto kFailureRetry = std::chrono::seconds(30);
// The dashboard needs fresh counters, not one copy per dispatcher step.
constexpr int64_t kStatsEveryMs = 250;

/// Sleeps for `duration` or until `stop` is set.
void WaitFor(const std::atomic<bool>& stop, std::chrono::milliseconds duration) {
  auto until = std::chrono::steady_clock::now() + duration;
  while (!stop.load() && std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

void Report(web::EngineMonitor& live, const Clock& clock, web::DispatcherState state,
            std::string note, engine::DispatchStats stats = {}) {
  live.SetDispatcher({state, std::move(note), std::move(stats), clock.NowMs()});
}

// How long the backup thread sleeps at most before it looks at the clock
// again, and waits after a failed backup before it tries again.
constexpr std::chrono::minutes kBackupCheck{1};
constexpr std::chrono::minutes kBackupRetry{10};

// The scheduled backups ([backup] dir, keep, daily_at): takes each when
// store::NextBackupMs says it is due, until `stop`.
void RunBackupThread(const Config& config, int minute_of_day, const std::string& db_path,
                     const std::atomic<bool>& stop, const Clock& clock) {
  while (!stop.load()) {
    int64_t now = clock.NowMs();
    int64_t due =
        store::NextBackupMs(now, minute_of_day, store::NewestBackupMs(config.backup.dir));
    if (due > now) {
      WaitFor(stop, std::min<std::chrono::milliseconds>(std::chrono::milliseconds(due - now),
                                                         kBackupCheck));
      continue;
    }
    Result<std::string> file =
        store::BackupIntoFolder(db_path, config.backup.dir, config.backup.keep, now);
    if (file.ok()) {
      spdlog::info("serve: backed up the database to {}", *file);
    } else {
      spdlog::error("serve: the scheduled backup failed: {}", file.status().message());
      WaitFor(stop, kBackupRetry);
    }
  }
}

// One dispatcher session while holding the lock; returns how it ended.
Status DispatchWhileLocked(const Config& config, const std::string& db_path,
                           const std::atomic<bool>& stop, web::EngineMonitor& live,
                           const Clock& clock) {
  Result<std::unique_ptr<store::Database>> db = store::Database::Open(db_path);
  if (!db.ok()) return db.status();
  int64_t last_report = 0;
  Report(live, clock, web::DispatcherState::kRunning, "");
  return RunLockedDispatchSession(config, **db, db_path, stop,
                                  [&](const engine::DispatchStats& stats) {
                                    int64_t now = clock.NowMs();
                                    if (now - last_report < kStatsEveryMs) return;
                                    last_report = now;
                                    Report(live, clock, web::DispatcherState::kRunning, "", stats);
                                  },
                                  &live.service_refresh());
}

// The dispatcher thread: takes the lock when it can and dispatches until `stop`.
void RunDispatcherThread(const Config& config, const std::string& db_path,
                         const std::atomic<bool>& stop, web::EngineMonitor& live,
                         const Clock& clock) {
  while (!stop.load()) {
    Result<std::unique_ptr<store::DispatcherLock>> lock = store::DispatcherLock::Acquire(db_path);
    if (!lock.ok()) {
      bool elsewhere = lock.status().code() == StatusCode::kUnavailable;
      Report(live, clock,
             elsewhere ? web::DispatcherState::kLockedElsewhere : web::DispatcherState::kFailed,
             lock.status().message());
      WaitFor(stop, kLockRetry);
      continue;
    }
    Status ended = DispatchWhileLocked(config, db_path, stop, live, clock);
    lock->reset();
    if (ended.ok()) break;
    spdlog::error("serve: the dispatcher stopped: {}", ended.message());
    Report(live, clock, web::DispatcherState::kFailed, ended.message());
    // A wrong configuration stays wrong until a restart; other failures
    // (network, database busy) may pass.
    if (ended.code() == StatusCode::kInvalidArgument ||
        ended.code() == StatusCode::kPermissionDenied) {
      while (!stop.load()) WaitFor(stop, kFailureRetry);
      break;
    }
    WaitFor(stop, kFailureRetry);
  }
  Report(live, clock, web::DispatcherState::kStopped, "");
}

Status WarnWithoutUsers(store::Database& db) {
  Result<std::vector<store::UserRecord>> users = store::UserRepository(db).List();
  if (!users.ok()) return users.status();
  if (users->empty()) {
    fmt::print(stderr,
               "imeiflow serve: no users yet; create the first one with\n"
               "  imeiflow user add NAME --role admin\n");
  }
  return Status::Ok();
}

/// How serve was asked to run.
struct ServeOptions {
  std::string listen;        ///< --listen
  bool demo = false;         ///< --demo
  DemoOptions demo_options;  ///< --demo-dir, --demo-cap, --keep
};

int RunServe(const GlobalOptions& global, const ServeOptions& opt) {
  // The web server parses uploads of up to 20 MB on its worker threads, and
  // glibc gives each thread an arena of its own that keeps what was freed in
  // it; uncapped, every worker would keep the peak of the largest upload it
  // once parsed (bench/preview_memory_bench: five refused 19 MB uploads left
  // serve holding 272 MB). Two arenas bound that. Set before threads start.
  mallopt(M_ARENA_MAX, 2);
  std::optional<Demo> demo;
  if (opt.demo) {
    if (!global.db_path.empty()) {
      fmt::print(stderr, "imeiflow serve: --demo uses a fresh database in its folder; drop --db\n");
      return kExitUsage;
    }
    Result<Demo> started = StartDemo(opt.demo_options);
    if (!started.ok()) return Fail("serve", started.status());
    demo = std::move(*started);
  }
  Result<Config> config = LoadCommandConfig(global);
  if (!config.ok()) return Fail("serve", config.status());
  Result<web::ServerOptions> options = web::ServerOptionsFromConfig(*config);
  if (!options.ok()) return Fail("serve", options.status());
  if (!opt.listen.empty()) {
    if (Status s = web::ParseListen(opt.listen, *options); !s.ok()) {
      Fail("serve", Status::InvalidArgument("--listen: " + s.message()));
      return kExitUsage;
    }
  }
  const std::string db_path = DatabasePath(global, *config);
  {
    Result<std::unique_ptr<store::Database>> db = OpenDatabase(global, *config);
    if (!db.ok()) return Fail("serve", db.status());
    if (demo) {
      if (Status s = PrepareDemoDatabase(*demo, *config, **db); !s.ok()) return Fail("serve", s);
    }
    if (Status s = WarnWithoutUsers(**db); !s.ok()) return Fail("serve", s);
  }
  Result<int> backup_minute = config->backup.DailyAtMinute();
  if (!backup_minute.ok()) return Fail("serve", backup_minute.status());
  SystemClock clock;
  Result<std::unique_ptr<web::WebContext>> web = web::WebContext::Create(*config, db_path, clock);
  if (!web.ok()) return Fail("serve", web.status());
  Result<std::unique_ptr<web::Server>> server = web::Server::Create(**web, *options);
  if (!server.ok()) return Fail("serve", server.status());
  if (Status s = (*server)->Bind(); !s.ok()) return Fail("serve", s);

  const std::atomic<bool>& signalled = InstallStopSignalHandlers();
  std::atomic<bool> shutdown{false};
  std::atomic<bool> server_done{false};
  Status served;
  std::thread http([&] {
    served = (*server)->Run();
    server_done.store(true);
  });
  std::thread dispatcher(
      [&] { RunDispatcherThread(*config, db_path, shutdown, (*web)->engine, clock); });
  std::thread backups;
  if (!config->backup.dir.empty()) {
    backups = std::thread([&] { RunBackupThread(*config, *backup_minute, db_path, shutdown, clock); });
  }

  fmt::print("imeiflow: serving {} (database {}); Ctrl-C stops\n", (*server)->Url(), db_path);
  if (demo) {
    fmt::print(
        "imeiflow demo: simulated supplier at {} (ledger in {}/ledger.csv); {}; daily cap {}"
        " (change it on /settings)\n"
        "imeiflow demo: open {}/ and log in with user {}, password {}{}\n",
        demo->supplier->url(), demo->folder,
        demo->kept ? "kept the database of the last demo (--keep)" : "fresh database",
        Money::Parse(opt.demo_options.daily_cap)->ToDisplay(), (*server)->Url(), demo->user,
        demo->password, demo->kept ? " (a new password: the old one no longer works)" : "");
  }
  std::fflush(stdout);
  std::unique_ptr<ServiceNotifier> notifier = MakeSystemdNotifier();
  if (Status s = notifier->Ready(); !s.ok()) spdlog::warn("serve: {}", s.message());
  while (!signalled.load() && !server_done.load()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  if (Status s = notifier->Stopping(); !s.ok()) spdlog::warn("serve: {}", s.message());
  spdlog::info("serve: stopping (calls in flight get up to {} s)", config->dispatch.grace_s);
  shutdown.store(true);
  // Stop() does nothing until the server listens; repeat until Run() returns.
  while (!server_done.load()) {
    (*server)->Stop();
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  http.join();
  dispatcher.join();
  if (backups.joinable()) backups.join();
  if (!served.ok()) return Fail("serve", served);
  spdlog::info("serve: stopped");
  return kExitOk;
}

}  // namespace

void AddServeCommand(CLI::App& app, const GlobalOptions& global, CommandOutcome& outcome) {
  auto opt = std::make_shared<ServeOptions>();
  CLI::App* cmd =
      app.add_subcommand("serve", "Run the web application with the dispatcher in one process");
  cmd->add_option("--listen", opt->listen,
                  "HOST:PORT to listen on (else web.listen, 127.0.0.1:8080)");
  cmd->add_flag("--demo", opt->demo,
                "run against a simulated supplier, with a fresh database and a demo admin");
  cmd->add_option("--demo-dir", opt->demo_options.folder,
                  "the demo's folder (database, supplier ledger)")
      ->capture_default_str();
  cmd->add_option("--demo-cap", opt->demo_options.daily_cap,
                  "the demo's daily spending cap (AMOUNT, e.g. 2000.00)")
      ->capture_default_str();
  cmd->add_flag("--keep", opt->demo_options.keep,
                "with --demo: reuse the demo database of the last run (jobs, orders, users);"
                " the demo admin gets a new password");
  cmd->callback([&global, &outcome, opt]() { outcome.exit_code = RunServe(global, *opt); });
}

}  // namespace imeiflow::cli
