// `imeiflow jobs [--state S] [--since DATE] [--json]` (an aligned table of
// state, creation, service, IMEIs, cost and results in the shop's words;
// JSON keeps the machine names), `job ID [--json]`, `cancel ID`, `retry ID`: jobs
// and their counts per state; cancel queued items no call may have applied
// (`cancel ID [--json]` says how many were kept, and why); queue failed items again.
#include <fmt/format.h>

#include <algorithm>
#include <climits>
#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli/command.h"
#include "cli/command_env.h"
#include "cli/number_option.h"
#include "cli/output.h"
#include "cli/time_text.h"
#include "core/clock.h"
#include "store/job_figures.h"
#include "store/job_json.h"
#include "store/job_money.h"
#include "store/job_repository.h"

namespace imeiflow::cli {
namespace {

struct JobOptions {
  int64_t id = 0;
  bool json = false;
  int limit = 50;
  std::string state;  // a job state name (`jobs --state`); empty: any
  std::string since;  // a date or time (`jobs --since`); empty: any
};

// Reads a job's money, results and pause (the daily cap in force).
using StandingReader = std::function<Result<store::JobStanding>(const store::JobSummary&)>;

// Runs `body` with the job repository of the configured database, the
// database (for the audit log) and a reader of a job's standing.
int WithJobStandings(
    const GlobalOptions& global, std::string_view command,
    const std::function<int(store::JobRepository&, store::Database&, const StandingReader&)>&
        body) {
  Result<Config> config = LoadCommandConfig(global);
  if (!config.ok()) return Fail(command, config.status());
  Result<std::optional<Money>> cap = config->spending.DailyCap();
  if (!cap.ok()) return Fail(command, cap.status());
  Result<std::unique_ptr<store::Database>> db = OpenDatabase(global, *config);
  if (!db.ok()) return Fail(command, db.status());
  store::JobRepository jobs(**db);
  StandingReader standing = [&](const store::JobSummary& job) {
    return store::ReadJobStanding(**db, job, *cap, SystemClock().NowMs());
  };
  return body(jobs, **db, standing);
}

// Runs `body` with the job repository of the configured database and the
// database (for the audit log).
int WithJobs(const GlobalOptions& global, std::string_view command,
             const std::function<int(store::JobRepository&, store::Database&)>& body) {
  return WithJobStandings(global, command,
                          [&](store::JobRepository& jobs, store::Database& db,
                              const StandingReader&) { return body(jobs, db); });
}

// One row of the `jobs` table, in the shop's words.
std::vector<std::string> JobRow(const store::JobSummary& job, const store::JobStanding& standing) {
  const store::JobResults& r = standing.results;
  return {std::to_string(job.id),
          std::string(store::JobStateWord(store::JobStateName(job, standing.paused()))),
          IsoUtc(job.created_at).substr(0, 16),
          Shown(job.spec.service_id),
          std::to_string(job.total),
          standing.money.spent().ToDisplay(),
          fmt::format("{}/{}/{}", r.completed, r.rejected, r.pending + r.in_process)};
}

// Prints `rows` under `headers`, each column as wide as its widest cell;
// the numeric columns (`right`) are right-aligned.
void PrintTable(const std::vector<std::string>& headers, const std::vector<bool>& right,
                const std::vector<std::vector<std::string>>& rows) {
  std::vector<size_t> width(headers.size());
  for (size_t c = 0; c < headers.size(); ++c) width[c] = headers[c].size();
  for (const auto& row : rows) {
    for (size_t c = 0; c < row.size(); ++c) width[c] = std::max(width[c], row[c].size());
  }
  auto print = [&](const std::vector<std::string>& cells) {
    std::string line;
    for (size_t c = 0; c < cells.size(); ++c) {
      if (c > 0) line += "  ";
      const bool last = c + 1 == cells.size();
      line += right[c] ? fmt::format("{:>{}}", cells[c], width[c])
                       : (last ? cells[c] : fmt::format("{:<{}}", cells[c], width[c]));
    }
    fmt::print("{}\n", line);
  };
  print(headers);
  for (const auto& row : rows) print(row);
}

int RunJobs(const GlobalOptions& global, const JobOptions& opt) {
  return WithJobStandings(global, "jobs", [&](store::JobRepository& jobs, store::Database&,
                                              const StandingReader& standing_of) {
    store::JobListFilter filter;
    if (!opt.since.empty()) {
      filter.since_ms = ParseIsoUtc(opt.since);
      if (!filter.since_ms) {
        return Fail("jobs", Status::InvalidArgument(fmt::format(
                                "--since: \"{}\" is not a date (YYYY-MM-DD or "
                                "YYYY-MM-DDTHH:MM:SSZ)",
                                opt.since)));
      }
    }
    // With --state, states are worked out per job: read the range, then cut.
    if (opt.state.empty()) filter.limit = opt.limit;
    Result<std::vector<store::JobSummary>> list = jobs.Find(filter);
    if (!list.ok()) return Fail("jobs", list.status());
    int64_t now = SystemClock().NowMs();
    nlohmann::json out = nlohmann::json::array();
    std::vector<std::vector<std::string>> rows;
    for (const store::JobSummary& job : *list) {
      if (static_cast<int64_t>(rows.size() + out.size()) >= opt.limit) break;
      Result<store::JobStanding> standing = standing_of(job);
      if (!standing.ok()) return Fail("jobs", standing.status());
      if (!opt.state.empty() && store::JobStateName(job, standing->paused()) != opt.state) continue;
      if (opt.json) {
        out.push_back(store::JobJson(job, store::JobElapsedSeconds(job, now), *standing));
      } else {
        rows.push_back(JobRow(job, *standing));
      }
    }
    if (opt.json) {
      fmt::print("{}\n", JsonText(nlohmann::json{{"jobs", out}}));
    } else if (rows.empty()) {
      fmt::print("no jobs\n");
    } else {
      PrintTable({"ID", "STATE", "CREATED (UTC)", "SERVICE", "IMEIS", "COST",
                  "RESULTS (completed/rejected/pending)"},
                 {true, false, false, false, true, true, false}, rows);
    }
    return static_cast<int>(kExitOk);
  });
}

int RunJob(const GlobalOptions& global, const JobOptions& opt) {
  return WithJobStandings(
      global, "job", [&](store::JobRepository& jobs, store::Database&, const StandingReader& standing_of) {
        Result<store::JobSummary> job = jobs.Get(opt.id);
        if (!job.ok()) return Fail("job", job.status());
        Result<store::JobStanding> standing = standing_of(*job);
        if (!standing.ok()) return Fail("job", standing.status());
        double elapsed = store::JobElapsedSeconds(*job, SystemClock().NowMs());
        if (opt.json) {
          fmt::print("{}\n", JsonText(store::JobJson(*job, elapsed, *standing)));
        } else {
          const store::JobMoney& money = standing->money;
          fmt::print(
              "job {} ({}): service {} at {}, batch size {}{}, {} items, {:.1f} s\n  {}\n"
              "  estimated {}, charged {}, refunded {}, spent {}\n",
              job->id, store::JobStateName(*job, standing->paused()), job->spec.service_id,
              job->spec.price.ToDisplay(), job->spec.batch_size,
              job->spec.recheck ? ", recheck" : "", job->total, elapsed, job->CountsText(),
              money.estimated.ToDisplay(), money.charged.ToDisplay(), money.refunded.ToDisplay(),
              money.spent().ToDisplay());
          if (standing->paused()) fmt::print("  paused: {}\n", standing->paused_reason);
        }
        return static_cast<int>(kExitOk);
      });
}

int RunCancel(const GlobalOptions& global, const JobOptions& opt) {
  return WithJobs(global, "cancel", [&](store::JobRepository& jobs, store::Database&) {
    int64_t now = SystemClock().NowMs();
    Result<store::CancelResult> done = jobs.Cancel(opt.id, CommandActor(), now);
    if (!done.ok()) return Fail("cancel", done.status());
    if (opt.json) {
      fmt::print("{}\n", JsonText(store::CancelResultJson(opt.id, *done)));
    } else {
      fmt::print("job {}: {}\n", opt.id, done->Text());
    }
    return static_cast<int>(kExitOk);
  });
}

int RunRetry(const GlobalOptions& global, const JobOptions& opt) {
  return WithJobs(global, "retry", [&](store::JobRepository& jobs, store::Database&) {
    Result<int64_t> n = jobs.RetryFailed(opt.id, CommandActor(), SystemClock().NowMs());
    if (!n.ok()) return Fail("retry", n.status());
    fmt::print("job {}: {} failed item(s) queued again\n", opt.id, *n);
    return static_cast<int>(kExitOk);
  });
}

}  // namespace

void AddJobCommands(CLI::App& app, const GlobalOptions& global, CommandOutcome& outcome) {
  auto opt = std::make_shared<JobOptions>();
  CLI::App* jobs = app.add_subcommand("jobs", "List jobs with their counts per state");
  jobs->add_flag("--json", opt->json, "print one JSON object");
  jobs->add_option("--limit", opt->limit, "newest jobs to show")->check(WholeNumber(1, INT_MAX));
  jobs->add_option("--state", opt->state, "only jobs in this state")
      ->check(CLI::IsMember({"queued", "running", "paused", "review", "done", "cancelled"}));
  jobs->add_option("--since", opt->since, "only jobs created at or after (YYYY-MM-DD or ISO time, UTC)");
  jobs->callback([&global, &outcome, opt]() { outcome.exit_code = RunJobs(global, *opt); });

  CLI::App* job = app.add_subcommand("job", "One job's counts per state");
  job->add_option("id", opt->id, "job id")->required()->check(WholeNumber(1, INT64_MAX));
  job->add_flag("--json", opt->json, "print one JSON object");
  job->callback([&global, &outcome, opt]() { outcome.exit_code = RunJob(global, *opt); });

  CLI::App* cancel = app.add_subcommand(
      "cancel", "Cancel a job's queued items no call may have applied (the rest finish)");
  cancel->add_option("id", opt->id, "job id")->required()->check(WholeNumber(1, INT64_MAX));
  cancel->add_flag("--json", opt->json, "print one JSON object");
  cancel->callback([&global, &outcome, opt]() { outcome.exit_code = RunCancel(global, *opt); });

  CLI::App* retry = app.add_subcommand("retry", "Queue a job's failed items again");
  retry->add_option("id", opt->id, "job id")->required()->check(WholeNumber(1, INT64_MAX));
  retry->callback([&global, &outcome, opt]() { outcome.exit_code = RunRetry(global, *opt); });
}

}  // namespace imeiflow::cli
