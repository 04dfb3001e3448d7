// `imeiflow submit --service ID [--batch-size N] [--recheck] [--wait] [--json] FILE|-`:
// validates the IMEIs, shows the estimated cost and creates the job; with
// --wait, dispatches it in the foreground (or, when another process is the
// dispatcher, watches it) until every item is final.
#include <fmt/format.h>
#include <unistd.h>

#include <chrono>
#include <memory>
#include <thread>

#include "cli/command.h"
#include "cli/command_env.h"
#include "cli/dispatch_session.h"
#include "cli/progress.h"
#include "cli/read_input.h"
#include "cli/stop_signal.h"
#include "core/clock.h"
#include "core/input.h"
#include "engine/service_cache.h"
#include "store/job_json.h"
#include "store/job_repository.h"
#include "store/job_submission.h"
#include "store/service_repository.h"
#include "upstream/supplier_connection.h"

namespace imeiflow::cli {
namespace {

struct SubmitOptions {
  std::string service_id;
  int batch_size = 1;
  bool recheck = false;
  bool wait = false;
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

// Waits for the job while another process dispatches.
Status Watch(store::JobRepository& jobs, int64_t job_id, const std::atomic<bool>& stop,
             ProgressPrinter& progress) {
  SystemClock clock;
  while (!stop.load()) {
    Result<store::JobSummary> job = jobs.Get(job_id);
    if (!job.ok()) return job.status();
    progress.Update(*job, clock.NowMs());
    if (job->Active() == 0) return Status::Ok();
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
  return Status::Ok();
}

Status WaitForJob(const GlobalOptions& global, const Config& config, store::Database& db,
                  int64_t job_id) {
  const std::atomic<bool>& stop = InstallStopSignalHandlers();
  store::JobRepository jobs(db);
  SystemClock clock;
  ProgressPrinter progress(stderr, isatty(STDERR_FILENO) != 0);
  auto job_open = [&]() {
    Result<store::JobSummary> job = jobs.Get(job_id);
    if (!job.ok()) return false;
    progress.Update(*job, clock.NowMs());
    return job->Active() > 0;
  };
  // until_idle: when the daily cap pauses dispatch, say so and end (exit 1)
  // instead of waiting, silently, for the next day.
  Status s = RunDispatchSession(config, db, DatabasePath(global, config), stop,
                                /*until_idle=*/true, job_open);
  if (s.code() == StatusCode::kUnavailable &&
      s.message().find("already dispatching") != std::string::npos) {
    fmt::print(stderr, "{}; watching job {}\n", s.message(), job_id);
    s = Watch(jobs, job_id, stop, progress);
  }
  if (Result<store::JobSummary> job = jobs.Get(job_id); job.ok()) {
    progress.Finish(*job, clock.NowMs());
    if (int64_t uncertain = job->counts[ItemState::kUncertain]; uncertain > 0) {
      fmt::print(stderr,
                 "{} item(s) may have been ordered and wait for a decision: imeiflow review\n",
                 uncertain);
    }
  }
  return s;
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
  how.source = opt.file == "-" ? "stdin" : opt.file;
  how.created_by = "cli";
  SystemClock clock;
  Result<store::Submission> submitted =
      store::SubmitJob(**db, *service, *report, how, clock.NowMs());
  if (!submitted.ok()) return Fail("submit", submitted.status());
  const store::JobSummary& created = submitted->job;
  const int64_t job_id = created.id;
  fmt::print(stderr,
             "Job {}: {} IMEIs queued, {} invalid, {} already ordered, {} repeated in the"
             " input (service {} \"{}\" at {} each, est. {})\n",
             job_id, created.counts.at(ItemState::kQueued), created.counts.at(ItemState::kInvalid),
             created.counts.at(ItemState::kSkippedDuplicate), report->duplicates.size(),
             service->id, service->title, service->price.ToDisplay(),
             submitted->estimated_cost.ToDisplay());

  Status waited;
  if (opt.wait) waited = WaitForJob(global, *config, **db, job_id);
  if (opt.json) {
    store::JobRepository jobs(**db);
    Result<store::JobSummary> job = jobs.Get(job_id);
    if (!job.ok()) return Fail("submit", job.status());
    fmt::print("{}\n", store::JobJson(*job, store::JobElapsedSeconds(*job, clock.NowMs())).dump());
  }
  if (!waited.ok()) return Fail("submit", waited);
  return kExitOk;
}

}  // namespace

void AddSubmitCommand(CLI::App& app, const GlobalOptions& global, CommandOutcome& outcome) {
  auto opt = std::make_shared<SubmitOptions>();
  CLI::App* cmd = app.add_subcommand("submit", "Validate IMEIs, show the cost, create a job");
  cmd->add_option("--service", opt->service_id, "the supplier's service id")->required();
  cmd->add_option("--batch-size", opt->batch_size, "IMEIs per supplier call")
      ->check(CLI::Range(1, 100));
  cmd->add_flag("--recheck", opt->recheck, "order IMEIs that already have an order too");
  cmd->add_flag("--wait", opt->wait, "dispatch in the foreground until the job is done");
  cmd->add_flag("--json", opt->json, "print the job's counts as one JSON object");
  cmd->add_option("file", opt->file, "IMEIs: text, CSV or XLSX; - for standard input")->required();
  cmd->callback([&global, &outcome, opt]() { outcome.exit_code = RunSubmit(global, *opt); });
}

}  // namespace imeiflow::cli
