#include "store/order_json.h"

#include "core/time_text.h"

namespace imeiflow::store {
namespace {

nlohmann::json TextOrNull(const std::string& text) {
  return text.empty() ? nlohmann::json() : nlohmann::json(text);
}

}  // namespace

nlohmann::json OrderJson(const OrderRecord& order) {
  nlohmann::json fields = nlohmann::json::object();
  for (const ResultFieldColumn& column : ResultFieldColumns()) {
    fields[std::string(column.name)] = order.fields.*column.member;
  }
  return {{"id", order.id},
          {"upstream_id", TextOrNull(order.upstream_id)},
          {"imei", order.imei},
          {"service_id", order.service_id},
          {"status", OrderStatusName(order.status)},
          {"price", order.price.ToDecimal()},
          {"job", order.job_id ? nlohmann::json(*order.job_id) : nlohmann::json()},
          {"placed_at", IsoUtc(order.placed_at)},
          {"code", TextOrNull(order.code)},
          {"fields", fields}};
}

}  // namespace imeiflow::store
