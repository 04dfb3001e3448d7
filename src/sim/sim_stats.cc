#include "sim/sim_stats.h"

#include <nlohmann/json.hpp>

namespace imeiflow::sim {

std::string SimStats::ToJson(const BookMoney& money) const {
  nlohmann::json j;
  j["calls"] = {{"total", calls_total.load()},
                {"imeiservices", calls_imeiservices.load()},
                {"placeorder", calls_placeorder.load()},
                {"getimeis", calls_getimeis.load()},
                {"other", calls_other.load()}};
  j["auth_failures"] = auth_failures.load();
  j["orders_created"] = orders_created.load();
  j["duplicates_refused"] = duplicates_refused.load();
  j["invalid_imeis"] = invalid_imeis.load();
  j["batch_dropped"] = batch_dropped.load();
  j["faults"] = {{"http500_committed", fault_500_committed.load()},
                 {"http500_uncommitted", fault_500_uncommitted.load()},
                 {"http503", fault_503.load()},
                 {"reset", fault_reset.load()},
                 {"hang", fault_hang.load()},
                 {"phpxml", fault_phpxml.load()},
                 {"html_committed", fault_html_committed.load()},
                 {"html_uncommitted", fault_html_uncommitted.load()},
                 {"omit", getimeis_omitted.load()}};
  j["rejected_429"] = rejected_429.load();
  j["in_progress"] = in_progress.load();
  j["max_in_progress"] = max_in_progress.load();
  j["no_credit_refused"] = no_credit_refused.load();
  j["charged_cents"] = money.charged_cents;
  if (money.balance_cents) {
    j["balance_cents"] = *money.balance_cents;
  } else {
    j["balance_cents"] = nullptr;
  }
  j["refunded_cents"] = money.refunded_cents;
  return j.dump();
}

}  // namespace imeiflow::sim
