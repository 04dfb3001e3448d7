#include "engine/outcome_policy.h"

#include <fmt/format.h>

#include <unordered_map>

namespace imeiflow::engine {
namespace {

using store::ItemTransition;
using upstream::CallClass;
using upstream::ImeiOutcomeKind;

// The order status as stored; a status the client did not recognise is
// stored as pending so the syncer asks again.
std::string_view StoredStatus(upstream::OrderStatus s) {
  return store::OrderStatusName(StoredOrderStatus(s).value_or(store::OrderStatus::kPending));
}

ItemTransition To(const store::CallItem& item, ItemState state, std::string reason) {
  ItemTransition t;
  t.item_id = item.item_id;
  t.to = state;
  t.reason = std::move(reason);
  t.after_uncertain = item.after_uncertain;
  return t;
}

// Back to queued after a call that did not order it: should the job be
// cancelled meanwhile, the item is cancelled only if no call may have applied
// it, else a person decides (the call told nothing about an earlier one).
ItemTransition Requeued(const store::CallItem& item, std::string reason) {
  ItemTransition t = To(item, ItemState::kQueued, std::move(reason));
  t.if_job_cancelled = NoCallMayHaveApplied(ItemState::kQueued, item.after_uncertain)
                           ? ItemState::kCancelled
                           : ItemState::kUncertain;
  return t;
}

}  // namespace

std::optional<store::OrderStatus> StoredOrderStatus(upstream::OrderStatus status) {
  switch (status) {
    case upstream::OrderStatus::kPending:
      return store::OrderStatus::kPending;
    case upstream::OrderStatus::kInProcess:
      return store::OrderStatus::kInProcess;
    case upstream::OrderStatus::kCompleted:
      return store::OrderStatus::kCompleted;
    case upstream::OrderStatus::kRejected:
      return store::OrderStatus::kRejected;
    case upstream::OrderStatus::kUnrecognised:
      return std::nullopt;
  }
  return std::nullopt;
}

bool IsCongestion(const upstream::CallVerdict& verdict) {
  if (verdict.http_status == 429 || verdict.http_status == 503) return true;
  return verdict.call_class == CallClass::kUnknown && verdict.http_status == 0;
}

PolicyVerdict OutcomePolicy::Judge(const store::CallIntent& intent,
                                   const upstream::PlaceOrderResult& result, int64_t latency_ms,
                                   int64_t now_ms) {
  PolicyVerdict verdict;
  const upstream::CallVerdict& call = result.verdict;
  store::FinishedCall& f = verdict.finished;
  f.call_id = intent.call_id;
  f.outcome = upstream::CallClassName(call.call_class);
  f.http_status = call.http_status;
  f.latency_ms = latency_ms;
  f.error = call.message;

  std::unordered_map<std::string_view, const upstream::ImeiOutcome*> by_imei;
  for (const upstream::ImeiOutcome& o : result.outcomes) by_imei.emplace(o.imei, &o);

  for (const store::CallItem& item : intent.items) {
    switch (call.call_class) {
      case CallClass::kApplied: {
        auto it = by_imei.find(item.imei);
        const upstream::ImeiOutcome* outcome = it == by_imei.end() ? nullptr : it->second;
        if (outcome != nullptr && outcome->kind == ImeiOutcomeKind::kUnknown) {
          // This IMEI may have been ordered: the same path as a call that may have been applied.
          upstream::CallVerdict row = call;
          row.message = outcome->message.empty() ? "the supplier's answer left this IMEI unclear"
                                                 : outcome->message;
          f.transitions.push_back(Unknown(item, row));
          break;
        }
        f.transitions.push_back(Applied(item, outcome, &verdict.supplier_dropped_imeis));
        break;
      }
      case CallClass::kNotApplied:
        f.transitions.push_back(NotApplied(item, call, now_ms));
        break;
      case CallClass::kUnknown:
        f.transitions.push_back(Unknown(item, call));
        break;
      case CallClass::kFatal:
        // Refused as a whole before acting: nothing was ordered; wait for a person
        // to fix the credentials, without spending the retry budget.
        verdict.fatal = true;
        verdict.out_of_credit = call.out_of_credit;
        f.transitions.push_back(Requeued(item, call.out_of_credit
                                                   ? "the supplier refused: not enough credit"
                                                   : "supplier refused the credentials"));
        break;
    }
  }
  // A single-IMEI call that is not mentioned says nothing about batches.
  if (intent.items.size() < 2) verdict.supplier_dropped_imeis = false;
  return verdict;
}

ItemTransition OutcomePolicy::Applied(const store::CallItem& item,
                                      const upstream::ImeiOutcome* outcome, bool* dropped) {
  ImeiOutcomeKind kind = outcome ? outcome->kind : ImeiOutcomeKind::kNotMentioned;
  switch (kind) {
    case ImeiOutcomeKind::kOrdered: {
      ItemTransition t = To(item, ItemState::kAccepted, "");
      t.order = store::NewOrder{outcome->order_id, std::string(StoredStatus(outcome->status))};
      return t;
    }
    case ImeiOutcomeKind::kDuplicate:
      if (item.after_uncertain) {
        // Rule 5: our earlier call landed after all; charged, id unknown.
        ItemTransition t = To(item, ItemState::kAcceptedUnconfirmed,
                              "the supplier already had it: an earlier call was applied");
        t.order = store::NewOrder{
            "", std::string(store::OrderStatusName(store::OrderStatus::kUnconfirmed))};
        return t;
      }
      return To(item, ItemState::kDuplicate, "the supplier already had this IMEI (not charged)");
    case ImeiOutcomeKind::kRejected:
      return To(item, ItemState::kRejected, outcome->message);
    case ImeiOutcomeKind::kNotMentioned:
      break;
    case ImeiOutcomeKind::kUnknown:  // Judge sends these down the Unknown path
      break;
  }
  // Not ordered: it goes out again, on its own.
  *dropped = true;
  ItemTransition t = Requeued(item, "left out of the supplier's batch answer");
  t.alone = true;
  return t;
}

ItemTransition OutcomePolicy::NotApplied(const store::CallItem& item,
                                         const upstream::CallVerdict& result, int64_t now_ms) {
  if (item.attempts >= options_.retry_budget) {
    std::string why = fmt::format("gave up after {} calls that were not applied; last: {}",
                                  item.attempts, result.message);
    // Failed is an end without an order: only for an item no call may have
    // applied. An earlier call of an after_uncertain item may have landed.
    if (NoCallMayHaveApplied(ItemState::kQueued, item.after_uncertain)) {
      return To(item, ItemState::kFailed, why);
    }
    return To(item, ItemState::kUncertain, "an earlier call may have been applied; " + why);
  }
  ItemTransition t = Requeued(item, result.message);
  std::optional<int64_t> retry_after_ms;
  if (result.retry_after) retry_after_ms = result.retry_after->count() * 1000;
  t.not_before = now_ms + backoff_.DelayMs(item.attempts, retry_after_ms);
  return t;
}

ItemTransition OutcomePolicy::Unknown(const store::CallItem& item,
                                      const upstream::CallVerdict& result) {
  std::string why = fmt::format("the call may have been applied: {}", result.message);
  // Without the supplier's duplicate refusal a resend could charge twice: a
  // person decides. A budget spent on such calls also waits for a person.
  if (!options_.refuses_duplicates || item.attempts >= options_.retry_budget) {
    return To(item, ItemState::kUncertain, why);
  }
  // Rule 5: the supplier refuses duplicates, so sending again is safe and
  // tells which it was; an order id means the first call never landed.
  ItemTransition t = To(item, ItemState::kQueued, why);
  t.after_uncertain = true;
  return t;
}

}  // namespace imeiflow::engine
