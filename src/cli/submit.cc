// `imeiflow submit --service ID [--batch-size N] [--recheck] [--skip-rejected]
// [--dry-run] [--yes] [--wait [--until-results]] [--json] FILE|-`: validates
// the IMEIs and prints the preview (valid, invalid, already ordered, rejected
// before with the top reasons, to order, estimated cost, today's spend
// against the cap); --dry-run stops there. Otherwise it asks "Order N IMEIs
// for $X? [y/N]" on a terminal (the answer from /dev/tty when the IMEIs come
// from standard input); without one it needs --yes, else it exits 2 and
// creates nothing. With --wait it dispatches the job in the foreground (or,
// when another process is the dispatcher, watches it) until every item is
// final, and with --until-results until every order of the job has its
// result (the syncer runs in the same session). Exit codes: 0 done, 1 failure
// (or the daily cap paused dispatch), 2 usage or not confirmed, 4 items of
// the job need review.
#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <thread>

#include "cli/command.h"
#include "cli/command_env.h"
#include "cli/dispatch_session.h"
#include "cli/number_option.h"
#include "cli/output.h"
#include "cli/progress.h"
#include "cli/read_input.h"
#include "cli/stop_signal.h"
#include "core/clock.h"
#include "core/input.h"
#include "engine/service_cache.h"
#include "store/job_json.h"
#include "store/job_repository.h"
#include "store/job_submission.h"
#include "store/order_repository.h"
#include "store/service_repository.h"
#include "upstream/supplier_connection.h"

