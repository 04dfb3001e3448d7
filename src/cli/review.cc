// `imeiflow review [--json]`: items whose call may have been applied, waiting
// for a person, each with the order its IMEI + service has here, if any, and
// why in the shop's words (`--json` keeps the raw reason);
// `imeiflow review resolve (--item ID | --job ID) --as
// submitted|resend|cancel` records the decision (audited: who, when).
// Submitted links an existing order; resend and cancel are refused for an
// item with one (for a job: those items are left, and counted).
#include <fmt/format.h>

#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli/command.h"
#include "cli/command_env.h"
#include "cli/number_option.h"
#include "cli/output.h"
#include "cli/time_text.h"
#include "core/clock.h"
#include "store/review_repository.h"
#include "store/supplier_export.h"

namespace imeiflow::cli {
namespace {

struct ReviewOptions {
  bool json = false;
  int64_t item = 0;
  int64_t job = 0;
  std::string decision;
};

int RunReview(const GlobalOptions& global, const ReviewOptions& opt) {
  Result<Config> config = LoadCommandConfig(global);
  if (!config.ok()) return Fail("review", config.status());
  Result<std::unique_ptr<store::Database>> db = OpenDatabase(global, *config);
  if (!db.ok()) return Fail("review", db.status());
  Result<std::vector<store::ReviewItem>> items = store::ReviewRepository(**db).List(100000);
  if (!items.ok()) return Fail("review", items.status());
  if (opt.json) {
    nlohmann::json out = nlohmann::json::array();
    for (const store::ReviewItem& i : *items) {
      nlohmann::json order = nullptr;
      if (i.order) order = {{"id", i.order->id}, {"status", i.order->status}};
      out.push_back({{"item", i.item_id},
                     {"job", i.job_id},
                     {"imei", i.imei},
                     {"service_id", i.service_id},
                     {"reason", i.reason},
                     {"since", IsoUtc(i.since)},
                     {"attempts", i.attempts},
                     {"order", order},
                     {"resend_allowed", !i.order.has_value()}});
    }
    fmt::print("{}\n", JsonText(nlohmann::json{{"items", out}}));
    return kExitOk;
  }
  fmt::print("{} item(s) await review\n", items->size());
  if (items->empty()) return kExitOk;
  constexpr std::string_view kRow = "{:>8}  {:>6}  {:<15}  {:<8}  {:<20}  {:<24}  {:<6}  {}\n";
  fmt::print(kRow, "ITEM", "JOB", "IMEI", "SERVICE", "SINCE", "ORDER HERE", "RESEND", "WHY");
  for (const store::ReviewItem& i : *items) {
    std::string order =
        i.order ? fmt::format("{} ({})", i.order->id, store::SupplierStatusWord(i.order->status))
                : "none";
    fmt::print(kRow, i.item_id, i.job_id, Shown(i.imei), Shown(i.service_id), IsoUtc(i.since),
               order, i.order ? "no" : "yes",
               Shown(store::ReviewReasonText(i.reason, config->upstream.timeout_s)));
  }
  return kExitOk;
}

int RunResolve(const GlobalOptions& global, const ReviewOptions& opt) {
  std::optional<store::ReviewDecision> decision = store::ParseReviewDecision(opt.decision);
  if (!decision) {
    fmt::print(stderr, "imeiflow review resolve: --as must be submitted, resend or cancel\n");
    return kExitUsage;
  }
  if ((opt.item > 0) == (opt.job > 0)) {
    fmt::print(stderr, "imeiflow review resolve: give exactly one of --item and --job\n");
    return kExitUsage;
  }
  Result<Config> config = LoadCommandConfig(global);
  if (!config.ok()) return Fail("review resolve", config.status());
  Result<std::unique_ptr<store::Database>> db = OpenDatabase(global, *config);
  if (!db.ok()) return Fail("review resolve", db.status());
  std::optional<int64_t> item = opt.item > 0 ? std::optional<int64_t>(opt.item) : std::nullopt;
  std::optional<int64_t> job = opt.job > 0 ? std::optional<int64_t>(opt.job) : std::nullopt;
  int64_t left = 0;
  Result<int64_t> n = store::ReviewRepository(**db).Decide(item, job, *decision, CommandActor(),
                                                           SystemClock().NowMs(), &left);
  if (!n.ok()) return Fail("review resolve", n.status());
  fmt::print("{} item(s) marked {}\n", *n, opt.decision);
  if (left > 0) {
    fmt::print(
        "{} item(s) left awaiting review: their IMEI already has an order, so {} is "
        "refused (resolve them as submitted)\n",
        left, opt.decision);
  }
  return kExitOk;
}

}  // namespace

void AddReviewCommand(CLI::App& app, const GlobalOptions& global, CommandOutcome& outcome) {
  auto opt = std::make_shared<ReviewOptions>();
  CLI::App* review = app.add_subcommand("review", "Items whose call may have been applied");
  review->add_flag("--json", opt->json, "print one JSON object");
  CLI::App* resolve = review->add_subcommand("resolve", "Record a person's decision");
  resolve->add_option("--item", opt->item, "one uncertain item")->check(WholeNumber(1, INT64_MAX));
  resolve->add_option("--job", opt->job, "every uncertain item of a job")
      ->check(WholeNumber(1, INT64_MAX));
  resolve->add_option("--as", opt->decision, "submitted | resend | cancel")->required();
  resolve->callback([&global, &outcome, opt]() { outcome.exit_code = RunResolve(global, *opt); });
  review->callback([&global, &outcome, opt, resolve]() {
    if (resolve->parsed()) return;
    outcome.exit_code = RunReview(global, *opt);
  });
}

}  // namespace imeiflow::cli
