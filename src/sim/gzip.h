// Gzip: compresses answers for the simulator's `--gzip` mode (zlib, gzip framing).
// Pure function; thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace imeiflow::sim {

/// `data` as a complete gzip member.
std::string GzipCompress(std::string_view data);

}  // namespace imeiflow::sim