namespace imeiflow::cli {
namespace {

// Exit status when items of the job wait for a person (`imeiflow review`).
constexpr int kExitNeedsReview = 4;

// Invalid entries and rejected-before IMEIs the text preview lists (the
// JSON preview has them all).
constexpr size_t kListedLines = 10;

struct SubmitOptions {
  std::string service_id;
  int batch_size = 1;
  bool recheck = false;
  bool skip_rejected = false;
  bool dry_run = false;
  bool yes = false;
  bool wait = false;
  bool until_results = false;
  bool json = false;
  std::string file;
};

// The service from the cache, refreshing the cache from the supplier once
// when it is not there.
Result<store::CachedService> FindService(const Config& config, store::Database& db,
                                         const std::string& id) {
  store::ServiceRepository services(db);
  Result<store::CachedService> cached = services.Find(id);
  if (cached.ok() || cached.status().code() != StatusCode::kNotFound) return cached;
  Result<std::unique_ptr<upstream::SupplierConnection>> supplier =
      upstream::SupplierConnection::Open(config);
  if (!supplier.ok()) return supplier.status();
  std::vector<std::string> warnings;
  Result<size_t> stored = engine::RefreshServiceCache((*supplier)->provider(), services,
                                                      SystemClock().NowMs(), &warnings);
  if (!stored.ok()) return stored.status();
  for (const std::string& w : warnings) fmt::print(stderr, "warning: {}\n", w);
  Result<store::CachedService> found = services.Find(id);
  if (!found.ok()) return Status::NotFound(fmt::format("the supplier offers no service {}", id));
  return found;
}

// Whether the job is finished for the wait: no item queued or in flight,
// and, with `until_results`, no order of the job still pending or in
// process at the supplier (stale ones, given up on by the syncer, excepted).
Result<bool> JobFinished(store::Database& db, const store::JobSummary& job, bool until_results) {
  if (job.Active() > 0) return false;
  if (!until_results) return true;
  int64_t open = 0;
  store::OrderFilter filter;
  filter.job_id = job.id;
  Status s = store::OrderRepository(db).ForEach(filter, [&](const store::OrderRecord& order) {
    if (!store::IsFinal(order.status) && order.status != store::OrderStatus::kUnconfirmed &&
        !order.stale_at) {
      ++open;
    }
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return open == 0;
}

// Waits for the job while another process dispatches (and syncs).
Status Watch(store::Database& db, int64_t job_id, bool until_results, const std::atomic<bool>& stop,
             ProgressPrinter& progress) {
  store::JobRepository jobs(db);
  SystemClock clock;
  while (!stop.load()) {
    Result<store::JobSummary> job = jobs.Get(job_id);
    if (!job.ok()) return job.status();
    progress.Update(*job, clock.NowMs());
    Result<bool> finished = JobFinished(db, *job, until_results);
    if (!finished.ok()) return finished.status();
    if (*finished) return Status::Ok();
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
  return Status::Ok();
}

// "1,234 completed, 5 rejected, 2 pending": the job's orders by status.
Result<std::string> ResultsText(store::Database& db, int64_t job_id) {
  std::map<std::string, int64_t> by_status;
  store::OrderFilter filter;
  filter.job_id = job_id;
  Status s = store::OrderRepository(db).ForEach(filter, [&](const store::OrderRecord& order) {
    ++by_status[std::string(store::OrderStatusWord(order.status))];
    return Status::Ok();
  });
  if (!s.ok()) return s;
  std::string text;
  for (const auto& [status, n] : by_status) {
    text += fmt::format("{}{} {}", text.empty() ? "" : ", ", n, status);
  }
  return text.empty() ? std::string("no orders") : text;
}

// Runs (or watches) the dispatcher until the job is finished; the exit
// status: kExitNeedsReview when items wait for a person at the end.
Result<int> WaitForJob(const GlobalOptions& global, const Config& config, store::Database& db,
                       int64_t job_id, bool until_results) {
  const std::atomic<bool>& stop = InstallStopSignalHandlers();
  store::JobRepository jobs(db);
  SystemClock clock;
  ProgressPrinter progress(stderr, isatty(STDERR_FILENO) != 0);
  Result<int64_t> ahead = store::QueuedAhead(db, job_id);
  if (!ahead.ok()) return ahead.status();
  if (*ahead > 0) {
    fmt::print(stderr, "Job {} waits behind {} item(s) of older jobs, dispatched first\n", job_id,
               *ahead);
  }
  auto keep_going = [&](bool results) {
    return [&, results]() {
      Result<store::JobSummary> job = jobs.Get(job_id);
      if (!job.ok()) return false;
      progress.Update(*job, clock.NowMs());
      Result<bool> finished = JobFinished(db, *job, results);
      return finished.ok() && !*finished;
    };
  };
  const std::string db_path = DatabasePath(global, config);
  // until_idle: when the daily cap pauses dispatch, say so and end (exit 1)
  // instead of waiting, silently, for the next day. The syncer runs beside
  // the dispatcher when results are awaited.
  Status s = RunDispatchSession(config, db, db_path, stop, /*until_idle=*/true, keep_going(false),
                                /*sync=*/until_results);
  bool watched = false;
  if (s.code() == StatusCode::kUnavailable &&
      s.message().find("already dispatching") != std::string::npos) {
    fmt::print(stderr, "{}; watching job {}\n", s.message(), job_id);
    s = Watch(db, job_id, until_results, stop, progress);
    watched = true;
  }
  if (s.ok() && until_results && !watched && !stop.load()) {
    // Every item is sent; now only results are awaited, which are due later
    // than "idle" looks: keep the session (and its syncer) until they are in.
    if (Result<store::JobSummary> job = jobs.Get(job_id); job.ok()) {
      Result<bool> finished = JobFinished(db, *job, true);
      if (!finished.ok()) return finished.status();
      if (!*finished) {
        fmt::print(stderr, "Job {}: every IMEI is sent; waiting for the supplier's results\n",
                   job_id);
        s = RunDispatchSession(config, db, db_path, stop, /*until_idle=*/false, keep_going(true),
                               /*sync=*/true);
        if (s.code() == StatusCode::kUnavailable &&
            s.message().find("already dispatching") != std::string::npos) {
          fmt::print(stderr, "{}; watching job {}\n", s.message(), job_id);
          s = Watch(db, job_id, true, stop, progress);
        }
      }
    }
  }
  if (!s.ok()) return s;
  Result<store::JobSummary> job = jobs.Get(job_id);
  if (!job.ok()) return job.status();
  progress.Finish(*job, clock.NowMs());
  if (until_results) {
    Result<std::string> results = ResultsText(db, job_id);
    if (!results.ok()) return results.status();
    fmt::print(stderr, "Job {} results: {}\n", job_id, *results);
  }
  if (int64_t uncertain = job->counts[ItemState::kUncertain]; uncertain > 0) {
    fmt::print(stderr,
               "{} item(s) may have been ordered and need review (exit {}): imeiflow review\n",
               uncertain, kExitNeedsReview);
    return kExitNeedsReview;
  }
  return kExitOk;
}

// The preview as aligned text.
std::string PreviewText(const store::CachedService& service, const CheckReport& report,
                        const store::SubmissionPreview& p) {
  auto row = [](std::string_view label, std::string_view value, std::string_view note = "") {
    return fmt::format("  {:<17}{:>10}{}{}\n", label, value, note.empty() ? "" : "  ", note);
  };
  std::string text = fmt::format("Service {} \"{}\", {} per IMEI\n", service.id, service.title,
                                 service.price.ToDisplay());
  text += row("valid", std::to_string(p.valid));
  text += row("invalid", std::to_string(p.invalid.size()), p.invalid.empty() ? "" : "never sent");
  for (size_t i = 0; i < std::min(kListedLines, p.invalid.size()); ++i) {
    text += fmt::format("      line {}: {} ({})\n", p.invalid[i].line, p.invalid[i].input,
                        p.invalid[i].reason);
  }
  if (p.invalid.size() > kListedLines) {
    text += fmt::format("      and {} more (imeiflow check)\n", p.invalid.size() - kListedLines);
  }
  if (!report.duplicates.empty()) {
    text += row("repeated", std::to_string(report.duplicates.size()), "counted once");
  }
  text += row("already ordered", std::to_string(p.already_ordered.size()),
              p.already_ordered.empty() ? ""
              : p.recheck               ? "ordered again (--recheck)"
                                        : "skipped (--recheck orders them again)");
  text += row("rejected before", std::to_string(p.rejected_before.size()),
              p.rejected_before.empty() ? ""
              : p.skip_rejected         ? "left out (--skip-rejected)"
                                        : "ordered again (--skip-rejected leaves them out)");
  for (const store::ReasonCount& r : p.top_reasons) {
    text += fmt::format("  {:>27}  {}\n", r.count, r.reason);
  }
  for (size_t i = 0; i < std::min(kListedLines, p.rejected_before.size()); ++i) {
    text += fmt::format("      line {}: {} ({})\n", p.rejected_before[i].line,
                        p.rejected_before[i].imei, p.rejected_before[i].reason);
  }
  if (p.rejected_before.size() > kListedLines) {
    text += fmt::format("      and {} more (--dry-run --json lists them all)\n",
                        p.rejected_before.size() - kListedLines);
  }
  text += row("to order", std::to_string(p.to_order));
  text += row("estimated cost", p.estimated_cost.ToDisplay());
  text += row("spent today", p.spending.spent.ToDisplay(),
              p.spending.cap ? fmt::format("of the daily cap of {}", p.spending.cap->ToDisplay())
                             : "no daily cap is set");
  if (p.spending.Exceeds(p.estimated_cost)) {
    text += fmt::format(
        "  Today's spend plus this job ({}) is over the daily cap: dispatch pauses at the cap"
        " and goes on tomorrow (UTC).\n",
        (p.spending.spent + p.estimated_cost).ToDisplay());
  }
  return text;
}

enum class Confirmation { kYes, kNo, kNoTerminal };

// Asks "Order N IMEIs for $X? [y/N]" on the terminal: standard input when it
// is one and does not carry the IMEIs, else /dev/tty.
Confirmation Ask(const store::SubmissionPreview& preview, bool imeis_from_stdin) {
  int fd = -1;
  bool opened = false;
  if (!imeis_from_stdin && isatty(STDIN_FILENO) != 0) {
    fd = STDIN_FILENO;
  } else if (imeis_from_stdin) {
    fd = open("/dev/tty", O_RDONLY | O_CLOEXEC);
    opened = fd >= 0;
    if (opened && isatty(fd) == 0) {
      close(fd);
      fd = -1;
      opened = false;
    }
  }
  if (fd < 0) return Confirmation::kNoTerminal;
  fmt::print(stderr, "Order {} IMEIs for {}? [y/N] ", preview.to_order,
             preview.estimated_cost.ToDisplay());
  std::fflush(stderr);
  std::string answer;
  char c = 0;
  while (read(fd, &c, 1) == 1 && c != '\n') answer += c;
  if (opened) close(fd);
  return answer == "y" || answer == "Y" || answer == "yes" || answer == "YES" ? Confirmation::kYes
                                                                              : Confirmation::kNo;
}

int RunSubmit(const GlobalOptions& global, const SubmitOptions& opt) {
  Result<Config> config = LoadCommandConfig(global);
  if (!config.ok()) return Fail("submit", config.status());
  Result<std::string> bytes = ReadInput(opt.file);
  if (!bytes.ok()) return Fail("submit", bytes.status());
  Result<CheckReport> report =
      ParseImeiInput(*bytes, opt.file == "-" ? "standard input" : opt.file);
  if (!report.ok()) return Fail("submit", report.status());
  if (report->imeis.empty()) {
    return Fail("submit", Status::InvalidArgument(fmt::format(
                              "no valid IMEI in {} ({} invalid entries; see `imeiflow check`)",
                              opt.file, report->invalid.size())));
  }
  Result<std::unique_ptr<store::Database>> db = OpenDatabase(global, *config);
  if (!db.ok()) return Fail("submit", db.status());
  Result<store::CachedService> service = FindService(*config, **db, opt.service_id);
  if (!service.ok()) return Fail("submit", service.status());

  store::SubmissionOptions how;
  how.batch_size = opt.batch_size;
  how.recheck = opt.recheck;
  how.skip_rejected = opt.skip_rejected;
  how.source = opt.file == "-" ? "stdin" : opt.file;
  how.created_by = "cli";
  SystemClock clock;
  Result<std::optional<Money>> configured_cap = config->spending.DailyCap();
  if (!configured_cap.ok()) return Fail("submit", configured_cap.status());
  Result<store::SubmissionPreview> preview = store::PreviewSubmission(
      **db, *service, *report, how, *configured_cap, clock.NowMs());
  if (!preview.ok()) return Fail("submit", preview.status());
  if (opt.dry_run) {
    if (opt.json) {
      fmt::print("{}\n", JsonText(store::PreviewJson(*preview)));
    } else {
      fmt::print("{}Dry run: no job created.\n", PreviewText(*service, *report, *preview));
    }
    return kExitOk;
  }
  fmt::print(stderr, "{}", PreviewText(*service, *report, *preview));
  if (preview->to_order == 0) {
    fmt::print(stderr, "Nothing to order: no job created.\n");
    if (opt.json) fmt::print("{}\n", JsonText(store::PreviewJson(*preview)));
    return kExitOk;
  }
  if (!opt.yes) {
    switch (Ask(*preview, opt.file == "-")) {
      case Confirmation::kYes:
        break;
      case Confirmation::kNo:
        fmt::print(stderr, "Not confirmed: no job created.\n");
        return kExitOk;
      case Confirmation::kNoTerminal:
        fmt::print(stderr,
                   "imeiflow submit: not confirmed: there is no terminal to ask on; pass --yes to"
                   " order {} IMEIs for {} (or --dry-run to only see the preview). No job was"
                   " created.\n",
                   preview->to_order, preview->estimated_cost.ToDisplay());
        return kExitUsage;
    }
  }

  // A CSV or XLSX file is kept with the job, for `export --job ID --layout upload`.
  Result<std::optional<store::UploadedSheet>> sheet = store::ReadUploadedSheet(*bytes);
  if (!sheet.ok()) return Fail("submit", sheet.status());
  if (sheet->has_value()) how.sheet = &**sheet;
  Result<store::Submission> submitted =
      store::SubmitJob(**db, *service, *report, how, clock.NowMs());
  if (!submitted.ok()) return Fail("submit", submitted.status());
  const store::JobSummary& created = submitted->job;
  const int64_t job_id = created.id;
  fmt::print(stderr, "Job {}: {} IMEIs queued, {} invalid, {} already ordered{} (est. {})\n",
             job_id, created.counts.at(ItemState::kQueued), created.counts.at(ItemState::kInvalid),
             created.counts.at(ItemState::kSkippedDuplicate) - submitted->rejected_left_out,
             submitted->rejected_left_out > 0
                 ? fmt::format(", {} rejected before left out", submitted->rejected_left_out)
                 : "",
             submitted->estimated_cost.ToDisplay());

  Result<int> waited = kExitOk;
  if (opt.wait) waited = WaitForJob(global, *config, **db, job_id, opt.until_results);
  if (opt.json) {
    store::JobRepository jobs(**db);
    Result<store::JobSummary> job = jobs.Get(job_id);
    if (!job.ok()) return Fail("submit", job.status());
    fmt::print("{}\n",
               JsonText(store::JobJson(*job, store::JobElapsedSeconds(*job, clock.NowMs()))));
  }
  if (!waited.ok()) return Fail("submit", waited.status());
  return *waited;
}

}  // namespace

void AddSubmitCommand(CLI::App& app, const GlobalOptions& global, CommandOutcome& outcome) {
  auto opt = std::make_shared<SubmitOptions>();
  CLI::App* cmd = app.add_subcommand("submit", "Validate IMEIs, show the cost, create a job");
  cmd->add_option("--service", opt->service_id, "the supplier's service id")->required();
  cmd->add_option("--batch-size", opt->batch_size, "IMEIs per supplier call")
      ->check(WholeNumber(1, 100));
  cmd->add_flag("--recheck", opt->recheck, "order IMEIs that already have an order too");
  cmd->add_flag("--skip-rejected", opt->skip_rejected,
                "leave out IMEIs whose latest order for the service was rejected");
  CLI::Option* dry_run =
      cmd->add_flag("--dry-run", opt->dry_run, "print the preview and create nothing");
  cmd->add_flag("--yes", opt->yes, "order without asking (needed without a terminal)");
  CLI::Option* wait =
      cmd->add_flag("--wait", opt->wait, "dispatch in the foreground until the job is done")
          ->excludes(dry_run);
  cmd->add_flag("--until-results", opt->until_results,
                "with --wait: also until every order of the job has its result")
      ->needs(wait);
  cmd->add_flag("--json", opt->json,
                "print the job's counts (with --dry-run: the preview) as one JSON object");
  cmd->add_option("file", opt->file, "IMEIs: text, CSV or XLSX; - for standard input")->required();
  cmd->footer(
      "Exit status: 0 done (or not confirmed at the prompt, or nothing to order), 1 failure\n"
      "(or the daily cap paused dispatch during --wait), 2 usage error or no terminal to ask\n"
      "on without --yes (no job created), 4 items of the job need review (imeiflow review).");
  cmd->callback([&global, &outcome, opt]() { outcome.exit_code = RunSubmit(global, *opt); });
}

}  // namespace imeiflow::cli
