// libFuzzer target: every GSM Fusion answer parser, and the mapping of a
// placeorder answer onto the IMEIs sent, must turn any bytes into a value or
// a clear error, never a crash.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "upstream/gsmfusion/answer.h"
#include "upstream/gsmfusion/classify.h"

using namespace imeiflow::upstream;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view body(reinterpret_cast<const char*>(data), size);
  // Any verdict will do: the target looks for crashes, not for valid answers.
  static_cast<void>(gsmfusion::ParseServicesAnswer(body));
  static_cast<void>(gsmfusion::ParseOrdersAnswer(body));
  auto placed = gsmfusion::ParsePlaceOrderAnswer(body);
  if (placed.ok()) {
    static const std::vector<std::string> kSent = {"356789012345675", "356789012345683"};
    PlaceOrderResult r = gsmfusion::MapPlaceOrderAnswer(kSent, *placed, 200);
    if (r.verdict.call_class == CallClass::kApplied && r.outcomes.size() != kSent.size()) {
      __builtin_trap();  // an applied call must account for every IMEI sent
    }
    PlaceOrderResult single = gsmfusion::MapPlaceOrderAnswer({kSent[0]}, *placed, 200);
    if (single.verdict.call_class == CallClass::kApplied && single.outcomes.size() != 1) {
      __builtin_trap();
    }
  }
  return 0;
}
