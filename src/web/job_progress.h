// JobProgress: how far a job is, as the job page and its live event stream
// show it: items finished out of the total (a whole percentage that reaches
// 100 exactly when nothing is queued, in flight or uncertain), the rate at
// which the dispatcher finishes items and the time left at that rate (none
// while the daily cap pauses the job).
// Pure functions: safe from any thread.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/item_state.h"
#include "store/job_money.h"
#include "store/job_repository.h"

namespace imeiflow::web {

/// Whether an item in `state` is finished for its job (nothing more happens
/// to it without a person): every state but queued, in flight and uncertain.
bool IsFinishedState(ItemState state);

/// A job's progress at one moment.
struct JobProgress {
  int64_t total = 0;             ///< items of every state
  int64_t finished = 0;          ///< items in a finished state
  int percent = 0;               ///< finished / total, rounded down; 100 only when all are
  double rate_per_s = 0;         ///< items the dispatcher finished per second so far
  std::optional<int64_t> eta_s;  ///< seconds left at that rate, when it can be told
  std::string state;             ///< store::JobStateName: queued, running, paused, review, ...
  std::string paused_reason;     ///< why the daily cap holds it back; empty unless paused
  bool moving = false;           ///< items are queued or in flight
};

/// The progress of `job` at `now_ms`; `paused_reason` (store::JobStanding)
/// is empty unless the daily cap holds it back.
JobProgress ProgressOf(const store::JobSummary& job, int64_t now_ms,
                       const std::string& paused_reason = "");

/// "4.2/s" or "-" when nothing has been finished yet.
std::string RateText(const JobProgress& progress);

/// "1 h 3 min", "2 min 5 s", "12 s", or "-" when it cannot be told.
std::string EtaText(const JobProgress& progress);

/// "1 entry" / "1,501 entries": `n` with thousands and the right noun.
std::string Counted(int64_t n, std::string_view one, std::string_view many);

/// One figure tile of the job page.
struct JobTile {
  std::string key;    ///< machine name, the tile's element id and JSON key ("needs_review")
  std::string label;  ///< the shop's words ("needs review")
  int64_t n = 0;      ///< how many items (or orders)
};

/// The sending tiles of `job`: ordered, already ordered, needs review,
/// refused by the supplier, waiting, failed, cancelled (and "not an IMEI"
/// when some entries were not IMEIs). Every item is in exactly one tile.
std::vector<JobTile> SendingTiles(const store::JobSummary& job);

/// The non-zero sending tiles as one line: "6 ordered, 1 needs review", or
/// "no items".
std::string SendingText(const store::JobSummary& job);

/// The result tiles of the job's orders: completed, rejected, pending (no
/// result yet: pending, in process or unconfirmed at the supplier).
std::vector<JobTile> ResultTiles(const store::JobResults& results);

/// What the progress line says: "1,200 of 1,501 finished" while it runs;
/// for a cancelled job "cancelled: 1,200 of 1,501 ordered, 301 not sent";
/// for a paused one "paused: 1,200 of 1,501 ordered, 301 waiting".
std::string ProgressSentence(const store::JobSummary& job, const JobProgress& progress);

/// {"id", "state", "state_text", "paused_reason", "total", "finished",
/// "percent", "rate", "eta_s", "rate_text", "eta_text", "sentence", "final",
/// "counts": {"<state>": n}, "tiles": {"<tile key>": n}} for the live event
/// stream; the tiles include the result tiles of `results`.
nlohmann::json ProgressJson(const store::JobSummary& job, const JobProgress& progress,
                            const store::JobResults& results = {});

}  // namespace imeiflow::web
