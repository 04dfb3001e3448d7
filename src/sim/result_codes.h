// Result codes: the `code` text of finished orders, as a real supplier words it.
//
// Deterministic: the same IMEI, service kind and seed always give the same
// text, so tests and repeated runs can compare. Checker codes are ` - `
// separated `Key: Value` pairs; about one in eight uses `<br>` separators and
// carries an HTML entity (`&amp;`), as some suppliers do. Pure functions;
// thread-safe.
#pragma once

#include <cstdint>
#include <string>

#include "sim/catalogue.h"

namespace imeiflow::sim {

/// The `code` of a Completed order for `imei` on a service of `kind`.
std::string CompletedCode(ServiceKind kind, const std::string& imei, uint64_t seed);

/// The reason carried in `code` by a Rejected order.
std::string RejectionReason(const std::string& imei, uint64_t seed);

/// A stable 64-bit hash of `text` mixed with `seed` (FNV-1a + a final mix).
uint64_t StableHash(const std::string& text, uint64_t seed);

}  // namespace imeiflow::sim
